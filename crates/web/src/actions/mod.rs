//! One action per concept: a typed command, built from a form or from JSON,
//! and one function that executes it for a principal (scope, policy, store).
//! Page and API handlers both call it, so a write is decided in one place.
//! No HTTP or HTML here.

pub mod between;
pub mod cases;
pub mod circle;
pub mod deliberation;
pub mod election_nomination;
pub mod election_polling;
pub mod election_roll;
pub mod election_rounds;
pub mod elections;
pub mod finance;
pub mod hotline;
pub mod lists;
pub mod notify;
pub mod orgs;
pub mod party;
pub mod pb;
pub mod providers;
pub mod registry;
pub mod stewards;
