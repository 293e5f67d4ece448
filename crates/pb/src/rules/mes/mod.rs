//! The Method of Equal Shares (MES) and its Add1 completion.
//!
//! **Definition** (Peters, Pierczyński, Skowron, *Proportional Participatory
//! Budgeting with Additive Utilities*, NeurIPS 2021; pabulib README; the
//! `method_of_equal_shares` rule of pabutools 1.2.3). Each of the `n` voters
//! starts with an equal share `b = budget / n` of the money. A project `p` of
//! cost `c` is *affordable* if its supporters together still have at least
//! `c`; it is then paid by letting each supporter `i` pay `min(r_i, ρ)`,
//! where `r_i` is what `i` has left and `ρ` is the smallest amount per voter
//! that covers the cost. In every round the affordable project with the
//! smallest `ρ / u(p)` is funded, where `u(p)` is a supporter's satisfaction:
//! `u(p) = c` for *cost satisfaction* (the default, i.e. the lowest price per
//! unit of cost) and `u(p) = 1` for *cardinality satisfaction*. Ties go to
//! the project first in the tie-break order. The rule stops when no project
//! is affordable. Projects without supporters are never funded; projects
//! costing nothing that have supporters are funded first.
//!
//! **Add1 completion** (pabutools `voter_budget_increment=1`): rerun MES with
//! every voter's initial share raised to `budget / n + 1`, `+ 2`, … currency
//! units. Stop at the first outcome that is exhaustive (no further project
//! fits in the real budget) and return it, or at the first outcome that costs
//! more than the real budget and return the previous one.
//!
//! **Exactness and speed.** All money is exact: amounts are kept as big
//! integers over a common denominator `D` that is multiplied by the payer
//! count whenever a project is funded (amounts untouched since are rescaled
//! lazily, when next used). Identical ballots are merged; voters with the
//! same payment history have the same money and form one *class*, so
//! computing `ρ` means summing supporter weights per class (integers), sorting
//! those classes by money (by their top 64 bits, exact comparison on ties)
//! and scanning them from the poorest until `ρ` is found. Projects are
//! evaluated lazily: a project's last `ρ` is a lower bound on its current one
//! (money only decreases), so a project is only recomputed while its bound
//! can still beat the best one found this round.
//!
//! For Add1 the naive loop would rerun MES hundreds of thousands of times
//! (one currency unit at a time). Instead each run is *parametric*: every
//! amount is tracked as an affine function `α·s + β` of the increment count
//! `s`, and every comparison the run relied on (which project wins, which
//! voters pay all they have, which projects are unaffordable) is turned into
//! a constraint on `s`. The run's outcome is provably the same for all
//! increments up to the first root of those constraints, so the loop jumps
//! straight there. Since a project's `ρ` computed from any split of its
//! supporters into full payers and `ρ`-payers is a lower bound on its true
//! `ρ`, only the funded project's split needs constraints; losing projects
//! need one constraint each.
//!
//! Files: `exact` (affine amounts, prices and the horizon of the parametric
//! run), `state` (voter classes and how a project would be paid), this file
//! (one run), `add1` (the completion).

mod add1;
mod exact;
mod state;

pub use add1::{add1_increment, mes_add1};

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::{One, Zero};

use super::{Ctx, Decision};
use crate::explain::{Msg, format_fraction};
use exact::{Aff, Horizon, cmp_at};
use state::{Cand, Class, Eval, State, cand_cmp};

/// Satisfaction of a supporter from a funded project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utility {
    /// `u(p) = cost(p)`: the default of pabutools / equalshares.net.
    Cost,
    /// `u(p) = 1`.
    Cardinality,
}

/// Result of one MES run.
pub struct MesRun {
    pub decision: Decision,
    /// First increment count `> s0` at which the outcome may differ
    /// (`None`: never), only computed when tracking.
    pub next: Option<u64>,
}

/// One MES run with every voter starting from `budget / n + s0` currency
/// units. With `track`, also computes [`MesRun::next`]; with `explain`,
/// writes human-readable reasons.
pub fn run(ctx: &Ctx, util: Utility, s0: u64, track: bool, explain: bool) -> MesRun {
    let e = ctx.election;
    let prof = ctx.profile;
    let m = e.projects.len();
    let n = prof.n_voters;
    let mut dec = Decision::new(m);
    let mut h = Horizon { s0, next: None, on: track };
    let label = match util {
        Utility::Cost => "MES",
        Utility::Cardinality => "MES (cardinality)",
    };
    let label_zh = match util {
        Utility::Cost => "均等份额法",
        Utility::Cardinality => "均等份额法（按项目数）",
    };
    let say = |f: &dyn Fn() -> Msg| if explain { f() } else { Msg::new("", "") };

    let mut free: Vec<usize> = (0..m).filter(|&p| ctx.cost(p) == 0 && prof.approvals[p] > 0).collect();
    free.sort_by_key(|&p| ctx.priority[p]);
    for p in free {
        dec.select(
            p,
            say(&|| {
                Msg::new(format!("{label_zh}：不花钱且有人支持"), format!("{label}: costs nothing and has supporters"))
            }),
        );
    }
    for p in (0..m).filter(|&p| prof.approvals[p] == 0) {
        dec.reject(p, None, say(&|| Msg::new(format!("{label_zh}：无人支持"), format!("{label}: no supporters"))));
    }
    if n == 0 {
        return MesRun { decision: dec, next: None };
    }
    let mut cands: Vec<Cand> =
        (0..m).filter(|&p| ctx.cost(p) > 0 && prof.approvals[p] > 0).map(|p| Cand { p, bound: None }).collect();
    cands.sort_by_key(|c| ctx.priority[c.p]);

    let nb = BigInt::from(n);
    let per_voter_unit = &nb * e.scale;
    let budget = BigInt::from(e.budget);
    let start = if track {
        Aff { a: per_voter_unit.clone(), c: budget.clone(), v: &budget + &per_voter_unit * s0 }
    } else {
        let v = &budget + &per_voter_unit * s0;
        Aff { a: BigInt::zero(), c: v.clone(), v }
    };
    let mut st = State {
        ctx,
        util,
        track,
        s0,
        d: nb.clone(),
        mults: vec![BigInt::one()],
        classes: vec![Class { a: start.a, v: start.v, epoch: 0 }],
        cls: vec![0; prof.n_ballots()],
        scratch: Vec::new(),
        map: Vec::new(),
        paid_any: false,
    };
    let prio = &ctx.priority;

    let mut round = 0usize;
    while !cands.is_empty() {
        round += 1;
        // `cands` is sorted by (bound, priority); only a prefix is evaluated.
        let mut best: Option<(usize, Eval)> = None;
        let mut removed: Vec<usize> = Vec::new();
        let mut upto = cands.len();
        for i in 0..cands.len() {
            if let (Some((bi, _)), Some(bound)) = (&best, &cands[i].bound) {
                let b = cands[*bi].bound.as_ref().expect("best was evaluated");
                let stop = match cmp_at(bound, b) {
                    Ordering::Greater => true,
                    Ordering::Equal => prio[cands[i].p] > prio[cands[*bi].p],
                    Ordering::Less => false,
                };
                if stop {
                    upto = i;
                    break;
                }
            }
            let p = cands[i].p;
            match st.eval(p, &mut h) {
                Err(total) => {
                    removed.push(i);
                    if !h.saturated() {
                        let cost_d = &st.d * ctx.cost(p);
                        h.require(&-&total.a, || &cost_d - &total.c, true);
                    }
                    let reason = say(&|| {
                        let left = format_fraction(&total.v, &st.d, e.scale);
                        let cost = ctx.money(ctx.cost(p));
                        Msg::new(
                            format!(
                                "{label_zh}第{round}轮：其{}位支持者合计只剩{left}，不足预算{cost}",
                                prof.approvals[p]
                            ),
                            format!(
                                "{label} round {round}: its {} supporters have {left} left in total, less than the cost {cost}",
                                prof.approvals[p]
                            ),
                        )
                    });
                    dec.reject(p, Some(round), reason);
                }
                Ok((ev, ratio)) => {
                    let better = match &best {
                        None => true,
                        Some((bi, _)) => {
                            let b = cands[*bi].bound.as_ref().expect("best was evaluated");
                            match cmp_at(&ratio, b) {
                                Ordering::Less => true,
                                Ordering::Equal => prio[p] < prio[cands[*bi].p],
                                Ordering::Greater => false,
                            }
                        }
                    };
                    cands[i].bound = Some(ratio);
                    if better {
                        best = Some((i, ev));
                    }
                }
            }
        }
        let Some((bi, ev)) = best else {
            break;
        };
        let p = cands[bi].p;
        if track {
            st.require_split(&ev, &mut h);
            let rb = cands[bi].bound.as_ref().expect("best was evaluated");
            for (j, c) in cands.iter().enumerate() {
                if h.saturated() {
                    break;
                }
                if j == bi || removed.contains(&j) {
                    continue;
                }
                let Some(bj) = &c.bound else { continue };
                let a = &bj.num.a * &rb.den - &rb.num.a * &bj.den;
                let strict = prio[c.p] < prio[p];
                h.require(&a, || &bj.num.c * &rb.den - &rb.num.c * &bj.den, strict);
            }
        }
        let reason = say(&|| {
            let payers: u64 = ev.groups[ev.f..].iter().map(|g| g.1).sum();
            let full: u64 = ev.groups[..ev.f].iter().map(|g| g.1).sum();
            let rho_den = &st.d * ev.rem;
            let (criterion_zh, criterion) = match util {
                Utility::Cost => {
                    let evc = format_fraction(&(&rho_den * ctx.cost(p)), &ev.rho.v, 1);
                    (
                        format!("有效票数{evc}（预算÷每人分摊），在付得起的项目中最高"),
                        format!(
                            "effective vote count {evc} (cost / per-voter payment), the highest among affordable projects"
                        ),
                    )
                }
                Utility::Cardinality => (
                    "每人分摊在付得起的项目中最少".to_string(),
                    "the lowest per-voter payment among affordable projects".to_string(),
                ),
            };
            let (full_zh, full) = if full > 0 {
                (format!("，另有{full}人付出全部余额"), format!(" and {full} more pay all they have left"))
            } else {
                (String::new(), String::new())
            };
            let each = format_fraction(&ev.rho.v, &rho_den, e.scale);
            Msg::new(
                format!("{label_zh}第{round}轮：{payers}位支持者每人分摊{each}{full_zh}；{criterion_zh}"),
                format!("{label} round {round}: {payers} supporters pay {each} each{full}; {criterion}"),
            )
        });
        st.apply(p, &ev);
        dec.select(p, reason);
        removed.push(bi);
        // Re-sort the evaluated prefix (bounds went up) and merge it back.
        let mut prefix: Vec<Cand> =
            cands.drain(..upto).enumerate().filter(|(j, _)| !removed.contains(j)).map(|(_, c)| c).collect();
        prefix.sort_by(|x, y| cand_cmp(prio, x, y));
        for c in prefix {
            let at = cands.partition_point(|y| cand_cmp(prio, y, &c) == Ordering::Less);
            cands.insert(at, c);
        }
    }
    MesRun { decision: dec, next: h.next }
}

/// Method of Equal Shares without completion.
pub fn mes(ctx: &Ctx, util: Utility) -> Decision {
    let mut d = run(ctx, util, 0, false, true).decision;
    d.notes.push(format!("each of the {} voters starts with {}", ctx.profile.n_voters, share(ctx, 0)));
    d
}

fn share(ctx: &Ctx, s: u64) -> String {
    let e = ctx.election;
    let n = ctx.profile.n_voters.max(1);
    let num = BigInt::from(e.budget) + BigInt::from(n) * e.scale * s;
    format_fraction(&num, &BigInt::from(n), e.scale)
}
