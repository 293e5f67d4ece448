//! The case state machine.
//!
//! ```text
//! accepted ──route──▶ routed ──start/arrive──▶ in_progress ──resolve──▶ resolved
//!    ▲                  │  ▲                    │   ▲   │                 │ start_callback
//!    └──── send_back ───┘  └──── transfer ──────┘   │   └─ return ─▶ returned_for_materials
//!                                                   │   ◀─ materials_received ─┘
//!                                                   │                    callback ◀┘
//!                  reopen (dissatisfied, by rule) ──┴──────────────────── │ rate ≥ 3
//!                                                                        ▼
//!              rejected ◀── reject (reason)                            closed
//! ```
//!
//! [`RULES`] is the whole table: for each event, the states it may come
//! from and the roles that may trigger it, and whether a reason is needed.
//! [`apply`] checks the table, then the event's own rules (callback policy,
//! time order, queue differences), and returns the new state, the history
//! record, and side effects for the caller to carry out. It never mutates
//! its input. A case is created by [`accept`]; its state can always be
//! rebuilt from its history with [`CaseState::replay`], so the history is
//! the only thing that must be stored.
//!
//! Files: `types` (ids, channels, roles, statuses, events), `rules` (the
//! table), this file (accepting and applying events, replaying history).

mod rules;
mod types;

pub use rules::{RULES, RuleRow};
pub use types::{CaseId, Channel, Clock, Event, EventKind, Role, Status};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::callback::{CallbackPolicy, Rating, dissatisfied_options, may_reopen_closed};
use crate::error::{CaseError, Msg, has_text};
use crate::routing::{Assignment, QueueId, RouteSource};

/// The current state of a case: a projection of its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    pub id: CaseId,
    pub channel: Channel,
    pub status: Status,
    pub assignment: Option<Assignment>,
    pub accepted_at: OffsetDateTime,
    /// Time of the last history record.
    pub updated_at: OffsetDateTime,
    /// Sequence number of the last history record (0 = acceptance).
    pub seq: u32,
    /// Set while resolved, in callback or closed.
    pub resolved_at: Option<OffsetDateTime>,
    /// Set only while closed.
    pub closed_at: Option<OffsetDateTime>,
    /// The rating of the current resolution round.
    pub rating: Option<Rating>,
    pub reopen_count: u8,
    /// Unanswered callback attempts in the current round.
    pub callback_attempts: u8,
}

/// One row of a case's history: the unit the storage layer appends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRecord {
    pub case_id: CaseId,
    /// 0 for acceptance, then +1 per record.
    pub seq: u32,
    pub at: OffsetDateTime,
    pub actor_role: Role,
    pub event: Event,
    /// `None` only for acceptance.
    pub from: Option<Status>,
    pub to: Status,
    /// Lead queue after the transition.
    pub lead: Option<QueueId>,
}

/// Side effects the caller must carry out after storing the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Open a callback task (see [`crate::callback::callback_task`]).
    CreateCallbackTask,
    /// Close the open callback task.
    CloseCallbackTask,
    /// Tell the resident what is missing.
    AskResidentForMaterials { missing: String },
    /// Tell the resident the case was rejected and why.
    TellResidentRejected { reason: String },
}

/// The result of a legal event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub state: CaseState,
    pub record: HistoryRecord,
    pub effects: Vec<Effect>,
}

const INTAKE_ROLES: &[Role] = &[Role::FrontDesk, Role::System];

/// Creates a case: front desk (counter, hotline) or system (web, Open311).
pub fn accept(id: CaseId, channel: Channel, actor_role: Role, at: OffsetDateTime) -> Result<Transition, CaseError> {
    if !INTAKE_ROLES.contains(&actor_role) {
        return Err(CaseError::RoleNotAllowed { role: actor_role, event: EventKind::Accept });
    }
    let state = CaseState {
        id: id.clone(),
        channel,
        status: Status::Accepted,
        assignment: None,
        accepted_at: at,
        updated_at: at,
        seq: 0,
        resolved_at: None,
        closed_at: None,
        rating: None,
        reopen_count: 0,
        callback_attempts: 0,
    };
    let record = HistoryRecord {
        case_id: id,
        seq: 0,
        at,
        actor_role,
        event: Event::Accept { channel },
        from: None,
        to: Status::Accepted,
        lead: None,
    };
    Ok(Transition { state, record, effects: vec![] })
}

/// [`apply_with`] under the default [`CallbackPolicy`].
pub fn apply(case: &CaseState, event: Event, actor_role: Role, at: OffsetDateTime) -> Result<Transition, CaseError> {
    apply_with(case, event, actor_role, at, &CallbackPolicy::default())
}

/// Applies one event: checks the rules table, the event's own rules and the
/// time order, and returns the next state with its history record.
pub fn apply_with(
    case: &CaseState,
    event: Event,
    actor_role: Role,
    at: OffsetDateTime,
    policy: &CallbackPolicy,
) -> Result<Transition, CaseError> {
    let kind = event.kind();
    let rows: Vec<&RuleRow> = RULES.iter().filter(|r| r.event == kind && r.from.contains(&case.status)).collect();
    if rows.is_empty() {
        return Err(CaseError::IllegalTransition { from: case.status, event: kind });
    }
    let Some(row) = rows.iter().find(|r| r.roles.contains(&actor_role)) else {
        return Err(CaseError::RoleNotAllowed { role: actor_role, event: kind });
    };
    if row.reason_required && !event.reason().is_some_and(has_text) {
        return Err(CaseError::ReasonRequired { event: kind });
    }
    if at < case.updated_at {
        return Err(CaseError::RuleForbids(Msg::new(
            "事件时间早于案件上一条记录",
            "the event is dated before the case's last record",
        )));
    }

    let mut next = case.clone();
    let mut effects = Vec::new();
    next.updated_at = at;
    next.seq = case.seq + 1;
    match &event {
        Event::Accept { .. } => unreachable!("no rules row for accept"),
        Event::Route { assignment } => {
            assignment.validate()?;
            if matches!(assignment.source, RouteSource::Transfer { .. }) {
                return Err(CaseError::RuleForbids(Msg::new(
                    "转办请使用“转办”操作",
                    "use the transfer event to move a case between queues",
                )));
            }
            next.assignment = Some(assignment.clone());
            next.status = Status::Routed;
        }
        Event::Start | Event::Arrive | Event::MaterialsReceived => {
            next.status = Status::InProgress;
        }
        Event::ReturnForMaterials { missing } => {
            next.status = Status::ReturnedForMaterials;
            effects.push(Effect::AskResidentForMaterials { missing: missing.clone() });
        }
        Event::Transfer { lead, co_handlers, reason } => {
            let from = case.assignment.as_ref().map(|a| a.lead.clone());
            if from.as_ref() == Some(lead) {
                return Err(CaseError::RuleForbids(Msg::new(
                    "案件已在该队列，无需转办",
                    "the case is already in that queue",
                )));
            }
            let a = Assignment {
                lead: lead.clone(),
                co_handlers: co_handlers.clone(),
                source: RouteSource::Transfer {
                    from: from.unwrap_or_else(|| QueueId::new("")),
                    reason: reason.clone(),
                },
            };
            a.validate()?;
            next.assignment = Some(a);
            next.status = Status::Routed;
        }
        Event::SendBack { .. } => {
            next.assignment = None;
            next.status = Status::Accepted;
        }
        Event::Reject { reason } => {
            next.status = Status::Rejected;
            effects.push(Effect::TellResidentRejected { reason: reason.clone() });
        }
        Event::Resolve { .. } => {
            next.status = Status::Resolved;
            next.resolved_at = Some(at);
            next.rating = None;
            next.callback_attempts = 0;
            effects.push(Effect::CreateCallbackTask);
        }
        Event::StartCallback => {
            next.status = Status::Callback;
        }
        Event::CallbackNoAnswer => {
            if case.rating.is_some() {
                return Err(already_rated());
            }
            next.callback_attempts = case.callback_attempts.saturating_add(1);
        }
        Event::Rate { rating, .. } => {
            rating.validate()?;
            if case.rating.is_some() {
                return Err(already_rated());
            }
            next.rating = Some(*rating);
            if rating.is_dissatisfied() {
                next.status = Status::Callback;
            } else {
                next.status = Status::Closed;
                next.closed_at = Some(at);
                effects.push(Effect::CloseCallbackTask);
            }
        }
        Event::Reopen { .. } => {
            let allowed = match case.status {
                Status::Callback => {
                    case.rating.is_some_and(|r| r.is_dissatisfied())
                        && dissatisfied_options(case.reopen_count, policy).reopen
                }
                Status::Closed => case.closed_at.is_some_and(|c| may_reopen_closed(c, at, case.reopen_count, policy)),
                _ => false,
            };
            if !allowed {
                return Err(CaseError::RuleForbids(Msg::new(
                    "按规则不能重新办理：须为不满意评价或在结案后时限内，且未超过重办次数上限",
                    "reopening is not allowed by the rules: it needs a dissatisfied rating or \
                     the reopen window after closing, within the reopen limit",
                )));
            }
            if case.status == Status::Callback {
                effects.push(Effect::CloseCallbackTask);
            }
            next.status = Status::InProgress;
            next.reopen_count = case.reopen_count + 1;
            next.rating = None;
            next.resolved_at = None;
            next.closed_at = None;
            next.callback_attempts = 0;
        }
        Event::CloseWithNote { .. } => {
            let allowed = match case.rating {
                Some(r) if r.is_dissatisfied() => dissatisfied_options(case.reopen_count, policy).close_with_note,
                Some(_) => false,
                None => case.callback_attempts >= policy.max_attempts,
            };
            if !allowed {
                return Err(CaseError::RuleForbids(Msg::new(
                    "按规则不能附说明结案：不满意案件须先重新办理，未接通须达到回访次数",
                    "closing with a note is not allowed by the rules: a dissatisfied case \
                     must be reopened first, an unreachable resident needs more attempts",
                )));
            }
            next.status = Status::Closed;
            next.closed_at = Some(at);
            effects.push(Effect::CloseCallbackTask);
        }
    }
    let record = HistoryRecord {
        case_id: case.id.clone(),
        seq: next.seq,
        at,
        actor_role,
        event,
        from: Some(case.status),
        to: next.status,
        lead: next.assignment.as_ref().map(|a| a.lead.clone()),
    };
    Ok(Transition { state: next, record, effects })
}

fn already_rated() -> CaseError {
    CaseError::RuleForbids(Msg::new("本轮已有满意度评价", "this round already has a rating"))
}

/// The events whose table rows admit this status and role. Event-specific
/// rules (callback policy, reasons) are checked only by [`apply`].
pub fn allowed_events(case: &CaseState, role: Role) -> Vec<EventKind> {
    let mut out: Vec<EventKind> = Vec::new();
    for r in RULES {
        if r.from.contains(&case.status) && r.roles.contains(&role) && !out.contains(&r.event) {
            out.push(r.event);
        }
    }
    out
}

impl CaseState {
    /// Rebuilds a case from its stored history, re-checking every record
    /// against the rules: a history that the rules would not produce is
    /// refused.
    pub fn replay(history: &[HistoryRecord], policy: &CallbackPolicy) -> Result<Self, CaseError> {
        let corrupt = |zh: &str, en: &str| CaseError::CorruptHistory(Msg::new(zh, en));
        let Some(first) = history.first() else {
            return Err(corrupt("历史记录为空", "empty history"));
        };
        let Event::Accept { channel } = first.event else {
            return Err(corrupt("历史记录须以受理开始", "history must start with acceptance"));
        };
        let t = accept(first.case_id.clone(), channel, first.actor_role, first.at)?;
        if t.record != *first {
            return Err(corrupt("受理记录不一致", "acceptance record does not match"));
        }
        let mut state = t.state;
        for rec in &history[1..] {
            let t = apply_with(&state, rec.event.clone(), rec.actor_role, rec.at, policy)?;
            if t.record != *rec {
                return Err(corrupt(
                    &format!("第{}条记录与规则推导结果不一致", rec.seq),
                    &format!("record {} does not match what the rules produce", rec.seq),
                ));
            }
            state = t.state;
        }
        Ok(state)
    }

    /// Internal consistency; every state [`apply`] returns satisfies it.
    pub fn check_invariants(&self, policy: &CallbackPolicy) -> Result<(), Msg> {
        let fail = |zh: &str, en: &str| Err(Msg::new(zh, en));
        let needs_queue = !matches!(self.status, Status::Accepted | Status::Rejected);
        if self.status == Status::Accepted && self.assignment.is_some() {
            return fail("待分派案件不应有承办队列", "an accepted case has no queue");
        }
        if needs_queue && self.assignment.is_none() {
            return fail("已分派案件须有承办队列", "a routed case needs a queue");
        }
        if let Some(a) = &self.assignment {
            a.validate().map_err(|e| e.msg())?;
        }
        if self.closed_at.is_some() != (self.status == Status::Closed) {
            return fail("结案时间与状态不符", "closed_at does not match the status");
        }
        let resolved = matches!(self.status, Status::Resolved | Status::Callback | Status::Closed);
        if self.resolved_at.is_some() != resolved {
            return fail("办结时间与状态不符", "resolved_at does not match the status");
        }
        match (self.status, self.rating) {
            (Status::Callback | Status::Closed, _) | (_, None) => {}
            _ => return fail("只有回访中或已结案的案件有评价", "only callback or closed cases carry a rating"),
        }
        if self.status == Status::Callback && self.rating.is_some_and(|r| !r.is_dissatisfied()) {
            return fail("满意评价应直接结案", "a satisfied rating closes the case");
        }
        if self.reopen_count > policy.max_reopens {
            return fail("重办次数超过上限", "reopened more often than allowed");
        }
        if self.updated_at < self.accepted_at {
            return fail("时间顺序错误", "updated before accepted");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
