//! Community service projects chosen by residents (项目化管理 = participatory
//! budgeting): calls, proposals, feasibility review, ballots, selection by a
//! rule of the `pb` engine, and a budget line per selected project.

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

mod ballots;
mod calls;
mod execution;
mod pabulib;
mod proposals;

pub use ballots::*;
pub use calls::*;
pub use execution::*;
pub use pabulib::*;
pub use proposals::*;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub description: String,
    pub budget_fen: i64,
    pub phase: Phase,
    #[sqlx(try_from = "crate::typed::Text")]
    #[serde(with = "crate::typed::word")]
    pub ballot_kind: pb::VoteType,
    pub min_choices: i64,
    pub max_choices: Option<i64>,
    pub max_cost_fen: Option<i64>,
    pub points: Option<i64>,
    pub rule: String,
    pub created_at: String,
    pub proposals_until: Option<String>,
    pub voting_until: Option<String>,
    /// `id` (pabutools: smaller project id as text) or `cost` (lower cost, then more votes).
    pub tie_break: String,
}

impl Call {
    pub fn tie(&self) -> pb::TieBreak {
        if self.tie_break == "cost" { pb::TieBreak::CostThenVotes } else { pb::TieBreak::Lexicographic }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub call_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub location: String,
    pub cost_fen: i64,
    pub proposed_cost_fen: i64,
    pub proposer: String,
    pub status: ProjectStatus,
    pub review_score: Option<i64>,
    pub review_note: String,
    pub selected: i64,
    pub created_at: String,
}

words! {
    /// The phases of a call, in order. A call only moves forward.
    pub enum Phase, "call phase" {
        Proposals => "proposals",
        Review => "review",
        Voting => "voting",
        Closed => "closed",
    }
}

impl Phase {
    /// The phase after this one; none after the close.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Proposals => Some(Phase::Review),
            Phase::Review => Some(Phase::Voting),
            Phase::Voting => Some(Phase::Closed),
            Phase::Closed => None,
        }
    }
}

words! {
    /// A proposed project's review.
    pub enum ProjectStatus, "project status" {
        Proposed => "proposed",
        Approved => "approved",
        Rejected => "rejected",
    }
}

/// Parse a positive amount in yuan ("12000", "12000.50") into fen, through
/// [`ledger::Yuan`]; a bad amount is `field`'s error.
pub fn parse_yuan(field: &str, s: &str) -> Result<i64> {
    ledger::Yuan::parse_amount(s).map(ledger::Yuan::fen).map_err(|e| StoreError::invalid(field, e.msg()))
}

/// An amount for pages and messages: yuan with two decimals
/// ("830000.00", "12.05", "-1.50"), as every page shows money.
pub fn yuan(fen: i64) -> String {
    ledger::Yuan(fen).to_string()
}

fn opt_date(field: &str, s: &Option<String>) -> Result<Option<String>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => clock::parse_date(v)
            .map(|d| Some(d.to_string()))
            .ok_or_else(|| bad(field, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")),
    }
}

fn opt_int(field: &str, s: &Option<String>) -> Result<Option<i64>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| bad(field, "应为非负整数", "must be a whole number ≥ 0")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_parsing_is_exact() {
        assert_eq!(parse_yuan("x", "830000").unwrap(), 83_000_000);
        assert_eq!(parse_yuan("x", "12.5").unwrap(), 1250);
        assert_eq!(parse_yuan("x", "12.05").unwrap(), 1205);
        assert_eq!(parse_yuan("x", "1,000").unwrap(), 100_000);
        for bad in ["", "-5", "0", "1.234", "abc", "1e5"] {
            assert!(parse_yuan("x", bad).is_err(), "{bad}");
        }
        assert_eq!(yuan(1205), "12.05");
        assert_eq!(yuan(83_000_000), "830000.00");
        assert_eq!(yuan(-150), "-1.50");
    }
}
