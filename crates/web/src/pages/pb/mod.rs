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

/// `?done=<code>`: what the last action did, said by the page in its own
/// words. Only codes travel in the address, so a link cannot make an official
/// success message say anything else.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

/// The actions a page of resident-chosen projects reports after a redirect.
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

const DID: &[(Did, &str, &str, &str)] = &[
    (Did::Proposed, "proposed", "项目已提交，等待评审", "Proposal submitted; it awaits review"),
    (Did::Reviewed, "reviewed", "评审已记录", "Review recorded"),
    (Did::Advanced, "advanced", "已进入下一阶段", "The call moved on to its next phase"),
    (Did::Voted, "voted", "投票成功，谢谢参与", "Your ballot is cast. Thank you"),
    (Did::PaperBallot, "paper-ballot", "纸质选票已录入", "Paper ballot entered"),
    (Did::MilestoneAdded, "milestone-added", "节点已添加", "Milestone added"),
    (Did::MilestoneDone, "milestone-done", "节点已完成", "Milestone done"),
    (Did::Rated, "rated", "谢谢您的评价", "Thank you for your rating"),
];

impl Done {
    /// The message of a known code; an unknown code says nothing.
    fn message(&self, ctx: &Ctx) -> Option<(bool, String)> {
        let code = self.done.as_deref()?;
        DID.iter().find(|(_, c, _, _)| *c == code).map(|(_, _, zh, en)| (true, ctx.t(zh, en).to_string()))
    }
}

fn code(did: Did) -> &'static str {
    DID.iter().find(|(d, ..)| *d == did).map(|(_, c, ..)| *c).unwrap_or("")
}

/// After a successful action, go back to the page (so a reload does not repeat the action) and
/// say what happened there.
fn back_to(path: &str, did: Did) -> Response {
    Redirect::to(&format!("{path}?done={}", code(did))).into_response()
}

#[cfg(test)]
mod done_tests {
    use super::*;

    #[test]
    fn only_known_codes_become_messages() {
        let ctx = Ctx { lang: crate::i18n::Lang::Zh, principal: None, path: "/".into() };
        let said = |c: &str| Done { done: Some(c.into()) }.message(&ctx);
        assert_eq!(said("voted"), Some((true, "投票成功，谢谢参与".into())));
        assert_eq!(said("您的账号已被冻结，请拨打4008123123"), None);
        for (did, ..) in DID {
            assert_eq!(said(code(*did)).map(|m| m.0), Some(true));
        }
    }
}

/// A form body as an action's command: a value of the wrong shape is its field's 422.
fn command<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    Ok(super::form::from_pairs(&super::form_pairs(body))?)
}
