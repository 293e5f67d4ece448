//! A recipient's channels and consent (PIPL, rules §6; issue 19): a resident
//! may opt out or turn SMS off; staff and providers choose email or SMS. Each
//! record says when and how the consent (or opt-out) was given and who wrote
//! it down; the subject is what `outbox.recipient` holds, so the worker finds
//! it by the message alone. Nothing is sent to an opted-out number
//! (`notify::route`).

use crate::Capped;
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, clock};
use serde::{Deserialize, Serialize};
use serde_json::json;

words! {
    /// How a consent or opt-out was given.
    pub enum ConsentHow, "consent channel" {
        Counter => "counter",
        Hotline => "hotline",
        Online => "online",
        Paper => "paper",
        Staff => "staff",
    }
}

impl ConsentHow {
    pub fn name(self) -> rules::Msg {
        let (zh, en) = match self {
            ConsentHow::Counter => ("窗口当面", "in person at the counter"),
            ConsentHow::Hotline => ("热线电话", "by the hotline"),
            ConsentHow::Online => ("网上", "online"),
            ConsentHow::Paper => ("书面", "in writing"),
            ConsentHow::Staff => ("工作人员本人", "by the staff member"),
        };
        rules::Msg::new(zh, en)
    }
}

words! {
    /// Whose preferences these are.
    pub enum SubjectKind, "recipient kind" {
        Resident => "resident",
        Provider => "provider",
        Staff => "staff",
        Org => "org",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Prefs {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub subject: String,
    pub subject_kind: SubjectKind,
    pub opted_out: i64,
    pub sms: i64,
    pub prefer: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub consent_at: String,
    pub consent_how: ConsentHow,
    pub recorded_by: String,
    pub updated_at: String,
}

/// What a form or JSON body records.
#[derive(Debug, Clone, Deserialize)]
pub struct SetPrefs {
    /// A resident's phone number, `community:<code>`, `provider:<id>` or `supervisor:<queue>`.
    pub subject: String,
    pub subject_kind: String,
    #[serde(default, deserialize_with = "flag")]
    pub opted_out: bool,
    #[serde(default = "yes", deserialize_with = "flag")]
    pub sms: bool,
    #[serde(default)]
    pub prefer: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub consent_how: String,
}

fn yes() -> bool {
    true
}

/// A yes/no from JSON (`true`) or a form (`"1"`, `"on"`, `"yes"`, `"true"`; `"0"`, `"no"`, …).
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Ok(b),
        serde_json::Value::String(s) => match s.trim() {
            "1" | "on" | "yes" | "true" => Ok(true),
            "0" | "off" | "no" | "false" | "" => Ok(false),
            w => Err(serde::de::Error::custom(format!("not yes or no: {w}"))),
        },
        v => Err(serde::de::Error::custom(format!("not yes or no: {v}"))),
    }
}

fn is_phone(s: &str) -> bool {
    (7..=15).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+')
}

fn some(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Checks every field; the first bad one is the 422.
fn check(cmd: &SetPrefs) -> Result<(SubjectKind, ConsentHow, Option<notify::route::Channel>)> {
    let kind = SubjectKind::parse_field(&cmd.subject_kind, "subject_kind")?;
    let how = ConsentHow::parse_field(&cmd.consent_how, "consent_how")?;
    let subject = cmd.subject.trim();
    if subject.is_empty() {
        return Err(bad("subject", "请填写手机号码或收件人", "enter a phone number or recipient"));
    }
    if kind == SubjectKind::Resident && !is_phone(subject) {
        return Err(bad("subject", "居民须以手机号码登记", "a resident is recorded by phone number"));
    }
    let prefer = match some(&cmd.prefer).as_deref() {
        None => None,
        Some("sms") => Some(notify::route::Channel::Sms),
        Some("email") => Some(notify::route::Channel::Email),
        Some("webhook") => Some(notify::route::Channel::Webhook),
        Some(w) => return Err(bad("prefer", format!("无效的取值：{w}"), format!("unknown channel: {w}"))),
    };
    if let Some(e) = some(&cmd.email)
        && (!e.contains('@') || e.len() > 200)
    {
        return Err(bad("email", "邮箱地址格式不正确", "not an email address"));
    }
    if let Some(p) = some(&cmd.phone)
        && !is_phone(&p)
    {
        return Err(bad("phone", "手机号码格式不正确", "not a phone number"));
    }
    if prefer == Some(notify::route::Channel::Email) && some(&cmd.email).is_none() {
        return Err(bad("email", "选择电子邮件须填写邮箱地址", "email chosen: enter the address"));
    }
    if prefer == Some(notify::route::Channel::Sms) && kind != SubjectKind::Resident && some(&cmd.phone).is_none() {
        return Err(bad("phone", "选择短信须填写手机号码", "SMS chosen: enter the number"));
    }
    Ok((kind, how, prefer))
}

/// Records (or replaces) a recipient's preferences in a community, with the
/// consent's time and channel, in one transaction with its audit entry.
pub async fn set(db: &Db, actor: &str, scope: (&str, &str), cmd: SetPrefs) -> Result<Prefs> {
    let (kind, how, prefer) = check(&cmd)?;
    let subject = cmd.subject.trim().to_string();
    let now = clock::now_text();
    let mut tx = db.begin().await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM notify_prefs WHERE subject = $1")
        .bind(&subject)
        .fetch_optional(&mut *tx)
        .await?;
    let q = match existing {
        Some(_) => {
            "UPDATE notify_prefs SET community_code = $1, district_code = $2, subject_kind = $4, opted_out = $5, sms = $6, \
             prefer = $7, email = $8, phone = $9, consent_at = $10, consent_how = $11, recorded_by = $12, updated_at = $10 \
             WHERE subject = $3"
        }
        None => {
            "INSERT INTO notify_prefs (community_code, district_code, subject, subject_kind, opted_out, sms, prefer, \
             email, phone, consent_at, consent_how, recorded_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $10)"
        }
    };
    sqlx::query(q)
        .bind(scope.0)
        .bind(scope.1)
        .bind(&subject)
        .bind(kind.word())
        .bind(i64::from(cmd.opted_out))
        .bind(i64::from(cmd.sms))
        .bind(prefer.map(|c| c.word()))
        .bind(some(&cmd.email))
        .bind(some(&cmd.phone))
        .bind(&now)
        .bind(how.word())
        .bind(actor)
        .execute(&mut *tx)
        .await?;
    // The audit entry names the subject's kind and the choices, not the number or address.
    audit_write(
        &mut tx,
        actor,
        "notify.prefs",
        "notify_prefs",
        existing.map(|i| i.to_string()).unwrap_or_else(|| "new".into()),
        scope,
        json!({ "kind": kind.word(), "opted_out": cmd.opted_out, "sms": cmd.sms, "prefer": prefer.map(|c| c.word()), "how": how.word() }),
    )
    .await?;
    tx.commit().await?;
    Ok(sqlx::query_as("SELECT * FROM notify_prefs WHERE subject = $1").bind(&subject).fetch_one(&db.pool).await?)
}

/// The preferences recorded in a scope, newest first.
pub async fn list(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Prefs>> {
    crate::capped::scoped(
        db,
        "SELECT * FROM notify_prefs WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY updated_at DESC, id DESC",
        500,
        community,
        district,
    )
    .await
}

/// The staff and provider recipients a community's notices go to (its own
/// community admin first), for choosing whose channel to set.
pub async fn staff_subjects(db: &Db, community: Option<&str>) -> Result<Vec<(String, String)>> {
    let Some(c) = community else { return Ok(Vec::new()) };
    let own = format!("community:{c}");
    let mut out = vec![("staff".to_string(), own.clone())];
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT recipient_kind, recipient FROM outbox WHERE community_code = $1 AND recipient_kind <> 'resident' \
         ORDER BY recipient_kind, recipient LIMIT 200",
    )
    .bind(c)
    .fetch_all(&db.pool)
    .await?;
    out.extend(rows.into_iter().filter(|r| r.1 != own));
    Ok(out)
}
