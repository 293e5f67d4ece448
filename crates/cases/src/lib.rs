//! shequ's case engine: the pure rules behind the community one-stop
//! service centre — "前台一口受理、后台分类处置" (the front desk accepts
//! everything at one window, the back office handles by category) — and the
//! 2881890 community hotline. Every request from the counter, the hotline,
//! the web or the Open311 GeoReport v2 API becomes one case.
//!
//! No I/O, no async, no clock reads: every function takes the time it
//! needs as an argument.
//!
//! - [`state`]: the case state machine and its rules table.
//! - [`routing`]: routing rules as data and the resolver.
//! - [`calendar`]: working days, holidays and make-up working days.
//! - [`sla`](mod@sla): deadlines, warnings, overdue and escalation from history.
//! - [`callback`]: callback tasks, ratings and the dissatisfied rule.
//! - [`duplicates`](mod@duplicates): flagging probable duplicates.
//! - [`intake`]: what the counter checks first: the applicant's ID number (I1), a place of the community (I2).
#![forbid(unsafe_code)]

pub mod calendar;
pub mod callback;
pub mod duplicates;
pub mod error;
pub mod intake;
pub mod routing;
pub mod sla;
pub mod state;

pub use calendar::{Calendar, DayKind, OfficialYear};
pub use callback::{CallbackPolicy, Rating};
pub use duplicates::{CaseSummary, duplicates};
pub use error::{CaseError, Msg};
pub use routing::{Assignment, QueueId, RoutingTable};
pub use sla::{SlaPolicy, SlaState, SlaStatus, sla};
pub use state::{CaseId, CaseState, Event, HistoryRecord, Role, Status, Transition, accept, apply};
