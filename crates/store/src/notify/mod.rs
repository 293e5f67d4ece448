//! Delivering the outbox (issue 19): the worker in `shequ serve` claims due
//! messages under a lease kept in the row (`claim`, `claimed_until`), sends
//! them, and settles each claimed message in one transaction per batch: sent,
//! failed (to be tried again, or dead), skipped (never to be sent) or held
//! (no channel yet, or quiet hours). A worker killed while sending leaves its
//! lease to run out; another sends the message again with the same
//! idempotency key (`notify::sign::idempotency_key`). Receipts from the
//! gateway and a staff member's retry of a dead letter are recorded here too.
//! Preferences and consent: [`prefs`]; the city's templates: [`templates`].

pub mod prefs;
pub mod templates;

use crate::audit::record as audit_write;
use crate::outbox::Message;
use crate::typed::words;
use crate::{Db, Result, StoreError, clock, error::bad};
use serde_json::json;

/// A claimed message with what the worker needs to route and sign it: the
/// community's name and the recipient's recorded preferences (columns `p_*`,
/// NULL when none are recorded).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub id: i64,
    pub community_code: String,
    pub community_name: String,
    pub case_id: Option<i64>,
    pub recipient_kind: String,
    pub recipient: String,
    pub channel: String,
    pub kind: String,
    pub urgent: i64,
    pub body_zh: String,
    pub body_en: String,
    pub created_at: String,
    pub attempts: i64,
    pub p_opted_out: Option<i64>,
    pub p_sms: Option<i64>,
    pub p_prefer: Option<String>,
    pub p_email: Option<String>,
    pub p_phone: Option<String>,
    /// An organisation recipient (`org:<id>`): its person in charge's phone (empty: none).
    pub g_phone: Option<String>,
}

impl Pending {
    /// The recipient's preferences as the routing rule takes them.
    /// An organisation without recorded preferences is reached by SMS at its person in
    /// charge's phone; recorded preferences without a phone take that phone.
    pub fn prefs(&self) -> Option<notify::route::Prefs> {
        let org_phone = self.g_phone.clone().filter(|p| self.recipient_kind == "org" && !p.is_empty());
        let Some(opted_out) = self.p_opted_out else {
            return org_phone.map(|phone| notify::route::Prefs {
                opted_out: false,
                sms: true,
                prefer: Some(notify::route::Channel::Sms),
                email: None,
                phone: Some(phone),
            });
        };
        let recorded = self.p_phone.clone().or(org_phone);
        Some(notify::route::Prefs {
            opted_out: opted_out != 0,
            sms: self.p_sms.unwrap_or(1) != 0,
            prefer: match self.p_prefer.as_deref() {
                Some("sms") => Some(notify::route::Channel::Sms),
                Some("email") => Some(notify::route::Channel::Email),
                Some("webhook") => Some(notify::route::Channel::Webhook),
                _ => None,
            },
            email: self.p_email.clone(),
            phone: recorded,
        })
    }

    pub fn idempotency_key(&self) -> String {
        notify::sign::idempotency_key(self.id, &self.created_at, &self.recipient)
    }
}

/// What became of one claimed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A gateway took it, by this channel.
    Sent { via: &'static str },
    /// This attempt failed; `retry_at` None makes it a dead letter.
    Failed { error: String, retry_at: Option<String> },
    /// Never to be sent, and why.
    Skipped { reason: String },
    /// Not now: tried again at `until` without counting an attempt.
    Held { until: String, reason: String },
}

/// Claims up to `batch` due messages for `lease_secs` under `token` and
/// returns them. One short write, one statement: a message claimed by another
/// worker whose lease still holds is skipped (PostgreSQL re-checks the
/// condition on the row it waited for; SQLite runs one writer at a time). It
/// takes its turn at the process's write gate ([`Db::write_turn`]) with case
/// intake, and the messages are read after the turn is given back.
pub async fn claim(db: &Db, token: &str, lease_secs: i64, batch: i64) -> Result<Vec<Pending>> {
    let turn = db.write_turn().await;
    let now = time::OffsetDateTime::now_utc();
    let now_text = clock::text(now);
    let until = clock::text(now + time::Duration::seconds(lease_secs));
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE outbox SET claim = $1, claimed_until = $2 WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' \
         AND (next_attempt_at IS NULL OR next_attempt_at <= $3) AND (claimed_until IS NULL OR claimed_until < $3) \
         ORDER BY id LIMIT $4) AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < $3) RETURNING id",
    )
    .bind(token)
    .bind(&until)
    .bind(&now_text)
    .bind(batch)
    .fetch_all(&db.pool)
    .await?;
    drop(turn);
    let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else { return Ok(Vec::new()) };
    // Read by the primary key's range the claim returned (not by scanning every
    // queued row for the token), and an organisation's phone looked up only
    // for a message to an organisation (not a scan of `orgs` for every row).
    Ok(sqlx::query_as(
        "SELECT o.id, o.community_code, c.name AS community_name, o.case_id, o.recipient_kind, o.recipient, o.channel, \
         o.kind, o.urgent, o.body_zh, o.body_en, o.created_at, o.attempts, p.opted_out AS p_opted_out, p.sms AS p_sms, \
         p.prefer AS p_prefer, p.email AS p_email, p.phone AS p_phone, CASE WHEN o.recipient_kind = 'org' THEN \
         (SELECT g.person_phone FROM orgs g WHERE o.recipient = 'org:' || CAST(g.id AS TEXT)) END AS g_phone \
         FROM outbox o JOIN communities c ON c.code = o.community_code LEFT JOIN notify_prefs p ON p.subject = o.recipient \
         WHERE o.id BETWEEN $2 AND $3 AND o.claim = $1 ORDER BY o.id",
    )
    .bind(token)
    .bind(lo)
    .bind(hi)
    .fetch_all(&db.pool)
    .await?)
}

/// Records what became of claimed messages, in one transaction, taken in
/// turn with case intake at the process's write gate ([`Db::write_turn`]). A
/// message whose lease `token` no longer holds (it ran out and another worker
/// took it) is left to that worker.
pub async fn settle(db: &Db, token: &str, outcomes: &[(i64, Outcome)]) -> Result<()> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let now = clock::now_text();
    let mut tx = db.begin_plain().await?;
    // Sent messages (nearly all of a batch) in one statement per channel; the
    // ids are integers from this database, written into the SQL as numbers.
    for via in ["sms", "email", "webhook"] {
        let ids: Vec<String> = outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Sent { via: v } if *v == via))
            .map(|(id, _)| id.to_string())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let sql = format!(
            "UPDATE outbox SET status = CASE WHEN receipt LIKE 'undelivered%' THEN 'undelivered' \
             WHEN receipt LIKE 'delivered%' THEN 'delivered' ELSE 'sent' END, sent_via = $2, delivered_at = $3, \
             attempts = attempts + 1, last_error = NULL, claim = NULL, claimed_until = NULL \
             WHERE claim = $1 AND id IN ({})",
            ids.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token).bind(via).bind(&now).execute(&mut *tx).await?;
    }
    for (id, o) in outcomes {
        let q = match o {
            Outcome::Sent { .. } => continue,
            Outcome::Failed { error, retry_at } => sqlx::query(
                "UPDATE outbox SET status = $3, next_attempt_at = $4, last_error = $5, attempts = attempts + 1, \
                 claim = NULL, claimed_until = NULL WHERE id = $1 AND claim = $2",
            )
            .bind(id)
            .bind(token)
            .bind(if retry_at.is_some() { "queued" } else { "dead" })
            .bind(retry_at.clone())
            .bind(error.chars().take(500).collect::<String>()),
            Outcome::Skipped { reason } => sqlx::query(
                "UPDATE outbox SET status = 'skipped', last_error = $3, claim = NULL, claimed_until = NULL \
                 WHERE id = $1 AND claim = $2",
            )
            .bind(id)
            .bind(token)
            .bind(reason.clone()),
            Outcome::Held { until, reason } => sqlx::query(
                "UPDATE outbox SET next_attempt_at = $3, last_error = $4, claim = NULL, claimed_until = NULL \
                 WHERE id = $1 AND claim = $2",
            )
            .bind(id)
            .bind(token)
            .bind(until.clone())
            .bind(reason.clone()),
        };
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One message by id (for scope checks and the receipt).
pub async fn get(db: &Db, id: i64) -> Result<Option<Message>> {
    Ok(sqlx::query_as("SELECT * FROM outbox WHERE id = $1").bind(id).fetch_optional(&db.pool).await?)
}

/// One message by id; a missing one is NotFound.
pub async fn message(db: &Db, id: i64) -> Result<Message> {
    get(db, id).await?.ok_or(StoreError::NotFound)
}

/// The messages of a case, oldest first.
pub async fn for_case(db: &Db, case_id: i64) -> Result<Vec<Message>> {
    Ok(sqlx::query_as("SELECT * FROM outbox WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&db.pool).await?)
}

/// A gateway's delivery receipt for the message its idempotency key names:
/// `delivered` or `undelivered`, with the gateway's detail. A key that names
/// no message, or a message dead or skipped, changes nothing (None).
pub async fn receipt(db: &Db, key: &str, delivered: bool, detail: &str) -> Result<Option<Message>> {
    let id: Option<i64> = key.strip_prefix("shequ-").and_then(|r| r.split('-').next()).and_then(|s| s.parse().ok());
    let Some(m) = (match id {
        Some(id) => get(db, id).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    if notify::sign::idempotency_key(m.id, &m.created_at, &m.recipient) != key {
        return Ok(None);
    }
    // A receipt may come before the worker has settled its batch: it is kept,
    // and settling a sent message then takes its state from it.
    let word = if delivered { "delivered" } else { "undelivered" };
    let mut tx = db.begin_plain().await?;
    let n = sqlx::query(
        "UPDATE outbox SET status = CASE WHEN status = 'queued' THEN status ELSE $2 END, receipt = $3, receipt_at = $4 \
         WHERE id = $1 AND status IN ('queued', 'sent', 'delivered', 'undelivered')",
    )
    .bind(m.id)
    .bind(word)
    .bind(format!("{word} {}", detail.chars().take(200).collect::<String>()))
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if n == 0 { Ok(None) } else { get(db, m.id).await }
}

/// A staff member sends a dead (or undelivered) letter again: queued now,
/// attempts from zero, the last error kept until the next attempt.
pub async fn retry(db: &Db, actor: &str, id: i64) -> Result<Message> {
    let mut tx = db.begin().await?;
    let m: Message = sqlx::query_as("SELECT * FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    if !matches!(m.status, Delivery::Dead | Delivery::Undelivered) {
        return Err(bad("status", "只有投递失败的通知可以重发", "only a message whose delivery failed can be retried"));
    }
    sqlx::query(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = NULL, claim = NULL, \
         claimed_until = NULL, receipt = NULL, receipt_at = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "outbox.retry",
        "outbox",
        id,
        (&m.community_code, &m.district_code),
        json!({ "from": m.status.to_string(), "attempts": m.attempts, "last_error": m.last_error }),
    )
    .await?;
    tx.commit().await?;
    get(db, id).await?.ok_or(StoreError::NotFound)
}

words! {
    /// Where a message's delivery stands (see migration 0025).
    pub enum Delivery, "delivery status" {
        Queued => "queued",
        Sent => "sent",
        Delivered => "delivered",
        Undelivered => "undelivered",
        Dead => "dead",
        Skipped => "skipped",
    }
}

impl Delivery {
    pub fn name(self) -> rules::Msg {
        let (zh, en) = match self {
            Delivery::Queued => ("待发送", "queued"),
            Delivery::Sent => ("已发出", "sent"),
            Delivery::Delivered => ("已送达", "delivered"),
            Delivery::Undelivered => ("未送达", "undelivered"),
            Delivery::Dead => ("投递失败", "failed (dead letter)"),
            Delivery::Skipped => ("未发送", "not sent"),
        };
        rules::Msg::new(zh, en)
    }
}
