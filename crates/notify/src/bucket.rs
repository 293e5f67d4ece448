//! N4 · a token bucket per gateway, on a clock the caller supplies
//! (milliseconds from any origin), so a provider's rate limit is kept without
//! the engine reading the time.

/// `capacity` messages at once, refilled at `per_second`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    capacity: u64,
    per_second: u64,
    /// Thousandths of a token.
    milli: u64,
    last_ms: u64,
}

impl Bucket {
    /// A full bucket at `now_ms`. A rate of 0 means no limit.
    pub fn new(capacity: u64, per_second: u64, now_ms: u64) -> Bucket {
        let capacity = capacity.max(1);
        Bucket { capacity, per_second, milli: capacity * 1000, last_ms: now_ms }
    }

    fn refill(&mut self, now_ms: u64) {
        let dt = now_ms.saturating_sub(self.last_ms);
        self.last_ms = self.last_ms.max(now_ms);
        self.milli = (self.milli + dt.saturating_mul(self.per_second)).min(self.capacity * 1000);
    }

    /// N4: Ok when one message may go now (its token is taken), else how many
    /// milliseconds until one may.
    pub fn take(&mut self, now_ms: u64) -> Result<(), u64> {
        if self.per_second == 0 {
            return Ok(());
        }
        self.refill(now_ms);
        if self.milli >= 1000 {
            self.milli -= 1000;
            Ok(())
        } else {
            Err((1000 - self.milli).div_ceil(self.per_second))
        }
    }

    /// N4: milliseconds until `n` tokens (at most the capacity) are in the
    /// bucket; 0 when they are now. A sender that sleeps this long before
    /// taking wakes once for several messages, not once for each.
    pub fn ready_in(&mut self, n: u64, now_ms: u64) -> u64 {
        if self.per_second == 0 {
            return 0;
        }
        self.refill(now_ms);
        let need = n.clamp(1, self.capacity) * 1000;
        need.saturating_sub(self.milli).div_ceil(self.per_second)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_n4_a_full_bucket_lets_its_capacity_through_then_refuses() {
        let mut b = Bucket::new(3, 2, 0);
        assert!(b.take(0).is_ok() && b.take(0).is_ok() && b.take(0).is_ok());
        assert_eq!(b.take(0), Err(500), "two a second: the next in half a second");
        assert_eq!(b.take(499), Err(1));
        assert!(b.take(500).is_ok());
    }

    #[test]
    fn rule_n4_the_rate_holds_over_time_and_never_overfills() {
        let mut b = Bucket::new(5, 100, 0);
        let sent = (0..=1000u64).filter(|ms| b.take(*ms).is_ok()).count();
        // 5 at once, then 100 a second for one second.
        assert_eq!(sent, 105);
        let mut idle = Bucket::new(5, 100, 0);
        let got = (0..10).filter(|_| idle.take(3_600_000).is_ok()).count();
        assert_eq!(got, 5, "an hour idle fills the bucket to its capacity only");
        assert!(Bucket::new(1, 0, 0).take(0).is_ok(), "rate 0: no limit");
    }

    #[test]
    fn rule_n4_a_sender_waits_for_a_group_of_tokens_and_the_rate_still_holds() {
        let mut b = Bucket::new(25, 1250, 0);
        assert_eq!(b.ready_in(25, 0), 0, "a full bucket: now");
        let sent = (0..25).filter(|_| b.take(0).is_ok()).count();
        assert_eq!(sent, 25);
        assert_eq!(b.ready_in(25, 0), 20, "25 tokens at 1,250 a second take 20 ms");
        assert_eq!(b.ready_in(1000, 0), 20, "never more than the capacity is waited for");
        // Woken after the wait, the group goes out; a 26th token is refused.
        let sent = (0..26).filter(|_| b.take(20).is_ok()).count();
        assert_eq!(sent, 25, "a group never exceeds the rate");
        assert_eq!(Bucket::new(5, 0, 0).ready_in(5, 0), 0, "rate 0: no wait");
    }
}
