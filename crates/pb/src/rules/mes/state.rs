//! A run's state: voter classes with equal remaining money, candidates and
//! how a project would be paid for right now.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

use super::Utility;
use super::exact::{Aff, Horizon, Ratio, ZERO, cmp_at, top_bits};
use crate::rules::Ctx;

/// A project still in the running, with a lower bound on its price.
pub(super) struct Cand {
    pub(super) p: usize,
    pub(super) bound: Option<Ratio>,
}

pub(super) fn cand_cmp(prio: &[u32], x: &Cand, y: &Cand) -> Ordering {
    let by_bound = match (&x.bound, &y.bound) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => cmp_at(a, b),
    };
    by_bound.then(prio[x.p].cmp(&prio[y.p]))
}

/// How a project would be paid for right now.
pub(super) struct Eval {
    /// Supporter classes (ascending money) and their weights.
    pub(super) groups: Vec<(u32, u64)>,
    /// The first `f` groups pay everything they have left.
    pub(super) f: usize,
    /// Number of voters paying exactly `ρ`.
    pub(super) rem: u64,
    /// `ρ = rho / (rem · D)`.
    pub(super) rho: Aff,
}

/// A class of voters with equal remaining money `(a·s + c) / D`, stored as
/// `(a, v = a·s0 + c)` scaled to the denominator of epoch `epoch`.
pub(super) struct Class {
    pub(super) a: BigInt,
    pub(super) v: BigInt,
    pub(super) epoch: u32,
}

pub(super) struct State<'c, 'a> {
    pub(super) ctx: &'c Ctx<'a>,
    pub(super) util: Utility,
    pub(super) track: bool,
    pub(super) s0: u64,
    /// Current common denominator.
    pub(super) d: BigInt,
    /// `mults[e] = D / D_e`: how to bring an amount of epoch `e` up to date.
    pub(super) mults: Vec<BigInt>,
    pub(super) classes: Vec<Class>,
    /// Class of each distinct ballot (`ZERO`: no money left).
    pub(super) cls: Vec<u32>,
    pub(super) scratch: Vec<u64>,
    pub(super) map: Vec<u32>,
    /// Whether some project was funded (before that, all voters are in
    /// class 0).
    pub(super) paid_any: bool,
}

impl State<'_, '_> {
    pub(super) fn epoch(&self) -> u32 {
        (self.mults.len() - 1) as u32
    }

    /// Brings class `c` to the current denominator.
    pub(super) fn refresh(&mut self, c: u32) {
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

    pub(super) fn cmp_classes(&self, x: u32, y: u32) -> Ordering {
        let (x, y) = (&self.classes[x as usize], &self.classes[y as usize]);
        x.v.cmp(&y.v).then_with(|| x.a.cmp(&y.a))
    }

    /// `c` part of an affine amount given `a` and its value `v` at `s0`.
    pub(super) fn c_of(&self, a: &BigInt, v: &BigInt) -> BigInt {
        v - a * self.s0
    }

    /// Price of project `p`, or `Err(total money of its supporters)`.
    pub(super) fn eval(&mut self, p: usize, h: &mut Horizon) -> Result<(Eval, Ratio), Aff> {
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
    pub(super) fn require_split(&self, ev: &Eval, h: &mut Horizon) {
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
    pub(super) fn apply(&mut self, p: usize, ev: &Eval) {
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
