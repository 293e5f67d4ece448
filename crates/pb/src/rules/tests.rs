//! Hand-built cases for every rule, and randomised comparisons against
//! straightforward (slow, per-voter, big-rational) implementations of the
//! definitions.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};

use super::mes::{self, Utility};
use super::{Ctx, Rule, TieBreak, solve};
use crate::model::{Ballot, Election, Profile, Project, VoteType};

/// Builds an election from `(id, cost)` projects and ballots of ids.
fn election(budget: u64, projects: &[(&str, u64)], ballots: &[&[&str]]) -> Election {
    let projects: Vec<Project> = projects
        .iter()
        .map(|&(id, cost)| Project {
            id: id.to_string(),
            cost,
            name: String::new(),
            category: vec![],
            target: vec![],
            selected: None,
            extra: BTreeMap::new(),
        })
        .collect();
    let index = |id: &str| projects.iter().position(|p| p.id == id).unwrap();
    let ballots = ballots
        .iter()
        .enumerate()
        .map(|(i, b)| Ballot {
            voter_id: i.to_string(),
            approved: b.iter().map(|id| index(id)).collect(),
            points: None,
            extra: BTreeMap::new(),
        })
        .collect();
    Election {
        meta: BTreeMap::new(),
        budget,
        scale: 1,
        vote_type: VoteType::Approval,
        projects,
        ballots,
        project_columns: vec!["project_id".into(), "cost".into()],
        vote_columns: vec!["voter_id".into(), "vote".into()],
    }
}

fn sel(e: &Election, rule: Rule) -> Vec<String> {
    solve(e, rule, TieBreak::Lexicographic).selected
}

#[test]
fn greedy_hand_case() {
    let e = election(10, &[("a", 6), ("b", 5), ("c", 4)], &[&["a", "c"], &["a"], &["b"]]);
    assert_eq!(sel(&e, Rule::Greedy), ["a", "c"]);
    assert_eq!(sel(&e, Rule::GreedyNoSkip), ["a"]);
    let out = solve(&e, Rule::Greedy, TieBreak::Lexicographic);
    let b = &out.explanations[1];
    assert!(!b.selected);
    assert!(b.reason.en.contains("cost 5 > remaining 4"), "{}", b.reason);
    assert!(b.reason.zh.contains("预算5超过剩余的4"), "{}", b.reason);
    // Lower cost wins the b/c tie.
    let cheap = solve(&e, Rule::Greedy, TieBreak::CostThenVotes).selected;
    assert_eq!(cheap, ["a", "c"]);
    let e2 = election(9, &[("a", 5), ("b", 5), ("c", 4)], &[&["b"], &["c"]]);
    assert_eq!(sel(&e2, Rule::Greedy), ["b", "c"]);
    assert_eq!(solve(&e2, Rule::Greedy, TieBreak::CostThenVotes).selected, ["c", "b"]);
    // A project nobody voted for is funded if it fits.
    assert_eq!(sel(&e2, Rule::GreedyNoSkip), ["b", "c"]);
    let e3 = election(20, &[("a", 5), ("z", 5)], &[&["a"]]);
    assert_eq!(sel(&e3, Rule::Greedy), ["a", "z"]);
}

#[test]
fn greedy_points_and_threshold() {
    let mut e = election(10, &[("a", 5), ("b", 5), ("c", 5)], &[&["a", "b"], &["a", "c"], &["c"]]);
    e.vote_type = VoteType::Cumulative;
    e.ballots[0].points = Some(vec![1, 4]);
    e.ballots[1].points = Some(vec![1, 2]);
    e.ballots[2].points = Some(vec![1]);
    // points: a 2, b 4, c 3; approvals: a 2, b 1, c 2.
    assert_eq!(sel(&e, Rule::GreedyPoints), ["b", "c"]);
    assert_eq!(sel(&e, Rule::Greedy), ["a", "c"]);
    e.meta.insert("min_project_score_threshold".into(), "4".into());
    assert_eq!(sel(&e, Rule::GreedyThreshold), ["b"]);
}

#[test]
fn mes_cost_versus_cardinality() {
    // Each voter has 10. big: ρ = 10, 10/30 per unit of cost;
    // small: ρ = 3, 3/6 per unit of cost.
    let e = election(30, &[("big", 30), ("small", 6)], &[&["big", "small"], &["big", "small"], &["big"]]);
    assert_eq!(sel(&e, Rule::Mes), ["big"]);
    assert_eq!(sel(&e, Rule::MesCardinality), ["small"]);
    let out = solve(&e, Rule::MesCardinality, TieBreak::Lexicographic);
    let big = &out.explanations[0];
    assert!(big.reason.en.contains("24.00 left in total"), "{}", big.reason);
    assert!(big.reason.zh.contains("合计只剩24.00"), "{}", big.reason);
}

#[test]
fn mes_voters_who_spent_everything_pay_nothing_more() {
    // a: both voters pay their whole 5; then b is unaffordable.
    let e = election(10, &[("a", 10), ("b", 1)], &[&["a", "b"], &["a"]]);
    assert_eq!(sel(&e, Rule::Mes), ["a"]);
    assert_eq!(sel(&e, Rule::MesCardinality), ["b"]);
}

#[test]
fn mes_add1_stops_when_exhaustive() {
    // Each voter starts with 5: p (8, voter 1) is unaffordable until 8.
    let e = election(10, &[("p", 8), ("q", 2)], &[&["p"], &["q"]]);
    assert_eq!(sel(&e, Rule::Mes), ["q"]);
    assert_eq!(sel(&e, Rule::MesAdd1), ["p", "q"]);
    let profile = Profile::new(&e);
    let ctx = Ctx::new(&e, &profile, TieBreak::Lexicographic);
    assert_eq!(mes::add1_increment(&ctx).0, 3);
}

#[test]
fn mes_add1_keeps_last_feasible_and_greedy_completes() {
    // At +2 MES funds p and q (11 > 10): Add1 returns the +1 outcome.
    let e = election(10, &[("p", 7), ("q", 4), ("r", 1)], &[&["p"], &["q"]]);
    assert_eq!(sel(&e, Rule::MesAdd1), ["q"]);
    let profile = Profile::new(&e);
    let ctx = Ctx::new(&e, &profile, TieBreak::Lexicographic);
    assert_eq!(mes::add1_increment(&ctx).0, 1);
    assert_eq!(sel(&e, Rule::MesAdd1Greedy), ["q", "r"]);
}

#[test]
fn phragmen_hand_case() {
    // a: load 2, c: load 2 (tie → a); then c: (6+2+2)/3 < b: 4; then b
    // does not fit and the rule stops.
    let e = election(10, &[("a", 4), ("b", 4), ("c", 6)], &[&["a", "c"], &["a", "c"], &["b", "c"]]);
    assert_eq!(sel(&e, Rule::Phragmen), ["a", "c"]);
    let out = solve(&e, Rule::Phragmen, TieBreak::Lexicographic);
    assert!(out.explanations[1].reason.en.contains("stops"));
    assert!(out.explanations[1].reason.zh.contains("停止"));
    // Phragmén stops at the first misfit even if a later project fits.
    // x: load 1; y and z: load 3, tie → y, which does not fit (6 > 4).
    let e2 = election(
        10,
        &[("x", 6), ("y", 6), ("z", 3)],
        &[&["x"], &["x"], &["x"], &["x"], &["x"], &["x"], &["y"], &["y"], &["z"]],
    );
    assert_eq!(sel(&e2, Rule::Phragmen), ["x"]);
    assert_eq!(sel(&e2, Rule::Greedy), ["x", "z"]);
}

#[test]
fn rule_names_parse() {
    for r in Rule::ALL {
        assert_eq!(r.as_str().parse::<Rule>().unwrap(), r);
    }
    assert_eq!("greedy_av".parse::<Rule>().unwrap(), Rule::Greedy);
    assert!("nope".parse::<Rule>().is_err());
    assert_eq!("cost-then-votes".parse::<TieBreak>().unwrap(), TieBreak::CostThenVotes);
}

// ---------------------------------------------------------------------------
// Reference implementations straight from the definitions.

/// Exact fraction, always normalised, `den > 0`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Frac {
    num: BigInt,
    den: BigInt,
}

impl Frac {
    fn new(num: BigInt, den: BigInt) -> Frac {
        let g = num.gcd(&den);
        let (mut num, mut den) = (num / &g, den / &g);
        if den.is_negative() {
            num = -num;
            den = -den;
        }
        Frac { num, den }
    }
    fn int(x: u64) -> Frac {
        Frac::new(x.into(), 1.into())
    }
    fn add(&self, o: &Frac) -> Frac {
        Frac::new(&self.num * &o.den + &o.num * &self.den, &self.den * &o.den)
    }
    fn sub(&self, o: &Frac) -> Frac {
        Frac::new(&self.num * &o.den - &o.num * &self.den, &self.den * &o.den)
    }
    fn div_int(&self, k: u64) -> Frac {
        Frac::new(self.num.clone(), &self.den * k)
    }
}

impl PartialOrd for Frac {
    fn partial_cmp(&self, o: &Frac) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Frac {
    fn cmp(&self, o: &Frac) -> Ordering {
        (&self.num * &o.den).cmp(&(&o.num * &self.den))
    }
}

fn priority(e: &Election, tie: TieBreak) -> Vec<u32> {
    let p = Profile::new(e);
    Ctx::new(e, &p, tie).priority
}

/// MES by the book, one voter at a time, initial share `budget/n + s`.
fn naive_mes(e: &Election, util: Utility, s: u64) -> Vec<usize> {
    naive_mes_tie(e, util, s, TieBreak::Lexicographic)
}

fn naive_mes_tie(e: &Election, util: Utility, s: u64, tie: TieBreak) -> Vec<usize> {
    let prio = priority(e, tie);
    let n = e.ballots.len() as u64;
    let m = e.projects.len();
    let mut selected = Vec::new();
    if n == 0 {
        return selected;
    }
    let share = Frac::new(BigInt::from(e.budget + n * s * e.scale), BigInt::from(n));
    let mut money = vec![share; n as usize];
    let supp: Vec<Vec<usize>> =
        (0..m).map(|p| (0..n as usize).filter(|&i| e.ballots[i].approved.contains(&p)).collect()).collect();
    let mut free: Vec<usize> = (0..m).filter(|&p| e.projects[p].cost == 0 && !supp[p].is_empty()).collect();
    free.sort_by_key(|&p| prio[p]);
    selected.extend(free);
    let mut left: Vec<usize> = (0..m).filter(|&p| e.projects[p].cost > 0 && !supp[p].is_empty()).collect();
    loop {
        let mut best: Option<(usize, Frac, Frac)> = None;
        let mut keep = Vec::new();
        for &p in &left {
            let cost = Frac::int(e.projects[p].cost);
            let mut budgets: Vec<Frac> = supp[p].iter().map(|&i| money[i].clone()).collect();
            budgets.sort();
            let total = budgets.iter().fold(Frac::int(0), |a, b| a.add(b));
            if total < cost {
                continue;
            }
            keep.push(p);
            let mut paid = Frac::int(0);
            let mut k = budgets.len() as u64;
            let mut rho = Frac::int(0);
            for b in &budgets {
                rho = cost.sub(&paid).div_int(k);
                if rho <= *b {
                    break;
                }
                paid = paid.add(b);
                k -= 1;
            }
            let key = match util {
                Utility::Cost => rho.div_int(e.projects[p].cost),
                Utility::Cardinality => rho.clone(),
            };
            let better = match &best {
                None => true,
                Some((q, k2, _)) => key < *k2 || (key == *k2 && prio[p] < prio[*q]),
            };
            if better {
                best = Some((p, key, rho));
            }
        }
        left = keep;
        let Some((p, _, rho)) = best else { break };
        for &i in &supp[p] {
            let pay = if money[i] < rho { money[i].clone() } else { rho.clone() };
            money[i] = money[i].sub(&pay);
        }
        selected.push(p);
        left.retain(|&q| q != p);
    }
    selected
}

/// Add1 by stepping one unit at a time (`None` if it runs past `cap`).
fn naive_add1(e: &Election, cap: u64) -> Option<(u64, Vec<usize>)> {
    let mut prev = None;
    for s in 0..=cap {
        let out = naive_mes(e, Utility::Cost, s);
        let spent: u64 = out.iter().map(|&p| e.projects[p].cost).sum();
        if spent > e.budget {
            return prev;
        }
        let left = e.budget - spent;
        let exhaustive = (0..e.projects.len()).all(|p| out.contains(&p) || e.projects[p].cost > left);
        if exhaustive {
            return Some((s, out));
        }
        prev = Some((s, out));
    }
    None
}

/// Sequential Phragmén by the book.
fn naive_phragmen(e: &Election, tie: TieBreak) -> Vec<usize> {
    let prio = priority(e, tie);
    let n = e.ballots.len();
    let m = e.projects.len();
    let mut load = vec![Frac::int(0); n];
    let supp: Vec<Vec<usize>> =
        (0..m).map(|p| (0..n).filter(|&i| e.ballots[i].approved.contains(&p)).collect()).collect();
    let mut left: Vec<usize> = (0..m).filter(|&p| !supp[p].is_empty()).collect();
    let mut selected = Vec::new();
    let mut spent = 0;
    while !left.is_empty() {
        let mut best: Option<(usize, Frac)> = None;
        for &p in &left {
            let total = supp[p].iter().fold(Frac::int(e.projects[p].cost), |a, &i| a.add(&load[i]));
            let l = total.div_int(supp[p].len() as u64);
            let better = match &best {
                None => true,
                Some((q, lq)) => l < *lq || (l == *lq && prio[p] < prio[*q]),
            };
            if better {
                best = Some((p, l));
            }
        }
        let (p, l) = best.unwrap();
        if spent + e.projects[p].cost > e.budget {
            break;
        }
        spent += e.projects[p].cost;
        for &i in &supp[p] {
            load[i] = l.clone();
        }
        selected.push(p);
        left.retain(|&q| q != p);
    }
    selected
}

/// Deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, k: u64) -> u64 {
        self.next() % k
    }
}

fn random_election(rng: &mut Rng, max_m: u64, max_n: u64) -> Election {
    let m = 2 + rng.below(max_m - 1) as usize;
    let ids: Vec<String> = (0..m).map(|i| format!("p{}", rng.below(20) * 10 + i as u64)).collect();
    let n = 1 + rng.below(max_n) as usize;
    let (costs, budget) = if rng.below(3) == 0 {
        // Round numbers: shares divide costs, so exact ties and voters
        // spending exactly everything are common.
        let share = 1 + rng.below(6);
        let costs: Vec<u64> = (0..m).map(|_| share * (1 + rng.below(n as u64 + 1))).collect();
        (costs, share * n as u64)
    } else {
        let costs: Vec<u64> = (0..m).map(|_| 1 + rng.below(60)).collect();
        let total: u64 = costs.iter().sum();
        (costs, 1 + rng.below(total + 10))
    };
    // A few ballot shapes so that ballots repeat.
    let shapes: Vec<Vec<usize>> =
        (0..1 + rng.below(5)).map(|_| (0..m).filter(|_| rng.below(3) == 0).collect()).collect();
    let ballots: Vec<Vec<usize>> = (0..n).map(|_| shapes[rng.below(shapes.len() as u64) as usize].clone()).collect();
    let projects: Vec<(&str, u64)> = ids.iter().map(String::as_str).zip(costs).collect();
    let names: Vec<Vec<&str>> = ballots.iter().map(|b| b.iter().map(|&p| ids[p].as_str()).collect()).collect();
    let refs: Vec<&[&str]> = names.iter().map(Vec::as_slice).collect();
    let mut e = election(budget, &projects, &refs);
    if rng.below(4) == 0 {
        e.scale = 10; // amounts are in tenths; Add1 steps by 10
    }
    e
}

fn ids(e: &Election, v: &[usize]) -> Vec<String> {
    v.iter().map(|&p| e.projects[p].id.clone()).collect()
}

#[test]
fn random_elections_match_definitions() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut add1_checked = 0;
    for case in 0..500 {
        let e = if case < 400 { random_election(&mut rng, 7, 12) } else { random_election(&mut rng, 10, 60) };
        let profile = Profile::new(&e);
        let ctx = Ctx::new(&e, &profile, TieBreak::Lexicographic);
        let tag = format!("case {case}: {e:?}");
        assert_eq!(sel(&e, Rule::Mes), ids(&e, &naive_mes(&e, Utility::Cost, 0)), "{tag}");
        assert_eq!(sel(&e, Rule::MesCardinality), ids(&e, &naive_mes(&e, Utility::Cardinality, 0)), "{tag}");
        assert_eq!(sel(&e, Rule::Phragmen), ids(&e, &naive_phragmen(&e, TieBreak::Lexicographic)), "{tag}");
        let tie = TieBreak::CostThenVotes;
        assert_eq!(solve(&e, Rule::Phragmen, tie).selected, ids(&e, &naive_phragmen(&e, tie)), "{tag}");
        assert_eq!(solve(&e, Rule::Mes, tie).selected, ids(&e, &naive_mes_tie(&e, Utility::Cost, 0, tie)), "{tag}");
        // The tracked (parametric) run agrees with the plain one at each s.
        for s in [1, 2, 5, 17] {
            let a = mes::run(&ctx, Utility::Cost, s, true, false).decision.selected;
            let b = mes::run(&ctx, Utility::Cost, s, false, false).decision.selected;
            assert_eq!(a, b, "{tag} s={s}");
            assert_eq!(a, naive_mes(&e, Utility::Cost, s), "{tag} s={s}");
        }
        if let Some((s, out)) = naive_add1(&e, 400) {
            add1_checked += 1;
            assert_eq!(mes::add1_increment(&ctx).0, s, "{tag}");
            assert_eq!(sel(&e, Rule::MesAdd1), ids(&e, &out), "{tag}");
        }
    }
    assert!(add1_checked > 200, "{add1_checked}");
}

#[test]
fn horizon_is_exact_on_random_elections() {
    // Every increment the parametric run claims is unchanged really is.
    let mut rng = Rng(12345);
    for case in 0..150 {
        let e = random_election(&mut rng, 7, 20);
        let profile = Profile::new(&e);
        let ctx = Ctx::new(&e, &profile, TieBreak::Lexicographic);
        let mut s = 0;
        while s < 120 {
            let r = mes::run(&ctx, Utility::Cost, s, true, false);
            let next = r.next.unwrap_or(u64::MAX).min(130);
            for t in s + 1..next {
                let plain = naive_mes(&e, Utility::Cost, t);
                assert_eq!(r.decision.selected, plain, "case {case} s={s} t={t} {e:?}");
            }
            s = next;
        }
    }
}

#[test]
fn zero_cost_and_empty_cases() {
    let e = election(5, &[("a", 0), ("b", 5), ("c", 0)], &[&["a", "b"], &[]]);
    assert_eq!(sel(&e, Rule::Mes), ["a"]);
    assert_eq!(sel(&e, Rule::Phragmen), ["a", "b"]);
    assert_eq!(sel(&e, Rule::Greedy), ["a", "b", "c"]);
    let none = election(5, &[("a", 3)], &[]);
    for r in Rule::ALL {
        let out = solve(&none, r, TieBreak::Lexicographic);
        assert_eq!(out.explanations.len(), 1);
    }
    let z = Frac::int(0);
    assert!(z.num.is_zero());
}
