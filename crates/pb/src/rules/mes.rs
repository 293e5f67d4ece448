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
//! count whenever a project is funded. Identical ballots are merged; voters
//! with equal remaining money form one *class*, so computing `ρ` costs one
//! pass over the classes of the supporters (classes are kept sorted by
//! money). Projects are evaluated lazily: a project's last `ρ` is a lower
//! bound on its current one (money only decreases), so a project is only
//! recomputed while its bound can still beat the best one found this round.
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

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::{Ctx, Decision};
use crate::explain::format_fraction;

/// Satisfaction of a supporter from a funded project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utility {
    /// `u(p) = cost(p)`: the default of pabutools / equalshares.net.
    Cost,
    /// `u(p) = 1`.
    Cardinality,
}

/// An amount `(a·s + c) / D` that is affine in the increment count `s`,
/// with its value `v = a·s0 + c` at the current `s0` cached.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Aff {
    a: BigInt,
    c: BigInt,
    v: BigInt,
}

impl Aff {
    fn zero() -> Aff {
        Aff { a: BigInt::zero(), c: BigInt::zero(), v: BigInt::zero() }
    }

    fn mul_assign(&mut self, m: &BigInt) {
        self.a *= m;
        self.c *= m;
        self.v *= m;
    }

    fn add_mul(&mut self, other: &Aff, w: u64) {
        self.a += &other.a * w;
        self.c += &other.c * w;
        self.v += &other.v * w;
    }
}

/// A price `num / den` (per unit of satisfaction), `den > 0`.
#[derive(Clone, Debug)]
struct Ratio {
    num: Aff,
    den: BigInt,
}

fn cmp_at(x: &Ratio, y: &Ratio) -> Ordering {
    (&x.num.v * &y.den).cmp(&(&y.num.v * &x.den))
}

/// The first increment `> s0` at which some recorded comparison may flip.
struct Horizon {
    s0: u64,
    next: Option<u64>,
    on: bool,
    tag: &'static str,
    cur: &'static str,
    round: usize,
    bind_round: usize,
}

impl Horizon {
    fn force(&mut self, s: u64) {
        if self.next.is_none_or(|n| s < n) {
            self.tag = self.cur;
            self.bind_round = self.round;
        }
        self.next = Some(self.next.map_or(s, |n| n.min(s)));
    }

    /// Records that `g(s) = a·s + c` must stay `≥ 0` (`> 0` if `strict`);
    /// it holds at `s0`.
    fn require(&mut self, a: &BigInt, c: impl FnOnce() -> BigInt, strict: bool) {
        if !self.on || !a.is_negative() {
            return;
        }
        let c = c();
        if let Some(h) = self.next {
            if h <= self.s0 + 1 {
                return;
            }
            let g = a * (h - 1) + &c;
            let ok = if strict { g.is_positive() } else { !g.is_negative() };
            if ok {
                return;
            }
        }
        self.require_root(a, &c, strict)
    }

    fn require_root(&mut self, a: &BigInt, c: &BigInt, strict: bool) {
        let na = -a;
        let (q, r) = c.div_mod_floor(&na);
        let v = if strict && r.is_zero() { q } else { q + 1 };
        let v = v.to_u64().unwrap_or(u64::MAX).max(self.s0 + 1);
        self.force(v);
    }
}

const ZERO: u32 = u32::MAX;

/// A project still in the running, with a lower bound on its price.
struct Cand {
    p: usize,
    bound: Option<Ratio>,
}

/// How a project would be paid for right now.
struct Eval {
    /// Supporter classes (ascending money) and their weights.
    groups: Vec<(u32, u64)>,
    /// The first `f` groups pay everything they have left.
    f: usize,
    /// Number of voters paying exactly `ρ`.
    rem: u64,
    /// `ρ = rho / (rem · D)`.
    rho: Aff,
}

struct State<'c, 'a> {
    ctx: &'c Ctx<'a>,
    util: Utility,
    track: bool,
    d: BigInt,
    classes: Vec<Aff>,
    class_w: Vec<u64>,
    cls: Vec<u32>,
    scratch: Vec<u64>,
    map: Vec<u32>,
}

impl State<'_, '_> {
    /// Drops empty classes, merges equal ones and renumbers them in
    /// ascending order of money (so class ids are ranks).
    fn compact(&mut self) {
        let mut live: Vec<u32> = (0..self.classes.len() as u32).filter(|&c| self.class_w[c as usize] > 0).collect();
        let cl = &self.classes;
        live.sort_by(|&x, &y| {
            let (x, y) = (&cl[x as usize], &cl[y as usize]);
            x.v.cmp(&y.v).then_with(|| x.a.cmp(&y.a))
        });
        let mut new_classes: Vec<Aff> = Vec::with_capacity(live.len());
        let mut new_w: Vec<u64> = Vec::with_capacity(live.len());
        let mut remap = vec![ZERO; self.classes.len()];
        for &c in &live {
            let c = c as usize;
            let same = new_classes.last().is_some_and(|l| l.a == self.classes[c].a && l.c == self.classes[c].c);
            if !same {
                new_classes.push(std::mem::replace(&mut self.classes[c], Aff::zero()));
                new_w.push(0);
            }
            let id = new_classes.len() - 1;
            new_w[id] += self.class_w[c];
            remap[c] = id as u32;
        }
        for x in self.cls.iter_mut() {
            if *x != ZERO {
                *x = remap[*x as usize];
            }
        }
        self.classes = new_classes;
        self.class_w = new_w;
        self.scratch.clear();
        self.scratch.resize(self.classes.len(), 0);
    }

    /// Price of project `p`, or `Err(total money of its supporters)`.
    fn eval(&mut self, p: usize, h: &mut Horizon) -> Result<(Eval, Ratio), Aff> {
        let prof = self.ctx.profile;
        let mut groups: Vec<(u32, u64)> = Vec::new();
        for &u in &prof.supporters[p] {
            let c = self.cls[u as usize];
            if c == ZERO {
                continue;
            }
            let slot = &mut self.scratch[c as usize];
            if *slot == 0 {
                groups.push((c, 0));
            }
            *slot += prof.weights[u as usize];
        }
        let mut rem: u64 = 0;
        for g in groups.iter_mut() {
            g.1 = std::mem::take(&mut self.scratch[g.0 as usize]);
            rem += g.1;
        }
        groups.sort_unstable_by_key(|g| g.0);
        let cost = self.ctx.cost(p);
        let cost_d = &self.d * cost;
        let mut paid = Aff::zero();
        let mut found = None;
        let last = groups.len().wrapping_sub(1);
        for (idx, &(c, w)) in groups.iter().enumerate() {
            let cl = &self.classes[c as usize];
            let rho_v = &cost_d - &paid.v;
            let rhs = &cl.v * rem;
            let mut ord = rho_v.cmp(&rhs);
            if ord == Ordering::Equal && self.track {
                ord = (-&paid.a).cmp(&(&cl.a * rem));
                if ord == Ordering::Greater && idx == last {
                    // Exactly affordable at s0 only (everyone pays all).
                    h.cur = "exact";
                    h.force(h.s0 + 1);
                    ord = Ordering::Equal;
                }
            }
            if ord != Ordering::Greater {
                found = Some(idx);
                break;
            }
            paid.add_mul(cl, w);
            rem -= w;
        }
        let Some(f) = found else {
            return Err(paid);
        };
        let rho = Aff { a: -&paid.a, c: &cost_d - &paid.c, v: &cost_d - &paid.v };
        let mut den = &self.d * rem;
        if self.util == Utility::Cost {
            den *= cost;
        }
        let ratio = Ratio { num: rho.clone(), den };
        Ok((Eval { groups, f, rem, rho }, ratio))
    }

    /// Records the constraints under which `ev` stays the exact payment
    /// split of the funded project.
    fn require_split(&self, ev: &Eval, h: &mut Horizon) {
        let rem = BigInt::from(ev.rem);
        for (idx, &(c, _)) in ev.groups.iter().enumerate() {
            let cl = &self.classes[c as usize];
            let ra = &cl.a * &rem;
            if idx < ev.f {
                h.require(&(&ev.rho.a - &ra), || &ev.rho.c - &cl.c * &rem, false);
            } else {
                h.require(&(&ra - &ev.rho.a), || &cl.c * &rem - &ev.rho.c, false);
            }
        }
    }

    /// Funds project `p`: full payers drop to zero, the others pay `ρ`.
    fn apply(&mut self, p: usize, ev: &Eval) {
        let prof = self.ctx.profile;
        let rem_b = BigInt::from(ev.rem);
        let mut g = ev.rem;
        for x in [&ev.rho.c, &ev.rho.a] {
            let r = x.mod_floor(&rem_b).to_u64().unwrap_or(0);
            g = g.gcd(&r);
        }
        let m = BigInt::from(ev.rem / g);
        let pay = Aff { a: &ev.rho.a / g, c: &ev.rho.c / g, v: &ev.rho.v / g };
        if !m.is_one() {
            self.d *= &m;
            for cl in self.classes.iter_mut() {
                cl.mul_assign(&m);
            }
        }
        self.map.clear();
        self.map.resize(self.classes.len(), ZERO);
        for (idx, &(c, _)) in ev.groups.iter().enumerate() {
            if idx >= ev.f {
                let old = &self.classes[c as usize];
                let new = Aff { a: &old.a - &pay.a, c: &old.c - &pay.c, v: &old.v - &pay.v };
                self.map[c as usize] = self.classes.len() as u32;
                self.classes.push(new);
                self.class_w.push(0);
            }
        }
        for &u in &prof.supporters[p] {
            let c = self.cls[u as usize];
            if c == ZERO {
                continue;
            }
            let w = prof.weights[u as usize];
            let t = self.map[c as usize];
            self.class_w[c as usize] -= w;
            if t != ZERO {
                self.class_w[t as usize] += w;
            }
            self.cls[u as usize] = t;
        }
    }
}

/// Result of one MES run.
pub(crate) struct MesRun {
    pub decision: Decision,
    /// First increment count `> s0` at which the outcome may differ
    /// (`None`: never), only computed when tracking.
    pub next: Option<u64>,
}

/// One MES run with every voter starting from `budget / n + s0` currency
/// units. With `track`, also computes [`MesRun::next`]; with `explain`,
/// writes human-readable reasons.
pub(crate) fn run(ctx: &Ctx, util: Utility, s0: u64, track: bool, explain: bool) -> MesRun {
    let e = ctx.election;
    let prof = ctx.profile;
    let m = e.projects.len();
    let n = prof.n_voters;
    let mut dec = Decision::new(m);
    let mut h = Horizon { s0, next: None, on: track, tag: "", cur: "", round: 0, bind_round: 0 };
    let label = match util {
        Utility::Cost => "MES",
        Utility::Cardinality => "MES (cardinality)",
    };
    let say = |f: &dyn Fn() -> String| if explain { f() } else { String::new() };

    let mut free: Vec<usize> = (0..m).filter(|&p| ctx.cost(p) == 0 && prof.approvals[p] > 0).collect();
    free.sort_by_key(|&p| ctx.priority[p]);
    for p in free {
        dec.select(p, say(&|| format!("{label}: costs nothing and has supporters")));
    }
    for p in (0..m).filter(|&p| prof.approvals[p] == 0) {
        dec.reject(p, None, say(&|| format!("{label}: no supporters")));
    }
    if n == 0 {
        return MesRun { decision: dec, next: None };
    }
    let mut cands: Vec<Cand> =
        (0..m).filter(|&p| ctx.cost(p) > 0 && prof.approvals[p] > 0).map(|p| Cand { p, bound: None }).collect();

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
        d: nb.clone(),
        classes: vec![start],
        class_w: vec![n],
        cls: vec![0; prof.ballots.len()],
        scratch: Vec::new(),
        map: Vec::new(),
    };
    let prio = &ctx.priority;

    let mut round = 0usize;
    while !cands.is_empty() {
        round += 1;
        h.round = round;
        st.compact();
        cands.sort_by(|x, y| {
            let by_bound = match (&x.bound, &y.bound) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => cmp_at(a, b),
            };
            by_bound.then(prio[x.p].cmp(&prio[y.p]))
        });
        let mut best: Option<(usize, Eval)> = None;
        let mut removed: Vec<usize> = Vec::new();
        for i in 0..cands.len() {
            if let (Some((bi, _)), Some(bound)) = (&best, &cands[i].bound) {
                let b = cands[*bi].bound.as_ref().expect("best was evaluated");
                match cmp_at(bound, b) {
                    Ordering::Greater => break,
                    Ordering::Equal if prio[cands[i].p] > prio[cands[*bi].p] => break,
                    _ => {}
                }
            }
            let p = cands[i].p;
            match st.eval(p, &mut h) {
                Err(total) => {
                    removed.push(i);
                    h.cur = "unaff";
                    if track {
                        let cost_d = &st.d * ctx.cost(p);
                        h.require(&-&total.a, || &cost_d - &total.c, true);
                    }
                    let reason = say(&|| {
                        format!(
                            "{label} round {round}: its {} supporters have {} left in total, less than the cost {}",
                            prof.approvals[p],
                            format_fraction(&total.v, &st.d, e.scale),
                            ctx.money(ctx.cost(p))
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
        h.cur = "argmin";
        if track {
            let rb = cands[bi].bound.as_ref().expect("best was evaluated");
            for (j, c) in cands.iter().enumerate() {
                if j == bi || removed.contains(&j) {
                    continue;
                }
                let Some(bj) = &c.bound else { continue };
                let a = &bj.num.a * &rb.den - &rb.num.a * &bj.den;
                let strict = prio[c.p] < prio[p];
                h.require(&a, || &bj.num.c * &rb.den - &rb.num.c * &bj.den, strict);
            }
            h.cur = "split";
            st.require_split(&ev, &mut h);
        }
        let reason = say(&|| {
            let payers: u64 = ev.groups[ev.f..].iter().map(|g| g.1).sum();
            let full: u64 = ev.groups[..ev.f].iter().map(|g| g.1).sum();
            let per_unit = match util {
                Utility::Cost => format!(
                    " — {} per unit of cost, the lowest of all affordable projects",
                    format_fraction(&ev.rho.v, &(&st.d * ev.rem * ctx.cost(p)), 1)
                ),
                Utility::Cardinality => ", the lowest of all affordable projects".into(),
            };
            format!(
                "{label} round {round}: {payers} supporters pay {} each{}{per_unit}",
                format_fraction(&ev.rho.v, &(&st.d * ev.rem), e.scale),
                if full > 0 { format!(" and {full} pay all they have left") } else { String::new() },
            )
        });
        st.apply(p, &ev);
        dec.select(p, reason);
        removed.push(bi);
        removed.sort_unstable();
        for &j in removed.iter().rev() {
            cands.swap_remove(j);
        }
    }
    if track && std::env::var("MES_DEBUG").is_ok() {
        eprintln!(
            "s0={s0} next={:?} tag={} round={}/{} classes={}",
            h.next,
            h.tag,
            h.bind_round,
            round,
            st.classes.len()
        );
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

fn is_exhaustive(ctx: &Ctx, selected: &[usize], spent: u64) -> bool {
    let mut chosen = vec![false; ctx.election.projects.len()];
    for &p in selected {
        chosen[p] = true;
    }
    let left = ctx.election.budget.saturating_sub(spent);
    (0..chosen.len()).all(|p| chosen[p] || ctx.cost(p) > left)
}

/// The increment count Add1 settles on, and how many MES runs it took.
pub fn add1_increment(ctx: &Ctx) -> (u64, usize) {
    let budget = ctx.election.budget;
    let mut s = 0u64;
    let mut prev = 0u64;
    let mut runs = 0usize;
    loop {
        runs += 1;
        let r = run(ctx, Utility::Cost, s, true, false);
        let sel = &r.decision.selected;
        let spent: u64 = sel.iter().map(|&p| ctx.cost(p)).sum();
        if spent > budget {
            return (prev, runs);
        }
        if is_exhaustive(ctx, sel, spent) {
            return (s, runs);
        }
        prev = s;
        match r.next {
            Some(next) if next > s => s = next,
            _ => return (s, runs),
        }
    }
}

/// MES with the Add1 completion.
pub fn mes_add1(ctx: &Ctx) -> Decision {
    let (s, runs) = add1_increment(ctx);
    let mut d = run(ctx, Utility::Cost, s, false, true).decision;
    d.notes.push(format!(
        "Add1 completion: each of the {} voters starts with {} (= budget/n + {s}); {runs} parametric MES runs",
        ctx.profile.n_voters,
        share(ctx, s),
    ));
    d
}
