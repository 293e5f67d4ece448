//! The right to refuse (rules §1.16, §3b) and the funding obligation
//! (rules §3.3, 费随事转).

mod support;

use lists::*;
use proptest::prelude::*;
use support::*;
use time::macros::date;

fn approval(expires: Option<time::Date>) -> Approval {
    Approval {
        number: "铜准〔2015〕7号".into(),
        application_id: "APP-1".into(),
        approved_on: date!(2015 - 03 - 01),
        expires,
    }
}

fn task(dept: &str, approval: Option<Approval>, emergency: Option<Emergency>) -> Task {
    Task { id: "T".into(), department: dept.into(), title: "t".into(), approval, emergency }
}

#[test]
fn rules_1_16_task_without_approval_may_be_refused() {
    let t = task("市住建局", None, None);
    assert!(may_refuse(&t, TODAY));
    assert_eq!(refusal_reason(&t, TODAY), Some(RefusalReason::NoApproval));
    let blank = task("市住建局", Some(Approval { number: " ".into(), ..approval(None) }), None);
    assert_eq!(refusal_reason(&blank, TODAY), Some(RefusalReason::NoApproval));
}

#[test]
fn rules_1_16_task_with_approval_in_force_may_not_be_refused() {
    assert!(!may_refuse(&task("市公安局", Some(approval(None)), None), TODAY));
    assert!(!may_refuse(&task("市公安局", Some(approval(Some(TODAY))), None), TODAY));
}

#[test]
fn rules_1_16_task_whose_approval_expired_may_be_refused() {
    let t = task("市公安局", Some(approval(Some(date!(2015 - 03 - 09)))), None);
    assert_eq!(refusal_reason(&t, TODAY), Some(RefusalReason::ApprovalNotInForce));
    // Not yet valid either.
    let t = task("市公安局", Some(Approval { approved_on: date!(2015 - 04 - 01), ..approval(None) }), None);
    assert!(may_refuse(&t, TODAY));
}

#[test]
fn rules_3b_emergency_task_may_not_be_refused_until_it_expires() {
    let em = Emergency { category: EmergencyCategory::PublicHealth, expires: date!(2015 - 03 - 20) };
    let t = task("市卫健委", None, Some(em));
    assert!(!may_refuse(&t, TODAY));
    assert_eq!(refusal_reason(&t, date!(2015 - 03 - 21)), Some(RefusalReason::EmergencyExpired));
}

#[test]
fn refusal_tally_counts_per_department() {
    let em = Emergency { category: EmergencyCategory::PublicHealth, expires: date!(2015 - 01 - 01) };
    let tasks = [
        task("市住建局", None, None),
        task("市住建局", Some(approval(None)), None),
        task("市住建局", Some(approval(Some(date!(2015 - 01 - 01)))), None),
        task("市卫健委", None, Some(em)),
    ];
    let t = refusal_tally(&tasks, TODAY);
    let zj = &t["市住建局"];
    assert_eq!((zj.tasks, zj.refusable, zj.no_approval, zj.approval_not_in_force), (3, 2, 1, 1));
    assert_eq!(t["市卫健委"].emergency_expired, 1);
}

#[test]
fn rules_3_3_per_unit_transfers_are_exact() {
    let app = Application {
        funding: Some(FundingOffer {
            amount_fen: 300,
            basis: FundingBasis::PerUnit { unit: "人次".into() },
            paying_department: "铜陵市公安局".into(),
        }),
        workload: Workload {
            description: "".into(),
            units: Units::PerCommunity(vec![("340705402001".into(), 40), ("340705403001".into(), 0)]),
        },
        ..assist_app()
    };
    let plan = funding_obligation(&app, &approval(None), &[]).unwrap();
    assert_eq!(plan.transfers, vec![Transfer { community: "340705402001".into(), amount_fen: 12_000 }]);
    assert_eq!(plan.total_fen, 12_000);
    assert_eq!(plan.payer, "铜陵市公安局");
    let no_units = Application { workload: Workload { description: "".into(), units: Units::None }, ..app };
    assert_eq!(funding_obligation(&no_units, &approval(None), &[]), Err(FundingError::NoUnits));
}

#[test]
fn rules_3_3_per_year_funding_is_prorated_with_largest_remainder() {
    // 100 fen a year for 100 days in 3 communities: exact 27.397… each,
    // total 82.19… → 83 = 28 + 28 + 27.
    let app = Application {
        targets: Targets::All,
        duration_days: 100,
        funding: Some(FundingOffer { amount_fen: 100, ..assist_app().funding.unwrap() }),
        ..assist_app()
    };
    let roster = ["c".to_string(), "a".into(), "b".into(), "a".into()];
    let plan = funding_obligation(&app, &approval(None), &roster).unwrap();
    let got: Vec<(&str, Fen)> = plan.transfers.iter().map(|t| (t.community.as_str(), t.amount_fen)).collect();
    assert_eq!(got, [("a", 28), ("b", 28), ("c", 27)]);
    assert_eq!(plan.total_fen, 83);
    // A full year pays the standard exactly.
    let plan = funding_obligation(&assist_app(), &approval(None), &[]).unwrap();
    assert!(plan.transfers.iter().all(|t| t.amount_fen == 2_000_000));
}

#[test]
fn funding_requires_the_matching_approval_and_assistance_work() {
    let other = Approval { application_id: "APP-2".into(), ..approval(None) };
    assert_eq!(funding_obligation(&assist_app(), &other, &[]), Err(FundingError::ApprovalMismatch));
    let principal = duty_app("调解民间纠纷", Some("DU-003"));
    assert_eq!(funding_obligation(&principal, &approval(None), &[]), Err(FundingError::NotAssistance));
    let all = Application { targets: Targets::All, ..assist_app() };
    assert_eq!(funding_obligation(&all, &approval(None), &[]), Err(FundingError::NoTargets));
}

proptest! {
    #[test]
    fn per_year_rounding_never_loses_a_fen(amount in 1i64..10_000_000_000, days in 1u32..2000, n in 1usize..60) {
        let roster: Vec<String> = (0..n).map(|i| format!("c{i:03}")).collect();
        let app = Application {
            targets: Targets::All,
            duration_days: days,
            funding: Some(FundingOffer { amount_fen: amount, ..assist_app().funding.unwrap() }),
            ..assist_app()
        };
        let plan = funding_obligation(&app, &approval(None), &roster).unwrap();
        let exact_num = i128::from(amount) * i128::from(days) * n as i128; // total × 365
        let total = i128::from(plan.total_fen);
        prop_assert!(total * 365 >= exact_num && (total - 1) * 365 < exact_num);
        prop_assert_eq!(plan.transfers.iter().map(|t| i128::from(t.amount_fen)).sum::<i128>(), total);
        let share = i128::from(amount) * i128::from(days);
        for t in &plan.transfers {
            let a = i128::from(t.amount_fen) * 365;
            prop_assert!(a + 365 > share && a - 365 < share);
        }
    }
}
