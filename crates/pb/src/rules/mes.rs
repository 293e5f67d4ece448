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
}

impl Horizon {
    /// No constraint can shrink the horizon any further.
    fn saturated(&self) -> bool {
        !self.on || self.next == Some(self.s0 + 1)
    }

    fn force(&mut self, s: u64) {
        self.next = Some(self.next.map_or(s, |n| n.min(s)));
    }

    /// Records that `g(s) = a·s + c` must stay `≥ 0` (`> 0` if `strict`);
    /// it holds at `s0`.
    fn require(&mut self, a: &BigInt, c: impl FnOnce() -> BigInt, strict: bool) {
        if self.saturated() || !a.is_negative() {
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

/// `⌊v / 2^shift⌋` truncated to 64 bits (`v ≥ 0`); monotone in `v`.
fn top_bits(v: &BigInt, shift: u64) -> u64 {
    let mut digits = v.iter_u64_digits().skip((shift / 64) as usize);
    let lo = digits.next().unwrap_or(0);
    let hi = digits.next().unwrap_or(0);
    let off = shift % 64;
    if off == 0 { lo } else { (lo >> off) | (hi << (64 - off)) }
}

/// A project still in the running, with a lower bound on its price.
struct Cand {
    p: usize,
    bound: Option<Ratio>,
}

fn cand_cmp(prio: &[u32], x: &Cand, y: &Cand) -> Ordering {
    let by_bound = match (&x.bound, &y.bound) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => cmp_at(a, b),
    };
    by_bound.then(prio[x.p].cmp(&prio[y.p]))
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

/// A class of voters with equal remaining money `(a·s + c) / D`, stored as
/// `(a, v = a·s0 + c)` scaled to the denominator of epoch `epoch`.
struct Class {
    a: BigInt,
    v: BigInt,
    epoch: u32,
}

struct State<'c, 'a> {
    ctx: &'c Ctx<'a>,
    util: Utility,
    track: bool,
    s0: u64,
    /// Current common denominator.
    d: BigInt,
    /// `mults[e] = D / D_e`: how to bring an amount of epoch `e` up to date.
    mults: Vec<BigInt>,
    classes: Vec<Class>,
    /// Class of each distinct ballot (`ZERO`: no money left).
    cls: Vec<u32>,
    scratch: Vec<u64>,
    map: Vec<u32>,
    /// Whether some project was funded (before that, all voters are in
    /// class 0).
    paid_any: bool,
}

impl State<'_, '_> {
    fn epoch(&self) -> u32 {
        (self.mults.len() - 1) as u32
    }

    /// Brings class `c` to the current denominator.
    fn refresh(&mut self, c: u32) {
        let now = self.epoch();
        let cl = &mut self.classes[c as usize];
        if cl.epoch != now {
            let m = &self.mults[cl.epoch as usize];
            cl.v *= m;
            if self.track {
                cl.a *= m;
            }
            cl.epoch = now;
        }
    }

    fn cmp_classes(&self, x: u32, y: u32) -> Ordering {
        let (x, y) = (&self.classes[x as usize], &self.classes[y as usize]);
        x.v.cmp(&y.v).then_with(|| x.a.cmp(&y.a))
    }

    /// `c` part of an affine amount given `a` and its value `v` at `s0`.
    fn c_of(&self, a: &BigInt, v: &BigInt) -> BigInt {
        v - a * self.s0
    }

    /// Price of project `p`, or `Err(total money of its supporters)`.
    fn eval(&mut self, p: usize, h: &mut Horizon) -> Result<(Eval, Ratio), Aff> {
        let prof = self.ctx.profile;
        if self.scratch.len() < self.classes.len() {
            self.scratch.resize(self.classes.len(), 0);
        }
        let mut groups: Vec<(u32, u64)> = Vec::new();
        let single = !self.paid_any;
        let supporters: &[u32] = if single {
            // Nobody has paid yet: everyone is in class 0.
            groups.push((0, prof.approvals[p]));
            &[]
        } else {
            prof.supporters(p)
        };
        for &u in supporters {
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
            if !single {
                g.1 = std::mem::take(&mut self.scratch[g.0 as usize]);
            }
            rem += g.1;
        }
        let mut max_bits = 0;
        for &(c, _) in &groups {
            self.refresh(c);
            max_bits = max_bits.max(self.classes[c as usize].v.bits());
        }
        // Sort by the top 64 bits of the money, exact comparison on ties.
        let shift = max_bits.saturating_sub(64);
        let mut keyed: Vec<(u64, u32, u64)> =
            groups.iter().map(|&(c, w)| (top_bits(&self.classes[c as usize].v, shift), c, w)).collect();
        keyed.sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| self.cmp_classes(x.1, y.1)));
        let groups: Vec<(u32, u64)> = keyed.into_iter().map(|(_, c, w)| (c, w)).collect();
        let cost = self.ctx.cost(p);
        let cost_d = &self.d * cost;
        let mut paid = Aff::zero();
        let mut found = None;
        let last = groups.len().wrapping_sub(1);
        let mut rhs = BigInt::zero();
        let mut lhs = BigInt::zero();
        for (idx, &(c, w)) in groups.iter().enumerate() {
            let cl = &self.classes[c as usize];
            // ρ ≤ r_c  ⟺  cost·D − paid ≤ rem·r_c  ⟺  cost·D ≤ paid + rem·r_c
            rhs.clone_from(&cl.v);
            rhs *= rem;
            rhs += &paid.v;
            let mut ord = cost_d.cmp(&rhs);
            if ord == Ordering::Equal && self.track {
                lhs.clone_from(&cl.a);
                lhs *= rem;
                lhs += &paid.a;
                // slopes: −paid_a vs rem·a_c  ⟺  0 vs paid_a + rem·a_c
                ord = BigInt::zero().cmp(&lhs);
                if ord == Ordering::Greater && idx == last {
                    // Exactly affordable at s0 only (everyone pays all).
                    h.force(h.s0 + 1);
                    ord = Ordering::Equal;
                }
            }
            if ord != Ordering::Greater {
                found = Some(idx);
                break;
            }
            lhs.clone_from(&cl.v);
            lhs *= w;
            paid.v += &lhs;
            if self.track {
                lhs.clone_from(&cl.a);
                lhs *= w;
                paid.a += &lhs;
            }
            rem -= w;
        }
        let Some(f) = found else {
            paid.c = self.c_of(&paid.a, &paid.v);
            return Err(paid);
        };
        let rho_a = -&paid.a;
        let rho_v = &cost_d - &paid.v;
        let rho = Aff { c: self.c_of(&rho_a, &rho_v), a: rho_a, v: rho_v };
        let mut den = &self.d * rem;
        if self.util == Utility::Cost {
            den *= cost;
        }
        let ratio = Ratio { num: rho.clone(), den };
        Ok((Eval { groups, f, rem, rho }, ratio))
    }

    /// Records the constraints under which `ev` stays the exact payment
    /// split of the funded project (its classes are up to date).
    fn require_split(&self, ev: &Eval, h: &mut Horizon) {
        let rem = BigInt::from(ev.rem);
        for (idx, &(c, _)) in ev.groups.iter().enumerate() {
            if h.saturated() {
                return;
            }
            let cl = &self.classes[c as usize];
            let ra = &cl.a * &rem;
            let cc = || self.c_of(&cl.a, &cl.v) * &rem;
            if idx < ev.f {
                h.require(&(&ev.rho.a - &ra), || &ev.rho.c - cc(), false);
            } else {
                h.require(&(&ra - &ev.rho.a), || cc() - &ev.rho.c, false);
            }
        }
    }

    /// Funds project `p`: full payers drop to zero, the others pay `ρ`.
    fn apply(&mut self, p: usize, ev: &Eval) {
        let prof = self.ctx.profile;
        self.paid_any = true;
        let rem_b = BigInt::from(ev.rem);
        let mut g = ev.rem;
        for x in [&ev.rho.v, &ev.rho.a] {
            let r = x.mod_floor(&rem_b).to_u64().unwrap_or(0);
            g = g.gcd(&r);
        }
        let m = ev.rem / g;
        let pay_v = &ev.rho.v / g;
        let pay_a = &ev.rho.a / g;
        if m != 1 {
            self.d *= m;
            for x in self.mults.iter_mut() {
                *x *= m;
            }
            self.mults.push(BigInt::one());
        }
        let now = self.epoch();
        self.map.clear();
        self.map.resize(self.classes.len(), ZERO);
        for &(c, _) in &ev.groups[ev.f..] {
            self.refresh(c);
            let old = &self.classes[c as usize];
            let new = Class { a: &old.a - &pay_a, v: &old.v - &pay_v, epoch: now };
            if new.v.is_zero() && new.a.is_zero() {
                continue; // spent exactly everything: ZERO
            }
            self.map[c as usize] = self.classes.len() as u32;
            self.classes.push(new);
        }
        for &u in prof.supporters(p) {
            let c = self.cls[u as usize];
            if c != ZERO {
                self.cls[u as usize] = self.map[c as usize];
            }
        }
    }
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
            let criterion = match util {
                Utility::Cost => format!(
                    "effective vote count {} (cost / per-voter payment), the highest among affordable projects",
                    format_fraction(&(&rho_den * ctx.cost(p)), &ev.rho.v, 1)
                ),
                Utility::Cardinality => "the lowest per-voter payment among affordable projects".to_string(),
            };
            let full = if full > 0 { format!(" and {full} more pay all they have left") } else { String::new() };
            format!(
                "{label} round {round}: {payers} supporters pay {} each{full}; {criterion}",
                format_fraction(&ev.rho.v, &rho_den, e.scale),
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

fn is_exhaustive(ctx: &Ctx, selected: &[usize], spent: u64) -> bool {
    let mut chosen = vec![false; ctx.election.projects.len()];
    for &p in selected {
        chosen[p] = true;
    }
    let left = ctx.election.budget.saturating_sub(spent);
    (0..chosen.len()).all(|p| chosen[p] || ctx.cost(p) > left)
}

/// The Add1 completion's final increment count `s` (every voter starts with
/// `budget / n + s` currency units) and the number of MES runs it took.
///
/// Equals what stepping `s = 0, 1, 2, …` one at a time would return: the
/// first `s` with an exhaustive outcome, or the last `s` before the first
/// over-budget outcome.
pub fn add1_increment(ctx: &Ctx) -> (u64, usize) {
    let budget = ctx.election.budget;
    let mut s = 0u64;
    let mut runs = 0usize;
    loop {
        runs += 1;
        let r = run(ctx, Utility::Cost, s, true, false);
        let sel = &r.decision.selected;
        let spent: u64 = sel.iter().map(|&p| ctx.cost(p)).sum();
        if spent > budget {
            // Runs at 0..s-1 all stayed within the budget (s = 0 always does).
            return (s.saturating_sub(1), runs);
        }
        if is_exhaustive(ctx, sel, spent) {
            return (s, runs);
        }
        match r.next {
            Some(next) if next > s => s = next,
            // The outcome never changes again: stepping would not terminate.
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
