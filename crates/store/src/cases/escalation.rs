//! Escalation to the queue's supervisor (督办): an open case past its legal
//! deadline reaches escalation level k once it is k × `escalate_after_days`
//! working days overdue (`cases::sla`). A sweep tells the supervisor once per
//! level, through the outbox, and remembers the level it told.

use super::projection::CAL;
use super::{Case, parse_history};
use crate::audit::record as audit_write;
use crate::{Db, Result, clock};
use serde_json::json;

/// Sends every due escalation notice; returns how many went out.
pub async fn escalate_overdue(db: &Db) -> Result<usize> {
    let now_text = clock::now_text();
    let due: Vec<Case> = sqlx::query_as(
        "SELECT * FROM cases WHERE status IN ('accepted', 'routed', 'in_progress', 'returned_for_materials') \
         AND deadline_at < $1 ORDER BY deadline_at LIMIT 1000",
    )
    .bind(&now_text)
    .fetch_all(&db.pool)
    .await?;
    let now = time::OffsetDateTime::now_utc();
    let mut sent = 0;
    for c in due {
        let it = super::item_cached(db, &c.item_code).await?;
        let rows: Vec<(String,)> = sqlx::query_as("SELECT record FROM case_history WHERE case_id = $1 ORDER BY seq")
            .bind(c.id)
            .fetch_all(&db.pool)
            .await?;
        let h = parse_history(c.id, &rows)?;
        let Ok(s) = cases::sla(&h, it.limit_days as u32, &CAL, now) else { continue };
        let level = i64::from(s.escalation_level);
        if !s.escalate || level == 0 {
            continue;
        }
        let mut tx = db.begin().await?;
        // Only the sweep that raises the level sends (another node may run one too).
        let raised = sqlx::query("UPDATE cases SET escalation_noticed = $1 WHERE id = $2 AND escalation_noticed < $1")
            .bind(level)
            .bind(c.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if raised == 0 {
            continue;
        }
        let queue = c.lead_queue.clone().unwrap_or_default();
        let to = crate::outbox::To { kind: "staff", recipient: &format!("supervisor:{queue}"), channel: "app" };
        crate::outbox::notify_as(
            &mut tx,
            (&c.community_code, &c.district_code),
            Some(c.id),
            to,
            ("escalation", true),
            &format!("督办：第{}号案件（{}）已超过办理时限，督办等级{level}。", c.id, it.name),
            &format!("Escalation: case no. {} ({}) is past its time limit, escalation level {level}.", c.id, it.name),
        )
        .await?;
        audit_write(
            &mut tx,
            "system",
            "case.escalate",
            "case",
            c.id,
            (&c.community_code, &c.district_code),
            json!({ "level": level, "queue": queue }),
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
