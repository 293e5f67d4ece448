//! Time limits (办理时限), computed from history, never hand-set.
//!
//! Definitions, for a limit of N working days:
//! - The clock starts at acceptance (the first history record). Counting
//!   starts on the first working day after the acceptance date, whatever
//!   the hour of acceptance; the base deadline is the end of the Nth such
//!   working day (24:00 with whole-day windows, the close of the last office
//!   window otherwise). N = 0 means the end of the acceptance day, or of the
//!   next working day if accepted on a day off.
//! - The clock runs in `accepted`, `routed` and `in_progress` (routing,
//!   sending back and transfers all count against the office); it is
//!   stopped in `returned_for_materials`; it is finished in `resolved`,
//!   `callback`, `closed` and `rejected`.
//! - Every stop adds its working time (see [`crate::calendar`]) to the
//!   deadline. A finished spell followed by a reopening counts as a stop,
//!   so a reopened case keeps the time it had left. While stopped, the
//!   deadline shown is provisional (as if resumed now), so the deadline
//!   never moves earlier.
//! - Overdue when `now` is at or after the deadline. Warning when no more
//!   than `warn_before_days` working days remain. Escalation level k ≥ 1
//!   once overdue by k × `escalate_after_days` working days (level 1: the
//!   queue's supervisor; higher levels for the caller to map), capped at 3.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::calendar::Calendar;
use crate::error::{CaseError, Msg};
use crate::state::{Clock, Event, HistoryRecord, Status};

/// The highest escalation level; a case told at this level is told no more.
pub const TOP_ESCALATION_LEVEL: u8 = 3;

/// Time-limit configuration for one service item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub limit_days: u32,
    /// Warn when this many working days or fewer remain. Default 1.
    pub warn_before_days: u32,
    /// Escalate after being overdue by this many working days. Default 1;
    /// 0 escalates as soon as the case is overdue.
    pub escalate_after_days: u32,
}

impl SlaPolicy {
    pub fn new(limit_days: u32) -> Self {
        SlaPolicy { limit_days, warn_before_days: 1, escalate_after_days: 1 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    OnTime,
    Warning,
    Overdue,
    /// Waiting for materials.
    Stopped,
    /// Finished (resolved or rejected) before the deadline.
    Met,
    /// Finished after the deadline.
    Missed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaStatus {
    /// Base deadline extended by all clock stops.
    pub deadline: OffsetDateTime,
    /// Acceptance + N working days, before any stop.
    pub base_deadline: OffsetDateTime,
    /// Working minutes the clock was stopped (including a running stop).
    pub paused_working_minutes: i64,
    /// Working minutes left (negative: overdue by). Frozen while stopped or
    /// finished.
    pub remaining_working_minutes: i64,
    pub state: SlaState,
    pub escalate: bool,
    pub escalation_level: u8,
    /// When each escalation level up to `escalation_level` was reached
    /// (level k: k × `escalate_after_days` working days past the deadline),
    /// so a case's history can show each step of 督办 it went through.
    #[serde(default)]
    pub escalated_at: Vec<OffsetDateTime>,
    /// False when acceptance or deadline falls in a year without official
    /// holiday data: the figures then rest on the weekday rule alone.
    pub calendar_covers: bool,
}

/// [`sla_with`] with [`SlaPolicy::new`]`(limit_days)`.
pub fn sla(
    history: &[HistoryRecord],
    limit_days: u32,
    calendar: &Calendar,
    now: OffsetDateTime,
) -> Result<SlaStatus, CaseError> {
    sla_with(history, &SlaPolicy::new(limit_days), calendar, now)
}

/// The time-limit status of a case at `now`, from its history.
pub fn sla_with(
    history: &[HistoryRecord],
    policy: &SlaPolicy,
    calendar: &Calendar,
    now: OffsetDateTime,
) -> Result<SlaStatus, CaseError> {
    let first = match history.first() {
        Some(r @ HistoryRecord { event: Event::Accept { .. }, .. }) => r,
        _ => {
            return Err(CaseError::CorruptHistory(Msg::new(
                "历史记录须以受理开始",
                "history must start with acceptance",
            )));
        }
    };
    let accepted_date = calendar.local_date(first.at);
    let base_day = calendar.nth_working_day_after(accepted_date, policy.limit_days);
    let base = calendar.end_of_day(base_day);

    let mut paused = 0i64; // working seconds
    let mut pending = 0i64; // finished spells, counted only if reopened
    let mut finished_since: Option<OffsetDateTime> = None;
    for w in history.windows(2) {
        let (prev, rec) = (&w[0], &w[1]);
        if rec.at < prev.at {
            return Err(CaseError::CorruptHistory(Msg::new("历史记录时间倒序", "history records out of time order")));
        }
        let spell = calendar.working_seconds_between(prev.at, rec.at);
        match prev.to.clock() {
            Clock::Running => {}
            Clock::Stopped => paused += spell,
            Clock::Finished => pending += spell,
        }
        match rec.to.clock() {
            Clock::Finished => {
                finished_since.get_or_insert(rec.at);
            }
            Clock::Running | Clock::Stopped => {
                paused += pending;
                pending = 0;
                finished_since = None;
            }
        }
    }
    let last = history.last().expect("non-empty");
    let current: Status = last.to;
    let settled_deadline = calendar.advance(base, paused);
    let (deadline, eval_at) = match current.clock() {
        Clock::Stopped => {
            let running = calendar.working_seconds_between(last.at, now).max(0);
            paused += running;
            (calendar.advance(base, paused), last.at)
        }
        Clock::Finished => (settled_deadline, finished_since.unwrap_or(last.at)),
        Clock::Running => (settled_deadline, now),
    };
    // Remaining is measured against the deadline that held when the clock
    // was last running (for a running stop, the settled one).
    let measure_against = match current.clock() {
        Clock::Stopped => settled_deadline,
        _ => deadline,
    };
    let remaining = calendar.working_seconds_between(eval_at, measure_against);
    let late = eval_at >= measure_against;
    let day = calendar.minutes_per_working_day() * 60;

    let state = match current.clock() {
        Clock::Finished if late => SlaState::Missed,
        Clock::Finished => SlaState::Met,
        Clock::Stopped => SlaState::Stopped,
        Clock::Running if late => SlaState::Overdue,
        Clock::Running if remaining <= policy.warn_before_days as i64 * day => SlaState::Warning,
        Clock::Running => SlaState::OnTime,
    };
    let escalation_level = if current.clock() != Clock::Finished && late {
        let over = -remaining.min(0);
        let step = policy.escalate_after_days as i64 * day;
        if step == 0 { 1 } else { (over / step).min(i64::from(TOP_ESCALATION_LEVEL)) as u8 }
    } else {
        0
    };
    let step = policy.escalate_after_days as i64 * day;
    let escalated_at = (1..=i64::from(escalation_level)).map(|k| calendar.advance(measure_against, k * step)).collect();
    Ok(SlaStatus {
        escalated_at,
        deadline,
        base_deadline: base,
        paused_working_minutes: paused / 60,
        remaining_working_minutes: remaining.div_euclid(60),
        state,
        escalate: escalation_level > 0,
        escalation_level,
        calendar_covers: calendar.covers(accepted_date) && calendar.covers(calendar.local_date(deadline)),
    })
}

#[cfg(test)]
mod tests;
