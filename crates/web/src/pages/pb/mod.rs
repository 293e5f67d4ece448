//! Community service projects chosen by residents (项目化管理): a call moves
//! through proposals → feasibility review → voting → closed; closing runs
//! the call's rule and shows why each project won or lost. Every write is an
//! action in [`crate::actions::pb`]; these pages parse the form, call it, and
//! show the outcome.
//!
//! - [`calls`]: the list of calls, opening one, a call's page, proposals, review and moving a call on;
//! - [`voting`]: ballots cast on the web and paper ballots entered at the counter;
//! - [`projects`]: a selected project carried out — milestones, spending, residents' ratings.

mod calls;
mod projects;
mod voting;

pub use calls::{advance, create_call, list, propose, review, show};
pub use projects::{add_milestone, complete_milestone, evaluate, project};
pub use voting::{paper_vote, vote};

use super::Ctx;
use crate::error::ApiError;
use axum::response::Response;
use serde::de::DeserializeOwned;
use store::budgeting::Phase;

fn phase_name(ctx: &Ctx, phase: Phase) -> String {
    match phase {
        Phase::Proposals => ctx.t("征集项目", "Proposals"),
        Phase::Review => ctx.t("可行性评审", "Feasibility review"),
        Phase::Voting => ctx.t("居民投票", "Voting"),
        Phase::Closed => ctx.t("已结束", "Closed"),
    }
    .to_string()
}

const RULES: &[(&str, &str, &str)] = &[
    ("mes-add1-greedy", "均等份额法（补足后按票数补选）", "Method of Equal Shares (Add1, then greedy)"),
    ("mes", "均等份额法（不补足）", "Method of Equal Shares (no completion)"),
    ("greedy", "按票数从高到低（放不下则跳过）", "Greedy by votes (skip what does not fit)"),
    ("greedy-no-skip", "按票数从高到低（放不下即停止）", "Greedy by votes (stop at the first that does not fit)"),
    ("phragmen", "序贯弗拉格曼法", "Sequential Phragmén"),
];

fn rule_name(ctx: &Ctx, rule: &str) -> String {
    RULES
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map(|(_, zh, en)| ctx.t(zh, en).to_string())
        .unwrap_or_else(|| rule.to_string())
}

/// The actions a page of resident-chosen projects reports after a redirect, each by its code in
/// the one table of success messages ([`crate::pages::done`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Did {
    Proposed,
    Reviewed,
    Advanced,
    Voted,
    PaperBallot,
    MilestoneAdded,
    MilestoneDone,
    Rated,
}

fn code(did: Did) -> &'static str {
    match did {
        Did::Proposed => "proposed",
        Did::Reviewed => "reviewed",
        Did::Advanced => "advanced",
        Did::Voted => "voted",
        Did::PaperBallot => "paper-ballot",
        Did::MilestoneAdded => "milestone-added",
        Did::MilestoneDone => "milestone-done",
        Did::Rated => "rated",
    }
}

/// After a successful action, go back to the page (so a reload does not repeat the action) and
/// say what happened there.
fn back_to(path: &str, did: Did) -> Response {
    super::done::redirect(path, code(did))
}

/// A form body as an action's command: a value of the wrong shape is its field's 422.
fn command<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    Ok(super::form::from_pairs(&super::form_pairs(body))?)
}
