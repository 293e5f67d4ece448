//! Unit tests for every transition, legal and illegal, plus a property test
//! over random event sequences.

use super::*;
use crate::routing::QueueId;
use proptest::prelude::*;
use time::Duration;
use time::macros::datetime;

const T0: OffsetDateTime = datetime!(2025-03-03 09:00 +8);

const ROLES: [Role; 6] =
    [Role::FrontDesk, Role::Handler, Role::Supervisor, Role::Resident, Role::Provider, Role::System];

fn rule_assignment() -> Assignment {
    Assignment {
        lead: QueueId::new("team-a"),
        co_handlers: vec![QueueId::new("civil")],
        source: RouteSource::Rule { index: 0 },
    }
}

fn sample(kind: EventKind) -> Event {
    match kind {
        EventKind::Accept => Event::Accept { channel: Channel::Hotline },
        EventKind::Route => Event::Route { assignment: rule_assignment() },
        EventKind::Start => Event::Start,
        EventKind::Arrive => Event::Arrive,
        EventKind::ReturnForMaterials => Event::ReturnForMaterials { missing: "户口簿复印件".into() },
        EventKind::MaterialsReceived => Event::MaterialsReceived,
        EventKind::Transfer => {
            Event::Transfer { lead: QueueId::new("urban"), co_handlers: vec![], reason: "属城管职责".into() }
        }
        EventKind::SendBack => Event::SendBack { reason: "非本单位职责".into() },
        EventKind::Reject => Event::Reject { reason: "不属于受理范围".into() },
        EventKind::Resolve => Event::Resolve { summary: "已更换水管".into() },
        EventKind::StartCallback => Event::StartCallback,
        EventKind::CallbackNoAnswer => Event::CallbackNoAnswer,
        EventKind::Rate => Event::Rate { rating: Rating::new(5, 4, 5).unwrap(), comment: None },
        EventKind::Reopen => Event::Reopen { reason: "居民仍不满意".into() },
        EventKind::CloseWithNote => Event::CloseWithNote { note: "已解释政策".into() },
    }
}

const ALL_KINDS: [EventKind; 15] = [
    EventKind::Accept,
    EventKind::Route,
    EventKind::Start,
    EventKind::Arrive,
    EventKind::ReturnForMaterials,
    EventKind::MaterialsReceived,
    EventKind::Transfer,
    EventKind::SendBack,
    EventKind::Reject,
    EventKind::Resolve,
    EventKind::StartCallback,
    EventKind::CallbackNoAnswer,
    EventKind::Rate,
    EventKind::Reopen,
    EventKind::CloseWithNote,
];

/// A case walked to `target` along the main path, with its history.
struct Walk {
    state: CaseState,
    history: Vec<HistoryRecord>,
    t: OffsetDateTime,
}

impl Walk {
    fn new() -> Self {
        let tr = accept(CaseId::new("c1"), Channel::Hotline, Role::FrontDesk, T0).unwrap();
        Walk { state: tr.state, history: vec![tr.record], t: T0 }
    }

    fn step(&mut self, e: Event, role: Role) -> Transition {
        self.t += Duration::hours(1);
        let tr = apply(&self.state, e, role, self.t).unwrap();
        self.state = tr.state.clone();
        self.history.push(tr.record.clone());
        self.state.check_invariants(&CallbackPolicy::default()).unwrap();
        tr
    }

    fn to(target: Status) -> Self {
        let mut w = Walk::new();
        let path: &[(EventKind, Role)] = match target {
            Status::Accepted => &[],
            Status::Rejected => &[(EventKind::Reject, Role::FrontDesk)],
            Status::Routed => &[(EventKind::Route, Role::System)],
            Status::InProgress => &[(EventKind::Route, Role::System), (EventKind::Start, Role::Handler)],
            Status::ReturnedForMaterials => &[
                (EventKind::Route, Role::System),
                (EventKind::Start, Role::Handler),
                (EventKind::ReturnForMaterials, Role::Handler),
            ],
            Status::Resolved => &[
                (EventKind::Route, Role::System),
                (EventKind::Start, Role::Handler),
                (EventKind::Resolve, Role::Handler),
            ],
            Status::Callback => &[
                (EventKind::Route, Role::System),
                (EventKind::Start, Role::Handler),
                (EventKind::Resolve, Role::Handler),
                (EventKind::StartCallback, Role::FrontDesk),
            ],
            Status::Closed => &[
                (EventKind::Route, Role::System),
                (EventKind::Start, Role::Handler),
                (EventKind::Resolve, Role::Handler),
                (EventKind::StartCallback, Role::FrontDesk),
                (EventKind::Rate, Role::Resident),
            ],
        };
        for &(k, r) in path {
            w.step(sample(k), r);
        }
        assert_eq!(w.state.status, target);
        w
    }

    fn try_(&self, e: Event, role: Role) -> Result<Transition, CaseError> {
        apply(&self.state, e, role, self.t + Duration::hours(1))
    }
}

fn dissatisfied() -> Event {
    Event::Rate { rating: Rating::new(2, 3, 3).unwrap(), comment: Some("水还在漏".into()) }
}

#[test]
fn matrix_of_every_status_event_and_role() {
    // Every (status, event, role): refused exactly as the table says, with
    // the right error; allowed combinations either succeed or fail only on
    // an event-specific rule.
    for status in Status::ALL {
        let w = Walk::to(status);
        for kind in ALL_KINDS {
            let rows: Vec<_> = RULES.iter().filter(|r| r.event == kind && r.from.contains(&status)).collect();
            for role in ROLES {
                let got = w.try_(sample(kind), role);
                if rows.is_empty() {
                    assert_eq!(
                        got,
                        Err(CaseError::IllegalTransition { from: status, event: kind }),
                        "{status:?} {kind:?} {role:?}"
                    );
                } else if !rows.iter().any(|r| r.roles.contains(&role)) {
                    assert_eq!(
                        got,
                        Err(CaseError::RoleNotAllowed { role, event: kind }),
                        "{status:?} {kind:?} {role:?}"
                    );
                } else {
                    match got {
                        Ok(tr) => {
                            assert_eq!(tr.record.from, Some(status));
                            assert_eq!(tr.record.to, tr.state.status);
                            assert_eq!(tr.record.seq, w.state.seq + 1);
                            tr.state.check_invariants(&CallbackPolicy::default()).unwrap();
                        }
                        Err(CaseError::RuleForbids(_)) => {}
                        Err(e) => panic!("{status:?} {kind:?} {role:?}: {e}"),
                    }
                }
            }
        }
    }
}

#[test]
fn legal_main_path_and_effects() {
    let mut w = Walk::new();
    assert_eq!(w.step(sample(EventKind::Route), Role::System).state.status, Status::Routed);
    assert_eq!(w.state.assignment.as_ref().unwrap().lead, QueueId::new("team-a"));
    assert_eq!(w.step(Event::Start, Role::Handler).state.status, Status::InProgress);
    let tr = w.step(sample(EventKind::Resolve), Role::Handler);
    assert_eq!(tr.state.status, Status::Resolved);
    assert_eq!(tr.effects, vec![Effect::CreateCallbackTask]);
    assert_eq!(tr.state.resolved_at, Some(w.t));
    assert_eq!(w.step(Event::StartCallback, Role::FrontDesk).state.status, Status::Callback);
    let tr = w.step(sample(EventKind::Rate), Role::Resident);
    assert_eq!(tr.state.status, Status::Closed);
    assert_eq!(tr.effects, vec![Effect::CloseCallbackTask]);
    assert_eq!(tr.state.closed_at, Some(w.t));
    assert_eq!(w.history.len(), 6);
    assert_eq!(CaseState::replay(&w.history, &CallbackPolicy::default()).unwrap(), w.state);
}

#[test]
fn accept_roles() {
    assert!(accept(CaseId::new("x"), Channel::Open311, Role::System, T0).is_ok());
    assert!(accept(CaseId::new("x"), Channel::Counter, Role::FrontDesk, T0).is_ok());
    for role in [Role::Handler, Role::Supervisor, Role::Resident, Role::Provider] {
        assert_eq!(
            accept(CaseId::new("x"), Channel::Web, role, T0),
            Err(CaseError::RoleNotAllowed { role, event: EventKind::Accept })
        );
    }
}

#[test]
fn manual_route_needs_reason_and_transfer_is_its_own_event() {
    let w = Walk::to(Status::Accepted);
    let mut a = Assignment::manual(QueueId::new("urban"), vec![], "居民指定").unwrap();
    let tr = w.try_(Event::Route { assignment: a.clone() }, Role::FrontDesk).unwrap();
    assert_eq!(tr.record.lead, Some(QueueId::new("urban")));
    a.source = RouteSource::Manual { reason: " ".into() };
    assert!(matches!(w.try_(Event::Route { assignment: a.clone() }, Role::FrontDesk), Err(CaseError::RuleForbids(_))));
    a.source = RouteSource::Transfer { from: QueueId::new("x"), reason: "r".into() };
    assert!(w.try_(Event::Route { assignment: a }, Role::FrontDesk).is_err());
}

#[test]
fn provider_arrives_and_completes() {
    let mut w = Walk::to(Status::Routed);
    assert_eq!(w.step(Event::Arrive, Role::Provider).state.status, Status::InProgress);
    // A second arrival (e.g. after fetching parts) is recorded, state unchanged.
    assert_eq!(w.step(Event::Arrive, Role::Provider).state.status, Status::InProgress);
    assert_eq!(w.step(sample(EventKind::Resolve), Role::Provider).state.status, Status::Resolved);
}

#[test]
fn materials_stop_and_resume() {
    let mut w = Walk::to(Status::InProgress);
    let tr = w.step(sample(EventKind::ReturnForMaterials), Role::Handler);
    assert_eq!(tr.state.status, Status::ReturnedForMaterials);
    assert_eq!(tr.effects, vec![Effect::AskResidentForMaterials { missing: "户口簿复印件".into() }]);
    assert_eq!(w.step(Event::MaterialsReceived, Role::FrontDesk).state.status, Status::InProgress);
    // From routed as well.
    let mut w = Walk::to(Status::Routed);
    w.step(sample(EventKind::ReturnForMaterials), Role::Supervisor);
    assert_eq!(w.step(Event::MaterialsReceived, Role::Handler).state.status, Status::InProgress);
}

#[test]
fn reasons_required() {
    let w = Walk::to(Status::InProgress);
    for (e, role) in [
        (Event::ReturnForMaterials { missing: "".into() }, Role::Handler),
        (Event::Transfer { lead: QueueId::new("urban"), co_handlers: vec![], reason: "  ".into() }, Role::Supervisor),
        (Event::SendBack { reason: "".into() }, Role::Handler),
        (Event::Reject { reason: "\n".into() }, Role::Supervisor),
        (Event::Resolve { summary: "".into() }, Role::Handler),
    ] {
        let kind = e.kind();
        assert_eq!(w.try_(e, role), Err(CaseError::ReasonRequired { event: kind }));
    }
}

#[test]
fn transfer_and_send_back() {
    let mut w = Walk::to(Status::InProgress);
    let tr = w.step(sample(EventKind::Transfer), Role::Supervisor);
    assert_eq!(tr.state.status, Status::Routed);
    let a = tr.state.assignment.unwrap();
    assert_eq!(a.lead, QueueId::new("urban"));
    assert_eq!(a.source, RouteSource::Transfer { from: QueueId::new("team-a"), reason: "属城管职责".into() });
    // Transferring to the queue it is already in is refused.
    assert!(matches!(w.try_(sample(EventKind::Transfer), Role::Supervisor), Err(CaseError::RuleForbids(_))));
    // Handlers cannot transfer; they send back.
    assert!(matches!(w.try_(sample(EventKind::Transfer), Role::Handler), Err(CaseError::RoleNotAllowed { .. })));
    let tr = w.step(sample(EventKind::SendBack), Role::Handler);
    assert_eq!(tr.state.status, Status::Accepted);
    assert_eq!(tr.state.assignment, None);
    assert_eq!(tr.record.lead, None);
    // And it can be routed again.
    assert_eq!(w.step(sample(EventKind::Route), Role::FrontDesk).state.status, Status::Routed);
}

#[test]
fn reject_rules() {
    // Front desk only before routing, supervisor also later.
    let w = Walk::to(Status::Accepted);
    let tr = w.try_(sample(EventKind::Reject), Role::FrontDesk).unwrap();
    assert_eq!(tr.state.status, Status::Rejected);
    assert!(matches!(tr.effects[0], Effect::TellResidentRejected { .. }));
    let w = Walk::to(Status::ReturnedForMaterials);
    assert!(matches!(w.try_(sample(EventKind::Reject), Role::FrontDesk), Err(CaseError::RoleNotAllowed { .. })));
    assert_eq!(w.try_(sample(EventKind::Reject), Role::Supervisor).unwrap().state.status, Status::Rejected);
    // Rejected is terminal.
    let w = Walk::to(Status::Rejected);
    assert!(allowed_events(&w.state, Role::Supervisor).is_empty());
}

#[test]
fn dissatisfied_first_time_must_reopen() {
    let mut w = Walk::to(Status::Callback);
    let tr = w.step(dissatisfied(), Role::Resident);
    assert_eq!(tr.state.status, Status::Callback);
    assert!(tr.effects.is_empty());
    // Rated already.
    assert!(matches!(w.try_(dissatisfied(), Role::Resident), Err(CaseError::RuleForbids(_))));
    assert!(matches!(w.try_(Event::CallbackNoAnswer, Role::FrontDesk), Err(CaseError::RuleForbids(_))));
    // Default rule: no close with note before a first reopening.
    assert!(matches!(w.try_(sample(EventKind::CloseWithNote), Role::Supervisor), Err(CaseError::RuleForbids(_))));
    let tr = w.step(sample(EventKind::Reopen), Role::Supervisor);
    assert_eq!(tr.state.status, Status::InProgress);
    assert_eq!(tr.state.reopen_count, 1);
    assert_eq!(tr.state.rating, None);
    assert_eq!(tr.effects, vec![Effect::CloseCallbackTask]);
    // Second round: dissatisfied again, now both options are open.
    w.step(sample(EventKind::Resolve), Role::Handler);
    w.step(dissatisfied(), Role::Resident); // rated straight from resolved (web link)
    assert!(w.try_(sample(EventKind::Reopen), Role::Supervisor).is_ok());
    let tr = w.step(sample(EventKind::CloseWithNote), Role::Supervisor);
    assert_eq!(tr.state.status, Status::Closed);
    assert_eq!(tr.state.rating, Some(Rating::new(2, 3, 3).unwrap()));
    assert_eq!(CaseState::replay(&w.history, &CallbackPolicy::default()).unwrap(), w.state);
}

#[test]
fn reopen_limit_forces_close_with_note() {
    let mut w = Walk::to(Status::Callback);
    for _ in 0..2 {
        w.step(dissatisfied(), Role::Resident);
        w.step(sample(EventKind::Reopen), Role::Supervisor);
        w.step(sample(EventKind::Resolve), Role::Handler);
    }
    w.step(dissatisfied(), Role::Resident);
    assert!(matches!(w.try_(sample(EventKind::Reopen), Role::Supervisor), Err(CaseError::RuleForbids(_))));
    assert_eq!(w.try_(sample(EventKind::CloseWithNote), Role::Supervisor).unwrap().state.status, Status::Closed);
}

#[test]
fn satisfied_cannot_be_reopened_from_callback_but_unreachable_can_close() {
    let mut w = Walk::to(Status::Callback);
    assert!(matches!(w.try_(sample(EventKind::Reopen), Role::Supervisor), Err(CaseError::RuleForbids(_))));
    for i in 1..=3 {
        assert!(w.try_(sample(EventKind::CloseWithNote), Role::Supervisor).is_err());
        assert_eq!(w.step(Event::CallbackNoAnswer, Role::FrontDesk).state.callback_attempts, i);
    }
    assert_eq!(w.try_(sample(EventKind::CloseWithNote), Role::Supervisor).unwrap().state.status, Status::Closed);
}

#[test]
fn closed_reopens_only_within_window() {
    let w = Walk::to(Status::Closed);
    let closed = w.state.closed_at.unwrap();
    let ok = apply(&w.state, sample(EventKind::Reopen), Role::Supervisor, closed + Duration::days(3)).unwrap();
    assert_eq!(ok.state.status, Status::InProgress);
    assert_eq!(ok.state.closed_at, None);
    assert_eq!(ok.effects, vec![]);
    assert!(matches!(
        apply(&w.state, sample(EventKind::Reopen), Role::Supervisor, closed + Duration::days(16)),
        Err(CaseError::RuleForbids(_))
    ));
    assert_eq!(allowed_events(&w.state, Role::Supervisor), vec![EventKind::Reopen]);
}

#[test]
fn invalid_rating_and_time_order() {
    let w = Walk::to(Status::Resolved);
    let bad = Event::Rate { rating: Rating { overall: 6, speed: 3, attitude: 3 }, comment: None };
    assert!(matches!(w.try_(bad, Role::Resident), Err(CaseError::InvalidRating { .. })));
    assert!(matches!(
        apply(&w.state, Event::StartCallback, Role::FrontDesk, w.t - Duration::seconds(1)),
        Err(CaseError::RuleForbids(_))
    ));
}

#[test]
fn errors_are_bilingual() {
    let w = Walk::to(Status::Closed);
    let e = w.try_(Event::Start, Role::Handler).unwrap_err();
    let m = e.msg();
    assert_eq!(m.zh, "案件处于“已结案”状态，不能执行“开始办理”");
    assert_eq!(m.en, "a case that is closed cannot take the action “start”");
    assert_eq!(e.to_string(), format!("{} / {}", m.zh, m.en));
    let e = Walk::to(Status::Routed).try_(Event::Start, Role::Resident).unwrap_err();
    assert_eq!(e.msg().en, "the resident role may not perform “start”");
}

#[test]
fn replay_refuses_tampered_history() {
    let w = Walk::to(Status::Closed);
    let p = CallbackPolicy::default();
    assert!(CaseState::replay(&[], &p).is_err());
    assert!(CaseState::replay(&w.history[1..], &p).is_err());
    let mut h = w.history.clone();
    h[2].to = Status::Resolved; // start recorded as resolving
    assert!(matches!(CaseState::replay(&h, &p), Err(CaseError::CorruptHistory(_))));
    let mut h = w.history.clone();
    h[3].actor_role = Role::Resident;
    assert!(matches!(CaseState::replay(&h, &p), Err(CaseError::RoleNotAllowed { .. })));
}

// ---------------------------------------------------------------------------
// Property test: random event sequences never reach an inconsistent state.

fn arb_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(sample(EventKind::Route)),
        Just(Event::Route {
            assignment: Assignment::manual(QueueId::new("urban"), vec![QueueId::new("team-a")], "人工").unwrap()
        }),
        Just(Event::Start),
        Just(Event::Arrive),
        Just(sample(EventKind::ReturnForMaterials)),
        Just(Event::MaterialsReceived),
        Just(sample(EventKind::Transfer)),
        Just(Event::Transfer { lead: QueueId::new("team-a"), co_handlers: vec![], reason: "退回社区".into() }),
        Just(sample(EventKind::SendBack)),
        Just(sample(EventKind::Reject)),
        Just(sample(EventKind::Resolve)),
        Just(Event::StartCallback),
        Just(Event::CallbackNoAnswer),
        (1u8..=5, 1u8..=5, 1u8..=5)
            .prop_map(|(o, s, a)| Event::Rate { rating: Rating::new(o, s, a).unwrap(), comment: None }),
        Just(sample(EventKind::Reopen)),
        Just(sample(EventKind::CloseWithNote)),
        Just(Event::Resolve { summary: " ".into() }),
    ]
}

fn arb_role() -> impl Strategy<Value = Role> {
    prop::sample::select(ROLES.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_sequences_stay_consistent(
        steps in prop::collection::vec((arb_event(), arb_role(), 0i64..(3 * 24 * 60)), 1..60)
    ) {
        let policy = CallbackPolicy::default();
        let calendar = crate::calendar::Calendar::china();
        let mut w = Walk::new();
        let mut last_deadline = None;
        let mut last_remaining: Option<(Status, i64)> = None;
        for (event, role, minutes) in steps {
            let at = w.t + Duration::minutes(minutes);
            let before = w.state.clone();
            let result = apply_with(&before, event.clone(), role, at, &policy);
            match result {
                Ok(tr) => {
                    // A closed case accepts nothing but a reopening by rule.
                    if before.status == Status::Closed {
                        prop_assert_eq!(event.kind(), EventKind::Reopen);
                        prop_assert_eq!(role, Role::Supervisor);
                    }
                    // Terminal rejected state accepts nothing.
                    prop_assert_ne!(before.status, Status::Rejected);
                    tr.state.check_invariants(&policy).map_err(|m| TestCaseError::fail(m.to_string()))?;
                    prop_assert_eq!(tr.record.from, Some(before.status));
                    prop_assert_eq!(tr.record.to, tr.state.status);
                    prop_assert_eq!(tr.record.seq as usize, w.history.len());
                    w.state = tr.state;
                    w.history.push(tr.record);
                }
                Err(e) => {
                    if before.status == Status::Closed && event.kind() != EventKind::Reopen {
                        let is_illegal = matches!(e, CaseError::IllegalTransition { .. });
                        prop_assert!(is_illegal);
                    }
                }
            }
            // Time passes whether or not the event was accepted.
            w.t = at;
            // The deadline never moves earlier as time passes.
            let s = crate::sla::sla(&w.history, 5, &calendar, at).unwrap();
            if let Some(prev) = last_deadline {
                prop_assert!(s.deadline >= prev, "deadline moved earlier: {} < {}", s.deadline, prev);
            }
            prop_assert!(s.deadline >= s.base_deadline);
            last_deadline = Some(s.deadline);
            // A case is never closed without having been resolved.
            if w.state.status == Status::Closed {
                let resolved = w.history.iter().any(|r| r.event.kind() == EventKind::Resolve);
                prop_assert!(resolved, "closed without a resolution");
            }
            // While it waits for materials the clock stands still: no working time is used up.
            if let Some((Status::ReturnedForMaterials, before)) = last_remaining
                && w.state.status == Status::ReturnedForMaterials
            {
                prop_assert_eq!(s.remaining_working_minutes, before, "the clock ran while waiting for materials");
            }
            last_remaining = Some((w.state.status, s.remaining_working_minutes));
        }
        // The stored history always replays to the same state.
        let replayed = CaseState::replay(&w.history, &policy).unwrap();
        prop_assert_eq!(replayed, w.state);
    }
}
