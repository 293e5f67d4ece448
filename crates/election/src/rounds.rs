//! The rounds of one election after the first (rules §2.17, §2.18) and the
//! filing of its result (§2.20).
//!
//! After each counted round, [`next_round`] says what the procedure requires:
//! a run-off among candidates tied across the last seat (§2.17), a 另行选举 for
//! seats still unfilled with the first round's non-winners in vote order
//! (§2.18), a further election once two votes have left seats unfilled
//! (§2.18, by [`crate::calendar::further_election_due`]), a re-run of the first
//! round when it was invalid (§2.14, §2.15), or nothing: every seat is filled.
//! A re-run is a first round held again (kind [`RoundKind::First`] in
//! [`Counted`]): the last first round counted is the one the rest follows.

use std::collections::{BTreeMap, BTreeSet};

use rules::Msg;
use time::Date;

use crate::ruleset::Ruleset;
use crate::scenario::RoundKind;
use crate::tally::{Outcome, PostOutcome};

/// One counted round: its kind, the seats each post had on its ballot, and its outcome.
#[derive(Debug, Clone, Copy)]
pub struct Counted<'a> {
    pub kind: RoundKind,
    pub seats: &'a [(String, u32)],
    pub outcome: &'a Outcome,
}

/// A post on a later round's ballot: the seats still to fill and who stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundPost {
    pub post: String,
    pub seats: u32,
    pub candidates: Vec<String>,
}

/// What the procedure requires after the rounds counted so far.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "next", content = "posts")]
pub enum Next {
    /// §2.17: a run-off among the tied candidates of these posts.
    Runoff(Vec<RoundPost>),
    /// §2.18: a 另行选举 for the seats still unfilled.
    Repeat(Vec<RoundPost>),
    /// §2.18: two votes left seats unfilled; a further election is due.
    FurtherElection,
    /// §2.14, §2.15: the first round (or its last re-run) was invalid and elected
    /// nobody: the same election is voted again, every post with its seats and the
    /// published formal candidates (§2.9: the list does not change).
    Rerun,
    /// Every seat is filled.
    Complete,
}

impl Next {
    /// The kind of round this calls for, when it calls for one here.
    pub fn round_kind(&self) -> Option<RoundKind> {
        match self {
            Next::Runoff(_) => Some(RoundKind::Runoff),
            Next::Repeat(_) => Some(RoundKind::Repeat),
            Next::Rerun => Some(RoundKind::First),
            _ => None,
        }
    }

    /// The posts on the next round's ballot (empty when no round is due).
    pub fn posts(&self) -> &[RoundPost] {
        match self {
            Next::Runoff(p) | Next::Repeat(p) => p,
            _ => &[],
        }
    }

    /// Whether the rounds are over: nothing more is voted in this election.
    pub fn concluded(&self) -> bool {
        matches!(self, Next::FurtherElection | Next::Complete)
    }

    pub fn msg(&self) -> Msg {
        match self {
            Next::Runoff(_) => Msg::new(
                "有候选人得票相等，须就票数相等的候选人再次投票（规则2.17）",
                "candidates are tied across the last seat: a run-off among them is due (rule 2.17)",
            ),
            Next::Repeat(_) => Msg::new(
                "当选人数不足应选名额，须就不足的名额另行选举（规则2.18）",
                "seats are unfilled: a repeat round (另行选举) for them is due (rule 2.18)",
            ),
            Next::FurtherElection => Msg::new(
                "经两次投票当选名额仍不足，须在规定期限内再行选举（规则2.18）",
                "two votes left seats unfilled: a further election is due within the ruleset's months (rule 2.18)",
            ),
            Next::Rerun => Msg::new(
                "本轮选举无效，未产生当选人，须重新举行投票（规则2.14、2.15）",
                "the round is invalid and elected nobody: the vote is held again (rules 2.14, 2.15)",
            ),
            Next::Complete => Msg::new("名额已全部选足", "every seat is filled"),
        }
    }
}

fn seats_of(seats: &[(String, u32)], post: &str) -> u32 {
    seats.iter().find(|(p, _)| p == post).map_or(0, |(_, n)| *n)
}

/// §2.17 and §2.18: what the rounds counted so far (first round first) call for next.
/// `seats` are the election's seats per post. Refused when no round is counted
/// yet, or when the 另行选举's candidates cannot be known (a tie at the margin's cut, §2.7).
pub fn next_round(rs: &Ruleset, seats: &[(String, u32)], rounds: &[Counted]) -> Result<Next, Msg> {
    // The last first round counted: the original, or its re-run (§2.14).
    let Some(first) = rounds.iter().rev().find(|r| r.kind == RoundKind::First) else {
        return Err(Msg::new("尚未计票", "no round is counted yet"));
    };
    if !first.outcome.round_valid {
        return Ok(Next::Rerun);
    }
    let mut elected: BTreeMap<&str, u32> = BTreeMap::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    // Per post, the run-off still owed: the tied names and the seats they straddle.
    let mut runoff: BTreeMap<&str, (u32, Vec<String>)> = BTreeMap::new();
    let mut repeat_held = false;
    for r in rounds {
        repeat_held |= r.kind == RoundKind::Repeat;
        if !r.outcome.round_valid {
            continue;
        }
        for (post, po) in &r.outcome.posts {
            *elected.entry(post).or_default() += po.elected.len() as u32;
            taken.extend(po.elected.iter().map(String::as_str));
            if po.runoff.is_empty() {
                runoff.remove(post.as_str());
            } else {
                runoff.insert(post, (po.unfilled.min(seats_of(r.seats, post)), po.runoff.clone()));
            }
        }
    }
    if !runoff.is_empty() {
        let posts = seats
            .iter()
            .filter_map(|(p, _)| runoff.get(p.as_str()).map(|(n, names)| (p, n, names)))
            .map(|(p, n, names)| RoundPost { post: p.clone(), seats: *n, candidates: names.clone() })
            .collect();
        return Ok(Next::Runoff(posts));
    }
    let unfilled: Vec<(&String, u32)> = seats
        .iter()
        .map(|(p, n)| (p, n.saturating_sub(elected.get(p.as_str()).copied().unwrap_or(0))))
        .filter(|(_, n)| *n > 0)
        .collect();
    if unfilled.is_empty() {
        return Ok(Next::Complete);
    }
    if repeat_held {
        return Ok(Next::FurtherElection);
    }
    let mut posts = Vec::new();
    for (post, n) in unfilled {
        let Some(po) = first.outcome.posts.get(post) else { continue };
        // Everyone elected so far, for any post, is out of the 另行选举.
        let rest = PostOutcome {
            elected: po.votes.keys().filter(|name| taken.contains(name.as_str())).cloned().collect(),
            ..po.clone()
        };
        let candidates = crate::nomination::repeat_round_candidates(rs, post, n, &rest)?;
        posts.push(RoundPost { post: post.clone(), seats: n, candidates });
    }
    Ok(Next::Repeat(posts))
}

/// §2.20: the result is announced on the spot and the ballots sealed only once
/// the rounds are over (no run-off or 另行选举 is due).
pub fn check_announce(next: &Next) -> Result<(), Msg> {
    if next.concluded() {
        Ok(())
    } else {
        let m = next.msg();
        Err(Msg::new(
            format!("{}；之后才能公布结果、封存选票", m.zh),
            format!("{}; the result is announced after it", m.en),
        ))
    }
}

/// §2.20: the result is filed with the district only after it was announced and
/// the ballots sealed, on or after that day.
pub fn check_filing(announced: Option<Date>, sealed: Option<Date>, filed: Date) -> Result<(), Msg> {
    match (announced, sealed) {
        (Some(a), Some(s)) if filed >= a && filed >= s => Ok(()),
        (Some(_), Some(_)) => Err(Msg::new(
            "报区备案日期不能早于公布结果和封存选票之日（规则2.20）",
            "the filing cannot be dated before the result was announced and the ballots sealed (rule 2.20)",
        )),
        _ => Err(Msg::new(
            "须先当场公布选举结果并当众封存选票，再报区备案（规则2.20）",
            "the result is announced and the ballots sealed before it is filed with the district (rule 2.20)",
        )),
    }
}

/// §2.20: whether a filing on `filed` is later than the ruleset's days after election day
/// (never, where the ruleset sets no figure).
pub fn filing_late(rs: &Ruleset, election_day: Date, filed: Date) -> bool {
    crate::calendar::filing_due(rs, election_day).is_some_and(|due| filed > due)
}

#[cfg(test)]
#[path = "rounds_tests.rs"]
mod tests;
