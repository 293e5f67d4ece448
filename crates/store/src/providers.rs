//! The 2881890 hotline's service providers (服务商): public-welfare volunteer
//! teams (公益, free) and market companies (市场化, registered with a GB 32100
//! credit code and a price list), and the dispatch of cases to them
//! (派单 → 接单/拒单 → 到场 → 完成, in [`crate::dispatch`], re-exported here).
//! Performance per provider is computed from the dispatches and the cases'
//! histories, never stored.

use crate::audit::record as audit_write;
use crate::cases::Case;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

crate::typed::words! {
    /// 公益 (free) or 市场化 (priced) provider.
    pub enum ProviderKind, "provider kind" {
        PublicWelfare => "public_welfare",
        Market => "market",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Provider {
    pub id: i64,
    pub name: String,
    pub kind: ProviderKind,
    /// A service item's `unit_name` (unit kind `provider`), e.g. 家政服务商.
    pub provider_type: String,
    pub credit_code: Option<String>,
    pub phone: String,
    pub district_code: String,
    /// JSON object: item code → fen, parsed when the row is read.
    pub price_list: crate::typed::JsonText<BTreeMap<String, i64>>,
    pub active: i64,
    pub created_at: String,
    /// Phone number and credit code invented for the demo (0022).
    #[sqlx(default)]
    pub illustrative: i64,
}

impl Provider {
    pub fn prices(&self) -> BTreeMap<String, i64> {
        self.price_list.value.clone()
    }
    pub fn is_market(&self) -> bool {
        self.kind == ProviderKind::Market
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
    let Ok(kind) = <ProviderKind as crate::typed::Word>::from_word(&n.kind) else {
        return Err(bad("kind", "服务商类别应为公益或市场化", "kind must be public_welfare or market"));
    };
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
        if kind == ProviderKind::Market {
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
    if kind == ProviderKind::PublicWelfare && !prices.is_empty() {
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
    .bind(crate::typed::Word::word(kind))
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
/// its provider queue asks for; for the community's own cases, the provider
/// types the catalogue uses for items of the same category (a 居住登记 is
/// nobody's housekeeping job).
pub async fn candidates(db: &Db, c: &Case) -> Result<Vec<Provider>> {
    let types: std::collections::BTreeSet<String> =
        match c.lead_queue.as_deref().and_then(|q| q.strip_prefix("provider:")) {
            Some(t) => [t.to_string()].into(),
            None => crate::cases::items(db)
                .await?
                .into_iter()
                .filter(|i| i.unit_kind == crate::cases::UnitKind::Provider && i.category == c.category)
                .map(|i| i.unit_name)
                .collect(),
        };
    Ok(list(db, Some(&c.district_code))
        .await?
        .into_iter()
        .filter(|p| p.active == 1 && types.contains(&p.provider_type))
        .collect())
}

pub use crate::dispatch::*;
pub use crate::providers_performance::{Performance, performance};
