//! `pb` — participatory budgeting for shequ.
//!
//! Pure Rust, no I/O: a reader/writer for the [pabulib](https://pabulib.org)
//! `.pb` format ([`parse()`], [`write()`]), a data model ([`Election`]) and
//! the standard PB rules with exact arithmetic and per-project explanations
//! ([`solve()`]):
//!
//! | name | rule |
//! |---|---|
//! | `greedy` | greedy approval voting, skipping projects that do not fit |
//! | `greedy-no-skip` | greedy, stopping at the first project that does not fit |
//! | `greedy-points` | greedy by total points (cumulative ballots) |
//! | `greedy-threshold` | greedy among projects reaching META `min_project_score_threshold` |
//! | `mes` | Method of Equal Shares, cost satisfaction |
//! | `mes-add1` | MES with the Add1 completion |
//! | `mes-add1-greedy` | MES Add1, then greedy on what is left |
//! | `mes-cardinality` | MES, cardinality satisfaction |
//! | `phragmen` | sequential Phragmén |
//!
//! Outcomes agree with pabutools 1.2.3 (its defaults: exact fractions, ties
//! to the smaller project id as text).
//!
//! ```
//! let text = "META\nkey;value\nbudget;10\nvote_type;approval\n\
//!             PROJECTS\nproject_id;cost\na;6\nb;5\nc;4\n\
//!             VOTES\nvoter_id;vote\n1;a,c\n2;a\n3;b\n";
//! let election = pb::parse(text).unwrap();
//! let rule: pb::Rule = "greedy".parse().unwrap();
//! let outcome = pb::solve(&election, rule, pb::TieBreak::default());
//! assert_eq!(outcome.selected, ["a", "c"]);
//! ```

pub mod explain;
pub mod fuzz;
pub mod model;
pub mod parse;
pub mod rules;

pub use explain::{Explanation, Outcome};
pub use model::{Ballot, Election, Profile, Project, VoteType};
pub use parse::{ParseError, parse, write};
pub use rules::{Rule, TieBreak, UnknownName, solve, solve_profile};
