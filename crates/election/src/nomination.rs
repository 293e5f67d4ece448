//! Nomination and the formal candidate list (rules §2.6–§2.10, §2.18's candidates).

use std::collections::{BTreeMap, BTreeSet};

use rules::Msg;

use crate::ruleset::Ruleset;

/// Who makes a nomination (§2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nominator {
    /// Voters signing jointly (their voter keys).
    Voters(Vec<String>),
    /// Household representatives signing jointly (their household keys).
    Households(Vec<String>),
    /// A residents' group (居民小组) nominating as a group.
    Group(String),
}

/// One nomination of `candidate` for `post`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nomination {
    pub post: String,
    pub candidate: String,
    pub by: Nominator,
}

/// §2.6: the nominations of one election, each checked as it is added.
#[derive(Debug, Clone, Default)]
pub struct NominationBook {
    seats: BTreeMap<String, u32>,
    /// (voter, post) → candidates that voter has signed for.
    signed: BTreeMap<(String, String), BTreeSet<String>>,
    pub accepted: Vec<Nomination>,
}

impl NominationBook {
    /// A book for an election with these seats per post.
    pub fn new(seats: impl IntoIterator<Item = (String, u32)>) -> NominationBook {
        NominationBook { seats: seats.into_iter().collect(), ..Default::default() }
    }

    /// §2.6: a joint nomination needs enough distinct signers (10 voters or 5
    /// household representatives by default), and no voter may nominate more
    /// candidates for a post than it has seats. A refused nomination changes nothing.
    pub fn add(&mut self, rs: &Ruleset, n: Nomination) -> Result<(), Msg> {
        let seats = *self.seats.get(&n.post).ok_or_else(|| {
            Msg::new(format!("本次选举没有“{}”职务", n.post), format!("this election has no post {}", n.post))
        })?;
        let (signers, min, zh, en) = match &n.by {
            Nominator::Voters(s) => (s.clone(), rs.nomination_min_voters, "选民", "voters"),
            Nominator::Households(s) => {
                (s.clone(), rs.nomination_min_households, "户代表", "household representatives")
            }
            // A residents' group nominates as a body: no signers to count.
            Nominator::Group(_) => (Vec::new(), 0, "", ""),
        };
        let distinct: BTreeSet<&String> = signers.iter().collect();
        if distinct.len() < min {
            return Err(Msg::new(
                format!("联合提名须由{min}名以上{zh}签名，现为{}名（规则2.6）", distinct.len()),
                format!("a joint nomination needs at least {min} {en} signing, got {} (rule 2.6)", distinct.len()),
            ));
        }
        if let Nominator::Voters(_) = n.by {
            for v in &distinct {
                let already = self.signed.get(&((*v).clone(), n.post.clone()));
                let count =
                    already.map_or(0, |s| s.len()) + usize::from(!already.is_some_and(|s| s.contains(&n.candidate)));
                if count > seats as usize {
                    return Err(Msg::new(
                        format!("选民{v}提名“{}”的人数超过应选{seats}名（规则2.6）", n.post),
                        format!("voter {v} would nominate more than the {seats} seats of {} (rule 2.6)", n.post),
                    ));
                }
            }
            for v in distinct {
                self.signed.entry((v.clone(), n.post.clone())).or_default().insert(n.candidate.clone());
            }
        }
        self.accepted.push(n);
        Ok(())
    }
}

/// §2.8: a first round's formal candidates for 主任 or 副主任 are exactly seats + 1,
/// for 委员 seats + 1 to seats + 3 (the ruleset's margins). An uncontested (等额)
/// list passes only where the ruleset allows it and a 居民会议 approved it.
pub fn check_list_size(
    rs: &Ruleset,
    post: &str,
    seats: u32,
    candidates: usize,
    uncontested_approved: bool,
) -> Result<(), Msg> {
    let (lo, hi) = rs.margin(post);
    let (lo, hi) = (seats as usize + lo as usize, seats as usize + hi as usize);
    if (lo..=hi).contains(&candidates)
        || (rs.uncontested_allowed && uncontested_approved && candidates == seats as usize)
    {
        return Ok(());
    }
    let range = if lo == hi { format!("{lo}") } else { format!("{lo}–{hi}") };
    Err(Msg::new(
        format!("“{post}”应选{seats}名，正式候选人应为{range}名，现为{candidates}名（差额选举，规则2.8）"),
        format!(
            "{post}: {seats} seats need {range} formal candidates, got {candidates} (contested election, rule 2.8)"
        ),
    ))
}

/// §2.7 and §2.18: the top names by votes, as many as seats plus the post's
/// widest margin. A tie across that cut drops the tied names when the list
/// stays within the margin without them; otherwise it is refused, to be settled first.
pub fn top_candidates(rs: &Ruleset, post: &str, seats: u32, votes: &[(String, u64)]) -> Result<Vec<String>, Msg> {
    let mut ranked: Vec<&(String, u64)> = votes.iter().filter(|(_, v)| *v > 0).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (lo, hi) = rs.margin(post);
    let (min, max) = (seats as usize + lo as usize, seats as usize + hi as usize);
    let mut take = ranked.len().min(max);
    if take > 0 && take < ranked.len() && ranked[take].1 == ranked[take - 1].1 {
        let tied = ranked[take].1;
        take = ranked.iter().take_while(|(_, v)| *v > tied).count();
        if take < min {
            return Err(Msg::new(
                format!("“{post}”第{max}名得票相同，须先决定正式候选人（规则2.7）"),
                format!(
                    "{post}: a tie at place {max} must be settled before the formal candidates are known (rule 2.7)"
                ),
            ));
        }
    }
    Ok(ranked[..take].iter().map(|(n, _)| n.clone()).collect())
}

/// §2.7: an open-nomination (海选) round is valid only if strictly more than half
/// of the voters took part; then its formal candidates are [`top_candidates`].
pub fn open_nomination(
    rs: &Ruleset,
    post: &str,
    seats: u32,
    voters: u64,
    took_part: u64,
    votes: &[(String, u64)],
) -> Result<Vec<String>, Msg> {
    let s = rs.open_nomination_turnout;
    if (took_part as u128) * (s.den as u128) <= (voters as u128) * (s.num as u128) {
        return Err(Msg::new(
            format!("海选提名参加{took_part}人，未超过选民{voters}人的半数，提名无效（规则2.7）"),
            format!(
                "{took_part} of {voters} voters took part: not more than half, the open nomination is void (rule 2.7)"
            ),
        ));
    }
    top_candidates(rs, post, seats, votes)
}

/// §2.18: the candidates of a 另行选举 are the first round's non-winners in vote
/// order, keeping the contested margin for the seats still to fill.
pub fn repeat_round_candidates(
    rs: &Ruleset,
    post: &str,
    unfilled: u32,
    first: &crate::tally::PostOutcome,
) -> Result<Vec<String>, Msg> {
    let rest: Vec<(String, u64)> =
        first.votes.iter().filter(|(n, _)| !first.elected.contains(*n)).map(|(n, v)| (n.clone(), *v)).collect();
    top_candidates(rs, post, unfilled, &rest)
}

/// §2.9: a published formal candidate list changes only through a logged legal procedure.
pub fn may_change_list(published: bool, procedure: Option<&str>) -> Result<(), Msg> {
    match (published, procedure.map(str::trim)) {
        (false, _) => Ok(()),
        (true, Some(p)) if !p.is_empty() => Ok(()),
        _ => Err(Msg::new(
            "正式候选人名单公布后不得调整，除非依法定程序并记录（规则2.9）",
            "a published candidate list changes only through a recorded legal procedure (rule 2.9)",
        )),
    }
}

/// §2.10: election-committee members who become formal candidates leave the
/// committee. Returns (members who stay, members who leave).
pub fn committee_after_candidacy(committee: &[String], candidates: &[String]) -> (Vec<String>, Vec<String>) {
    committee.iter().cloned().partition(|m| !candidates.contains(m))
}

#[cfg(test)]
#[path = "nomination_tests.rs"]
mod tests;
