//! One event on one case, in one transaction: the history is replayed, the
//! engine decides, the record is appended, the projection and the tallies
//! move, and the audit entry is written.

use super::projection::{Deltas, key, project};
use super::{Case, engine, now, parse_history, ts};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::Word;
use crate::{Db, Result, StoreError};
use cases::Status;
use cases::{CallbackPolicy, CaseState, Event, HistoryRecord, QueueId, Rating};
use serde::Deserialize;
use serde_json::json;

/// An event from a form or JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewEvent {
    /// The engine's snake_case event name (start, resolve, send_back…).
    #[serde(default)]
    pub event: String,
    /// Reason, summary, missing materials or note, as the event needs.
    #[serde(default)]
    pub reason: String,
    /// Transfer / manual route: the new lead queue.
    #[serde(default)]
    pub queue: String,
    /// Transfer / manual route: co-handling queues, comma-separated.
    #[serde(default)]
    pub co_handlers: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub overall: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub speed: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub attitude: Option<String>,
}

fn score(field: &str, v: &Option<String>) -> Result<u8> {
    v.as_deref()
        .and_then(|s| s.trim().parse::<u8>().ok())
        .filter(|n| (1..=5).contains(n))
        .ok_or_else(|| bad(field, "评分应为1至5", "a score must be 1 to 5"))
}

fn to_event(n: &NewEvent) -> Result<Event> {
    let reason = n.reason.trim().to_string();
    let queue = n.queue.trim();
    let co: Vec<QueueId> =
        n.co_handlers.split([',', '，']).map(str::trim).filter(|q| !q.is_empty()).map(QueueId::new).collect();
    if reason.chars().count() > 1000 {
        return Err(bad("reason", "说明不能超过1000字", "at most 1000 characters"));
    }
    Ok(match n.event.trim() {
        "start" => Event::Start,
        "arrive" => Event::Arrive,
        "return_for_materials" => Event::ReturnForMaterials { missing: reason },
        "materials_received" => Event::MaterialsReceived,
        "send_back" => Event::SendBack { reason },
        "reject" => Event::Reject { reason },
        "resolve" => Event::Resolve { summary: reason },
        "start_callback" => Event::StartCallback,
        "callback_no_answer" => Event::CallbackNoAnswer,
        "reopen" => Event::Reopen { reason },
        "close_with_note" => Event::CloseWithNote { note: reason },
        "transfer" | "route" if queue.is_empty() => {
            return Err(bad("queue", "请填写目标队列", "the target queue is required"));
        }
        "transfer" => Event::Transfer { lead: QueueId::new(queue), co_handlers: co, reason },
        "route" => Event::Route {
            assignment: cases::Assignment::manual(QueueId::new(queue), co, reason).map_err(|e| engine("reason", e))?,
        },
        "rate" => Event::Rate {
            rating: Rating::new(
                score("overall", &n.overall)?,
                score("speed", &n.speed)?,
                score("attitude", &n.attitude)?,
            )
            .map_err(|e| engine("overall", e))?,
            comment: Some(reason).filter(|r| !r.is_empty()),
        },
        _ => return Err(bad("event", "未知的操作", "unknown event")),
    })
}

/// Applies one event: loads the history, replays it, lets the engine decide,
/// appends the record and moves the projection and tallies — one transaction.
pub async fn apply(db: &Db, actor: &str, role: cases::Role, id: i64, n: NewEvent) -> Result<Case> {
    apply_at(db, actor, role, id, n, None).await
}

/// [`apply`] at a given time (never before the case's last record): for
/// loading history such as the demo's past year, never for live work.
pub async fn apply_at(
    db: &Db,
    actor: &str,
    role: cases::Role,
    id: i64,
    n: NewEvent,
    at: Option<time::OffsetDateTime>,
) -> Result<Case> {
    let ev = to_event(&n)?;
    let kind = ev.kind();
    let mut tx = db.begin().await?;
    let c: Case = sqlx::query_as("SELECT * FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let it = super::item_cached(db, &c.item_code).await?;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT record FROM case_history WHERE case_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let mut h: Vec<HistoryRecord> = parse_history(id, &rows)?;
    let st = CaseState::replay(&h, &CallbackPolicy::default()).map_err(|e| engine("history", e))?;
    let at = at.unwrap_or_else(now).max(st.updated_at);
    let t = cases::apply(&st, ev, role, at).map_err(|e| {
        let m = e.msg();
        let (zh, en) = kind.names();
        bad("event", format!("{zh}：{}", m.zh), format!("{en}: {}", m.en))
    })?;
    sqlx::query("INSERT INTO case_history (case_id, seq, at, record) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(i64::from(t.record.seq))
        .bind(ts(t.record.at))
        .bind(super::history_text(&t.record)?)
        .execute(&mut *tx)
        .await?;
    h.push(t.record.clone());
    let p = project(&h, &t.state, it.limit_days);
    let row: Case = sqlx::query_as(
        "UPDATE cases SET status = $1, lead_queue = $2, co_handlers = $3, deadline_at = $4, warn_at = $5, resolved_at = $6, \
         on_time = $7, rating = $8, updated_at = $9 WHERE id = $10 RETURNING *",
    )
    .bind(p.status.word())
    .bind(&p.lead)
    .bind(&p.co_handlers)
    .bind(&p.deadline_at)
    .bind(&p.warn_at)
    .bind(&p.resolved_at)
    .bind(p.on_time)
    .bind(p.rating)
    .bind(&p.updated_at)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let mut d = Deltas::default();
    d.moved(Some((key(&c, c.lead_queue.as_deref()), c.status)), (key(&row, row.lead_queue.as_deref()), row.status));
    // Outcomes count for the queue that held the case when it happened.
    d.record(key(&c, c.lead_queue.as_deref()), &t.record, st.accepted_at, p.on_time);
    d.write(db.dialect, &mut tx).await?;
    if let Some((to, zh, en)) = resident_notice(&c, &t.record.event) {
        let scope = (c.community_code.as_str(), c.district_code.as_str());
        crate::outbox::notify_as(&mut tx, scope, Some(id), to, ("case_update", false), &zh, &en).await?;
    }
    audit_write(
        &mut tx,
        actor,
        "case.event",
        "case",
        id,
        (&c.community_code, &c.district_code),
        json!({ "event": t.record.event, "from": c.status, "to": row.status }),
    )
    .await?;
    tx.commit().await?;
    if row.status != c.status && matches!(row.status, Status::Closed | Status::Rejected) {
        // No longer open: intake's picture of its group must be read again.
        super::nearby::mark_stale(&db.cases.stale_groups, &row.community_code, &row.item_code);
    }
    Ok(row)
}

/// Where a resident hears about their case: by SMS to the caller's phone,
/// else in the app when the case is linked to a registered resident.
pub(crate) fn resident_address(c: &Case) -> Option<crate::outbox::To<'_>> {
    if !c.caller_phone.is_empty() {
        Some(crate::outbox::To { kind: "resident", recipient: &c.caller_phone, channel: "sms" })
    } else {
        c.resident_id.map(|_| crate::outbox::To { kind: "resident", recipient: "", channel: "app" })
    }
}

/// What the resident is told when an event happens to their case.
fn resident_notice<'a>(c: &'a Case, ev: &Event) -> Option<(crate::outbox::To<'a>, String, String)> {
    let to = resident_address(c)?;
    let n = c.id;
    let (zh, en) = match ev {
        Event::ReturnForMaterials { missing } => (
            format!("您的诉求（第{n}号）需补充材料：{missing}。补齐后办理时限继续计算。"),
            format!("Your request no. {n} needs more materials: {missing}. The time limit resumes once they are in."),
        ),
        Event::Reject { reason } => (
            format!("您的诉求（第{n}号）未予受理：{reason}。"),
            format!("Your request no. {n} was declined: {reason}."),
        ),
        Event::Resolve { summary } => (
            format!("您的诉求（第{n}号）已办结：{summary}。请对本次服务进行评价。"),
            format!("Your request no. {n} has been resolved: {summary}. Please rate the service."),
        ),
        Event::Reopen { .. } => {
            (format!("您的诉求（第{n}号）已重新办理。"), format!("Your request no. {n} has been reopened."))
        }
        _ => return None,
    };
    Some((to, zh, en))
}

/// The front desk links a case to an earlier open one it duplicates (same
/// community); the link is shown on both and audited.
pub async fn link_duplicate(db: &Db, actor: &str, id: i64, original: i64) -> Result<Case> {
    if id == original {
        return Err(bad("original", "不能关联到自身", "a case cannot duplicate itself"));
    }
    let mut tx = db.begin().await?;
    let c: Case = sqlx::query_as("SELECT * FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let o: Option<Case> =
        sqlx::query_as("SELECT * FROM cases WHERE id = $1").bind(original).fetch_optional(&mut *tx).await?;
    let Some(o) = o.filter(|o| o.community_code == c.community_code) else {
        return Err(bad("original", "本社区没有该案件", "no such case in this community"));
    };
    if o.id > c.id || o.linked_to.is_some() {
        return Err(bad("original", "只能关联到较早的原始案件", "link to an earlier original case"));
    }
    let row: Case = sqlx::query_as("UPDATE cases SET linked_to = $1 WHERE id = $2 RETURNING *")
        .bind(original)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "case.link",
        "case",
        id,
        (&c.community_code, &c.district_code),
        json!({ "original": original }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
