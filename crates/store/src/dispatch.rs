//! Dispatch of a case to a service provider (派单 → 接单/拒单 → 到场 → 完成):
//! the operator offers, the provider's worker accepts or declines with a
//! reason, records arrival and completion; arrival and completion move the
//! case through the engine. Each step notifies through the [`crate::outbox`]
//! and is audited in its own transaction.

use crate::Capped;
use crate::audit::record as audit_write;
use crate::cases::{self as cs, Case, NewEvent};
use crate::error::bad;
use crate::outbox::{To, notify_as};
use crate::providers::{Provider, get};
use crate::typed::words;
use crate::{Db, Result, StoreError, Tx, clock};
use serde::{Deserialize, Serialize};
use serde_json::json;

words! {
    /// Where a dispatch stands.
    pub enum DispatchStatus, "dispatch status" {
        Offered => "offered",
        Accepted => "accepted",
        Declined => "declined",
        Arrived => "arrived",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl DispatchStatus {
    /// Offered, accepted or on site: the provider still owes the visit.
    pub fn is_live(self) -> bool {
        matches!(self, DispatchStatus::Offered | DispatchStatus::Accepted | DispatchStatus::Arrived)
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Dispatch {
    pub id: i64,
    pub case_id: i64,
    pub provider_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub status: DispatchStatus,
    pub offered_at: String,
    pub accepted_at: Option<String>,
    pub declined_at: Option<String>,
    pub decline_reason: Option<String>,
    pub arrived_at: Option<String>,
    pub completed_at: Option<String>,
    pub price_fen: i64,
    pub note: String,
}

/// A dispatch with what its lists show of the provider and the case.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DispatchView {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub dispatch: Dispatch,
    pub provider_name: String,
    pub provider_kind: String,
    pub item_code: String,
    pub item_name: String,
    pub caller_name: String,
    pub caller_phone: String,
    pub building: String,
    pub address: String,
    pub description: String,
    #[sqlx(try_from = "crate::typed::Text")]
    pub case_status: cases::Status,
}

const VIEW: &str = "SELECT d.*, p.name AS provider_name, p.kind AS provider_kind, c.item_code, i.name AS item_name, \
     c.caller_name, c.caller_phone, c.building, c.address, c.description, c.status AS case_status \
     FROM dispatches d JOIN providers p ON p.id = d.provider_id JOIN cases c ON c.id = d.case_id \
     JOIN service_items i ON i.code = c.item_code";

/// A provider's dispatches, newest first; `case_id` narrows to one case.
pub async fn for_provider(db: &Db, provider_id: i64, case_id: Option<i64>) -> Result<Capped<DispatchView>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW} WHERE d.provider_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR d.case_id = $2) ORDER BY d.id DESC{}",
        crate::capped::limit(200)
    )))
    .bind(provider_id)
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 200))
}

/// Dispatches in a staff scope, newest first; `case_id` narrows to one case.
pub async fn in_scope(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    case_id: Option<i64>,
) -> Result<Capped<DispatchView>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW} WHERE (CAST($1 AS TEXT) IS NULL OR d.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR d.district_code = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR d.case_id = $3) ORDER BY d.id DESC{}",
        crate::capped::limit(200)
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 200))
}

pub async fn dispatch(db: &Db, id: i64) -> Result<Dispatch> {
    sqlx::query_as("SELECT * FROM dispatches WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewDispatch {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub provider_id: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Where the resident hears about their case: the caller's phone, else the
/// registered resident's phone; nobody when neither is known.
async fn resident_phone(tx: &mut Tx, c: &Case) -> Result<Option<String>> {
    if !c.caller_phone.is_empty() {
        return Ok(Some(c.caller_phone.clone()));
    }
    let Some(rid) = c.resident_id else { return Ok(None) };
    let p: Option<String> =
        sqlx::query_scalar("SELECT phone FROM residents WHERE id = $1").bind(rid).fetch_optional(&mut **tx).await?;
    Ok(p.filter(|p| !p.is_empty()))
}

fn sms(phone: &str) -> To<'_> {
    To { kind: "resident", recipient: phone, channel: "sms" }
}

/// Offers a case to a provider: the case must be open and led by a provider
/// queue or the community's own team, the provider active, of the type the
/// queue asks for and serving the case's district; one live dispatch per case.
pub async fn offer(db: &Db, actor: &str, case_id: i64, n: NewDispatch) -> Result<Dispatch> {
    let c = cs::case(db, case_id).await?;
    let pid = n.provider_id.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    let Some(pid) = pid else { return Err(bad("provider_id", "请选择服务商", "choose a provider")) };
    let p = get(db, pid).await.map_err(|e| match e {
        StoreError::NotFound => bad("provider_id", "未知的服务商", "unknown provider"),
        e => e,
    })?;
    if !matches!(c.status, cases::Status::Routed | cases::Status::InProgress) {
        return Err(bad(
            "case",
            "只有已分派或办理中的案件可以派单",
            "only a routed or in-progress case can be dispatched",
        ));
    }
    let queue = c.lead_queue.clone().unwrap_or_default();
    if !(queue.starts_with("provider:") || queue == format!("community:{}", c.community_code)) {
        return Err(bad(
            "case",
            "该案件由部门承办，不能派给服务商",
            "a department's case is not dispatched to providers",
        ));
    }
    if p.active != 1 {
        return Err(bad("provider_id", "该服务商已停用", "this provider is inactive"));
    }
    if p.district_code != c.district_code {
        return Err(bad("provider_id", "该服务商不服务本区", "this provider does not serve the case's district"));
    }
    if let Some(t) = queue.strip_prefix("provider:")
        && t != p.provider_type
    {
        return Err(bad(
            "provider_id",
            format!("该事项须由“{t}”承办"),
            format!("this item is handled by a provider of type {t}"),
        ));
    }
    if queue.starts_with("community:") && !crate::providers::candidates(db, &c).await?.iter().any(|x| x.id == p.id) {
        return Err(bad("provider_id", "该服务商不承办此类事项", "this provider does not take this kind of item"));
    }
    if n.note.chars().count() > 500 {
        return Err(bad("note", "备注不能超过500字", "at most 500 characters"));
    }
    let it = cs::item(db, &c.item_code).await?;
    let price = if p.is_market() { p.prices().get(&c.item_code).copied().unwrap_or(it.fee_fen) } else { 0 };
    let mut tx = db.begin().await?;
    let live: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM dispatches WHERE case_id = $1 AND status IN ('offered', 'accepted', 'arrived')",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await?;
    if live.is_some() {
        return Err(bad("provider_id", "该案件已有进行中的派单", "the case already has a live dispatch"));
    }
    let d: Dispatch = sqlx::query_as(
        "INSERT INTO dispatches (case_id, provider_id, community_code, district_code, status, offered_at, price_fen, note) \
         VALUES ($1, $2, $3, $4, 'offered', $5, $6, $7) RETURNING *",
    )
    .bind(case_id)
    .bind(pid)
    .bind(&c.community_code)
    .bind(&c.district_code)
    .bind(clock::now_text())
    .bind(price)
    .bind(n.note.trim())
    .fetch_one(&mut *tx)
    .await?;
    let scope = (c.community_code.as_str(), c.district_code.as_str());
    let place = format!("{}{}", c.building, c.address);
    notify_as(
        &mut tx,
        scope,
        Some(case_id),
        To { kind: "provider", recipient: &format!("provider:{pid}"), channel: "app" },
        ("dispatch", false),
        &format!("新派单#{}：{}，{}，联系人{}，请及时接单。", d.id, it.name, place, c.caller_name),
        &format!(
            "New dispatch #{}: {} at {}, contact {}. Please accept or decline.",
            d.id, it.code, place, c.caller_name
        ),
    )
    .await?;
    audit_write(
        &mut tx,
        actor,
        "dispatch.offer",
        "dispatch",
        d.id,
        scope,
        json!({ "case": case_id, "provider": pid, "price_fen": price }),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

/// This provider's dispatch; another provider's answers "not found".
async fn mine(db: &Db, provider: &Provider, id: i64) -> Result<Dispatch> {
    let d = dispatch(db, id).await?;
    if d.provider_id != provider.id {
        return Err(StoreError::NotFound);
    }
    Ok(d)
}

fn moved(field: &str) -> StoreError {
    bad(field, "派单状态已变化，请刷新", "the dispatch has moved on; reload")
}

fn need(d: &Dispatch, from: &[DispatchStatus], zh: &str, en: &str) -> Result<()> {
    if from.contains(&d.status) { Ok(()) } else { Err(bad("status", zh, en)) }
}

/// Moves a dispatch from `from` to `to` (stamping `<to>_at`), tells the
/// resident, and writes the audit entry: one transaction.
async fn step(
    db: &Db,
    actor: &str,
    c: &Case,
    id: i64,
    action: &str,
    (from, to): (DispatchStatus, DispatchStatus),
    (zh, en): (String, String),
) -> Result<Dispatch> {
    let mut tx = db.begin().await?;
    // `from` and `to` are statuses' fixed words, never input.
    let sql =
        format!("UPDATE dispatches SET status = '{to}', {to}_at = $1 WHERE id = $2 AND status = '{from}' RETURNING *");
    let d: Dispatch = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(clock::now_text())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| moved("status"))?;
    let scope = (c.community_code.as_str(), c.district_code.as_str());
    if let Some(phone) = resident_phone(&mut tx, c).await? {
        notify_as(&mut tx, scope, Some(c.id), sms(&phone), ("case_update", false), &zh, &en).await?;
    }
    audit_write(&mut tx, actor, action, "dispatch", id, scope, json!({ "case": c.id })).await?;
    tx.commit().await?;
    Ok(d)
}

/// The provider takes the job; the resident hears who is coming.
pub async fn accept(db: &Db, actor: &str, provider: &Provider, id: i64) -> Result<Dispatch> {
    let d = mine(db, provider, id).await?;
    need(&d, &[DispatchStatus::Offered], "只能接受待接单的派单", "only an offered dispatch can be accepted")?;
    let c = cs::case(db, d.case_id).await?;
    let notice = (
        format!("您的诉求（案件#{}）已由{}接单，服务电话{}，将尽快上门。", c.id, provider.name, provider.phone),
        format!(
            "Your request (case #{}) was accepted by {}, phone {}; they will come soon.",
            c.id, provider.name, provider.phone
        ),
    );
    step(db, actor, &c, id, "dispatch.accept", (DispatchStatus::Offered, DispatchStatus::Accepted), notice).await
}

/// The provider refuses, with a reason; the case stays in its queue to be
/// dispatched again, and the community's staff are told.
pub async fn decline(db: &Db, actor: &str, provider: &Provider, id: i64, reason: &str) -> Result<Dispatch> {
    let d = mine(db, provider, id).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(bad("reason", "请填写拒单理由（不超过500字）", "a reason of at most 500 characters is required"));
    }
    need(
        &d,
        &[DispatchStatus::Offered, DispatchStatus::Accepted],
        "已到场或已结束的派单不能拒绝",
        "a dispatch on site or finished cannot be declined",
    )?;
    let mut tx = db.begin().await?;
    let d: Dispatch = sqlx::query_as(
        "UPDATE dispatches SET status = 'declined', declined_at = $1, decline_reason = $2 \
         WHERE id = $3 AND status IN ('offered', 'accepted') RETURNING *",
    )
    .bind(clock::now_text())
    .bind(reason)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| moved("status"))?;
    let scope = (d.community_code.as_str(), d.district_code.as_str());
    notify_as(
        &mut tx,
        scope,
        Some(d.case_id),
        To { kind: "staff", recipient: &format!("community:{}", d.community_code), channel: "app" },
        ("dispatch", false),
        &format!("{}拒绝了案件#{}的派单：{}。请重新派单。", provider.name, d.case_id, reason),
        &format!("{} declined case #{}: {}. Please dispatch it again.", provider.name, d.case_id, reason),
    )
    .await?;
    audit_write(
        &mut tx,
        actor,
        "dispatch.decline",
        "dispatch",
        id,
        scope,
        json!({ "case": d.case_id, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

/// Arrival and completion touch two records: the case's history (through
/// `cases::apply`, which runs its own transaction, replays, lets the engine
/// decide and audits) and the dispatch row. They run as two transactions in
/// that order: the engine is the authority, so a refusal there writes
/// nothing at all; the dispatch row (with its notice and audit entry) is
/// written last. Should that second write fail, the case has moved but the
/// dispatch has not, and repeating the action completes it: a second arrival
/// is legal in the engine, and `complete` skips the engine for a case that is
/// already resolved.
async fn engine(db: &Db, actor: &str, case_id: i64, event: &str, reason: &str) -> Result<Case> {
    cs::apply(
        db,
        actor,
        cases::Role::Provider,
        case_id,
        NewEvent { event: event.into(), reason: reason.into(), ..Default::default() },
    )
    .await
}

/// The provider is on site: the case goes in progress (engine `arrive`).
pub async fn arrive(db: &Db, actor: &str, provider: &Provider, id: i64) -> Result<Dispatch> {
    let d = mine(db, provider, id).await?;
    need(
        &d,
        &[DispatchStatus::Accepted],
        "只能对已接单的派单登记到场",
        "only an accepted dispatch can record arrival",
    )?;
    let c = engine(db, actor, d.case_id, "arrive", "").await?;
    let notice = (
        format!("{}已到达现场为您服务（案件#{}）。", provider.name, c.id),
        format!("{} has arrived for your request (case #{}).", provider.name, c.id),
    );
    step(db, actor, &c, id, "dispatch.arrive", (DispatchStatus::Accepted, DispatchStatus::Arrived), notice).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Completion {
    #[serde(default)]
    pub summary: String,
    /// Market providers only: the price charged, in fen (default: the offer's).
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub price_fen: Option<String>,
    /// The same in yuan with at most two decimals (the page's field); wins over `price_fen`.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub price_yuan: Option<String>,
}

/// The work is done: the case is resolved with the summary (engine
/// `resolve`), the price is fixed, the resident is told.
pub async fn complete(db: &Db, actor: &str, provider: &Provider, id: i64, n: Completion) -> Result<Dispatch> {
    let d = mine(db, provider, id).await?;
    let summary = n.summary.trim();
    if summary.is_empty() || summary.chars().count() > 2000 {
        return Err(bad(
            "summary",
            "请填写办结说明（不超过2000字）",
            "a summary of at most 2000 characters is required",
        ));
    }
    let yuan = n.price_yuan.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let price = match n.price_fen.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        _ if yuan.is_some() => {
            let f = yuan.and_then(|s| ledger::Yuan::parse(s).ok()).map(ledger::Yuan::fen).filter(|f| *f >= 0);
            let f = f.ok_or_else(|| {
                bad("price_yuan", "金额应为元，最多两位小数", "the amount is yuan with at most two decimals")
            })?;
            if !provider.is_market() && f != 0 {
                return Err(bad("price_yuan", "公益服务免费", "public-welfare service is free"));
            }
            f
        }
        None => d.price_fen,
        Some(s) => {
            let f = s.parse::<i64>().ok().filter(|f| *f >= 0);
            let f = f.ok_or_else(|| {
                bad("price_fen", "价格应为不小于0的整数（分）", "price must be whole fen, not negative")
            })?;
            if !provider.is_market() && f != 0 {
                return Err(bad("price_fen", "公益服务免费", "public-welfare service is free"));
            }
            f
        }
    };
    need(&d, &[DispatchStatus::Arrived], "请先登记到场", "record the arrival first")?;
    let now = cs::case(db, d.case_id).await?;
    let c = if matches!(now.status, cases::Status::Resolved | cases::Status::Callback | cases::Status::Closed) {
        now
    } else {
        engine(db, actor, d.case_id, "resolve", summary).await?
    };
    let mut tx = db.begin().await?;
    let d: Dispatch = sqlx::query_as(
        "UPDATE dispatches SET status = 'completed', completed_at = $1, price_fen = $2 WHERE id = $3 AND status = 'arrived' RETURNING *",
    )
    .bind(clock::now_text())
    .bind(price)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| moved("status"))?;
    let scope = (c.community_code.as_str(), c.district_code.as_str());
    if let Some(phone) = resident_phone(&mut tx, &c).await? {
        let fee =
            if price > 0 { format!("，收费{}.{:02}元", price / 100, price % 100) } else { "，免费".to_string() };
        let fee_en =
            if price > 0 { format!(", charge {}.{:02} yuan", price / 100, price % 100) } else { ", free".into() };
        notify_as(
            &mut tx,
            scope,
            Some(c.id),
            sms(&phone),
            ("case_update", false),
            &format!("{}已完成服务（案件#{}）{}。社区将回访，欢迎评价。", provider.name, c.id, fee),
            &format!(
                "{} completed case #{}{}. The community will call back for your rating.",
                provider.name, c.id, fee_en
            ),
        )
        .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "dispatch.complete",
        "dispatch",
        id,
        scope,
        json!({ "case": c.id, "price_fen": price }),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}
