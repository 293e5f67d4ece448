//! Counters every server process shares (table `rate_limits`, migration 0020):
//! how often a bucket — a user's searches by full ID number, an account's
//! failed log-ins from one client — was hit in its current window.

use crate::{Result, Tx};

/// Count one hit of `bucket` in `window` (a day, a quarter hour: any text that
/// names the window); a bucket seen in an older window starts again at 1.
/// Answers the hits in this window, this one included. Inside the caller's
/// transaction, so a refused action can still write its audit entry.
pub async fn hit(tx: &mut Tx, bucket: &str, window: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits, blocked_until) VALUES ($1, $2, 1, NULL) \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END, \
         window_start = excluded.window_start \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window)
    .fetch_one(&mut **tx)
    .await?)
}

/// Failed log-ins an account may have from one client in a quarter hour before it must wait.
pub const FREE_LOGIN_FAILURES: i64 = 5;
/// The longest wait after failed log-ins.
pub const MAX_LOGIN_DELAY_SECS: i64 = 15 * 60;

/// The bucket of an account's log-ins from one client; the name typed is
/// normalised (trimmed, lower case), so `Admin ` and `admin` count together.
pub fn login_bucket(username: &str, client: &str) -> String {
    format!("login:{}|{client}", username.trim().to_lowercase())
}

/// A moment as fixed-width Unix milliseconds, so that text order is time order.
fn text(t: time::OffsetDateTime) -> String {
    format!("{:015}", (t.unix_timestamp_nanos() / 1_000_000).max(0))
}

/// Until when this bucket must wait (None: it may try now).
pub async fn login_blocked(db: &crate::Db, bucket: &str) -> Result<Option<String>> {
    let until: Option<Option<String>> = sqlx::query_scalar("SELECT blocked_until FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .fetch_optional(&db.pool)
        .await?;
    let now = text(time::OffsetDateTime::now_utc());
    Ok(until.flatten().filter(|u| *u > now))
}

/// Count a failed log-in; past [`FREE_LOGIN_FAILURES`] in the quarter hour the
/// bucket waits 1, 2, 4 … seconds (at most [`MAX_LOGIN_DELAY_SECS`]).
/// The quarter hour runs from the bucket's first failure, not from the clock's
/// quarter: a boundary of the clock never hands out fresh free tries.
/// Answers the failures in this quarter hour.
pub async fn login_failed(db: &crate::Db, bucket: &str) -> Result<i64> {
    let now = time::OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    // A window start of another shape (a clock quarter written before) is stale.
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits, blocked_until) VALUES ($1, $2, 1, NULL) \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN LENGTH(rate_limits.window_start) = 15 AND rate_limits.window_start > $3 \
                THEN rate_limits.hits + 1 ELSE 1 END, \
         window_start = CASE WHEN LENGTH(rate_limits.window_start) = 15 AND rate_limits.window_start > $3 \
                THEN rate_limits.window_start ELSE excluded.window_start END \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(text(now))
    .bind(text(now - time::Duration::minutes(15)))
    .fetch_one(&mut *tx)
    .await?;
    if n >= FREE_LOGIN_FAILURES {
        let delay = 1i64.checked_shl((n - FREE_LOGIN_FAILURES) as u32).unwrap_or(i64::MAX).min(MAX_LOGIN_DELAY_SECS);
        sqlx::query("UPDATE rate_limits SET blocked_until = $1 WHERE bucket = $2")
            .bind(text(now + time::Duration::seconds(delay)))
            .bind(bucket)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// A successful log-in starts the bucket afresh.
pub async fn login_succeeded(db: &crate::Db, bucket: &str) -> Result<()> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1").bind(bucket).execute(&db.pool).await?;
    Ok(())
}
