//! The four lists (清单) and community access approval (社区准入): persists the
//! `lists` engine's data. List versions are stored as the engine's JSON; an
//! access application is parsed into a `lists::Application`, checked by
//! `lists::check` against the lists in force, and its report stored; a city
//! civil-affairs reviewer approves (number, expiry) or rejects; approval
//! creates a task in each target community and, for funded assistance work,
//! the funding obligation (`lists::funding_obligation`) which is then posted
//! to each community's `assistance:ACC-<id>` fund through `finance::allocate`.
//! A community may refuse, in one click, a task without an approval in force
//! (`lists::may_refuse`); refusals are counted per department.

use crate::audit::{self, Entry};
use crate::budgeting::{parse_yuan, yuan};
use crate::{Db, Result, StoreError, Tx, clock};
use lists::{
    Application, AssessmentHistory, AssessmentPlan, AssessmentRecord, CheckConfig, CheckReport, DeptLevel, DutyHolder,
    Emergency, EmergencyCategory, FundingBasis, FundingOffer, GovLevel, ItemType, ListKind, ListVersion, ListsInForce,
    Targets, Units, Verdict, Workload,
};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

fn bad(field: &str, zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::invalid(field, Msg::new(zh, en))
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Config(format!("lists data: {e}"))
}

pub fn kind_code(k: ListKind) -> &'static str {
    match k {
        ListKind::Exit => "exit",
        ListKind::Duty => "duty",
        ListKind::Assistance => "assistance",
        ListKind::AssessmentAccess => "assessment_access",
    }
}

pub fn parse_kind(s: &str) -> Option<ListKind> {
    ListKind::ALL.into_iter().find(|k| kind_code(*k) == s)
}

pub fn item_type_code(t: ItemType) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn parse_enum<T: serde::de::DeserializeOwned>(field: &str, s: &str, zh: &str, en: &str) -> Result<T> {
    serde_json::from_value(json!(s.trim())).map_err(|_| bad(field, zh, en))
}

// ----- list versions ------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub kind: String,
    pub version: i64,
    pub status: String,
    pub effective_on: Option<String>,
    pub note: String,
    pub illustrative: i64,
    #[serde(skip)]
    pub data: String,
    pub created_at: String,
}

impl VersionRow {
    pub fn parse(&self) -> Result<ListVersion> {
        serde_json::from_str(&self.data).map_err(internal)
    }
}

fn status_code(v: &ListVersion) -> &'static str {
    match v.status() {
        lists::Status::Draft => "draft",
        lists::Status::Reviewed { .. } => "reviewed",
        lists::Status::Published { .. } => "published",
    }
}

/// Store a list version (the demo's or an import's). A published version is
/// never updated: storing the same kind and version again is refused.
pub async fn save_version(db: &Db, actor: &str, v: &ListVersion, illustrative: bool) -> Result<VersionRow> {
    let kind = kind_code(v.kind());
    let exists: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM list_versions WHERE kind = $1 AND version = $2")
            .bind(kind)
            .bind(i64::from(v.version()))
            .fetch_one(&db.pool)
            .await?;
    if exists > 0 {
        return Err(bad(
            "version",
            "该清单版本已存在，已发布的版本不可修改",
            "this list version exists; a published version is immutable",
        ));
    }
    let data = serde_json::to_string(v).map_err(internal)?;
    let mut tx = db.begin().await?;
    let row: VersionRow = sqlx::query_as(
        "INSERT INTO list_versions (kind, version, status, effective_on, note, illustrative, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(kind)
    .bind(i64::from(v.version()))
    .bind(status_code(v))
    .bind(v.effective().map(|d| d.to_string()))
    .bind(v.note())
    .bind(i64::from(illustrative))
    .bind(&data)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        Entry {
            actor,
            action: "lists.version.save",
            entity: "list_version",
            entity_id: &row.id.to_string(),
            community_code: None,
            district_code: None,
            change: json!({ "kind": kind, "version": v.version(), "status": row.status, "entries": v.entries().len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The demo lists of `lists::demo` (illustrative), published.
pub async fn seed_demo(db: &Db) -> Result<()> {
    for v in lists::demo::demo_lists() {
        save_version(db, "demo", &v, true).await?;
    }
    Ok(())
}

pub async fn versions(db: &Db, kind: Option<ListKind>) -> Result<Vec<VersionRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM list_versions WHERE (CAST($1 AS TEXT) IS NULL OR kind = $1) ORDER BY kind, version DESC",
    )
    .bind(kind.map(kind_code))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn version(db: &Db, kind: ListKind, version: i64) -> Result<VersionRow> {
    sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 AND version = $2")
        .bind(kind_code(kind))
        .bind(version)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The four lists in force on `date`.
pub async fn in_force(db: &Db, date: Date) -> Result<ListsInForce> {
    let rows = versions(db, None).await?;
    let parsed = rows.iter().map(VersionRow::parse).collect::<Result<Vec<_>>>()?;
    ListsInForce::in_force(parsed.iter(), date, CheckConfig::default())
        .map_err(|_| bad("lists", "四张清单尚未全部发布，无法审核准入申请", "the four lists are not all published yet"))
}

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

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AppRow {
    pub id: i64,
    pub department: String,
    pub level: String,
    pub district_code: Option<String>,
    pub item_type: String,
    pub title: String,
    /// rejected | pending | approved | refused_by_city
    pub status: String,
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
        Verdict::AutoReject => ("rejected", "auto_reject"),
        Verdict::NeedsReview => ("pending", "needs_review"),
        Verdict::PassToReviewer => ("pending", "pass_to_reviewer"),
    };
    let data = serde_json::to_string(&app).map_err(internal)?;
    let report_json = serde_json::to_string(&report).map_err(internal)?;
    let row: AppRow =
        sqlx::query_as("UPDATE access_applications SET status = $1, verdict = $2, data = $3 WHERE id = $4 RETURNING *")
            .bind(status)
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

pub async fn applications(db: &Db, district: Option<&str>, status: Option<&str>) -> Result<Vec<AppRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM access_applications WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR status = $2) ORDER BY id DESC",
    )
    .bind(district.map(str::to_string))
    .bind(status.map(str::to_string))
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
    if row.status != "pending" {
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
    .bind(plan.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default()))
    .fetch_one(&mut *tx)
    .await?;
    let emergency = app.emergency.map(|e| serde_json::to_string(&e).unwrap_or_default());
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

// ----- community tasks --------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub application_id: Option<i64>,
    pub approval_number: Option<String>,
    pub approved_on: Option<String>,
    pub expires_on: Option<String>,
    pub emergency: Option<String>,
    pub department: String,
    pub item_type: String,
    pub title: String,
    /// active | refused
    pub status: String,
    pub refusal_reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

impl TaskRow {
    /// The engine's view of the task.
    pub fn task(&self) -> lists::Task {
        let approval = self.approval_number.as_ref().map(|n| lists::Approval {
            number: n.clone(),
            application_id: self.application_id.map(app_code).unwrap_or_default(),
            approved_on: self.approved_on.as_deref().and_then(clock::parse_date).unwrap_or(Date::MIN),
            expires: self.expires_on.as_deref().and_then(clock::parse_date),
        });
        lists::Task {
            id: self.id.to_string(),
            department: self.department.clone(),
            title: self.title.clone(),
            approval,
            emergency: self.emergency.as_deref().and_then(|e| serde_json::from_str(e).ok()),
        }
    }

    /// May the community refuse it today?
    pub fn refusable(&self) -> bool {
        self.status == "active" && lists::may_refuse(&self.task(), clock::today())
    }
}

pub async fn tasks(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<TaskRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM community_tasks WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn task(db: &Db, id: i64) -> Result<TaskRow> {
    sqlx::query_as("SELECT * FROM community_tasks WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPush {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub title: String,
    /// An item type (default work_task).
    #[serde(default)]
    pub kind: String,
}

/// A department's work that reached a community without an access approval
/// (recorded so that the community can refuse it and the push is counted).
pub async fn record_push(db: &Db, actor: &str, district: Option<&str>, n: NewPush) -> Result<TaskRow> {
    let c = crate::structure::community(db, n.community.trim()).await.map_err(|e| match e {
        StoreError::NotFound => bad("community", "社区不存在", "no such community"),
        e => e,
    })?;
    if district.is_some_and(|d| d != c.district_code) {
        return Err(bad("community", "该社区不在本区", "the community is outside your district"));
    }
    let dept = n.department.trim();
    if dept.is_empty() {
        return Err(bad("department", "请填写部门", "the department is required"));
    }
    if n.title.trim().is_empty() {
        return Err(bad("title", "请填写事项名称", "a title is required"));
    }
    let kind: ItemType = match n.kind.trim() {
        "" => ItemType::WorkTask,
        k => parse_enum("kind", k, "未知的事项类型", "unknown item type")?,
    };
    let mut tx = db.begin().await?;
    let t: TaskRow = sqlx::query_as(
        "INSERT INTO community_tasks (community_code, district_code, department, item_type, title, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(dept)
    .bind(item_type_code(kind))
    .bind(n.title.trim())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        Entry {
            actor,
            action: "tasks.push",
            entity: "community_task",
            entity_id: &t.id.to_string(),
            community_code: Some(&c.code),
            district_code: Some(&c.district_code),
            change: json!(t),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Refusal {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub note: String,
}

/// The community refuses a task without an approval in force (one click);
/// the refusal is reported against the department.
pub async fn refuse(db: &Db, actor: &str, id: i64, r: Refusal) -> Result<TaskRow> {
    let t = task(db, id).await?;
    if t.status != "active" {
        return Err(bad("task", "该事项已拒绝", "the task is already refused"));
    }
    let Some(reason) = lists::refusal_reason(&t.task(), clock::today()) else {
        return Err(bad(
            "task",
            "该事项有有效的准入审批（或紧急标记），社区不能拒绝",
            "the task has an approval (or emergency tag) in force; it cannot be refused",
        ));
    };
    let reason = serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let now = clock::now_text();
    let mut tx = db.begin().await?;
    let row: TaskRow = sqlx::query_as(
        "UPDATE community_tasks SET status = 'refused', refusal_reason = $1 WHERE id = $2 AND status = 'active' RETURNING *",
    )
    .bind(&reason)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| bad("task", "该事项已拒绝", "the task is already refused"))?;
    sqlx::query(
        "INSERT INTO task_refusals (task_id, community_code, district_code, department, reason, note, refused_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(&t.community_code)
    .bind(&t.district_code)
    .bind(&t.department)
    .bind(&reason)
    .bind(r.note.trim())
    .bind(actor)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        Entry {
            actor,
            action: "tasks.refuse",
            entity: "community_task",
            entity_id: &id.to_string(),
            community_code: Some(&t.community_code),
            district_code: Some(&t.district_code),
            change: json!({ "reason": reason, "department": t.department, "note": r.note.trim() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

// ----- burden (减负) -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DeptBurden {
    pub department: String,
    pub applications: i64,
    pub rejected: i64,
    pub approved: i64,
    pub refused_pushes: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommunityBurden {
    pub community_code: String,
    pub district_code: String,
    pub active_tasks: i64,
    pub unapproved_active: i64,
    pub refused: i64,
}

/// Per department: applications, rejections, approvals and refused pushes.
pub async fn department_burden(db: &Db, district: Option<&str>) -> Result<Vec<DeptBurden>> {
    Ok(sqlx::query_as(
        "SELECT department, CAST(SUM(apps) AS BIGINT) AS applications, CAST(SUM(rej) AS BIGINT) AS rejected, \
         CAST(SUM(appr) AS BIGINT) AS approved, CAST(SUM(refs) AS BIGINT) AS refused_pushes FROM ( \
           SELECT department, 1 AS apps, CASE WHEN status = 'rejected' THEN 1 ELSE 0 END AS rej, \
                  CASE WHEN status = 'approved' THEN 1 ELSE 0 END AS appr, 0 AS refs \
             FROM access_applications WHERE status <> 'checking' AND (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
           UNION ALL \
           SELECT department, 0, 0, 0, 1 FROM task_refusals WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
         ) x GROUP BY department ORDER BY department",
    )
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

/// Per community: tasks in force, of which unapproved, and refused.
pub async fn community_burden(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
) -> Result<Vec<CommunityBurden>> {
    Ok(sqlx::query_as(
        "SELECT community_code, district_code, \
         CAST(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS BIGINT) AS active_tasks, \
         CAST(SUM(CASE WHEN status = 'active' AND approval_number IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unapproved_active, \
         CAST(SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END) AS BIGINT) AS refused \
         FROM community_tasks WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) GROUP BY community_code, district_code ORDER BY community_code",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

// ----- exchange format ----------------------------------------------------------------------

/// One list version as an XLSX workbook (the format offices exchange): one
/// row per entry with its code, title, type, legal basis, department, source
/// and the list-specific terms (funding standard in yuan, assessment caps).
pub fn version_xlsx(v: &ListVersion) -> std::result::Result<Vec<u8>, String> {
    use lists::Terms;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let ws = wb.add_worksheet();
    ws.set_name(v.kind().name().zh).map_err(e)?;
    ws.write_string(
        0,
        0,
        format!(
            "{} 第{}版 生效日期{} {}",
            v.kind().name().zh,
            v.version(),
            v.effective().map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            v.note()
        ),
    )
    .map_err(e)?;
    let header = [
        "编号",
        "事项",
        "类型",
        "法律依据",
        "责任部门",
        "来源",
        "退出范围",
        "经费标准（元）",
        "计费方式",
        "出资部门",
        "发起层级",
        "每年最多次数",
        "最长天数",
        "考核内容",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(2, i as u16, *h).map_err(e)?;
    }
    for (i, en) in v.entries().iter().enumerate() {
        let r = i as u32 + 3;
        for (c, s) in [&en.code, &en.title, en.item_type.zh(), &en.legal_basis, &en.department, &en.source]
            .into_iter()
            .enumerate()
        {
            ws.write_string(r, c as u16, s).map_err(e)?;
        }
        match &en.terms {
            Terms::Exit { scope } => {
                let s = match scope {
                    lists::ExitScope::Always => "一律取消",
                    lists::ExitScope::AsPrincipal => "不再作为责任主体",
                };
                ws.write_string(r, 6, s).map_err(e)?;
            }
            Terms::Duty => {}
            Terms::Assistance(a) => {
                ws.write_number(r, 7, a.standard_fen as f64 / 100.0).map_err(e)?;
                ws.write_string(r, 8, a.basis.describe().zh).map_err(e)?;
                ws.write_string(r, 9, &a.paying_department).map_err(e)?;
            }
            Terms::Assessment(a) => {
                let lvl = match a.origin_level {
                    GovLevel::National => "国家",
                    GovLevel::Provincial => "省",
                    GovLevel::Municipal => "市",
                    GovLevel::District => "区",
                };
                ws.write_string(r, 10, lvl).map_err(e)?;
                ws.write_number(r, 11, f64::from(a.max_times_per_year)).map_err(e)?;
                ws.write_number(r, 12, f64::from(a.max_duration_days)).map_err(e)?;
                ws.write_string(r, 13, a.content_scope.join("、")).map_err(e)?;
            }
        }
    }
    wb.save_to_buffer().map_err(e)
}

mod versions;
pub use versions::*;
