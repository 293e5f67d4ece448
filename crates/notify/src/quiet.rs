//! N3 · quiet hours: non-urgent messages to residents wait until morning
//! (China Standard Time, UTC+8); urgent ones (an escalation, a call-back the
//! resident asked for) go at once.

use time::{Duration, OffsetDateTime, Time, UtcOffset};

const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!(),
};

/// The quiet period in local time; `start > end` wraps past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: Time,
    pub end: Time,
}

impl Default for QuietHours {
    /// 21:00 to 08:00.
    fn default() -> Self {
        QuietHours { start: time::macros::time!(21:00), end: time::macros::time!(08:00) }
    }
}

impl QuietHours {
    fn quiet_at(&self, t: Time) -> bool {
        if self.start == self.end {
            false
        } else if self.start < self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// N3: None when a message may go now; else the moment (UTC) the quiet
    /// hours end. Urgent messages are never held.
    pub fn hold_until(&self, now: OffsetDateTime, urgent: bool) -> Option<OffsetDateTime> {
        let local = now.to_offset(CST);
        if urgent || !self.quiet_at(local.time()) {
            return None;
        }
        let mut end = local.replace_time(self.end);
        if end <= local {
            end += Duration::days(1);
        }
        Some(end.to_offset(UtcOffset::UTC))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rule_n3_a_daytime_message_goes_now() {
        // 10:00 in Tongling is 02:00 UTC.
        assert_eq!(QuietHours::default().hold_until(datetime!(2026-03-02 02:00 UTC), false), None);
    }

    #[test]
    fn rule_n3_a_night_message_waits_for_eight_oclock_unless_urgent() {
        let q = QuietHours::default();
        // 23:30 local → 08:00 next morning local = 00:00 UTC next day.
        assert_eq!(q.hold_until(datetime!(2026-03-02 15:30 UTC), false), Some(datetime!(2026-03-03 00:00 UTC)));
        // 06:00 local (22:00 UTC the day before) → 08:00 the same local morning.
        assert_eq!(q.hold_until(datetime!(2026-03-01 22:00 UTC), false), Some(datetime!(2026-03-02 00:00 UTC)));
        assert_eq!(q.hold_until(datetime!(2026-03-02 15:30 UTC), true), None);
    }

    #[test]
    fn rule_n3_equal_bounds_mean_no_quiet_hours() {
        let q = QuietHours { start: time::macros::time!(08:00), end: time::macros::time!(08:00) };
        assert_eq!(q.hold_until(datetime!(2026-03-02 15:30 UTC), false), None);
    }
}
