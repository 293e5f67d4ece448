//! Exact amounts affine in the Add1 increment count, prices, and the horizon
//! up to which a run's comparisons hold.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

/// An amount `(a·s + c) / D` that is affine in the increment count `s`,
/// with its value `v = a·s0 + c` at the current `s0` cached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Aff {
    pub(super) a: BigInt,
    pub(super) c: BigInt,
    pub(super) v: BigInt,
}

impl Aff {
    pub(super) fn zero() -> Aff {
        Aff { a: BigInt::zero(), c: BigInt::zero(), v: BigInt::zero() }
    }
}

/// A price `num / den` (per unit of satisfaction), `den > 0`.
#[derive(Clone, Debug)]
pub(super) struct Ratio {
    pub(super) num: Aff,
    pub(super) den: BigInt,
}

pub(super) fn cmp_at(x: &Ratio, y: &Ratio) -> Ordering {
    (&x.num.v * &y.den).cmp(&(&y.num.v * &x.den))
}

/// The first increment `> s0` at which some recorded comparison may flip.
pub(super) struct Horizon {
    pub(super) s0: u64,
    pub(super) next: Option<u64>,
    pub(super) on: bool,
}

impl Horizon {
    /// No constraint can shrink the horizon any further.
    pub(super) fn saturated(&self) -> bool {
        !self.on || self.next == Some(self.s0 + 1)
    }

    pub(super) fn force(&mut self, s: u64) {
        self.next = Some(self.next.map_or(s, |n| n.min(s)));
    }

    /// Records that `g(s) = a·s + c` must stay `≥ 0` (`> 0` if `strict`);
    /// it holds at `s0`.
    pub(super) fn require(&mut self, a: &BigInt, c: impl FnOnce() -> BigInt, strict: bool) {
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

    pub(super) fn require_root(&mut self, a: &BigInt, c: &BigInt, strict: bool) {
        let na = -a;
        let (q, r) = c.div_mod_floor(&na);
        let v = if strict && r.is_zero() { q } else { q + 1 };
        let v = v.to_u64().unwrap_or(u64::MAX).max(self.s0 + 1);
        self.force(v);
    }
}

pub(super) const ZERO: u32 = u32::MAX;

/// `⌊v / 2^shift⌋` truncated to 64 bits (`v ≥ 0`); monotone in `v`.
pub(super) fn top_bits(v: &BigInt, shift: u64) -> u64 {
    let mut digits = v.iter_u64_digits().skip((shift / 64) as usize);
    let lo = digits.next().unwrap_or(0);
    let hi = digits.next().unwrap_or(0);
    let off = shift % 64;
    if off == 0 { lo } else { (lo >> off) | (hi << (64 - off)) }
}
