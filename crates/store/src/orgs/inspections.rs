//! The annual inspection (年检): the district opens a year for its registered
//! organisations, an organisation files its annual report, the district decides;
//! reminders go out through the outbox; overdue is computed from the due date.

use super::*;
use crate::Capped;
use crate::outbox::{To, notify_as};

use rules::orgs::inspection::{self as insp, Status};
use time::Date;

/// The outbox kind of an annual-inspection reminder (its own template).
const INSPECTION: (&str, bool) = ("inspection", false);

words! {
    /// What happened to an inspection (overdue is computed, see [`Inspection::shown`]).
    pub enum InspectionStatus, "inspection status" {
        Due => "due",
        Submitted => "submitted",
        Passed => "passed",
        Failed => "failed",
    }
}

impl InspectionStatus {
    pub fn engine(self) -> Status {
        match self {
            InspectionStatus::Due => Status::Due,
            InspectionStatus::Submitted => Status::Submitted,
            InspectionStatus::Passed => Status::Passed,
            InspectionStatus::Failed => Status::Failed,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Inspection {
    pub id: i64,
    pub org_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub year: i64,
    pub due_on: String,
    pub status: InspectionStatus,
    pub report: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: String,
    pub reminded_on: Option<String>,
    pub overdue_reminded_on: Option<String>,
    pub org_name: String,
}

impl Inspection {
    /// What it shows on `today` (a due one past its date is overdue).
    pub fn shown(&self, today: Date) -> Status {
        match clock::parse_date(&self.due_on) {
            Some(due) => insp::status(self.status.engine(), due, today),
            None => self.status.engine(),
        }
    }
}

const SELECT: &str = "SELECT i.*, o.name AS org_name FROM org_inspections i JOIN orgs o ON o.id = i.org_id";

pub async fn inspection(db: &Db, id: i64) -> Result<Inspection> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE i.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Inspections in scope (of one organisation when `org` is given), latest year first.
pub async fn inspections(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    org: Option<i64>,
) -> Result<Capped<Inspection>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE (CAST($1 AS TEXT) IS NULL OR i.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR i.district_code = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR i.org_id = $3) ORDER BY i.year DESC, i.community_code, o.name{}",
        crate::capped::limit(1000)
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(org)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 1000))
}

/// Inspections overdue on `today` in scope (of one organisation when `org` is
/// given), the longest overdue first. Read on their own, not from the listing,
/// whose cut would hide an old year's overdue report behind newer years. The
/// engine's rule (`shown`) decides; the date in the query (due before today,
/// the same rule) only keeps the cut to overdue ones.
pub async fn overdue(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    org: Option<i64>,
    today: Date,
) -> Result<Capped<Inspection>> {
    let rows: Vec<Inspection> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE i.status = 'due' AND i.due_on < $4 AND (CAST($1 AS TEXT) IS NULL OR i.community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR i.district_code = $2) AND (CAST($3 AS BIGINT) IS NULL OR i.org_id = $3) \
         ORDER BY i.due_on, i.id{}",
        crate::capped::limit(1000)
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(org)
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 1000).filter(|i| i.shown(today) == Status::Overdue))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenYear {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub year: Option<String>,
}

/// The district opens year `year`'s inspection for each of its registered organisations
/// (one per organisation and year; those already open are left as they are). Returns how many opened.
pub async fn open_year(db: &Db, actor: &str, district: &str, n: OpenYear) -> Result<u64> {
    let year: i32 = n
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| bad("year", "请填写年度", "the year is required"))?;
    let s = settings(db, district).await?;
    let due = clock::parse_date(&format!("{year}-{}", s.inspection_due))
        .ok_or_else(|| bad("year", "年检截止日设置无效", "the inspection due day setting is invalid"))?;
    let mut tx = db.begin().await?;
    let orgs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, community_code FROM orgs o WHERE district_code = $1 AND tier = 'registered' \
         AND NOT EXISTS (SELECT 1 FROM org_inspections i WHERE i.org_id = o.id AND i.year = $2) ORDER BY id",
    )
    .bind(district)
    .bind(i64::from(year))
    .fetch_all(&mut *tx)
    .await?;
    for (id, community) in &orgs {
        sqlx::query(
            "INSERT INTO org_inspections (org_id, community_code, district_code, year, due_on, status) VALUES ($1, $2, $3, $4, $5, 'due')",
        )
        .bind(id)
        .bind(community)
        .bind(district)
        .bind(i64::from(year))
        .bind(due.to_string())
        .execute(&mut *tx)
        .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "orgs.inspection.open",
        "district",
        0,
        (None, district),
        json!({ "year": year, "due": due.to_string(), "opened": orgs.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(orgs.len() as u64)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnnualReport {
    #[serde(default)]
    pub report: String,
}

/// The organisation files its annual report (late is allowed and shows).
pub async fn submit_report(db: &Db, actor: &str, id: i64, n: AnnualReport) -> Result<Inspection> {
    let i = inspection(db, id).await?;
    let mut c = Check::default();
    let report = c.text("report", &n.report, 4000, "请填写年度工作报告", "the annual report is required");
    c.done()?;
    insp::rule_inspection_submit(i.status.engine()).map_err(|m| refused("report", m))?;
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE org_inspections SET status = 'submitted', report = $1, submitted_by = $2, submitted_at = $3 WHERE id = $4 AND status = 'due'",
    )
    .bind(&report)
    .bind(actor)
    .bind(clock::now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(bad("report", "本年度年检已提交", "this year's report was already submitted"));
    }
    audit_write(
        &mut tx,
        actor,
        "orgs.inspection.submit",
        "org_inspection",
        id,
        (&i.community_code, &i.district_code),
        json!({ "year": i.year }),
    )
    .await?;
    tx.commit().await?;
    inspection(db, id).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionDecision {
    /// pass | fail
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// The district decides a submitted report: passed, or failed with a reason.
pub async fn decide_inspection(db: &Db, actor: &str, id: i64, d: InspectionDecision) -> Result<Inspection> {
    let i = inspection(db, id).await?;
    let pass = match d.decision.trim() {
        "pass" => true,
        "fail" => false,
        _ => return Err(bad("decision", "请选择合格或不合格", "choose pass or fail")),
    };
    let to = insp::rule_inspection_decide(i.status.engine(), pass, &d.note).map_err(|m| refused("note", m))?;
    // §5.15: a social group passes only with the members its district asks for, as the members table has them.
    if pass && let Err(m) = thresholds_held(db, &org(db, i.org_id).await?).await? {
        return Err(refused("decision", m));
    }
    let word = if to == Status::Passed { "passed" } else { "failed" };
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE org_inspections SET status = $1, decided_by = $2, decided_at = $3, note = $4 WHERE id = $5 AND status = 'submitted'",
    )
    .bind(word)
    .bind(actor)
    .bind(clock::now_text())
    .bind(d.note.trim())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(bad("decision", "该年检已审核", "this inspection was already decided"));
    }
    audit_write(
        &mut tx,
        actor,
        "orgs.inspection.decide",
        "org_inspection",
        id,
        (&i.community_code, &i.district_code),
        json!({ "status": word, "note": d.note.trim() }),
    )
    .await?;
    tx.commit().await?;
    inspection(db, id).await
}

/// Reminders sent by one sweep.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reminded {
    pub due: u64,
    pub overdue: u64,
}

/// Claims the one reminder of `stage` for an inspection: true if this call's row went in
/// (the key (inspection, stage) of `org_inspection_reminders`; a second process, or a second
/// sweep, finds the row there and sends nothing).
async fn claim_reminder(tx: &mut crate::Tx, id: i64, stage: &str, today: Date) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO org_inspection_reminders (inspection_id, stage, sent_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(stage)
    .bind(today.to_string())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Queue reminders in the outbox: once when a report falls due within the district's lead days
/// (to the organisation), once when it is overdue (to the organisation and its community's staff).
/// Idempotent across sweeps and processes: each inspection is reminded at most once of each
/// stage ([`claim_reminder`]). Writes (and audits) nothing when nothing is due.
pub async fn remind(db: &Db, actor: &str, district: &str, today: Date) -> Result<Reminded> {
    let s = settings(db, district).await?;
    // Every inspection still due and not yet reminded of both stages, however many: the
    // listing (`inspections`) stops at 1,000 rows, and those past it would never be reminded.
    let list: Vec<Inspection> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE i.district_code = $1 AND i.status = 'due' \
         AND (i.reminded_on IS NULL OR i.overdue_reminded_on IS NULL) ORDER BY i.due_on, i.id"
    )))
    .bind(district)
    .fetch_all(&db.pool)
    .await?;
    let mut todo = Vec::new();
    for i in &list {
        let Some(due) = clock::parse_date(&i.due_on) else { continue };
        if insp::status(Status::Due, due, today) == Status::Overdue {
            if i.overdue_reminded_on.is_none() {
                todo.push((i, "overdue"));
            }
        } else if i.reminded_on.is_none() && insp::reminder_due(Status::Due, due, today, s.reminder_days) {
            todo.push((i, "due"));
        }
    }
    let mut r = Reminded::default();
    if todo.is_empty() {
        return Ok(r);
    }
    let mut tx = db.begin().await?;
    for (i, stage) in todo {
        if !claim_reminder(&mut tx, i.id, stage, today).await? {
            continue;
        }
        let scope = (i.community_code.as_str(), i.district_code.as_str());
        let org_to = format!("org:{}", i.org_id);
        let to = To { kind: "org", recipient: &org_to, channel: "app" };
        if stage == "overdue" {
            let zh = format!("{}的{}年度年检报告已逾期（截止{}），请尽快提交", i.org_name, i.year, i.due_on);
            let en = format!("{}'s {} annual report is overdue (due {}); file it now", i.org_name, i.year, i.due_on);
            notify_as(&mut tx, scope, None, to, INSPECTION, &zh, &en).await?;
            let staff = format!("community:{}", i.community_code);
            let staff_to = To { kind: "staff", recipient: &staff, channel: "app" };
            notify_as(&mut tx, scope, None, staff_to, INSPECTION, &zh, &en).await?;
            sqlx::query("UPDATE org_inspections SET overdue_reminded_on = $1 WHERE id = $2")
                .bind(today.to_string())
                .bind(i.id)
                .execute(&mut *tx)
                .await?;
            r.overdue += 1;
        } else {
            let zh = format!("{}的{}年度年检报告请于{}前提交", i.org_name, i.year, i.due_on);
            let en = format!("{}'s {} annual report is due by {}", i.org_name, i.year, i.due_on);
            notify_as(&mut tx, scope, None, to, INSPECTION, &zh, &en).await?;
            sqlx::query("UPDATE org_inspections SET reminded_on = $1 WHERE id = $2")
                .bind(today.to_string())
                .bind(i.id)
                .execute(&mut *tx)
                .await?;
            r.due += 1;
        }
    }
    if r.due + r.overdue == 0 {
        tx.rollback().await?;
        return Ok(r);
    }
    audit_write(
        &mut tx,
        actor,
        "orgs.inspection.remind",
        "district",
        0,
        (None, district),
        json!({ "on": today.to_string(), "due": r.due, "overdue": r.overdue }),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

/// The scheduled sweep of `shequ serve`: [`remind`] for every district with an inspection
/// still due, as `actor` (the server). Safe to run from several processes at once.
pub async fn remind_all(db: &Db, actor: &str, today: Date) -> Result<Reminded> {
    let districts: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT district_code FROM org_inspections WHERE status = 'due' ORDER BY district_code",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut all = Reminded::default();
    for d in districts {
        let r = remind(db, actor, &d, today).await?;
        all.due += r.due;
        all.overdue += r.overdue;
    }
    Ok(all)
}
