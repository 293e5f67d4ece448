//! Access applications: filing with the automatic checks, and the city's decision.

use super::*;

// ----- access applications --------------------------------------------------------------

/// An application as a form or JSON sends it (text fields; checkboxes as booleans).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub department: String,
    /// organization | plaque | ledger_report | survey | inspection | assessment | certificate | work_task
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub legal_basis: String,
    /// The list entry code the department claims (e.g. `AS-001`); empty for none.
    #[serde(default)]
    pub claimed_entry: String,
    /// `all`, or community codes separated by commas.
    #[serde(default)]
    pub targets: String,
    /// YYYY-MM-DD; empty: today.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub duration_days: String,
    #[serde(default)]
    pub workload: String,
    /// Units of work per community (for per-unit funding).
    #[serde(default)]
    pub units: String,
    /// Yuan; empty: no funding offered.
    #[serde(default)]
    pub funding_yuan: String,
    /// per_community_per_year (default) | per_unit
    #[serde(default)]
    pub funding_basis: String,
    #[serde(default)]
    pub funding_unit: String,
    #[serde(default)]
    pub paying_department: String,
    #[serde(default, deserialize_with = "flag")]
    pub community_as_principal: bool,
    /// residents_committee | government (default)
    #[serde(default)]
    pub duty_holder: String,
    /// national | provincial | municipal | district (assessments only)
    #[serde(default)]
    pub assessment_origin: String,
    #[serde(default)]
    pub assessment_days: String,
    #[serde(default, deserialize_with = "flag")]
    pub assessment_alone: bool,
    #[serde(default, deserialize_with = "flag")]
    pub assessment_veto: bool,
    /// Content items, separated by commas.
    #[serde(default)]
    pub assessment_content: String,
    /// An emergency category (empty: none).
    #[serde(default)]
    pub emergency: String,
    #[serde(default)]
    pub emergency_expires: String,
}

/// A checkbox: `true`/`on`/`1` (form) or a JSON boolean.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum F {
        B(bool),
        S(String),
    }
    Ok(match F::deserialize(d)? {
        F::B(b) => b,
        F::S(s) => matches!(s.trim(), "true" | "on" | "1" | "yes"),
    })
}

fn req_date(field: &str, s: &str) -> Result<Date> {
    clock::parse_date(s).ok_or_else(|| bad(field, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD"))
}

fn pos_int(field: &str, s: &str, max: u64) -> Result<u64> {
    s.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n >= 1 && *n <= max)
        .ok_or_else(|| bad(field, format!("应为1到{max}之间的整数"), format!("must be a whole number from 1 to {max}")))
}

/// Who files: the department's name, level and district.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub actor: String,
    pub department: String,
    pub level: DeptLevel,
    pub district: Option<String>,
}

/// Parse and validate the input into the engine's application (id set later).
pub async fn parse_application(
    db: &Db,
    lists: &ListsInForce,
    who: &Applicant,
    n: &NewApplication,
    today: Date,
) -> Result<Application> {
    let department = if n.department.trim().is_empty() { who.department.trim() } else { n.department.trim() };
    if department.is_empty() {
        return Err(bad("department", "请填写申请部门", "the applying department is required"));
    }
    let kind: ItemType = parse_enum("kind", &n.kind, "请选择事项类型", "choose the item type")?;
    if n.title.trim().is_empty() {
        return Err(bad("title", "请填写事项名称", "a title is required"));
    }
    let claimed = n.claimed_entry.trim();
    let claimed_entry = if claimed.is_empty() {
        None
    } else if lists.find_code(claimed).is_some() {
        Some(claimed.to_string())
    } else {
        return Err(bad(
            "claimed_entry",
            format!("现行清单中没有编号为{claimed}的事项"),
            format!("no entry {claimed} in the lists in force"),
        ));
    };
    let targets = match n.targets.trim() {
        "" => return Err(bad("targets", "请选择涉及的社区", "choose the target communities")),
        "all" => Targets::All,
        list => {
            let mut codes = Vec::new();
            for c in list.split([',', '，', ' ']).map(str::trim).filter(|c| !c.is_empty()) {
                let com = crate::structure::community(db, c).await.map_err(|e| match e {
                    StoreError::NotFound => bad("targets", format!("社区{c}不存在"), format!("no community {c}")),
                    e => e,
                })?;
                if who.level == DeptLevel::District && who.district.as_deref() != Some(com.district_code.as_str()) {
                    return Err(bad(
                        "targets",
                        format!("社区{c}不在本区"),
                        format!("community {c} is outside your district"),
                    ));
                }
                codes.push(com.code);
            }
            if codes.is_empty() {
                return Err(bad("targets", "请选择涉及的社区", "choose the target communities"));
            }
            Targets::List(codes)
        }
    };
    let start = match n.start.trim() {
        "" => today,
        s => req_date("start", s)?,
    };
    let duration_days = pos_int("duration_days", &n.duration_days, 3650)? as u32;
    let units = match n.units.trim() {
        "" => Units::None,
        u => Units::Uniform(pos_int("units", u, 10_000_000)?),
    };
    let funding = match n.funding_yuan.trim() {
        "" => None,
        a => {
            let amount_fen = parse_yuan("funding_yuan", a)?;
            let basis = match n.funding_basis.trim() {
                "" | "per_community_per_year" => FundingBasis::PerCommunityPerYear,
                "per_unit" => {
                    let unit = n.funding_unit.trim();
                    if unit.is_empty() {
                        return Err(bad(
                            "funding_unit",
                            "按工作量计费须写明计量单位",
                            "per-unit funding needs its unit",
                        ));
                    }
                    FundingBasis::PerUnit { unit: unit.to_string() }
                }
                _ => {
                    return Err(bad(
                        "funding_basis",
                        "经费计算方式应为每社区每年或每单位工作量",
                        "funding basis is per_community_per_year or per_unit",
                    ));
                }
            };
            if matches!(basis, FundingBasis::PerUnit { .. }) && units == Units::None {
                return Err(bad("units", "按工作量计费须申报工作量", "per-unit funding needs the units of work"));
            }
            let payer = n.paying_department.trim();
            if payer.is_empty() {
                return Err(bad("paying_department", "请填写出资部门", "name the paying department"));
            }
            Some(FundingOffer { amount_fen, basis, paying_department: payer.to_string() })
        }
    };
    let duty_holder = match n.duty_holder.trim() {
        "" | "government" => DutyHolder::Government,
        "residents_committee" => DutyHolder::ResidentsCommittee,
        _ => {
            return Err(bad(
                "duty_holder",
                "法定责任主体应为政府部门或居委会",
                "duty holder is government or residents_committee",
            ));
        }
    };
    let assessment = if kind == ItemType::Assessment {
        let origin_level: GovLevel = parse_enum(
            "assessment_origin",
            &n.assessment_origin,
            "请选择考核的发起层级",
            "choose the assessment's originating level",
        )?;
        Some(AssessmentPlan {
            origin_level,
            duration_days: pos_int("assessment_days", &n.assessment_days, 366)? as u32,
            run_by_department_alone: n.assessment_alone,
            one_vote_veto: n.assessment_veto,
            content: n
                .assessment_content
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        })
    } else {
        None
    };
    let emergency = match n.emergency.trim() {
        "" => None,
        c => {
            let category: EmergencyCategory =
                parse_enum("emergency", c, "未知的紧急事项类别", "unknown emergency category")?;
            let expires = req_date("emergency_expires", &n.emergency_expires)?;
            if expires < today {
                return Err(bad("emergency_expires", "紧急标记的有效期已过", "the emergency tag has already expired"));
            }
            Some(Emergency { category, expires })
        }
    };
    Ok(Application {
        id: String::new(),
        department: lists::Department { name: department.to_string(), level: who.level },
        kind,
        title: n.title.trim().to_string(),
        description: n.description.trim().to_string(),
        legal_basis: n.legal_basis.trim().to_string(),
        targets,
        start,
        duration_days,
        workload: Workload { description: n.workload.trim().to_string(), units },
        community_as_principal: n.community_as_principal,
        duty_holder,
        emergency,
        claimed_entry,
        funding,
        assessment,
    })
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
    let today = clock::today();
    let lists = in_force(db, today).await?;
    let mut app = parse_application(db, &lists, who, &n, today).await?;
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
    audit::append(
        &mut tx,
        Entry {
            actor: &who.actor,
            action: "access.file",
            entity: "access_application",
            entity_id: &id.to_string(),
            community_code: None,
            district_code: who.district.as_deref(),
            change: json!({ "application": app, "verdict": verdict, "status": status }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Filed { application: row, report })
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
    audit::append(
        tx,
        Entry {
            actor,
            action,
            entity: "access_application",
            entity_id: &id.to_string(),
            community_code: None,
            district_code: district,
            change,
        },
    )
    .await?;
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
            "INSERT INTO community_tasks (community_code, district_code, application_id, approval_number, approved_on, expires_on, emergency, department, item_type, title, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, $12) RETURNING *",
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
