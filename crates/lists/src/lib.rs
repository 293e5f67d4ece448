//! `lists`: the pure rules of Tongling's four lists (2014 de-administration)
//! and of community access approval (社区准入审批).
//!
//! * [`model`]: lists, entries, applications (plain data, fen).
//! * [`version`]: draft → reviewed → published versions; [`version::diff`].
//! * [`similarity`](mod@similarity): Chinese title similarity on character bigrams, and the
//!   inverted bigram index.
//! * [`inforce`]: the four published lists in force on a date, indexed.
//! * [`check`](mod@check): automatic checks of an access application, each citing its
//!   rule (rules §3, §1.16).
//! * [`application`]: an access application's form input, parsed with all its field errors.
//! * [`entry`]: a list entry's form or spreadsheet input, parsed the same way; XLSX import rows.
//! * [`form`]: the field parsers both share (dates, yuan, counts, the funding basis).
//! * [`refuse`]: the community's right to refuse unapproved work.
//! * [`burden`]: the work in force on communities per month (the burden over time).
//! * [`funding`]: transfers owed for approved assistance work (费随事转).
//! * [`demo`]: the example items of rules §3c (illustrative, not Tongling).
//!
//! No I/O, no clock: the caller passes `today`, the history and the roster.

pub mod application;
pub mod burden;
pub mod check;
pub mod demo;
pub mod entry;
pub mod form;
pub mod funding;
pub mod inforce;
pub mod model;
pub mod refuse;
pub mod similarity;
pub mod version;

pub use check::{CheckId, CheckReport, CheckResult, Match, Outcome, Verdict, check};
pub use form::FieldError;
pub use funding::{FundingError, FundingPlan, Transfer, funding_obligation};
pub use inforce::{CheckConfig, IndexedList, ListsInForce};
pub use model::*;
pub use refuse::{Approval, RefusalReason, RefusalTally, Task, may_refuse, refusal_reason, refusal_tally};
pub use similarity::{SimilarityConfig, normalize, similarity};
pub use version::{ListDiff, ListVersion, ListsError, Status, diff};
