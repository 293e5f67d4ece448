#![allow(dead_code)]
//! Shared builders for the integration tests.

use lists::demo::demo_in_force;
use lists::*;
use time::Date;
use time::macros::date;

pub const TODAY: Date = date!(2015 - 03 - 10);

pub fn lists() -> ListsInForce {
    demo_in_force(TODAY)
}

/// An assistance application that passes every check against the demo lists:
/// 协助维护社会治安 (AS-001), funded at the standard by the entry's payer.
pub fn assist_app() -> Application {
    Application {
        id: "APP-1".into(),
        department: Department { name: "铜陵市公安局".into(), level: DeptLevel::City },
        kind: ItemType::WorkTask,
        title: "协助维护社会治安".into(),
        description: "社区协助开展治安巡逻".into(),
        legal_basis: "居组法 第三条".into(),
        targets: Targets::List(vec!["340705402001".into(), "340705403001".into()]),
        start: date!(2015 - 04 - 01),
        duration_days: 365,
        workload: Workload { description: "每周巡逻两次".into(), units: Units::None },
        community_as_principal: false,
        duty_holder: DutyHolder::Government,
        emergency: None,
        claimed_entry: Some("AS-001".into()),
        funding: Some(FundingOffer {
            amount_fen: 2_000_000,
            basis: FundingBasis::PerCommunityPerYear,
            paying_department: "铜陵市公安局".into(),
        }),
        assessment: None,
    }
}

/// A new work item the community does as principal, declared a 居委会 duty.
pub fn duty_app(title: &str, claimed: Option<&str>) -> Application {
    Application {
        title: title.into(),
        claimed_entry: claimed.map(Into::into),
        community_as_principal: true,
        duty_holder: DutyHolder::ResidentsCommittee,
        funding: None,
        ..assist_app()
    }
}

/// An assessment application on AA-001 (national, 1/yr, 10 days).
pub fn assessment_app() -> Application {
    Application {
        kind: ItemType::Assessment,
        title: "全国综合减灾示范社区创建评定".into(),
        department: Department { name: "铜陵市应急管理局".into(), level: DeptLevel::City },
        claimed_entry: Some("AA-001".into()),
        community_as_principal: false,
        funding: None,
        assessment: Some(AssessmentPlan {
            origin_level: GovLevel::National,
            duration_days: 7,
            run_by_department_alone: false,
            one_vote_veto: false,
            content: vec!["减灾设施".into(), "居民满意度".into()],
        }),
        ..assist_app()
    }
}

pub fn run(app: &Application) -> CheckReport {
    check(app, &lists(), &AssessmentHistory::default(), TODAY)
}

pub fn outcome(r: &CheckReport, id: CheckId) -> Outcome {
    r.outcome(id).unwrap_or_else(|| panic!("no check {id:?}"))
}
