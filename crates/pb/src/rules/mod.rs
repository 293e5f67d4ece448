//! Participatory-budgeting rules on the approval view of an election.
//!
//! Every rule works on the approval view of the ballots (approval and
//! choose-1 ballots as they are; ordinal, cumulative and scoring ballots count
//! as approval of every project listed), with identical ballots merged into a
//! weighted [`Profile`]. All arithmetic is exact (integers and big rationals,
//! no floating point). Ties are broken by a fixed priority order over
//! projects, see [`TieBreak`].

pub mod greedy;
pub mod mes;
pub mod phragmen;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use crate::explain::{Explanation, Msg, Outcome};
use crate::model::{Election, Profile, VoteType};

/// The available rules (see each variant for its definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `greedy`: greedy approval voting (pabulib `greedy_av`).
    /// See [`greedy::greedy`].
    Greedy,
    /// `greedy-no-skip`: like greedy but stops at the first project that does
    /// not fit.
    GreedyNoSkip,
    /// `greedy-points`: greedy by total points (cumulative/scoring ballots).
    GreedyPoints,
    /// `greedy-threshold`: greedy (by points for cumulative/scoring ballots,
    /// by approvals otherwise) among projects whose score reaches META
    /// `min_project_score_threshold` — how many Polish cities decide.
    GreedyThreshold,
    /// `mes`: Method of Equal Shares with cost satisfaction, no completion.
    Mes,
    /// `mes-add1`: MES with the Add1 completion (per-voter budget +1 unit).
    MesAdd1,
    /// `mes-add1-greedy`: `mes-add1`, then greedy on the remaining budget.
    MesAdd1Greedy,
    /// `mes-cardinality`: MES with cardinality satisfaction, no completion.
    MesCardinality,
    /// `phragmen`: sequential Phragmén, stopping at the first misfit.
    Phragmen,
}

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::Greedy,
        Rule::GreedyNoSkip,
        Rule::GreedyPoints,
        Rule::GreedyThreshold,
        Rule::Mes,
        Rule::MesAdd1,
        Rule::MesAdd1Greedy,
        Rule::MesCardinality,
        Rule::Phragmen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Greedy => "greedy",
            Rule::GreedyNoSkip => "greedy-no-skip",
            Rule::GreedyPoints => "greedy-points",
            Rule::GreedyThreshold => "greedy-threshold",
            Rule::Mes => "mes",
            Rule::MesAdd1 => "mes-add1",
            Rule::MesAdd1Greedy => "mes-add1-greedy",
            Rule::MesCardinality => "mes-cardinality",
            Rule::Phragmen => "phragmen",
        }
    }
}

impl Rule {
    /// Whether the rule needs the full weighted profile (the greedy rules
    /// only need approval counts).
    pub fn needs_profile(self) -> bool {
        !matches!(self, Rule::Greedy | Rule::GreedyNoSkip | Rule::GreedyPoints | Rule::GreedyThreshold)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unknown rule or tie-break name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown name `{}`", self.0)
    }
}

impl std::error::Error for UnknownName {}

impl FromStr for Rule {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Rule, UnknownName> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        let alias = match norm.as_str() {
            "greedy-av" => "greedy",
            "mes-cost" => "mes",
            other => other,
        };
        Rule::ALL.into_iter().find(|r| r.as_str() == alias).ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// How ties between projects are broken. Every rule breaks a tie by picking
/// the project that comes first in this priority order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TieBreak {
    /// pabutools' default: the smaller project id compared as text
    /// (`"10"` before `"9"`).
    #[default]
    Lexicographic,
    /// Lower cost first, then more approvals, then the smaller id.
    CostThenVotes,
}

impl FromStr for TieBreak {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<TieBreak, UnknownName> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lexicographic" | "lex" | "id" => Ok(TieBreak::Lexicographic),
            "cost-then-votes" | "cost" | "cost_then_votes" => Ok(TieBreak::CostThenVotes),
            _ => Err(UnknownName(s.to_string())),
        }
    }
}

/// Everything a rule needs: the election, its weighted approval profile and
/// the tie-break priority of each project (lower wins).
pub struct Ctx<'a> {
    pub election: &'a Election,
    pub profile: &'a Profile,
    pub priority: Vec<u32>,
}

impl<'a> Ctx<'a> {
    pub fn new(election: &'a Election, profile: &'a Profile, tie: TieBreak) -> Ctx<'a> {
        let mut order: Vec<usize> = (0..election.projects.len()).collect();
        let ps = &election.projects;
        match tie {
            TieBreak::Lexicographic => order.sort_by(|&a, &b| ps[a].id.cmp(&ps[b].id)),
            TieBreak::CostThenVotes => order.sort_by(|&a, &b| {
                ps[a]
                    .cost
                    .cmp(&ps[b].cost)
                    .then(profile.approvals[b].cmp(&profile.approvals[a]))
                    .then(ps[a].id.cmp(&ps[b].id))
            }),
        }
        let mut priority = vec![0u32; order.len()];
        for (rank, &p) in order.iter().enumerate() {
            priority[p] = rank as u32;
        }
        Ctx { election, profile, priority }
    }

    pub fn cost(&self, p: usize) -> u64 {
        self.election.projects[p].cost
    }

    pub fn money(&self, x: u64) -> String {
        crate::parse::format_amount(x, self.election.scale)
    }
}

/// What a rule decided, before it is turned into an [`Outcome`].
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// Selected project indices in selection order.
    pub selected: Vec<usize>,
    /// Per project: the round and reason of the decision (if any was taken).
    pub reasons: Vec<Option<(Option<usize>, Msg)>>,
    pub notes: Vec<String>,
}

impl Decision {
    pub fn new(m: usize) -> Decision {
        Decision { selected: Vec::new(), reasons: vec![None; m], notes: Vec::new() }
    }

    pub fn select(&mut self, p: usize, reason: Msg) {
        self.selected.push(p);
        self.reasons[p] = Some((Some(self.selected.len()), reason));
    }

    pub fn reject(&mut self, p: usize, round: Option<usize>, reason: Msg) {
        self.reasons[p] = Some((round, reason));
    }

    /// Sets a reason for every project that has none yet.
    pub fn reject_rest(&mut self, round: Option<usize>, reason: &Msg) {
        for r in self.reasons.iter_mut().filter(|r| r.is_none()) {
            *r = Some((round, reason.clone()));
        }
    }
}

/// Runs `rule` on the election with the given tie-breaking.
pub fn solve(election: &Election, rule: Rule, tie: TieBreak) -> Outcome {
    if rule.needs_profile() {
        let profile = Profile::new(election);
        return solve_inner(election, &profile, rule, tie, None);
    }
    let (approvals, points) = election.tallies();
    let profile = Profile::from_counts(approvals, election.ballots.len() as u64);
    solve_inner(election, &profile, rule, tie, Some(points))
}

/// Like [`solve`], reusing an already built profile of `election`
/// (`Profile::new(election)`; a [`Profile::from_counts`] profile is only
/// enough for the greedy rules, a full one is built otherwise).
pub fn solve_profile(election: &Election, profile: &Profile, rule: Rule, tie: TieBreak) -> Outcome {
    if rule.needs_profile() && profile.n_ballots() == 0 && !election.ballots.is_empty() {
        return solve(election, rule, tie);
    }
    solve_inner(election, profile, rule, tie, None)
}

fn solve_inner(election: &Election, profile: &Profile, rule: Rule, tie: TieBreak, points: Option<Vec<u64>>) -> Outcome {
    let ctx = Ctx::new(election, profile, tie);
    let budget = election.budget;
    let points = || points.clone().unwrap_or_else(|| election.point_totals());
    let decision = match rule {
        Rule::Greedy => greedy::greedy(&ctx, &profile.approvals, "votes", None, &[], budget, true),
        Rule::GreedyNoSkip => greedy::greedy(&ctx, &profile.approvals, "votes", None, &[], budget, false),
        Rule::GreedyPoints => greedy::greedy(&ctx, &points(), "points", None, &[], budget, true),
        Rule::GreedyThreshold => {
            let uses_points = matches!(election.vote_type, VoteType::Cumulative | VoteType::Scoring)
                && election.ballots.iter().any(|b| b.points.is_some());
            let scores = if uses_points { points() } else { profile.approvals.clone() };
            let threshold = election
                .meta
                .get("min_project_score_threshold")
                .and_then(|t| t.trim().parse::<u64>().ok())
                .unwrap_or(0);
            let unit = if uses_points { "points" } else { "votes" };
            greedy::greedy(&ctx, &scores, unit, Some(threshold), &[], budget, true)
        }
        Rule::Mes => mes::mes(&ctx, mes::Utility::Cost),
        Rule::MesCardinality => mes::mes(&ctx, mes::Utility::Cardinality),
        Rule::MesAdd1 => mes::mes_add1(&ctx),
        Rule::MesAdd1Greedy => {
            let first = mes::mes_add1(&ctx);
            greedy::complete(&ctx, first)
        }
        Rule::Phragmen => phragmen::phragmen(&ctx),
    };
    into_outcome(&ctx, rule, decision)
}

fn into_outcome(ctx: &Ctx, rule: Rule, d: Decision) -> Outcome {
    let e = ctx.election;
    let selected_set: Vec<bool> = {
        let mut s = vec![false; e.projects.len()];
        for &p in &d.selected {
            s[p] = true;
        }
        s
    };
    let explanations = e
        .projects
        .iter()
        .enumerate()
        .map(|(p, proj)| {
            let (round, reason) = d.reasons[p].clone().unwrap_or((None, Msg::new("未入选", "not selected")));
            Explanation {
                project_id: proj.id.clone(),
                name: proj.name.clone(),
                cost: proj.cost,
                votes: ctx.profile.approvals[p],
                selected: selected_set[p],
                round,
                reason,
            }
        })
        .collect();
    Outcome {
        rule: rule.as_str().to_string(),
        selected: d.selected.iter().map(|&p| e.projects[p].id.clone()).collect(),
        total_cost: d.selected.iter().map(|&p| e.projects[p].cost).sum(),
        budget: e.budget,
        scale: e.scale,
        notes: d.notes,
        explanations,
    }
}
