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
use axum::response::{IntoResponse, Redirect, Response};
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
    ("mes-add1-greedy", "均等份额法（Equal Shares，补足后贪心）", "Method of Equal Shares (Add1, then greedy)"),
    ("mes", "均等份额法（不补足）", "Method of Equal Shares (no completion)"),
    ("greedy", "按票数从高到低（放不下则跳过）", "Greedy by votes (skip what does not fit)"),
    ("greedy-no-skip", "按票数从高到低（放不下即停止）", "Greedy by votes (stop at the first that does not fit)"),
    ("phragmen", "序贯Phragmén法", "Sequential Phragmén"),
];

fn rule_name(ctx: &Ctx, rule: &str) -> String {
    RULES
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map(|(_, zh, en)| ctx.t(zh, en).to_string())
        .unwrap_or_else(|| rule.to_string())
}

/// `?done=…`: what the last action did, shown on the page it went back to.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

/// After a successful action, go back to the page (so a reload does not repeat the action) and
/// say what happened there.
fn back_to(path: &str, msg: &str) -> Response {
    Redirect::to(&format!("{path}?done={}", super::urlencode(msg))).into_response()
}

/// A form body as an action's command: a value of the wrong shape is its field's 422.
fn command<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    Ok(super::form::from_pairs(&super::form_pairs(body))?)
}
