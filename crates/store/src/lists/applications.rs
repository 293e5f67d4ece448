//! Access applications: filing with the automatic checks, and the city's decision.

use super::*;

// ----- access applications --------------------------------------------------------------

pub use lists::application::NewApplication;

fn req_date(field: &str, s: &str) -> Result<Date> {
    clock::parse_date(s).ok_or_else(|| bad(field, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD"))
}

/// Who files: the department's name, level and district.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub actor: String,
    pub department: String,
    pub level: DeptLevel,
    pub district: Option<String>,
}

/// Parse and validate the input into the engine's application (id set
/// later) with `lists::application::parse`, after looking up the target
/// communities; the first field error is returned.
pub async fn parse_application(
    db: &Db,
    lists: &ListsInForce,
    who: &Applicant,
    n: &NewApplication,
    today: Date,
) -> Result<Application> {
    parse_all(db, lists, who, n, today).await?.map_err(field_errors)
}

/// The target communities as codes: a community may be named (天井湖社区 or
/// 天井湖) as well as coded; anything else is left for the engine to refuse.
async fn targets_as_codes(db: &Db, targets: &str) -> Result<String> {
    let codes = lists::application::target_codes(targets);
    if codes.is_empty() {
        return Ok(targets.to_string());
    }
    let names = crate::structure::community_names(db).await?;
    let code_of = |t: &str| {
        names
            .iter()
            .find(|(_, name)| name.as_str() == t || name.trim_end_matches("社区") == t)
            .map(|(code, _)| code.clone())
    };
    Ok(codes.into_iter().map(|t| code_of(t).unwrap_or_else(|| t.to_string())).collect::<Vec<_>>().join(","))
}

/// [`parse_application`] with every field error of the input (the engine gives them all).
async fn parse_all(
    db: &Db,
    lists: &ListsInForce,
    who: &Applicant,
    n: &NewApplication,
    today: Date,
) -> Result<std::result::Result<Application, Vec<FieldError>>> {
    let n = &NewApplication { targets: targets_as_codes(db, &n.targets).await?, ..n.clone() };
    let mut communities = BTreeMap::new();
    for c in lists::application::target_codes(&n.targets) {
        match crate::structure::community(db, c).await {
            Ok(com) => {
                communities.insert(c.to_string(), com.district_code);
            }
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let cx = lists::application::Context {
        department: &who.department,
        level: who.level,
        district: who.district.as_deref(),
        lists,
        communities: &communities,
        today,
    };
    Ok(lists::application::parse(n, &cx))
}

crate::typed::words! {
    /// An access application: `checking` only inside its filing transaction,
    /// then rejected by the checks or pending the city's review, then decided.
    pub enum AppStatus, "access application status" {
        Checking => "checking",
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AppRow {
    pub id: i64,
    pub department: String,
    pub level: String,
    pub district_code: Option<String>,
    pub item_type: String,
    pub title: String,
    pub status: AppStatus,
    pub verdict: String,
    #[serde(skip)]
    pub data: String,
    pub filed_by: String,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_reason: String,
}

impl AppRow {
    pub fn application(&self) -> Result<Application> {
        serde_json::from_str(&self.data).map_err(internal)
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApprovalRow {
    pub id: i64,
    pub application_id: i64,
    pub number: String,
    pub approved_on: String,
    pub expires_on: Option<String>,
    pub approved_by: String,
    #[serde(skip)]
    pub funding_plan: Option<String>,
}

pub fn app_code(id: i64) -> String {
    format!("ACC-{id}")
}

/// Assessments already approved: the history the count cap reads.
async fn history(db: &Db) -> Result<AssessmentHistory> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.data, p.approved_on FROM access_applications a JOIN access_approvals p ON p.application_id = a.id \
         WHERE a.item_type = 'assessment' AND a.status = 'approved'",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut records = Vec::new();
    for (data, on) in rows {
        let a: Application = serde_json::from_str(&data).map_err(internal)?;
        records.push(AssessmentRecord {
            entry_code: a.claimed_entry.clone(),
            department: a.department.name.clone(),
            title: a.title.clone(),
            date: clock::parse_date(&on).unwrap_or(a.start),
        });
    }
    Ok(AssessmentHistory { records })
}

#[derive(Debug, Clone, Serialize)]
pub struct Filed {
    pub application: AppRow,
    pub report: CheckReport,
}

/// File an application: validate, run the automatic checks, store both. An
/// automatic rejection is stored as `rejected` with its report; anything
/// else waits for the city reviewer as `pending`.
pub async fn file(db: &Db, who: &Applicant, n: NewApplication) -> Result<Filed> {
    try_file(db, who, n).await?.map_err(field_errors)
}

/// [`file`], answering bad input with every field error at once (nothing is
/// written then), so that a form can show each beside its field.
pub async fn try_file(
    db: &Db,
    who: &Applicant,
    n: NewApplication,
) -> Result<std::result::Result<Filed, Vec<FieldError>>> {
    let today = clock::today();
    let lists = in_force(db, today).await?;
    let mut app = match parse_all(db, &lists, who, &n, today).await? {
        Ok(app) => app,
        Err(errs) => return Ok(Err(errs)),
    };
    let hist = history(db).await?;
    let level = match who.level {
        DeptLevel::City => "city",
        DeptLevel::District => "district",
    };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO access_applications (department, level, district_code, item_type, title, status, data, filed_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'checking', '{}', $6, $7) RETURNING id",
    )
    .bind(&app.department.name)
    .bind(level)
    .bind(who.district.clone())
    .bind(item_type_code(app.kind))
    .bind(&app.title)
    .bind(&who.actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    app.id = app_code(id);
    let report = lists::check(&app, &lists, &hist, today);
    let (status, verdict) = match report.verdict {
        Verdict::AutoReject => (AppStatus::Rejected, "auto_reject"),
        Verdict::NeedsReview => (AppStatus::Pending, "needs_review"),
        Verdict::PassToReviewer => (AppStatus::Pending, "pass_to_reviewer"),
    };
    let data = serde_json::to_string(&app).map_err(internal)?;
    let report_json = serde_json::to_string(&report).map_err(internal)?;
    let row: AppRow =
        sqlx::query_as("UPDATE access_applications SET status = $1, verdict = $2, data = $3 WHERE id = $4 RETURNING *")
            .bind(crate::typed::Word::word(status))
            .bind(verdict)
            .bind(&data)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("INSERT INTO access_checks (application_id, verdict, report, checked_on) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(verdict)
        .bind(&report_json)
        .bind(today.to_string())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &who.actor,
        "access.file",
        "access_application",
        id,
        audit::Scope::district(who.district.as_deref()),
        json!({ "application": app, "verdict": verdict, "status": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(Filed { application: row, report }))
}

pub async fn applications(db: &Db, district: Option<&str>, status: Option<AppStatus>) -> Result<Vec<AppRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM access_applications WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR status = $2) ORDER BY id DESC",
    )
    .bind(district.map(str::to_string))
    .bind(status.map(|s| crate::typed::Word::word(s)))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn application(db: &Db, id: i64) -> Result<AppRow> {
    sqlx::query_as("SELECT * FROM access_applications WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The latest check report of an application.
pub async fn report(db: &Db, id: i64) -> Result<Option<CheckReport>> {
    let r: Option<String> =
        sqlx::query_scalar("SELECT report FROM access_checks WHERE application_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    r.map(|s| serde_json::from_str(&s).map_err(internal)).transpose()
}

pub async fn approval(db: &Db, application_id: i64) -> Result<Option<ApprovalRow>> {
    Ok(sqlx::query_as("SELECT * FROM access_approvals WHERE application_id = $1")
        .bind(application_id)
        .fetch_optional(&db.pool)
        .await?)
}

/// The stored funding plan of an approval (费随事转), if any.
pub fn funding_plan(a: &ApprovalRow) -> Option<lists::FundingPlan> {
    a.funding_plan.as_deref().and_then(|s| serde_json::from_str(s).ok())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Decision {
    #[serde(default)]
    pub csrf: String,
    /// approve | reject
    #[serde(default)]
    pub decision: String,
    /// 准入审批编号 (approve).
    #[serde(default)]
    pub number: String,
    /// YYYY-MM-DD, the last day in force (approve; empty: no expiry).
    #[serde(default)]
    pub expires: String,
    /// Why (reject: required).
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub application: AppRow,
    pub approval: Option<ApprovalRow>,
    pub tasks: Vec<TaskRow>,
    pub funding: Option<lists::FundingPlan>,
    /// Allocations posted to the communities' assistance funds (ledger tx ids).
    pub allocations: Vec<(String, u64)>,
    /// Allocations the ledger refused (the plan stays stored for a retry).
    pub allocation_errors: Vec<(String, String)>,
}

/// The city civil-affairs reviewer's decision on a pending application.
pub async fn decide(db: &Db, actor: &str, id: i64, d: Decision) -> Result<Decided> {
    let row = application(db, id).await?;
    if row.status != AppStatus::Pending {
        return Err(bad("status", "只有待审核的申请可以审批", "only a pending application can be decided"));
    }
    let today = clock::today();
    let now = clock::now_text();
    match d.decision.trim() {
        "reject" => {
            let reason = d.reason.trim();
            if reason.is_empty() {
                return Err(bad("reason", "驳回须说明理由", "a rejection needs a reason"));
            }
            let mut tx = db.begin().await?;
            let app: AppRow = sqlx::query_as(
                "UPDATE access_applications SET status = 'rejected', decided_by = $1, decided_at = $2, decision_reason = $3 \
                 WHERE id = $4 AND status = 'pending' RETURNING *",
            )
            .bind(actor)
            .bind(&now)
            .bind(reason)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| bad("status", "只有待审核的申请可以审批", "only a pending application can be decided"))?;
            audit_app(&mut tx, actor, "access.reject", id, row.district_code.as_deref(), json!({ "reason": reason }))
                .await?;
            tx.commit().await?;
            Ok(Decided {
                application: app,
                approval: None,
                tasks: vec![],
                funding: None,
                allocations: vec![],
                allocation_errors: vec![],
            })
        }
        "approve" => approve(db, actor, row, d, today, now).await,
        _ => Err(bad("decision", "请选择批准或驳回", "decision is approve or reject")),
    }
}

async fn audit_app(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    id: i64,
    district: Option<&str>,
    change: serde_json::Value,
) -> Result<()> {
    audit::record(tx, actor, action, "access_application", id, audit::Scope::district(district), change).await?;
    Ok(())
}

async fn approve(db: &Db, actor: &str, row: AppRow, d: Decision, today: Date, now: String) -> Result<Decided> {
    let number = d.number.trim();
    if number.is_empty() || number.chars().count() > 60 {
        return Err(bad("number", "请填写准入审批编号", "the approval number is required"));
    }
    let taken: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM access_approvals WHERE number = $1")
        .bind(number)
        .fetch_one(&db.pool)
        .await?;
    if taken > 0 {
        return Err(bad("number", "该审批编号已被使用", "this approval number is already used"));
    }
    let expires = match d.expires.trim() {
        "" => None,
        e => {
            let e = req_date("expires", e)?;
            if e < today {
                return Err(bad("expires", "有效期不能早于今天", "the expiry cannot be in the past"));
            }
            Some(e)
        }
    };
    let app = row.application()?;
    let approval =
        lists::Approval { number: number.to_string(), application_id: app.id.clone(), approved_on: today, expires };
    // Target communities.
    let all = crate::structure::communities(db, None).await?;
    let roster: Vec<String> = all.iter().map(|c| c.code.clone()).collect();
    let targets: Vec<&crate::structure::Community> = match &app.targets {
        Targets::All => all.iter().collect(),
        Targets::List(l) => all.iter().filter(|c| l.contains(&c.code)).collect(),
    };
    let plan = if app.funding.is_some() && app.kind != ItemType::Assessment && !app.community_as_principal {
        lists::funding_obligation(&app, &approval, &roster).ok()
    } else {
        None
    };
    let mut tx = db.begin().await?;
    let updated: Option<AppRow> = sqlx::query_as(
        "UPDATE access_applications SET status = 'approved', decided_by = $1, decided_at = $2, decision_reason = $3 \
         WHERE id = $4 AND status = 'pending' RETURNING *",
    )
    .bind(actor)
    .bind(&now)
    .bind(d.reason.trim())
    .bind(row.id)
    .fetch_optional(&mut *tx)
    .await?;
    let app_row = updated
        .ok_or_else(|| bad("status", "只有待审核的申请可以审批", "only a pending application can be decided"))?;
    let appr: ApprovalRow = sqlx::query_as(
        "INSERT INTO access_approvals (application_id, number, approved_on, expires_on, approved_by, funding_plan) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
    )
    .bind(row.id)
    .bind(number)
    .bind(today.to_string())
    .bind(expires.map(|e| e.to_string()))
    .bind(actor)
    .bind(plan.as_ref().map(crate::typed::json_text).transpose()?)
    .fetch_one(&mut *tx)
    .await?;
    let emergency = app.emergency.as_ref().map(crate::typed::json_text).transpose()?;
    let mut tasks = Vec::new();
    for c in &targets {
        let t: TaskRow = sqlx::query_as(
            "INSERT INTO community_tasks (community_code, district_code, application_id, approval_number, approved_on, expires_on, emergency, department, item_type, title, status, created_by, created_at, ended_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, $12, $13) RETURNING *",
        )
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(row.id)
        .bind(number)
        .bind(today.to_string())
        .bind(expires.map(|e| e.to_string()))
        .bind(emergency.clone())
        .bind(&app.department.name)
        .bind(item_type_code(app.kind))
        .bind(&app.title)
        .bind(actor)
        .bind(&now)
        .bind(expires.map(|e| super::tasks::expiry_end(&e.to_string())))
        .fetch_one(&mut *tx)
        .await?;
        tasks.push(t);
    }
    audit_app(
        &mut tx,
        actor,
        "access.approve",
        row.id,
        row.district_code.as_deref(),
        json!({ "number": number, "expires": expires.map(|e| e.to_string()), "tasks": tasks.iter().map(|t| t.id).collect::<Vec<_>>(), "funding": plan }),
    )
    .await?;
    tx.commit().await?;
    // 费随事转: post each community's share to its assistance fund. Idempotent
    // per (application, community), so a failed posting can be retried.
    let mut allocations = Vec::new();
    let mut allocation_errors = Vec::new();
    if let Some(p) = &plan {
        for t in p.transfers.iter().filter(|t| t.amount_fen > 0) {
            let n = crate::finance::NewAllocation {
                community: t.community.clone(),
                fund: format!("assistance:{}", app_code(row.id)),
                amount: yuan(t.amount_fen),
                date: String::new(),
                memo: format!("费随事转 {} {}（{}）", number, app.title, p.payer),
                reference: number.to_string(),
                key: format!("{}-{}", app_code(row.id), t.community),
            };
            match crate::finance::allocate(db, actor, n).await {
                Ok(posted) => allocations.push((t.community.clone(), posted.tx_id)),
                Err(e) => {
                    tracing::warn!(community = %t.community, error = %e, "assistance funding not posted");
                    allocation_errors.push((t.community.clone(), e.to_string()));
                }
            }
        }
    }
    Ok(Decided { application: app_row, approval: Some(appr), tasks, funding: plan, allocations, allocation_errors })
}
