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

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::callback::{CallbackPolicy, Rating, dissatisfied_options, may_reopen_closed};
use crate::error::{CaseError, Msg, has_text};
use crate::routing::{Assignment, QueueId, RouteSource};

/// A case's id, assigned by the storage layer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CaseId(pub String);

impl CaseId {
    pub fn new(s: impl Into<String>) -> Self {
        CaseId(s.into())
    }
}

/// Where the request came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// The one-stop service centre's counter.
    Counter,
    /// The 2881890 community hotline.
    Hotline,
    Web,
    /// Open311 GeoReport v2 `POST /requests`.
    Open311,
}

/// Who triggers an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Front-desk worker at the counter or on the hotline.
    FrontDesk,
    /// Back-office handler in the case's queue.
    Handler,
    /// The queue's supervisor.
    Supervisor,
    /// The resident who made the request.
    Resident,
    /// A contracted service provider's worker.
    Provider,
    /// Automatic intake and routing.
    System,
}

impl Role {
    pub fn names(&self) -> (&'static str, &'static str) {
        match self {
            Role::FrontDesk => ("前台受理员", "front desk"),
            Role::Handler => ("后台承办人", "back-office handler"),
            Role::Supervisor => ("队列主管", "supervisor"),
            Role::Resident => ("居民", "resident"),
            Role::Provider => ("服务商", "service provider"),
            Role::System => ("系统", "system"),
        }
    }
}

/// A case's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Accepted at the front desk; waiting to be routed (again).
    Accepted,
    /// In a back-office queue, not yet started.
    Routed,
    InProgress,
    /// Waiting for the resident's materials; the clock is stopped.
    ReturnedForMaterials,
    /// Handled; a callback task is open.
    Resolved,
    /// Callback under way or a dissatisfied rating awaits a decision.
    Callback,
    Closed,
    /// Refused with a reason. Terminal.
    Rejected,
}

/// How the time-limit clock treats a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clock {
    Running,
    /// Stopped while waiting for materials; resumes afterwards.
    Stopped,
    /// The office's work is done (resolved, closed or rejected).
    Finished,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Accepted,
        Status::Routed,
        Status::InProgress,
        Status::ReturnedForMaterials,
        Status::Resolved,
        Status::Callback,
        Status::Closed,
        Status::Rejected,
    ];

    pub fn names(&self) -> (&'static str, &'static str) {
        match self {
            Status::Accepted => ("已受理", "accepted"),
            Status::Routed => ("已分派", "routed"),
            Status::InProgress => ("办理中", "in progress"),
            Status::ReturnedForMaterials => ("退回补正材料", "returned for materials"),
            Status::Resolved => ("已办结", "resolved"),
            Status::Callback => ("回访中", "in callback"),
            Status::Closed => ("已结案", "closed"),
            Status::Rejected => ("已驳回", "rejected"),
        }
    }

    pub fn clock(&self) -> Clock {
        match self {
            Status::Accepted | Status::Routed | Status::InProgress => Clock::Running,
            Status::ReturnedForMaterials => Clock::Stopped,
            Status::Resolved | Status::Callback | Status::Closed | Status::Rejected => Clock::Finished,
        }
    }

    /// Not closed and not rejected (candidates for duplicate checks).
    pub fn is_open(&self) -> bool {
        !matches!(self, Status::Closed | Status::Rejected)
    }
}

/// Something that happens to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Creation; only [`accept`] produces it.
    Accept {
        channel: Channel,
    },
    /// Automatic or manual routing to a queue.
    Route {
        assignment: Assignment,
    },
    /// A handler starts work.
    Start,
    /// A provider's worker arrives on site.
    Arrive,
    ReturnForMaterials {
        missing: String,
    },
    MaterialsReceived,
    /// To another queue.
    Transfer {
        lead: QueueId,
        co_handlers: Vec<QueueId>,
        reason: String,
    },
    /// "Not ours": back to routing.
    SendBack {
        reason: String,
    },
    Reject {
        reason: String,
    },
    Resolve {
        summary: String,
    },
    StartCallback,
    CallbackNoAnswer,
    Rate {
        rating: Rating,
        comment: Option<String>,
    },
    Reopen {
        reason: String,
    },
    CloseWithNote {
        note: String,
    },
}

/// The payload-free name of an event, used by the rules table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Accept,
    Route,
    Start,
    Arrive,
    ReturnForMaterials,
    MaterialsReceived,
    Transfer,
    SendBack,
    Reject,
    Resolve,
    StartCallback,
    CallbackNoAnswer,
    Rate,
    Reopen,
    CloseWithNote,
}

impl EventKind {
    pub fn names(&self) -> (&'static str, &'static str) {
        match self {
            EventKind::Accept => ("受理", "accept"),
            EventKind::Route => ("分派", "route"),
            EventKind::Start => ("开始办理", "start"),
            EventKind::Arrive => ("到场", "arrive"),
            EventKind::ReturnForMaterials => ("退回补正材料", "return for materials"),
            EventKind::MaterialsReceived => ("收到补正材料", "materials received"),
            EventKind::Transfer => ("转办", "transfer"),
            EventKind::SendBack => ("退回分派（非本单位职责）", "send back (not ours)"),
            EventKind::Reject => ("驳回", "reject"),
            EventKind::Resolve => ("办结", "resolve"),
            EventKind::StartCallback => ("开始回访", "start callback"),
            EventKind::CallbackNoAnswer => ("回访未接通", "callback not answered"),
            EventKind::Rate => ("满意度评价", "rate"),
            EventKind::Reopen => ("重新办理", "reopen"),
            EventKind::CloseWithNote => ("附说明结案", "close with note"),
        }
    }
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Event::Accept { .. } => EventKind::Accept,
            Event::Route { .. } => EventKind::Route,
            Event::Start => EventKind::Start,
            Event::Arrive => EventKind::Arrive,
            Event::ReturnForMaterials { .. } => EventKind::ReturnForMaterials,
            Event::MaterialsReceived => EventKind::MaterialsReceived,
            Event::Transfer { .. } => EventKind::Transfer,
            Event::SendBack { .. } => EventKind::SendBack,
            Event::Reject { .. } => EventKind::Reject,
            Event::Resolve { .. } => EventKind::Resolve,
            Event::StartCallback => EventKind::StartCallback,
            Event::CallbackNoAnswer => EventKind::CallbackNoAnswer,
            Event::Rate { .. } => EventKind::Rate,
            Event::Reopen { .. } => EventKind::Reopen,
            Event::CloseWithNote { .. } => EventKind::CloseWithNote,
        }
    }

    /// The free text a reason-requiring event carries.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Event::ReturnForMaterials { missing: r }
            | Event::Transfer { reason: r, .. }
            | Event::SendBack { reason: r }
            | Event::Reject { reason: r }
            | Event::Resolve { summary: r }
            | Event::Reopen { reason: r }
            | Event::CloseWithNote { note: r } => Some(r),
            _ => None,
        }
    }
}

/// One row of the rules table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRow {
    pub event: EventKind,
    pub from: &'static [Status],
    pub roles: &'static [Role],
    pub reason_required: bool,
}

use Role as R;
use Status as S;

const ACTIVE: &[Status] = &[S::Routed, S::InProgress];

/// Which roles may trigger which events from which states. An event may
/// have several rows (e.g. the front desk may reject only before routing).
/// `accept` has no row: cases are created by [`accept`] only.
pub const RULES: &[RuleRow] = &[
    RuleRow {
        event: EventKind::Route,
        from: &[S::Accepted],
        roles: &[R::FrontDesk, R::Supervisor, R::System],
        reason_required: false, // a manual override carries its reason in the assignment
    },
    RuleRow {
        event: EventKind::Start,
        from: &[S::Routed],
        roles: &[R::Handler, R::Supervisor],
        reason_required: false,
    },
    RuleRow { event: EventKind::Arrive, from: ACTIVE, roles: &[R::Provider], reason_required: false },
    RuleRow {
        event: EventKind::ReturnForMaterials,
        from: ACTIVE,
        roles: &[R::Handler, R::Supervisor],
        reason_required: true,
    },
    RuleRow {
        event: EventKind::MaterialsReceived,
        from: &[S::ReturnedForMaterials],
        roles: &[R::FrontDesk, R::Handler, R::Supervisor],
        reason_required: false,
    },
    RuleRow { event: EventKind::Transfer, from: ACTIVE, roles: &[R::Supervisor], reason_required: true },
    RuleRow { event: EventKind::SendBack, from: ACTIVE, roles: &[R::Handler, R::Supervisor], reason_required: true },
    RuleRow {
        event: EventKind::Reject,
        from: &[S::Accepted],
        roles: &[R::FrontDesk, R::Supervisor],
        reason_required: true,
    },
    RuleRow {
        event: EventKind::Reject,
        from: &[S::Routed, S::InProgress, S::ReturnedForMaterials],
        roles: &[R::Supervisor],
        reason_required: true,
    },
    RuleRow {
        event: EventKind::Resolve,
        from: &[S::InProgress],
        roles: &[R::Handler, R::Supervisor, R::Provider],
        reason_required: true,
    },
    RuleRow {
        event: EventKind::StartCallback,
        from: &[S::Resolved],
        roles: &[R::FrontDesk, R::Supervisor],
        reason_required: false,
    },
    RuleRow {
        event: EventKind::CallbackNoAnswer,
        from: &[S::Callback],
        roles: &[R::FrontDesk, R::Supervisor],
        reason_required: false,
    },
    RuleRow {
        event: EventKind::Rate,
        from: &[S::Resolved, S::Callback],
        roles: &[R::Resident],
        reason_required: false,
    },
    // During the callback call (回访) the operator records the rating the resident gives on the phone.
    RuleRow { event: EventKind::Rate, from: &[S::Callback], roles: &[R::FrontDesk], reason_required: false },
    RuleRow {
        event: EventKind::Reopen,
        from: &[S::Callback, S::Closed],
        roles: &[R::Supervisor],
        reason_required: true,
    },
    RuleRow { event: EventKind::CloseWithNote, from: &[S::Callback], roles: &[R::Supervisor], reason_required: true },
];

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
