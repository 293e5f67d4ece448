//! The count of one round (rules §2.8, §2.14–§2.19), exact integer arithmetic.
//!
//! Order: a first round's candidate lists are checked against the 差额 bounds
//! (§2.8; out of bounds refuses the whole scenario), the ballot groups must
//! add up to the ballots returned, then the round's validity (§2.15 then
//! §2.14), the per-post counts (§2.16, reported even for an invalid round) and
//! the winners (§2.17, §2.18; §2.19 when the ruleset aggregates a combined ballot).

use std::collections::{BTreeMap, BTreeSet};

use rules::Msg;
use serde::Serialize;

use crate::ruleset::Ruleset;
use crate::scenario::{BallotGroup, PostSpec, RoundKind, Scenario};

/// A scenario the rules refuse to count. Printed as `{"error": …, "post": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub error: &'static str,
    pub post: Option<String>,
    #[serde(skip)]
    pub msg: Msg,
}

/// Why a round elects nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// §2.15: more ballots came back than were issued.
    MoreBallotsReturnedThanIssued,
    /// §2.14: ballots returned were not more than half of the registered voters.
    TurnoutNotOverHalf,
}

/// One post's count: ballots valid and invalid for this post, votes per name
/// (every formal candidate, and every write-in with a vote), and the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PostOutcome {
    pub valid_ballots: u64,
    pub invalid_ballots: u64,
    pub votes: BTreeMap<String, u64>,
    pub elected: Vec<String>,
    pub runoff: Vec<String>,
    pub unfilled: u32,
}

/// The outcome of a round, in the `expected` shape of the scenario README (names sorted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Outcome {
    pub round_valid: bool,
    pub reason: Option<Invalid>,
    pub posts: BTreeMap<String, PostOutcome>,
}

/// Count one round under `rs`.
pub fn tally(s: &Scenario, rs: &Ruleset) -> Result<Outcome, Refusal> {
    if s.round == RoundKind::First {
        for p in &s.posts {
            crate::nomination::check_list_size(rs, &p.post, p.seats, p.candidates.len(), false)
                .map_err(|msg| Refusal { error: "candidate_list_out_of_bounds", post: Some(p.post.clone()), msg })?;
        }
    }
    let counted = s.ballots_counted();
    if counted != s.ballots_returned {
        return Err(Refusal {
            error: "ballot_count_mismatch",
            post: None,
            msg: Msg::new(
                format!("各组选票份数合计{counted}张，与收回选票{}张不符", s.ballots_returned),
                format!("the ballot groups hold {counted} ballots, not the {} returned", s.ballots_returned),
            ),
        });
    }
    let reason = round_validity(s.registered_voters, s.ballots_issued, s.ballots_returned).err();
    let mut counts: Vec<(&PostSpec, Count)> = s.posts.iter().map(|p| (p, count_post(p, &s.ballots))).collect();
    if rs.aggregate_combined_ballot {
        // Higher posts first, so their winners are known when a lower post adds their votes.
        counts.sort_by_key(|(p, _)| level(&p.post).unwrap_or(u8::MAX));
    }
    let mut posts = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut higher: Vec<(u8, BTreeMap<String, u64>)> = Vec::new();
    for (p, c) in counts {
        let mut votes = c.votes.clone();
        let lvl = level(&p.post);
        if let (true, Some(l)) = (rs.aggregate_combined_ballot, lvl) {
            aggregate(&mut votes, &higher, l, &taken);
            higher.push((l, c.votes));
        }
        let (elected, runoff) = if reason.is_none() {
            // A run-off is among the tied candidates only (§2.17): a write-in there counts but cannot win.
            let eligible = votes
                .iter()
                .filter(|(n, _)| !(rs.aggregate_combined_ballot && taken.contains(*n)))
                .filter(|(n, _)| s.round != RoundKind::Runoff || p.candidates.iter().any(|c| c.trim() == n.as_str()));
            winners(eligible, p.seats as usize, |v| passes(s.round, v, s.ballots_returned))
        } else {
            (Vec::new(), Vec::new())
        };
        if rs.aggregate_combined_ballot {
            taken.extend(elected.iter().chain(&runoff).cloned());
        }
        let unfilled = p.seats - elected.len() as u32;
        posts.insert(
            p.post.clone(),
            PostOutcome { valid_ballots: c.valid, invalid_ballots: c.invalid, votes, elected, runoff, unfilled },
        );
    }
    Ok(Outcome { round_valid: reason.is_none(), reason, posts })
}

/// §2.15 then §2.14: returned ≤ issued, and returned strictly more than half of the registered voters.
pub fn round_validity(registered: u64, issued: u64, returned: u64) -> Result<(), Invalid> {
    if returned > issued {
        Err(Invalid::MoreBallotsReturnedThanIssued)
    } else if (returned as u128) * 2 <= registered as u128 {
        Err(Invalid::TurnoutNotOverHalf)
    } else {
        Ok(())
    }
}

/// §2.17 (first round: strictly more than half of the ballots returned; a
/// run-off among tied candidates: the most votes), and §2.18 (另行选举: at
/// least one third of them). Nobody wins with no votes.
pub fn passes(round: RoundKind, votes: u64, returned: u64) -> bool {
    let (v, r) = (votes as u128, returned as u128);
    votes > 0
        && match round {
            RoundKind::First => v * 2 > r,
            RoundKind::Repeat => v * 3 >= r,
            RoundKind::Runoff => true,
        }
}

/// The most votes win among those who pass; a tie across the last seat puts
/// every tied name in the run-off and leaves the seats it straddles unfilled.
/// Both lists sorted.
pub fn winners<'a>(
    votes: impl Iterator<Item = (&'a String, &'a u64)>,
    seats: usize,
    pass: impl Fn(u64) -> bool,
) -> (Vec<String>, Vec<String>) {
    let mut ranked: Vec<(&String, u64)> = votes.map(|(n, v)| (n, *v)).filter(|(_, v)| pass(*v)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let (mut elected, mut runoff) = (Vec::new(), Vec::new());
    if ranked.len() <= seats {
        elected = ranked.iter().map(|(n, _)| (*n).clone()).collect();
    } else if seats > 0 {
        let cutoff = ranked[seats - 1].1;
        let straddles = ranked[seats].1 == cutoff;
        for (i, (n, v)) in ranked.iter().enumerate() {
            if straddles && *v == cutoff {
                runoff.push((*n).clone());
            } else if (straddles && *v > cutoff) || (!straddles && i < seats) {
                elected.push((*n).clone());
            }
        }
    }
    elected.sort();
    runoff.sort();
    (elected, runoff)
}

/// The count of one post before anyone is declared elected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub valid: u64,
    pub invalid: u64,
    pub votes: BTreeMap<String, u64>,
}

/// §2.16 for one post over every ballot group: a part marking more names than
/// seats, or a name that cannot be read (blank), is invalid for this post only;
/// an empty or missing part is a valid abstention; a name marked twice on one
/// ballot counts once; a name not on the list is a write-in and counts.
pub fn count_post(p: &PostSpec, ballots: &[BallotGroup]) -> Count {
    let mut votes: BTreeMap<String, u64> = p.candidates.iter().map(|c| (c.trim().to_string(), 0)).collect();
    let (mut valid, mut invalid) = (0u64, 0u64);
    for g in ballots {
        let marks = g.votes.get(&p.post).map(Vec::as_slice).unwrap_or(&[]);
        let names: BTreeSet<&str> = marks.iter().map(|m| m.trim()).collect();
        if names.contains("") || names.len() > p.seats as usize {
            invalid = invalid.saturating_add(g.count);
            continue;
        }
        valid = valid.saturating_add(g.count);
        if g.count == 0 {
            continue;
        }
        for n in names {
            match votes.get_mut(n) {
                Some(v) => *v = v.saturating_add(g.count),
                None => {
                    votes.insert(n.to_string(), g.count);
                }
            }
        }
    }
    Count { valid, invalid, votes }
}

/// The rank of a post on a combined ballot (§2.19): 主任 0, 副主任 1, 委员 2.
fn level(post: &str) -> Option<u8> {
    match rules::committee::Post::parse(post)? {
        rules::committee::Post::Director => Some(0),
        rules::committee::Post::DeputyDirector => Some(1),
        rules::committee::Post::Member => Some(2),
    }
}

/// §2.19: a name standing for this post adds the votes it had for every higher
/// post, unless a higher post already elected it (or holds it for a run-off).
fn aggregate(
    votes: &mut BTreeMap<String, u64>,
    higher: &[(u8, BTreeMap<String, u64>)],
    lvl: u8,
    taken: &BTreeSet<String>,
) {
    for (name, total) in votes.iter_mut() {
        if taken.contains(name) {
            continue;
        }
        for (_, above) in higher.iter().filter(|(l, _)| *l < lvl) {
            *total = total.saturating_add(above.get(name).copied().unwrap_or(0));
        }
    }
}

#[cfg(test)]
#[path = "tally_tests.rs"]
mod tests;
