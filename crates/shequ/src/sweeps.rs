//! The periodic work of a `shequ serve` process: escalating overdue cases,
//! reminding organisations of their annual inspection, logging the audit
//! anchor. Each runs at start and then at its interval; where several
//! processes share one PostgreSQL, a lease lets one of them do it at a time.

use std::future::Future;
use std::time::Duration;
use store::Db;

/// Start every sweep on `db`.
pub fn spawn_all(db: &Db) {
    // Overdue cases go to their queue's supervisor; the sweep's conditional
    // update sends each level's notice once.
    every(db, Duration::from_secs(300), |db| async move {
        let sweep = db.exclusively(store::WriteLock::EscalationSweep, || store::cases::escalate_overdue(&db));
        match sweep.await {
            Ok(None | Some(0)) => {}
            Ok(Some(n)) => tracing::info!(notices = n, "overdue cases escalated"),
            Err(e) => tracing::warn!(%e, "escalation sweep"),
        }
    });
    // Annual-inspection reminders (issue 17), each inspection at most once per stage (a unique key).
    every(db, Duration::from_secs(3600), |db| async move {
        let today = store::clock::today();
        let sweep = db.exclusively(store::WriteLock::InspectionReminders, || {
            store::orgs::remind_all(&db, "system#inspection-reminders", today)
        });
        match sweep.await {
            Ok(Some(r)) if r.due + r.overdue > 0 => {
                tracing::info!(due = r.due, overdue = r.overdue, "inspection reminders queued")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(%e, "inspection reminders"),
        }
    });
    // The audit chain's head goes to the log daily: an anchor kept outside the database.
    every(db, Duration::from_secs(24 * 3600), |db| async move {
        match store::audit::anchor(&db).await {
            Ok((seq, hash)) => tracing::info!(anchor = %format!("{seq}:{hash}"), "audit anchor"),
            Err(e) => tracing::warn!(%e, "audit anchor"),
        }
    });
}

/// Run `work` now and then every `period`, in the background.
fn every<F, Fut>(db: &Db, period: Duration, work: F)
where
    F: Fn(Db) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            work(db.clone()).await;
        }
    });
}
