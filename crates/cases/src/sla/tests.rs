use super::*;
use crate::callback::Rating;
use crate::routing::{Assignment, QueueId, RouteSource};
use crate::state::{CaseId, CaseState, Channel, Role, accept, apply};
use time::macros::{datetime, time};

/// Builds a history by applying events at the given times.
struct H {
    state: CaseState,
    history: Vec<HistoryRecord>,
}

impl H {
    fn accepted(at: OffsetDateTime) -> Self {
        let t = accept(CaseId::new("c"), Channel::Counter, Role::FrontDesk, at).unwrap();
        H { state: t.state, history: vec![t.record] }
    }
    fn at(mut self, at: OffsetDateTime, e: Event, role: Role) -> Self {
        let t = apply(&self.state, e, role, at).unwrap();
        self.state = t.state;
        self.history.push(t.record);
        self
    }
    fn started(at: OffsetDateTime) -> Self {
        let route = Event::Route {
            assignment: Assignment {
                lead: QueueId::new("team"),
                co_handlers: vec![],
                source: RouteSource::Rule { index: 0 },
            },
        };
        H::accepted(at).at(at, route, Role::System).at(at, Event::Start, Role::Handler)
    }
    fn ret(self, at: OffsetDateTime) -> Self {
        let e = Event::ReturnForMaterials { missing: "身份证复印件".into() };
        self.at(at, e, Role::Handler)
    }
    fn resume(self, at: OffsetDateTime) -> Self {
        self.at(at, Event::MaterialsReceived, Role::FrontDesk)
    }
    fn resolve(self, at: OffsetDateTime) -> Self {
        let e = Event::Resolve { summary: "已处理".into() };
        self.at(at, e, Role::Handler)
    }
    fn sla(&self, days: u32, now: OffsetDateTime) -> SlaStatus {
        sla(&self.history, days, &Calendar::china(), now).unwrap()
    }
}

#[test]
fn plain_week() {
    // Accepted Mon 09:00; day 1 is Tue; day 5 is the next Mon.
    let h = H::started(datetime!(2025-03-03 09:00 +8));
    let s = h.sla(5, datetime!(2025-03-05 12:00 +8));
    assert_eq!(s.deadline, datetime!(2025-03-11 00:00 +8));
    assert_eq!(s.base_deadline, s.deadline);
    assert_eq!(s.state, SlaState::OnTime);
    // Wed 12h + Thu + Fri + Mon.
    assert_eq!(s.remaining_working_minutes, (12 + 3 * 24) * 60);
    assert!(!s.escalate);
    assert!(s.calendar_covers);
    // The weekend does not count down.
    let sat = h.sla(5, datetime!(2025-03-08 12:00 +8));
    let sun = h.sla(5, datetime!(2025-03-09 23:00 +8));
    assert_eq!(sat.remaining_working_minutes, 24 * 60);
    assert_eq!(sun.remaining_working_minutes, 24 * 60);
    assert_eq!(sat.state, SlaState::Warning);
}

#[test]
fn acceptance_hour_does_not_matter() {
    let early = H::accepted(datetime!(2025-03-03 00:01 +8)).sla(1, datetime!(2025-03-03 12:00 +8));
    let late = H::accepted(datetime!(2025-03-03 23:59 +8)).sla(1, datetime!(2025-03-03 23:59 +8));
    assert_eq!(early.deadline, datetime!(2025-03-05 00:00 +8));
    assert_eq!(late.deadline, early.deadline);
    // Accepted on a Sunday through the web: counting starts Monday.
    let sun = H::accepted(datetime!(2025-03-09 20:00 +8)).sla(1, datetime!(2025-03-09 20:00 +8));
    assert_eq!(sun.deadline, datetime!(2025-03-11 00:00 +8));
    // Same instant given in UTC.
    let utc = H::accepted(datetime!(2025-03-09 12:00 UTC)).sla(1, datetime!(2025-03-09 12:00 UTC));
    assert_eq!(utc.deadline, sun.deadline);
}

#[test]
fn golden_week_2025_warning_overdue_escalation() {
    let h = H::started(datetime!(2025-09-30 15:00 +8));
    // Days 1–3: Thu 10-09, Fri 10-10, Sat 10-11 (make-up working day).
    let s = h.sla(3, datetime!(2025-10-05 12:00 +8));
    assert_eq!(s.deadline, datetime!(2025-10-12 00:00 +8));
    assert_eq!(s.state, SlaState::OnTime);
    assert_eq!(s.remaining_working_minutes, 3 * 24 * 60);
    let s = h.sla(3, datetime!(2025-10-11 08:00 +8));
    assert_eq!((s.state, s.remaining_working_minutes), (SlaState::Warning, 16 * 60));
    let s = h.sla(3, datetime!(2025-10-12 00:00 +8));
    assert_eq!((s.state, s.escalation_level), (SlaState::Overdue, 0));
    assert!(s.escalated_at.is_empty(), "no level reached, no step to show");
    // Sunday 10-12 is not a working day: overdue by 0 working minutes still.
    let s = h.sla(3, datetime!(2025-10-12 18:00 +8));
    assert_eq!((s.state, s.remaining_working_minutes, s.escalate), (SlaState::Overdue, 0, false));
    let s = h.sla(3, datetime!(2025-10-13 12:00 +8));
    assert_eq!((s.remaining_working_minutes, s.escalate), (-12 * 60, false));
    let s = h.sla(3, datetime!(2025-10-14 00:00 +8));
    assert_eq!((s.escalate, s.escalation_level), (true, 1));
    assert_eq!(s.escalated_at, vec![datetime!(2025-10-14 00:00 +8)]);
    let s = h.sla(3, datetime!(2025-10-15 06:00 +8));
    assert_eq!(s.escalation_level, 2);
    // Each level is dated: a working day past the deadline, then another.
    assert_eq!(s.escalated_at, vec![datetime!(2025-10-14 00:00 +8), datetime!(2025-10-15 00:00 +8)]);
    let s = h.sla(3, datetime!(2025-11-30 00:00 +8));
    assert_eq!(s.escalation_level, 3);
}

#[test]
fn spring_festival_make_up_days() {
    // 2025: Fri 01-24 → Sun 01-26 (make-up) is day 1, Mon 01-27 day 2,
    // then the holiday runs 01-28 to 02-04.
    let h = H::accepted(datetime!(2025-01-24 10:00 +8));
    assert_eq!(h.sla(2, datetime!(2025-01-24 10:00 +8)).deadline, datetime!(2025-01-28 00:00 +8));
    assert_eq!(h.sla(3, datetime!(2025-01-24 10:00 +8)).deadline, datetime!(2025-02-06 00:00 +8));
    // 2026: Fri 02-13 → Sat 02-14 (make-up) is day 1; day 2 is Tue 02-24.
    let h = H::accepted(datetime!(2026-02-13 10:00 +8));
    assert_eq!(h.sla(1, datetime!(2026-02-13 10:00 +8)).deadline, datetime!(2026-02-15 00:00 +8));
    assert_eq!(h.sla(2, datetime!(2026-02-13 10:00 +8)).deadline, datetime!(2026-02-25 00:00 +8));
    // 2024: 02-09 (除夕) is a working day.
    let h = H::accepted(datetime!(2024-02-08 10:00 +8));
    assert_eq!(h.sla(1, datetime!(2024-02-08 10:00 +8)).deadline, datetime!(2024-02-10 00:00 +8));
    assert_eq!(h.sla(2, datetime!(2024-02-08 10:00 +8)).deadline, datetime!(2024-02-19 00:00 +8));
}

#[test]
fn clock_stop_extends_by_paused_working_time() {
    let h = H::started(datetime!(2025-03-03 09:00 +8)).ret(datetime!(2025-03-04 10:00 +8));
    // While stopped: the state says so, remaining is frozen, and the
    // deadline shown already includes the pause so far.
    let s = h.sla(5, datetime!(2025-03-06 10:00 +8));
    assert_eq!(s.state, SlaState::Stopped);
    assert_eq!(s.remaining_working_minutes, (14 + 4 * 24) * 60);
    assert_eq!(s.paused_working_minutes, 48 * 60);
    assert_eq!(s.deadline, datetime!(2025-03-13 00:00 +8));
    let later = h.sla(5, datetime!(2025-03-10 09:00 +8));
    assert_eq!(later.remaining_working_minutes, s.remaining_working_minutes);
    assert!(later.deadline > s.deadline);
    // Resumed Mon 03-10 10:00: Tue 14h + Wed–Fri + Mon 10h = 96 working hours.
    let h = h.resume(datetime!(2025-03-10 10:00 +8));
    let s = h.sla(5, datetime!(2025-03-10 10:00 +8));
    assert_eq!(s.paused_working_minutes, 96 * 60);
    assert_eq!(s.base_deadline, datetime!(2025-03-11 00:00 +8));
    assert_eq!(s.deadline, datetime!(2025-03-15 00:00 +8));
    assert_eq!(s.state, SlaState::OnTime);
    assert_eq!(s.remaining_working_minutes, (14 + 4 * 24) * 60);
}

#[test]
fn clock_stop_across_holiday_counts_only_working_time() {
    let h = H::started(datetime!(2025-09-29 09:00 +8))
        .ret(datetime!(2025-09-30 10:00 +8))
        .resume(datetime!(2025-10-09 10:00 +8));
    let s = h.sla(2, datetime!(2025-10-09 10:00 +8));
    // Base: day 1 Tue 09-30, day 2 Thu 10-09 → 10-10 00:00; pause 14h + 10h.
    assert_eq!(s.base_deadline, datetime!(2025-10-10 00:00 +8));
    assert_eq!(s.paused_working_minutes, 24 * 60);
    assert_eq!(s.deadline, datetime!(2025-10-11 00:00 +8));
    // Two stops add up.
    let h = h.ret(datetime!(2025-10-10 08:00 +8)).resume(datetime!(2025-10-10 20:00 +8));
    let s = h.sla(2, datetime!(2025-10-10 20:00 +8));
    assert_eq!(s.paused_working_minutes, 36 * 60);
    assert_eq!(s.deadline, datetime!(2025-10-11 12:00 +8));
}

#[test]
fn stopped_after_overdue_freezes_overdue() {
    let h = H::started(datetime!(2025-03-03 09:00 +8)).ret(datetime!(2025-03-07 00:00 +8));
    let s = h.sla(2, datetime!(2025-03-20 00:00 +8));
    assert_eq!(s.state, SlaState::Stopped);
    assert_eq!(s.remaining_working_minutes, -24 * 60);
    assert_eq!(s.escalation_level, 1);
}

#[test]
fn finished_met_missed_and_reopen_keeps_time_left() {
    let h = H::started(datetime!(2025-03-03 09:00 +8)).resolve(datetime!(2025-03-04 12:00 +8));
    let s = h.sla(2, datetime!(2025-03-20 00:00 +8));
    assert_eq!(s.state, SlaState::Met);
    assert_eq!(s.deadline, datetime!(2025-03-06 00:00 +8));
    assert_eq!(s.remaining_working_minutes, 36 * 60);
    assert!(!s.escalate);
    let late = H::started(datetime!(2025-03-03 09:00 +8)).resolve(datetime!(2025-03-06 00:00 +8));
    assert_eq!(late.sla(2, datetime!(2025-03-06 00:00 +8)).state, SlaState::Missed);
    // Dissatisfied, reopened on Mon 03-10 12:00: the finished spell (Tue 12h
    // + Wed–Fri + Mon 12h = 96h) extends the deadline; 36h were left.
    let h = h
        .at(datetime!(2025-03-05 09:00 +8), Event::StartCallback, Role::FrontDesk)
        .at(
            datetime!(2025-03-05 09:30 +8),
            Event::Rate { rating: Rating::new(1, 1, 1).unwrap(), comment: None },
            Role::Resident,
        )
        .at(datetime!(2025-03-10 12:00 +8), Event::Reopen { reason: "漏水未修好".into() }, Role::Supervisor);
    let s = h.sla(2, datetime!(2025-03-10 12:00 +8));
    assert_eq!(s.state, SlaState::OnTime);
    assert_eq!(s.remaining_working_minutes, 36 * 60);
    assert_eq!(s.deadline, datetime!(2025-03-12 00:00 +8));
}

#[test]
fn rejected_counts_as_finished() {
    let h = H::accepted(datetime!(2025-03-03 09:00 +8)).at(
        datetime!(2025-03-03 10:00 +8),
        Event::Reject { reason: "不属受理范围".into() },
        Role::FrontDesk,
    );
    assert_eq!(h.sla(1, datetime!(2025-04-01 00:00 +8)).state, SlaState::Met);
}

#[test]
fn office_hours_calendar() {
    let cal =
        Calendar::china().with_office_hours(&[(time!(8:30), time!(12:00)), (time!(14:30), time!(17:30))]).unwrap();
    let h = H::started(datetime!(2025-03-03 09:00 +8));
    let s = sla(&h.history, 2, &cal, datetime!(2025-03-05 16:30 +8)).unwrap();
    assert_eq!(s.deadline, datetime!(2025-03-05 17:30 +8));
    assert_eq!(s.state, SlaState::Warning);
    assert_eq!(s.remaining_working_minutes, 60);
    // A pause out of hours costs nothing.
    let h = h.ret(datetime!(2025-03-04 18:00 +8)).resume(datetime!(2025-03-05 08:00 +8));
    let s = sla(&h.history, 2, &cal, datetime!(2025-03-05 16:30 +8)).unwrap();
    assert_eq!(s.paused_working_minutes, 0);
    assert_eq!(s.deadline, datetime!(2025-03-05 17:30 +8));
    // Escalation steps are office days (390 minutes).
    let s = sla(&h.history, 2, &cal, datetime!(2025-03-06 17:30 +8)).unwrap();
    assert_eq!((s.remaining_working_minutes, s.escalation_level), (-390, 1));
}

#[test]
fn policy_knobs_and_limits() {
    let h = H::started(datetime!(2025-03-03 09:00 +8));
    let cal = Calendar::china();
    let p = SlaPolicy { limit_days: 0, warn_before_days: 0, escalate_after_days: 0 };
    let s = sla_with(&h.history, &p, &cal, datetime!(2025-03-03 23:00 +8)).unwrap();
    assert_eq!(s.deadline, datetime!(2025-03-04 00:00 +8));
    assert_eq!(s.state, SlaState::OnTime);
    let s = sla_with(&h.history, &p, &cal, datetime!(2025-03-04 00:00 +8)).unwrap();
    assert_eq!((s.state, s.escalation_level), (SlaState::Overdue, 1));
    assert!(sla(&[], 1, &cal, datetime!(2025-03-04 00:00 +8)).is_err());
    assert!(sla(&h.history[1..], 1, &cal, datetime!(2025-03-04 00:00 +8)).is_err());
}

#[test]
fn outside_holiday_data_is_flagged() {
    let h = H::accepted(datetime!(2026-12-30 10:00 +8));
    let s = h.sla(3, datetime!(2026-12-30 10:00 +8));
    assert!(!s.calendar_covers);
    assert_eq!(s.deadline, datetime!(2027-01-05 00:00 +8)); // weekday rule only
    let inside = H::accepted(datetime!(2026-12-01 10:00 +8)).sla(3, datetime!(2026-12-01 10:00 +8));
    assert!(inside.calendar_covers);
}
