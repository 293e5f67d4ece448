//! The case's vocabulary: ids, channels, roles, statuses and events.

use serde::{Deserialize, Serialize};

use crate::callback::Rating;
use crate::routing::{Assignment, QueueId};

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
