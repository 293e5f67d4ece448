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
