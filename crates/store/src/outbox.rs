//! Notifications to residents, providers and staff. Rows are only inserted,
//! always inside the transaction of the action that causes them, so a
//! refused action notifies nobody; delivery (SMS gateway, email, webhook) is
//! the worker's job ([`crate::notify`]), which sets `status` and `delivered_at`.

use crate::Capped;
use crate::{Db, Result, Tx, clock};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub case_id: Option<i64>,
    /// resident | provider | staff | org
    pub recipient_kind: String,
    /// A phone number, `provider:<id>`, `org:<id>` (a community social organisation) or `community:<code>`.
    pub recipient: String,
    /// sms | app
    pub channel: String,
    pub body_zh: String,
    pub body_en: String,
    pub created_at: String,
    /// When a gateway took it.
    pub delivered_at: Option<String>,
    pub status: crate::notify::Delivery,
    /// The template kind (`notify::template::KINDS`).
    pub kind: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    /// sms | email | webhook
    pub sent_via: Option<String>,
    pub last_error: Option<String>,
    /// The gateway's receipt and when it came.
    pub receipt: Option<String>,
    pub receipt_at: Option<String>,
}

/// Where a notification goes.
#[derive(Debug, Clone, Copy)]
pub struct To<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub channel: &'a str,
}

/// Queues one notification in the caller's transaction (kind `notice`, not urgent).
pub async fn notify(
    tx: &mut Tx,
    scope: (&str, &str),
    case_id: Option<i64>,
    to: To<'_>,
    zh: &str,
    en: &str,
) -> Result<i64> {
    notify_as(tx, scope, case_id, to, ("notice", false), zh, en).await
}

/// Queues one notification of a template kind (`notify::template::KINDS`);
/// an urgent one is not held by quiet hours.
pub async fn notify_as(
    tx: &mut Tx,
    scope: (&str, &str),
    case_id: Option<i64>,
    to: To<'_>,
    (kind, urgent): (&str, bool),
    zh: &str,
    en: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (community_code, district_code, case_id, recipient_kind, recipient, channel, body_zh, body_en, \
         created_at, kind, urgent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(scope.0)
    .bind(scope.1)
    .bind(case_id)
    .bind(to.kind)
    .bind(to.recipient)
    .bind(to.channel)
    .bind(zh)
    .bind(en)
    .bind(clock::now_text())
    .bind(kind)
    .bind(i64::from(urgent))
    .fetch_one(&mut **tx)
    .await?)
}

/// The outbox of a scope, newest first.
pub async fn list(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Message>> {
    crate::capped::scoped(
        db,
        "SELECT * FROM outbox WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC",
        500,
        community,
        district,
    )
    .await
}

/// The scope's failed messages (dead letters, undelivered), newest first: read
/// on their own, so that a failure behind the newest 500 messages still shows
/// for someone to send again.
pub async fn failed(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Message>> {
    crate::capped::scoped(
        db,
        "SELECT * FROM outbox WHERE status IN ('dead', 'undelivered') AND (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC",
        500,
        community,
        district,
    )
    .await
}

/// A resident log-in's own notifications: those sent to the phone of the
/// registered resident the account belongs to.
pub async fn for_user(db: &Db, username: &str) -> Result<Capped<Message>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT o.* FROM outbox o JOIN residents r ON r.phone = o.recipient JOIN users u ON u.resident_id = r.id \
         WHERE u.username = $1 AND o.recipient_kind = 'resident' AND r.phone <> '' ORDER BY o.id DESC{}",
        crate::capped::limit(200)
    )))
    .bind(username)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 200))
}
