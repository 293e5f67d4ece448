//! N1 · exponential backoff with jitter, N2 · dead letter after N attempts.
//! The jitter is drawn from a seed (the message's id and attempt), so the same
//! failure always waits the same time and a test can say how long.

use std::time::Duration;

/// How a failed message is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The wait after the first failure, before jitter.
    pub base: Duration,
    /// The longest wait, before jitter.
    pub cap: Duration,
    /// Attempts in all; after the last failed one the message is a dead letter.
    pub max_attempts: u32,
}

impl Default for Retry {
    /// 30 s, doubling, at most an hour; eight attempts (about two hours in all).
    fn default() -> Self {
        Retry { base: Duration::from_secs(30), cap: Duration::from_secs(3600), max_attempts: 8 }
    }
}

/// What follows a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Next {
    /// Try again after this long.
    After(Duration),
    /// No more attempts: a dead letter, retried only by hand.
    Dead,
}

/// SplitMix64: a small, well-mixed, deterministic generator.
pub fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Retry {
    /// N1/N2: after `attempts` failed attempts (1 for the first), the wait is
    /// `min(cap, base · 2^(attempts-1))`, of which the second half is jitter
    /// ("equal jitter": never less than half, never more than the whole);
    /// once `attempts` reaches `max_attempts` the message is dead.
    pub fn after_failure(&self, attempts: u32, seed: u64) -> Next {
        if attempts >= self.max_attempts {
            return Next::Dead;
        }
        let exp = attempts.saturating_sub(1).min(40);
        let full = self.base.saturating_mul(1u32 << exp.min(31)).min(self.cap);
        let ms = full.as_millis() as u64;
        let half = ms / 2;
        let jitter = if ms - half == 0 { 0 } else { mix(seed ^ u64::from(attempts).rotate_left(32)) % (ms - half + 1) };
        Next::After(Duration::from_millis(half + jitter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> Retry {
        Retry { base: Duration::from_secs(10), cap: Duration::from_secs(100), max_attempts: 5 }
    }

    #[test]
    fn rule_n1_backoff_doubles_within_its_jitter_and_is_deterministic() {
        for a in 1..5u32 {
            let full = (10u64 << (a - 1)).min(100) * 1000;
            for seed in 0..200 {
                let Next::After(d) = r().after_failure(a, seed) else { panic!("attempt {a} is not the last") };
                let ms = d.as_millis() as u64;
                assert!(ms >= full / 2 && ms <= full, "attempt {a}: {ms} ms outside [{}, {full}]", full / 2);
                assert_eq!(r().after_failure(a, seed), Next::After(d), "same seed, same wait");
            }
        }
        // Different seeds spread out (the point of jitter).
        let waits: std::collections::BTreeSet<_> = (0..50).map(|s| r().after_failure(3, s)).collect();
        assert!(waits.len() > 40);
    }

    #[test]
    fn rule_n1_backoff_never_exceeds_the_cap() {
        let Next::After(d) = Retry { max_attempts: 100, ..r() }.after_failure(60, 7) else { panic!() };
        assert!(d <= Duration::from_secs(100));
    }

    #[test]
    fn rule_n2_the_last_attempt_makes_a_dead_letter() {
        assert_eq!(r().after_failure(5, 1), Next::Dead);
        assert_eq!(r().after_failure(6, 1), Next::Dead);
        assert!(matches!(r().after_failure(4, 1), Next::After(_)));
    }
}
