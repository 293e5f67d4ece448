//! Direct elections of residents' committees (居委会直选), pure: the rules of
//! rules.md §1.1, §1.3–§1.5, §1.13 and §2, each named after its rule id,
//! under a provincial [`Ruleset`] whose defaults are marked "安徽: to be confirmed".
//! No I/O, no async; every count is an exact integer comparison.
//!
//! - [`scenario`]: one round in the JSON format of `shared/data/elections/README.md`.
//! - [`tally`]: the count of a round (§2.8, §2.14–§2.19).
//! - [`calendar`]: the legal gaps before election day (§2.3–§2.5, §2.9, §2.18, §2.20).
//! - [`roll`]: voter eligibility and one registration per cycle (§1.4, §2.1, §2.2).
//! - [`nomination`]: nominations, 海选 and the candidate list (§2.6–§2.10).
//! - [`polling`]: mode, proxies, boxes, tellers, reconciliation (§1.5, §2.11–§2.15, §2.23).
//! - [`sheet`]: a box's tally sheet laid out as the ballots it counts (§2.15, §2.16).
//! - [`rounds`]: run-offs, 另行选举 and further elections after the first round; the filing (§2.17, §2.18, §2.20).
//! - [`committee`]: seats, term and changes between elections (§1.1, §1.3, §1.13, §2.21, §2.22; §1.10 is `rules::between`).
#![forbid(unsafe_code)]

pub mod calendar;
pub mod committee;
pub mod fuzz;
pub mod nomination;
pub mod polling;
pub mod roll;
pub mod rounds;
pub mod ruleset;
pub mod scenario;
pub mod sheet;
pub mod tally;

pub use rules::Msg;
pub use ruleset::Ruleset;
pub use scenario::{Scenario, ScenarioError, parse};
pub use tally::{Outcome, Refusal, tally};
