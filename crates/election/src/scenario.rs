//! One round of a residents' committee election in the JSON format of
//! `shared/data/elections/README.md`. [`parse`] never panics: malformed text,
//! a missing or mistyped field, a post without seats, a name listed twice, a
//! blank name or counts that overflow are each a [`ScenarioError`] saying where.

use std::collections::{BTreeMap, BTreeSet};

use rules::Msg;
use serde::Deserialize;

/// 首轮 (`first`), 另行选举 (`repeat`, rules §2.18), or the run-off among
/// candidates tied across the last seat (`runoff`, rules §2.17: 再次投票，以得票多的当选).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    First,
    Repeat,
    Runoff,
}

/// A post on the ballot: its name (主任, 副主任, 委员), seats and formal candidates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct PostSpec {
    pub post: String,
    pub seats: u32,
    #[serde(default)]
    pub candidates: Vec<String>,
}

/// `count` identical ballots; `votes` maps a post to the names marked for it
/// (a post missing from the map is a blank part: a valid abstention).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct BallotGroup {
    pub count: u64,
    #[serde(default)]
    pub votes: BTreeMap<String, Vec<String>>,
}

/// One round as read from a scenario file. `expected`, when present, is kept
/// as it was written so tests can compare it with the tally.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Scenario {
    #[serde(default)]
    pub name: Option<String>,
    pub round: RoundKind,
    pub registered_voters: u64,
    pub ballots_issued: u64,
    pub ballots_returned: u64,
    pub posts: Vec<PostSpec>,
    #[serde(default)]
    pub ballots: Vec<BallotGroup>,
    #[serde(default)]
    pub expected: Option<serde_json::Value>,
}

/// Why a scenario could not be read; `at` says where (a JSON line:column or a post name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub at: String,
    pub msg: Msg,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.msg)
    }
}

impl std::error::Error for ScenarioError {}

fn err(at: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> ScenarioError {
    ScenarioError { at: at.into(), msg: Msg::new(zh, en) }
}

/// Read and check one scenario.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let s: Scenario = serde_json::from_str(text).map_err(|e| {
        err(
            format!("line {} column {}", e.line(), e.column()),
            format!("选举场景格式错误：{e}"),
            format!("malformed election scenario: {e}"),
        )
    })?;
    s.check()?;
    Ok(s)
}

impl Scenario {
    /// The checks serde cannot make: every post named once, with at least one
    /// seat; candidate names non-blank and listed once per post; counts that
    /// add up without overflow.
    pub fn check(&self) -> Result<(), ScenarioError> {
        let mut posts = BTreeSet::new();
        for p in &self.posts {
            if p.post.trim().is_empty() {
                return Err(err("posts", "职务名称不能为空", "a post needs a name"));
            }
            if !posts.insert(p.post.as_str()) {
                return Err(err(&p.post, format!("职务“{}”重复", p.post), format!("post {} is listed twice", p.post)));
            }
            if p.seats == 0 {
                return Err(err(
                    &p.post,
                    format!("职务“{}”的应选人数至少为1", p.post),
                    format!("post {} needs at least one seat", p.post),
                ));
            }
            let mut names = BTreeSet::new();
            for c in &p.candidates {
                if c.trim().is_empty() {
                    return Err(err(
                        &p.post,
                        format!("职务“{}”的候选人姓名不能为空", p.post),
                        format!("post {}: a candidate's name is blank", p.post),
                    ));
                }
                if !names.insert(c.trim()) {
                    return Err(err(
                        &p.post,
                        format!("职务“{}”的候选人“{c}”重复", p.post),
                        format!("post {}: candidate {c} is listed twice", p.post),
                    ));
                }
            }
        }
        self.ballots.iter().try_fold(0u64, |sum, g| sum.checked_add(g.count)).ok_or_else(|| {
            err("ballots", "选票份数之和超出范围", "the ballot counts add up to more than can be counted")
        })?;
        Ok(())
    }

    /// The number of ballots the groups hold.
    pub fn ballots_counted(&self) -> u64 {
        self.ballots.iter().map(|g| g.count).fold(0u64, u64::saturating_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{"round":"first","registered_voters":10,"ballots_issued":8,"ballots_returned":8,
        "posts":[{"post":"主任","seats":1,"candidates":["甲","乙"]}],
        "ballots":[{"count":8,"votes":{"主任":["甲"]}}]}"#;

    #[test]
    fn a_scenario_without_name_or_expected_is_read() {
        let s = parse(OK).unwrap();
        assert_eq!(s.round, RoundKind::First);
        assert_eq!(s.ballots_counted(), 8);
        assert!(s.expected.is_none());
    }

    #[test]
    fn malformed_input_is_an_error_never_a_panic() {
        let cases = [
            "",
            "{",
            "[]",
            "null",
            r#"{"round":"second","registered_voters":1,"ballots_issued":1,"ballots_returned":1,"posts":[]}"#,
            r#"{"round":"first","registered_voters":-1,"ballots_issued":1,"ballots_returned":1,"posts":[]}"#,
            r#"{"round":"first","registered_voters":1.5,"ballots_issued":1,"ballots_returned":1,"posts":[]}"#,
            r#"{"round":"first","ballots_issued":1,"ballots_returned":1,"posts":[]}"#,
            r#"{"round":"first","registered_voters":1,"ballots_issued":1,"ballots_returned":1,"posts":[],
                "ballots":[{"count":1,"votes":{"主任":"甲"}}]}"#,
            r#"{"round":"first","registered_voters":1,"ballots_issued":1,"ballots_returned":1,"posts":[],
                "ballots":[{"count":1,"votes":{"主任":[null]}}]}"#,
        ];
        for c in cases {
            assert!(parse(c).is_err(), "{c}");
        }
        let e = parse("{\n  \"round\": 3 }").unwrap_err();
        assert!(e.at.starts_with("line 2"), "{e}");
        assert!(e.msg.zh.contains("格式错误"));
    }

    #[test]
    fn posts_need_seats_unique_names_and_unique_candidates() {
        let with = |posts: &str| {
            parse(&format!(
                r#"{{"round":"first","registered_voters":1,"ballots_issued":1,"ballots_returned":1,"posts":{posts}}}"#
            ))
        };
        assert!(with(r#"[{"post":"主任","seats":0,"candidates":["甲","乙"]}]"#).is_err());
        assert!(with(r#"[{"post":"主任","seats":1,"candidates":["甲","甲"]}]"#).is_err());
        assert!(with(r#"[{"post":"主任","seats":1,"candidates":["甲"," "]}]"#).is_err());
        assert!(with(r#"[{"post":"","seats":1,"candidates":["甲","乙"]}]"#).is_err());
        let twice = r#"[{"post":"主任","seats":1,"candidates":[]},{"post":"主任","seats":1,"candidates":[]}]"#;
        assert_eq!(with(twice).unwrap_err().at, "主任");
        assert!(with(r#"[{"post":"主任","seats":1}]"#).is_ok());
    }

    #[test]
    fn counts_that_overflow_are_an_error() {
        let max = u64::MAX;
        let text = format!(
            r#"{{"round":"first","registered_voters":1,"ballots_issued":1,"ballots_returned":1,"posts":[],
            "ballots":[{{"count":{max},"votes":{{}}}},{{"count":1,"votes":{{}}}}]}}"#
        );
        assert_eq!(parse(&text).unwrap_err().at, "ballots");
    }
}
