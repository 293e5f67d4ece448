//! Callback (回访) and satisfaction.
//!
//! Resolving a case creates a callback task (see
//! [`Effect::CreateCallbackTask`](crate::state::Effect)), due
//! [`CallbackPolicy::callback_within_days`] working days after resolution.
//! The resident rates overall, speed and attitude from 1 to 5. A rating with
//! overall ≥ 3 closes the case. Overall ≤ 2 is dissatisfied: the case waits
//! in `callback` for a supervisor's decision, and [`dissatisfied_options`]
//! says which decisions the rules allow — reopen (back to `in_progress`)
//! while fewer than [`CallbackPolicy::max_reopens`] reopenings happened, and
//! close with a note once the case has had a second try, or when reopening
//! is no longer allowed. At least one option is always open, so no case gets
//! stuck. A resident who cannot be reached after
//! [`CallbackPolicy::max_attempts`] tries may also be closed with a note.
//! A closed case may be reopened by a supervisor within
//! [`CallbackPolicy::reopen_window`] of closing ([`may_reopen_closed`]).

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::calendar::Calendar;
use crate::error::CaseError;
use crate::state::CaseId;

/// A resident's satisfaction rating, each score 1 (worst) to 5 (best).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub overall: u8,
    pub speed: u8,
    pub attitude: u8,
}

impl Rating {
    pub fn new(overall: u8, speed: u8, attitude: u8) -> Result<Self, CaseError> {
        let r = Rating { overall, speed, attitude };
        r.validate()?;
        Ok(r)
    }

    /// Checks every score is within 1..=5.
    pub fn validate(&self) -> Result<(), CaseError> {
        for (field, value) in [("overall", self.overall), ("speed", self.speed), ("attitude", self.attitude)] {
            if !(1..=5).contains(&value) {
                return Err(CaseError::InvalidRating { field, value });
            }
        }
        Ok(())
    }

    /// Overall ≤ 2.
    pub fn is_dissatisfied(&self) -> bool {
        self.overall <= 2
    }
}

/// The configurable callback rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackPolicy {
    /// How many times one case may be reopened. Default 2.
    pub max_reopens: u8,
    /// Closing a dissatisfied case with a note needs at least one earlier
    /// reopening (while reopening is still allowed). Default true.
    pub close_requires_prior_reopen: bool,
    /// Unanswered callback attempts after which the case may be closed with
    /// a note. Default 3.
    pub max_attempts: u8,
    /// How long after closing a supervisor may still reopen. Default 15 days.
    pub reopen_window: Duration,
    /// The callback task is due at the end of this working day after
    /// resolution. Default 3.
    pub callback_within_days: u32,
}

impl Default for CallbackPolicy {
    fn default() -> Self {
        CallbackPolicy {
            max_reopens: 2,
            close_requires_prior_reopen: true,
            max_attempts: 3,
            reopen_window: Duration::days(15),
            callback_within_days: 3,
        }
    }
}

/// What a supervisor may do with a dissatisfied rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DissatisfiedOptions {
    pub reopen: bool,
    pub close_with_note: bool,
}

/// The rule deciding between reopening and closing with a note.
pub fn dissatisfied_options(reopen_count: u8, policy: &CallbackPolicy) -> DissatisfiedOptions {
    let reopen = reopen_count < policy.max_reopens;
    let close_with_note = !reopen || !policy.close_requires_prior_reopen || reopen_count >= 1;
    DissatisfiedOptions { reopen, close_with_note }
}

/// Whether a closed case may still be reopened at `now`.
pub fn may_reopen_closed(
    closed_at: OffsetDateTime,
    now: OffsetDateTime,
    reopen_count: u8,
    policy: &CallbackPolicy,
) -> bool {
    reopen_count < policy.max_reopens && now - closed_at <= policy.reopen_window
}

/// A callback task for the hotline / front desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackTask {
    pub case_id: CaseId,
    pub created_at: OffsetDateTime,
    pub due: OffsetDateTime,
}

/// The callback task a resolution creates: due at the end of the
/// `callback_within_days`th working day after the resolution date.
pub fn callback_task(
    case_id: &CaseId,
    resolved_at: OffsetDateTime,
    calendar: &Calendar,
    policy: &CallbackPolicy,
) -> CallbackTask {
    let day = calendar.nth_working_day_after(calendar.local_date(resolved_at), policy.callback_within_days);
    CallbackTask { case_id: case_id.clone(), created_at: resolved_at, due: calendar.end_of_day(day) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rating_bounds() {
        assert!(Rating::new(1, 5, 3).is_ok());
        assert_eq!(Rating::new(0, 3, 3), Err(CaseError::InvalidRating { field: "overall", value: 0 }));
        assert!(Rating::new(3, 6, 3).is_err());
        assert!(Rating::new(3, 3, 0).is_err());
        assert!(Rating::new(2, 5, 5).unwrap().is_dissatisfied());
        assert!(!Rating::new(3, 1, 1).unwrap().is_dissatisfied());
    }

    #[test]
    fn options_follow_the_rule_and_never_dead_end() {
        let p = CallbackPolicy::default();
        assert_eq!(dissatisfied_options(0, &p), DissatisfiedOptions { reopen: true, close_with_note: false });
        assert_eq!(dissatisfied_options(1, &p), DissatisfiedOptions { reopen: true, close_with_note: true });
        assert_eq!(dissatisfied_options(2, &p), DissatisfiedOptions { reopen: false, close_with_note: true });
        let lenient = CallbackPolicy { close_requires_prior_reopen: false, ..p.clone() };
        assert!(dissatisfied_options(0, &lenient).close_with_note);
        for max in 0..4 {
            for n in 0..6 {
                for req in [true, false] {
                    let p = CallbackPolicy { max_reopens: max, close_requires_prior_reopen: req, ..p.clone() };
                    let o = dissatisfied_options(n, &p);
                    assert!(o.reopen || o.close_with_note);
                }
            }
        }
    }

    #[test]
    fn reopen_window() {
        let p = CallbackPolicy::default();
        let closed = datetime!(2025-03-03 10:00 +8);
        assert!(may_reopen_closed(closed, closed + Duration::days(15), 0, &p));
        assert!(!may_reopen_closed(closed, closed + Duration::days(16), 0, &p));
        assert!(!may_reopen_closed(closed, closed, 2, &p));
    }

    #[test]
    fn callback_due_skips_holidays() {
        let c = Calendar::china();
        let t = callback_task(&CaseId::new("c1"), datetime!(2025-09-30 15:00 +8), &c, &CallbackPolicy::default());
        // 10-09, 10-10, 10-11 (make-up Saturday).
        assert_eq!(t.due, datetime!(2025-10-12 00:00 +8));
    }
}
