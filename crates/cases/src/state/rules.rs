//! The rules table: for each event, the states it may come from, the roles
//! that may trigger it, and whether a reason is needed.

use super::{EventKind, Role, Status};

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
