//! Performance and payment (§5.8): service records entered by the provider and
//! confirmed by the community, mid-term and final evaluations by the community and
//! residents, and payments posted through the ledger in the same transaction
//! (the community's service-purchase fund, `ledger::flows::reimbursement`).

use super::*;
use crate::finance::{self, Writer};
use ledger::FundClass;
use rules::orgs::purchase::{self as pur, PaymentState};

words! {
    pub enum RecordStatus, "service record status" {
        Reported => "reported",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ServiceRecord {
    pub id: i64,
    pub project_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub done_on: String,
    pub visits: i64,
    pub hours: i64,
    pub people: i64,
    pub note: String,
    pub status: RecordStatus,
    pub reported_by: String,
    pub reported_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
}

impl ServiceRecord {
    pub fn quantity(&self, m: Measure) -> i64 {
        match m {
            Measure::Visits => self.visits,
            Measure::Hours => self.hours,
            Measure::People => self.people,
        }
    }
}

pub async fn record(db: &Db, id: i64) -> Result<ServiceRecord> {
    sqlx::query_as("SELECT * FROM purchase_records WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn records(db: &Db, project_id: i64) -> Result<Vec<ServiceRecord>> {
    Ok(sqlx::query_as("SELECT * FROM purchase_records WHERE project_id = $1 ORDER BY done_on, id")
        .bind(project_id)
        .fetch_all(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewRecord {
    #[serde(default)]
    pub done_on: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub visits: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub hours: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub people: Option<String>,
    #[serde(default)]
    pub note: String,
}

fn whole(c: &mut Check, field: &str, s: Option<&str>) -> i64 {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(v) if v >= 0 => v,
            _ => {
                c.add(field, Msg::new("应为非负整数", "a whole number, not negative"));
                0
            }
        },
    }
}

/// The provider enters a service record of a contracted project, inside the contract's term.
pub async fn report_service(db: &Db, actor: &str, project_id: i64, n: NewRecord) -> Result<ServiceRecord> {
    let p = project(db, project_id).await?;
    let mut c = Check::default();
    let on = c.date("done_on", &n.done_on);
    let (v, h, pp) = (
        whole(&mut c, "visits", n.visits.as_deref()),
        whole(&mut c, "hours", n.hours.as_deref()),
        whole(&mut c, "people", n.people.as_deref()),
    );
    if v + h + pp == 0 {
        c.add("visits", Msg::new("请填写服务人次、小时或人数", "record visits, hours or people served"));
    }
    if p.status != ProjectStatus::Contracted {
        c.add("done_on", Msg::new("项目尚未签订合同", "the project has no contract yet"));
    } else if let (Some(d), Some(f), Some(t)) =
        (on, p.term_from.as_deref().and_then(clock::parse_date), p.term_to.as_deref().and_then(clock::parse_date))
        && (d < f || d > t)
    {
        c.add(
            "done_on",
            Msg::new(format!("服务日期应在合同期限{f}至{t}之内"), format!("the date falls in the term {f} to {t}")),
        );
    }
    c.done()?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_records (project_id, community_code, district_code, done_on, visits, hours, people, note, status, reported_by, reported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'reported', $9, $10) RETURNING id",
    )
    .bind(project_id)
    .bind(&p.community_code)
    .bind(&p.district_code)
    .bind(on.map(|d| d.to_string()).unwrap_or_default())
    .bind(v)
    .bind(h)
    .bind(pp)
    .bind(n.note.trim())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "purchase.record",
        "purchase_record",
        id,
        (&p.community_code, &p.district_code),
        json!({ "project": project_id, "visits": v, "hours": h, "people": pp }),
    )
    .await?;
    tx.commit().await?;
    record(db, id).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecordDecision {
    /// confirm | reject
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// The community confirms a reported record, or rejects it with a reason.
pub async fn decide_record(db: &Db, actor: &str, id: i64, d: RecordDecision) -> Result<ServiceRecord> {
    let r = record(db, id).await?;
    let to = match d.decision.trim() {
        "confirm" => RecordStatus::Confirmed,
        "reject" => RecordStatus::Rejected,
        _ => return Err(bad("decision", "请选择确认或不予确认", "choose confirm or reject")),
    };
    if to == RecordStatus::Rejected && d.note.trim().is_empty() {
        return Err(bad("note", "不予确认须说明理由", "a rejection needs a reason"));
    }
    let mut tx = db.begin().await?;
    let n = sqlx::query("UPDATE purchase_records SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5 AND status = 'reported'")
        .bind(to.word())
        .bind(actor)
        .bind(clock::now_text())
        .bind(d.note.trim())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(bad("decision", "该服务记录已处理", "this record was already decided"));
    }
    audit_write(
        &mut tx,
        actor,
        "purchase.record.decide",
        "purchase_record",
        id,
        (&r.community_code, &r.district_code),
        json!({ "status": to, "note": d.note.trim() }),
    )
    .await?;
    tx.commit().await?;
    record(db, id).await
}

words! {
    pub enum Stage, "evaluation stage" {
        Mid => "mid",
        Final => "final",
    }
}

words! {
    pub enum Evaluator, "evaluator" {
        Community => "community",
        Residents => "residents",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PurchaseEvaluation {
    pub id: i64,
    pub project_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub stage: Stage,
    pub evaluator: Evaluator,
    pub score: i64,
    pub passed: i64,
    pub comments: String,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPurchaseEvaluation {
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub evaluator: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub score: Option<String>,
    #[serde(default)]
    pub comments: String,
}

/// The pass mark of an evaluation (out of 100).
pub const PASS_MARK: i64 = 60;

/// The community records a mid-term or final evaluation, its own or the residents'.
pub async fn evaluate_project(
    db: &Db,
    actor: &str,
    project_id: i64,
    n: NewPurchaseEvaluation,
) -> Result<PurchaseEvaluation> {
    let p = project(db, project_id).await?;
    let mut c = Check::default();
    let stage: Option<Stage> = c.word("stage", &n.stage, "请选择中期或终期", "choose mid or final");
    let evaluator: Option<Evaluator> = c.word("evaluator", &n.evaluator, "请选择评价方", "choose who evaluates");
    let score = whole(&mut c, "score", n.score.as_deref());
    if n.score.as_deref().is_none_or(|s| s.trim().is_empty()) || score > 100 {
        c.add("score", Msg::new("评分应为0至100的整数", "the score is a whole number from 0 to 100"));
    }
    let comments = c.text("comments", &n.comments, 1000, "请填写评价意见", "comments are required");
    if p.status != ProjectStatus::Contracted {
        c.add("stage", Msg::new("项目尚未签订合同", "the project has no contract yet"));
    }
    c.done()?;
    let (Some(stage), Some(evaluator)) = (stage, evaluator) else {
        return Err(bad("stage", "输入有误", "invalid input"));
    };
    let passed = score >= PASS_MARK;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_evaluations (project_id, community_code, district_code, stage, evaluator, score, passed, comments, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(project_id)
    .bind(&p.community_code)
    .bind(&p.district_code)
    .bind(stage.word())
    .bind(evaluator.word())
    .bind(score)
    .bind(i64::from(passed))
    .bind(&comments)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "purchase.evaluate",
        "purchase_project",
        project_id,
        (&p.community_code, &p.district_code),
        json!({ "stage": stage, "evaluator": evaluator, "score": score }),
    )
    .await?;
    tx.commit().await?;
    Ok(sqlx::query_as("SELECT * FROM purchase_evaluations WHERE id = $1").bind(id).fetch_one(&db.pool).await?)
}

pub async fn evaluations(db: &Db, project_id: i64) -> Result<Vec<PurchaseEvaluation>> {
    Ok(sqlx::query_as("SELECT * FROM purchase_evaluations WHERE project_id = $1 ORDER BY id")
        .bind(project_id)
        .fetch_all(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Payment {
    pub id: i64,
    pub project_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub amount_fen: i64,
    pub paid_on: String,
    pub fin_tx_id: i64,
    pub created_by: String,
    pub created_at: String,
}

pub async fn payments(db: &Db, project_id: i64) -> Result<Vec<Payment>> {
    Ok(sqlx::query_as("SELECT * FROM purchase_payments WHERE project_id = $1 ORDER BY id")
        .bind(project_id)
        .fetch_all(&db.pool)
        .await?)
}

/// Where a project's money stands (§5.8), from its records, evaluations and payments.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub price_fen: i64,
    pub target_quantity: i64,
    pub confirmed_quantity: i64,
    pub earned_fen: i64,
    pub paid_fen: i64,
    /// The community's final evaluations all passed (None: none yet).
    pub final_passed: Option<bool>,
}

pub async fn standing(db: &Db, p: &Project) -> Result<Standing> {
    let confirmed: i64 = records(db, p.id)
        .await?
        .iter()
        .filter(|r| r.status == RecordStatus::Confirmed)
        .map(|r| r.quantity(p.measure))
        .sum();
    let paid: i64 = payments(db, p.id).await?.iter().map(|x| x.amount_fen).sum();
    let finals: Vec<bool> =
        evaluations(db, p.id).await?.iter().filter(|e| e.stage == Stage::Final).map(|e| e.passed == 1).collect();
    let final_passed = if finals.is_empty() { None } else { Some(finals.iter().all(|x| *x)) };
    Ok(Standing {
        price_fen: p.price_fen,
        target_quantity: p.target_quantity,
        confirmed_quantity: confirmed,
        earned_fen: pur::earned(p.price_fen, p.target_quantity, confirmed),
        paid_fen: paid,
        final_passed,
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPayment {
    /// Yuan.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub amount: Option<String>,
    #[serde(default)]
    pub paid_on: String,
}

/// The community pays an instalment from its service-purchase fund (§5.8): never above the
/// contract, only against confirmed records, the last only after a passed final evaluation;
/// posted through the ledger in the same transaction as the payment row and its audit entry.
pub async fn pay(db: &Db, actor: &str, project_id: i64, n: NewPayment) -> Result<Payment> {
    let p = project(db, project_id).await?;
    let mut c = Check::default();
    let amount = yuan_field(&mut c, "amount", n.amount.as_deref());
    let on = c.date("paid_on", &n.paid_on);
    if p.status != ProjectStatus::Contracted {
        c.add("amount", Msg::new("项目尚未签订合同", "the project has no contract yet"));
    }
    c.done()?;
    let on = on.map(|d| d.to_string()).unwrap_or_default();
    let mut w = Writer::begin(db).await?;
    // Read where the money stands after taking the books' lock: two payments cannot both pass.
    let s = standing(db, &p).await?;
    let state = PaymentState {
        price: s.price_fen,
        target_quantity: s.target_quantity,
        confirmed_quantity: s.confirmed_quantity,
        paid: s.paid_fen,
        final_passed: s.final_passed,
    };
    pur::rule_5_8_payment(state, amount).map_err(|m| refused("amount", m))?;
    let date: ledger::Date = on.parse().map_err(|_| bad("paid_on", "日期无效", "invalid date"))?;
    let payee = match p.provider_org_id {
        Some(o) => format!("org-{o}"),
        None => format!("purchase-{}", p.id),
    };
    let flow = ledger::flows::reimbursement(&ledger::flows::Reimbursement {
        meta: ledger::flows::Meta {
            key: format!("purchase-{}-{}", p.id, s.paid_fen + amount),
            date,
            memo: format!("政府购买服务：{}（{}）", p.title, p.provider_name.clone().unwrap_or_default()),
            reference: Some(format!("购买服务项目#{}", p.id)),
        },
        district_code: p.district_code.clone(),
        community_code: p.community_code.clone(),
        fund: FundClass::ServicePurchase,
        payee,
        amount,
        settlement: ledger::flows::Settlement::Bank,
        expense_chart: None,
    })
    .map_err(finance::refusal)?;
    let (t, created) = w.post(actor, flow).await?;
    if !created {
        return Err(bad("amount", "该笔付款已入账", "this instalment was already posted"));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_payments (project_id, community_code, district_code, amount_fen, paid_on, fin_tx_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.id)
    .bind(&p.community_code)
    .bind(&p.district_code)
    .bind(amount)
    .bind(&on)
    .bind(t.0 as i64)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *w.tx)
    .await?;
    audit_write(
        &mut w.tx,
        actor,
        "purchase.pay",
        "purchase_project",
        p.id,
        (&p.community_code, &p.district_code),
        json!({ "payment": id, "amount_fen": amount, "fin_tx": t.0 }),
    )
    .await?;
    w.commit().await?;
    Ok(sqlx::query_as("SELECT * FROM purchase_payments WHERE id = $1").bind(id).fetch_one(&db.pool).await?)
}
