//! The 2881890 hotline's service providers (服务商): public-welfare volunteer
//! teams (公益, free) and market companies (市场化, registered with a GB 32100
//! credit code and a price list), and the dispatch of cases to them
//! (派单 → 接单/拒单 → 到场 → 完成). Each step notifies through the
//! [`crate::outbox`] in its own transaction; performance per provider is
//! computed from the dispatches and the cases' histories, never stored.

use crate::audit::record as audit_write;
use crate::cases::{self as cs, Case, NewEvent};
use crate::error::bad;
use crate::outbox::{To, notify};
use crate::{Db, Result, StoreError, Tx, clock};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Provider {
    pub id: i64,
    pub name: String,
    /// public_welfare | market
    pub kind: String,
    /// A service item's `unit_name` (unit kind `provider`), e.g. 家政服务商.
    pub provider_type: String,
    pub credit_code: Option<String>,
    pub phone: String,
    pub district_code: String,
    /// JSON object: item code → fen.
    pub price_list: String,
    pub active: i64,
    pub created_at: String,
}

impl Provider {
    pub fn prices(&self) -> BTreeMap<String, i64> {
        serde_json::from_str(&self.price_list).unwrap_or_default()
    }
    pub fn is_market(&self) -> bool {
        self.kind == "market"
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewProvider {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub provider_type: String,
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub district_code: String,
    /// An object `{"HR-004": 12000}`, or text `HR-004=12000, HR-005=3500` from a form.
    #[serde(default)]
    pub price_list: Value,
}

fn phone_ok(p: &str) -> bool {
    p.len() >= 7 && p.len() <= 20 && p.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

fn price_list(v: &Value) -> Result<BTreeMap<String, i64>> {
    let wrong =
        || bad("price_list", "价目表格式应为“事项编码=价格（分）”", "price list must be item code = price in fen");
    let mut out = BTreeMap::new();
    match v {
        Value::Null => {}
        Value::Object(m) => {
            for (k, v) in m {
                out.insert(k.trim().to_string(), v.as_i64().ok_or_else(wrong)?);
            }
        }
        Value::String(s) => {
            for part in s.split([',', '，', '\n', ';']).map(str::trim).filter(|p| !p.is_empty()) {
                let (k, v) = part.split_once('=').ok_or_else(wrong)?;
                out.insert(k.trim().to_string(), v.trim().parse::<i64>().map_err(|_| wrong())?);
            }
        }
        _ => return Err(wrong()),
    }
    if out.values().any(|f| *f <= 0) {
        return Err(bad("price_list", "价格应大于0", "a price must be positive"));
    }
    Ok(out)
}

/// Registers a provider; a market provider needs a valid GB 32100 code and
/// prices only for items of its own type, a public-welfare one is free.
pub async fn add(db: &Db, actor: &str, n: NewProvider) -> Result<Provider> {
    let name = n.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(bad("name", "请填写服务商名称（不超过100字）", "a name of at most 100 characters is required"));
    }
    if !matches!(n.kind.as_str(), "public_welfare" | "market") {
        return Err(bad("kind", "服务商类别应为公益或市场化", "kind must be public_welfare or market"));
    }
    let ptype = n.provider_type.trim();
    let items: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM service_items WHERE unit_kind = 'provider' AND unit_name = $1")
            .bind(ptype)
            .fetch_all(&db.pool)
            .await?;
    if items.is_empty() {
        return Err(bad(
            "provider_type",
            "没有由此类服务商承办的服务事项",
            "no service item is handled by this provider type",
        ));
    }
    let code = n.credit_code.trim();
    let credit = if code.is_empty() {
        if n.kind == "market" {
            return Err(bad(
                "credit_code",
                "市场化服务商须填写统一社会信用代码",
                "a market provider needs its credit code",
            ));
        }
        None
    } else {
        Some(rules::gb32100::validate(code).map_err(|m| bad("credit_code", m.zh, m.en))?)
    };
    let phone = n.phone.trim();
    if !phone_ok(phone) {
        return Err(bad("phone", "电话号码格式不正确", "not a valid phone number"));
    }
    let district = n.district_code.trim();
    let known: Option<String> = sqlx::query_scalar("SELECT code FROM districts WHERE code = $1")
        .bind(district)
        .fetch_optional(&db.pool)
        .await?;
    if known.is_none() {
        return Err(bad("district_code", "未知的区", "unknown district"));
    }
    let prices = price_list(&n.price_list)?;
    if n.kind == "public_welfare" && !prices.is_empty() {
        return Err(bad("price_list", "公益服务免费，不设价目表", "public-welfare service is free: no price list"));
    }
    if let Some(k) = prices.keys().find(|k| !items.iter().any(|(c,)| c == *k)) {
        return Err(bad(
            "price_list",
            format!("事项{k}不由此类服务商承办"),
            format!("item {k} is not handled by this provider type"),
        ));
    }
    let mut tx = db.begin().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM providers WHERE name = $1").bind(name).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(bad("name", "该服务商已登记", "this provider is already registered"));
    }
    let p: Provider = sqlx::query_as(
        "INSERT INTO providers (name, kind, provider_type, credit_code, phone, district_code, price_list, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING *",
    )
    .bind(name)
    .bind(&n.kind)
    .bind(ptype)
    .bind(credit)
    .bind(phone)
    .bind(district)
    .bind(json!(prices).to_string())
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "provider.add",
        "provider",
        p.id,
        ("", district),
        json!({ "name": name, "kind": p.kind, "type": ptype }),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

/// Stops (or resumes) offering a provider new dispatches.
pub async fn set_active(db: &Db, actor: &str, id: i64, active: bool) -> Result<Provider> {
    let mut tx = db.begin().await?;
    let p: Provider = sqlx::query_as("UPDATE providers SET active = $1 WHERE id = $2 RETURNING *")
        .bind(active as i64)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    audit_write(&mut tx, actor, "provider.active", "provider", id, ("", &p.district_code), json!({ "active": active }))
        .await?;
    tx.commit().await?;
    Ok(p)
}

/// Lets a provider-role log-in act for this provider.
pub async fn link_user(db: &Db, actor: &str, username: &str, provider_id: i64) -> Result<()> {
    let p = get(db, provider_id).await?;
    let mut tx = db.begin().await?;
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
    if role.as_deref() != Some("provider") {
        return Err(bad("username", "该用户不是服务商账号", "this user is not a provider log-in"));
    }
    sqlx::query("INSERT INTO provider_users (username, provider_id) VALUES ($1, $2)")
        .bind(username)
        .bind(provider_id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "provider.link_user",
        "provider",
        provider_id,
        ("", &p.district_code),
        json!({ "username": username }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Provider> {
    sqlx::query_as("SELECT * FROM providers WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The provider a log-in acts for, if any.
pub async fn of_user(db: &Db, username: &str) -> Result<Option<Provider>> {
    Ok(sqlx::query_as(
        "SELECT p.* FROM providers p JOIN provider_users u ON u.provider_id = p.id WHERE u.username = $1",
    )
    .bind(username)
    .fetch_optional(&db.pool)
    .await?)
}

/// Providers serving a district (all for the city), by type and name.
pub async fn list(db: &Db, district: Option<&str>) -> Result<Vec<Provider>> {
    Ok(sqlx::query_as(
        "SELECT * FROM providers WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) ORDER BY provider_type, kind, name",
    )
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

/// The active providers that may take this case: its district, and the type
/// its provider queue asks for (any type for the community's own cases).
pub async fn candidates(db: &Db, c: &Case) -> Result<Vec<Provider>> {
    let want = c.lead_queue.as_deref().and_then(|q| q.strip_prefix("provider:"));
    Ok(list(db, Some(&c.district_code))
        .await?
        .into_iter()
        .filter(|p| p.active == 1 && want.is_none_or(|t| t == p.provider_type))
        .collect())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Dispatch {
    pub id: i64,
    pub case_id: i64,
    pub provider_id: i64,
    pub community_code: String,
    pub district_code: String,
    /// offered | accepted | declined | arrived | completed | cancelled
    pub status: String,
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
    pub case_status: String,
}

const VIEW: &str = "SELECT d.*, p.name AS provider_name, p.kind AS provider_kind, c.item_code, i.name AS item_name, \
     c.caller_name, c.caller_phone, c.building, c.address, c.description, c.status AS case_status \
     FROM dispatches d JOIN providers p ON p.id = d.provider_id JOIN cases c ON c.id = d.case_id \
     JOIN service_items i ON i.code = c.item_code";

/// A provider's dispatches, newest first.
pub async fn for_provider(db: &Db, provider_id: i64) -> Result<Vec<DispatchView>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{VIEW} WHERE d.provider_id = $1 ORDER BY d.id DESC LIMIT 200")))
        .bind(provider_id)
        .fetch_all(&db.pool)
        .await?)
}

/// Dispatches in a staff scope, newest first; `case_id` narrows to one case.
pub async fn in_scope(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    case_id: Option<i64>,
) -> Result<Vec<DispatchView>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW} WHERE (CAST($1 AS TEXT) IS NULL OR d.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR d.district_code = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR d.case_id = $3) ORDER BY d.id DESC LIMIT 200"
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?)
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
    if !matches!(c.status.as_str(), "routed" | "in_progress") {
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
    notify(
        &mut tx,
        scope,
        Some(case_id),
        To { kind: "provider", recipient: &format!("provider:{pid}"), channel: "app" },
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

fn need(d: &Dispatch, from: &[&str], zh: &str, en: &str) -> Result<()> {
    if from.contains(&d.status.as_str()) { Ok(()) } else { Err(bad("status", zh, en)) }
}

/// The provider takes the job; the resident hears who is coming.
pub async fn accept(db: &Db, actor: &str, provider: &Provider, id: i64) -> Result<Dispatch> {
    let d = mine(db, provider, id).await?;
    need(&d, &["offered"], "只能接受待接单的派单", "only an offered dispatch can be accepted")?;
    let c = cs::case(db, d.case_id).await?;
    let mut tx = db.begin().await?;
    let d: Dispatch = sqlx::query_as(
        "UPDATE dispatches SET status = 'accepted', accepted_at = $1 WHERE id = $2 AND status = 'offered' RETURNING *",
    )
    .bind(clock::now_text())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| moved("status"))?;
    let scope = (c.community_code.as_str(), c.district_code.as_str());
    if let Some(phone) = resident_phone(&mut tx, &c).await? {
        notify(
            &mut tx,
            scope,
            Some(c.id),
            sms(&phone),
            &format!("您的诉求（案件#{}）已由{}接单，服务电话{}，将尽快上门。", c.id, provider.name, provider.phone),
            &format!(
                "Your request (case #{}) was accepted by {}, phone {}; they will come soon.",
                c.id, provider.name, provider.phone
            ),
        )
        .await?;
    }
    audit_write(&mut tx, actor, "dispatch.accept", "dispatch", id, scope, json!({ "case": c.id })).await?;
    tx.commit().await?;
    Ok(d)
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
        &["offered", "accepted"],
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
    notify(
        &mut tx,
        scope,
        Some(d.case_id),
        To { kind: "staff", recipient: &format!("community:{}", d.community_code), channel: "app" },
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
    need(&d, &["accepted"], "只能对已接单的派单登记到场", "only an accepted dispatch can record arrival")?;
    let c = engine(db, actor, d.case_id, "arrive", "").await?;
    let mut tx = db.begin().await?;
    let d: Dispatch = sqlx::query_as(
        "UPDATE dispatches SET status = 'arrived', arrived_at = $1 WHERE id = $2 AND status = 'accepted' RETURNING *",
    )
    .bind(clock::now_text())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| moved("status"))?;
    let scope = (c.community_code.as_str(), c.district_code.as_str());
    if let Some(phone) = resident_phone(&mut tx, &c).await? {
        notify(
            &mut tx,
            scope,
            Some(c.id),
            sms(&phone),
            &format!("{}已到达现场为您服务（案件#{}）。", provider.name, c.id),
            &format!("{} has arrived for your request (case #{}).", provider.name, c.id),
        )
        .await?;
    }
    audit_write(&mut tx, actor, "dispatch.arrive", "dispatch", id, scope, json!({ "case": c.id })).await?;
    tx.commit().await?;
    Ok(d)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Completion {
    #[serde(default)]
    pub summary: String,
    /// Market providers only: the price charged, in fen (default: the offer's).
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub price_fen: Option<String>,
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
    let price = match n.price_fen.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
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
    need(&d, &["arrived"], "请先登记到场", "record the arrival first")?;
    let now = cs::case(db, d.case_id).await?;
    let c = if matches!(now.status.as_str(), "resolved" | "callback" | "closed") {
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
        notify(
            &mut tx,
            scope,
            Some(c.id),
            sms(&phone),
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

pub use crate::providers_performance::{Performance, performance};
