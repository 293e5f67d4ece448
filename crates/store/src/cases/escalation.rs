//! Escalation to the queue's supervisor (督办): an open case past its legal
//! deadline reaches escalation level k once it is k × `escalate_after_days`
//! working days overdue (`cases::sla`). A sweep tells the supervisor once per
//! level, through the outbox, and remembers the level it told.

use super::projection::CAL;
use super::{Case, parse_history};
use crate::audit::record as audit_write;
use crate::{Db, Result, clock};
use serde_json::json;

/// Overdue open cases are read this many at a time, oldest deadline first.
const PAGE: i64 = 1000;

/// Sends every due escalation notice; returns how many went out.
pub async fn escalate_overdue(db: &Db) -> Result<usize> {
    escalate_overdue_in_pages(db, PAGE).await
}

/// [`escalate_overdue`], reading `page` cases at a time until none is left:
/// a sweep that read only its first page would tell no supervisor of the
/// cases behind those already told (tests use a small page).
pub async fn escalate_overdue_in_pages(db: &Db, page: i64) -> Result<usize> {
    let now_text = clock::now_text();
    let now = time::OffsetDateTime::now_utc();
    let mut sent = 0;
    // After the last case read: its deadline and number.
    let mut after = (String::new(), 0i64);
    loop {
        let due: Vec<Case> = sqlx::query_as(
            "SELECT * FROM cases WHERE status IN ('accepted', 'routed', 'in_progress', 'returned_for_materials') \
             AND escalation_noticed < $5 AND deadline_at < $1 AND (deadline_at > $2 OR (deadline_at = $2 AND id > $3)) \
             ORDER BY deadline_at, id LIMIT $4",
        )
        .bind(&now_text)
        .bind(&after.0)
        .bind(after.1)
        .bind(page)
        // Told at the top level: nothing more to tell.
        .bind(i64::from(cases::sla::TOP_ESCALATION_LEVEL))
        .fetch_all(&db.pool)
        .await?;
        let last_page = (due.len() as i64) < page;
        if let Some(c) = due.last() {
            after = (c.deadline_at.clone().unwrap_or_default(), c.id);
        }
        for c in due {
            sent += usize::from(tell_if_raised(db, c, now).await?);
        }
        if last_page {
            return Ok(sent);
        }
    }
}

/// Tells the supervisor when the case has reached a level not yet told (one transaction).
async fn tell_if_raised(db: &Db, c: Case, now: time::OffsetDateTime) -> Result<bool> {
    let it = super::item_cached(db, &c.item_code).await?;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT record FROM case_history WHERE case_id = $1 ORDER BY seq")
        .bind(c.id)
        .fetch_all(&db.pool)
        .await?;
    let h = parse_history(c.id, &rows)?;
    let Ok(s) = cases::sla(&h, it.limit_days as u32, &CAL, now) else { return Ok(false) };
    let level = i64::from(s.escalation_level);
    if !s.escalate || level == 0 {
        return Ok(false);
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
        return Ok(false);
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
    Ok(true)
}
