//! Automatic access checks, named after their sources.

mod support;

use lists::*;
use support::*;
use time::macros::date;

#[test]
fn clean_assistance_application_passes_to_reviewer() {
    let r = run(&assist_app());
    assert_eq!(r.verdict, Verdict::PassToReviewer, "{r:#?}");
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Pass);
    assert_eq!(outcome(&r, CheckId::ExitList), Outcome::Pass);
    assert_eq!(outcome(&r, CheckId::GovernmentDuty), Outcome::NotApplicable);
    assert!(r.emergency.is_none());
    assert_eq!(r.list_versions.len(), 4);
}

#[test]
fn every_check_cites_a_rule_with_bilingual_message() {
    for app in [assist_app(), duty_app("招商引资", None), assessment_app()] {
        let r = run(&app);
        assert_eq!(r.checks.len(), 14);
        for c in &r.checks {
            assert!(!c.rule.id.is_empty() && !c.rule.source.is_empty(), "{c:?}");
            assert!(!c.msg.zh.is_empty() && !c.msg.en.is_empty(), "{c:?}");
        }
    }
}

#[test]
fn checks_and_verdicts_have_chinese_names_and_money_is_in_yuan() {
    let latin = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
    for app in [assist_app(), duty_app("招商引资", None), assessment_app()] {
        let r = run(&app);
        assert!(!latin(&r.verdict.name().zh), "{:?}", r.verdict);
        for c in &r.checks {
            assert!(!latin(&c.id.name().zh) && !c.id.name().en.is_empty(), "{:?}", c.id);
            assert!(!c.rule.source.contains("UNSURE") && !c.rule.source.contains("illustrative"), "{c:?}");
        }
    }
    for v in [Verdict::AutoReject, Verdict::NeedsReview, Verdict::PassToReviewer] {
        assert!(!latin(&v.name().zh));
    }
    let r = run(&assist_app());
    let f = r.get(CheckId::AssistanceFunding).unwrap();
    assert!(f.msg.zh.contains('元') && !f.msg.zh.contains("分"), "{}", f.msg.zh);
}

// ---- rules §3.4: exit list ----

#[test]
fn rules_3_4_claiming_an_exit_code_is_rejected() {
    let r = run(&Application { claimed_entry: Some("EX-002".into()), title: "某项工作".into(), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::ExitList), Outcome::Fail);
    assert_eq!(r.verdict, Verdict::AutoReject);
    let c = r.get(CheckId::ExitList).unwrap();
    assert_eq!(c.rule.id, "rules §3.4");
    assert_eq!(c.matches[0].code, "EX-002");
}

#[test]
fn rules_3_4_exit_title_after_normalisation_is_rejected() {
    let r = run(&Application { title: " 招商 引资。".into(), claimed_entry: None, ..assist_app() });
    assert_eq!(outcome(&r, CheckId::ExitList), Outcome::Fail);
    assert_eq!(r.verdict, Verdict::AutoReject);
}

#[test]
fn rules_3_4_exit_title_contained_in_longer_title_is_flagged_with_entry_and_score() {
    let r = run(&Application {
        title: "2015年社区招商引资任务分解".into(), claimed_entry: None, ..assist_app()
    });
    let c = r.get(CheckId::ExitList).unwrap();
    assert_eq!(c.outcome, Outcome::Flag);
    assert_eq!(c.matches[0].code, "EX-001");
    assert!(c.matches[0].containment >= 0.99 && c.matches[0].dice < 0.6, "{:?}", c.matches[0]);
    assert_eq!(r.verdict, Verdict::NeedsReview);
}

#[test]
fn rules_3_4_similar_title_is_flagged_not_rejected() {
    let r = run(&Application { title: "经济创收指标任务".into(), claimed_entry: None, ..assist_app() });
    let c = r.get(CheckId::ExitList).unwrap();
    assert_eq!(c.outcome, Outcome::Flag);
    assert_eq!(c.matches[0].code, "EX-003");
    assert!(c.matches[0].dice >= 0.6);
}

#[test]
fn rules_3_4_principal_only_exit_item_is_rejected_when_community_is_principal() {
    let principal = duty_app("环境整治", None);
    assert_eq!(outcome(&run(&principal), CheckId::ExitList), Outcome::Fail);
    // The community only assists: not cancelled, but flagged for the reviewer.
    let assisting = Application { title: "环境整治".into(), claimed_entry: None, ..assist_app() };
    assert_eq!(outcome(&run(&assisting), CheckId::ExitList), Outcome::Flag);
}

#[test]
fn rules_3_4_unrelated_title_passes_exit_check() {
    let r = run(&Application { title: "老年人助餐服务".into(), claimed_entry: None, ..assist_app() });
    assert_eq!(outcome(&r, CheckId::ExitList), Outcome::Pass);
}

// ---- rules §3.2: no transfer of government duties ----

#[test]
fn rules_3_2_government_duty_with_community_as_principal_is_rejected() {
    let app = Application { duty_holder: DutyHolder::Government, ..duty_app("社区食品安全监管", None) };
    let r = run(&app);
    assert_eq!(outcome(&r, CheckId::GovernmentDuty), Outcome::Fail);
    assert_eq!(r.get(CheckId::GovernmentDuty).unwrap().rule.id, "rules §3.2");
    assert_eq!(r.verdict, Verdict::AutoReject);
}

#[test]
fn rules_3_2_assistance_entry_made_principal_is_rejected() {
    let r = run(&duty_app("协助维护社会治安", Some("AS-001")));
    assert_eq!(outcome(&r, CheckId::GovernmentDuty), Outcome::Fail);
}

#[test]
fn rules_3_2_duty_list_item_as_principal_passes() {
    let r = run(&Application { kind: ItemType::WorkTask, ..duty_app("调解民间纠纷", Some("DU-003")) });
    assert_eq!(outcome(&r, CheckId::GovernmentDuty), Outcome::Pass);
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::NotApplicable);
    assert_eq!(r.verdict, Verdict::PassToReviewer, "{r:#?}");
    // Unclaimed, but the title is a duty-list title.
    assert_eq!(outcome(&run(&duty_app("调解 民间纠纷", None)), CheckId::GovernmentDuty), Outcome::Pass);
}

#[test]
fn rules_3_2_unlisted_principal_item_resembling_assistance_is_flagged() {
    let r = run(&duty_app("维护社会治安", None));
    let c = r.get(CheckId::GovernmentDuty).unwrap();
    assert_eq!(c.outcome, Outcome::Flag);
    assert_eq!(c.matches[0].code, "AS-001");
    let r = run(&duty_app("社区楼道照明维护", None));
    assert_eq!(outcome(&r, CheckId::GovernmentDuty), Outcome::Flag);
}

#[test]
fn rules_3_2_not_applicable_when_the_community_only_assists() {
    assert_eq!(outcome(&run(&assist_app()), CheckId::GovernmentDuty), Outcome::NotApplicable);
}

// ---- rules §3.3: assistance funding ----

#[test]
fn rules_3_3_assistance_without_funding_is_rejected() {
    let r = run(&Application { funding: None, ..assist_app() });
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Fail);
    assert_eq!(r.verdict, Verdict::AutoReject);
    let no_payer = FundingOffer { paying_department: " ".into(), ..assist_app().funding.unwrap() };
    let r = run(&Application { funding: Some(no_payer), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Fail);
}

#[test]
fn rules_3_3_assistance_below_standard_is_rejected() {
    let low = FundingOffer { amount_fen: 1_999_999, ..assist_app().funding.unwrap() };
    let r = run(&Application { funding: Some(low), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Fail);
    let more = FundingOffer { amount_fen: 2_500_000, ..assist_app().funding.unwrap() };
    assert_eq!(
        outcome(&run(&Application { funding: Some(more), ..assist_app() }), CheckId::AssistanceFunding),
        Outcome::Pass
    );
}

#[test]
fn rules_3_3_wrong_unit_is_rejected_with_clear_message() {
    let per_unit = FundingOffer {
        amount_fen: 5_000_000,
        basis: FundingBasis::PerUnit { unit: "次".into() },
        paying_department: "铜陵市公安局".into(),
    };
    let app = Application {
        funding: Some(per_unit),
        workload: Workload { description: "".into(), units: Units::Uniform(10) },
        ..assist_app()
    };
    let r = run(&app);
    let c = r.get(CheckId::AssistanceFunding).unwrap();
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.msg.en.contains("wrong unit") && c.msg.zh.contains("计费单位错误"), "{:?}", c.msg);

    // Per unit, but another unit than the entry's 人次.
    let base = Application {
        title: "协助暂住人口管理".into(),
        claimed_entry: Some("AS-007".into()),
        workload: Workload { description: "".into(), units: Units::Uniform(40) },
        ..assist_app()
    };
    let offer = |unit: &str| FundingOffer {
        amount_fen: 300,
        basis: FundingBasis::PerUnit { unit: unit.into() },
        paying_department: "铜陵市公安局".into(),
    };
    let r = run(&Application { funding: Some(offer("户")), ..base.clone() });
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Fail);
    let r = run(&Application { funding: Some(offer("人次")), ..base });
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Pass);
}

#[test]
fn rules_3_3_per_unit_without_declared_units_is_rejected() {
    let app = Application {
        title: "协助暂住人口管理".into(),
        claimed_entry: Some("AS-007".into()),
        funding: Some(FundingOffer {
            amount_fen: 300,
            basis: FundingBasis::PerUnit { unit: "人次".into() },
            paying_department: "铜陵市公安局".into(),
        }),
        ..assist_app()
    };
    assert_eq!(outcome(&run(&app), CheckId::AssistanceFunding), Outcome::Fail);
}

#[test]
fn rules_3_3_other_paying_department_is_flagged() {
    let f = FundingOffer { paying_department: "铜陵市财政局".into(), ..assist_app().funding.unwrap() };
    let r = run(&Application { funding: Some(f), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Flag);
    assert_eq!(r.verdict, Verdict::NeedsReview);
}

#[test]
fn rules_3_3_unclaimed_item_similar_to_entry_below_standard_is_flagged() {
    let f = FundingOffer { amount_fen: 100, ..assist_app().funding.unwrap() };
    let app =
        Application {
            claimed_entry: None, title: "协助维护社会治安工作".into(), funding: Some(f), ..assist_app()
        };
    let r = run(&app);
    let c = r.get(CheckId::AssistanceFunding).unwrap();
    assert_eq!(c.outcome, Outcome::Flag);
    assert_eq!(c.matches[0].code, "AS-001");
    // A new, unlisted assistance item with funding passes to the reviewer.
    let f = FundingOffer { amount_fen: 100, ..assist_app().funding.unwrap() };
    let app =
        Application { claimed_entry: None, title: "老年人助餐服务".into(), funding: Some(f), ..assist_app() };
    assert_eq!(outcome(&run(&app), CheckId::AssistanceFunding), Outcome::Pass);
}

// ---- rules §3.5 and Tongling 2014 考核准入 ----

#[test]
fn tongling_2014_provincial_or_higher_assessment_within_caps_passes() {
    let r = run(&assessment_app());
    assert_eq!(r.verdict, Verdict::PassToReviewer, "{r:#?}");
    for id in
        [CheckId::AssessmentOrigin, CheckId::AssessmentCount, CheckId::AssessmentDuration, CheckId::AssessmentContent]
    {
        assert_eq!(outcome(&r, id), Outcome::Pass, "{id:?}");
    }
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::NotApplicable);
}

#[test]
fn tongling_2014_assessment_below_provincial_is_rejected() {
    for level in [GovLevel::Municipal, GovLevel::District] {
        let mut app = assessment_app();
        app.assessment.as_mut().unwrap().origin_level = level;
        let r = run(&app);
        assert_eq!(outcome(&r, CheckId::AssessmentOrigin), Outcome::Fail);
        assert_eq!(r.get(CheckId::AssessmentOrigin).unwrap().rule.id, "铜陵 2014 考核准入");
        assert_eq!(r.verdict, Verdict::AutoReject);
    }
    let mut app = assessment_app();
    app.assessment.as_mut().unwrap().origin_level = GovLevel::Provincial;
    assert_eq!(outcome(&run(&app), CheckId::AssessmentOrigin), Outcome::Pass);
}

#[test]
fn rules_3_5_department_run_assessment_is_rejected() {
    let mut app = assessment_app();
    app.assessment.as_mut().unwrap().run_by_department_alone = true;
    let r = run(&app);
    assert_eq!(outcome(&r, CheckId::AssessmentStandalone), Outcome::Fail);
    assert_eq!(r.get(CheckId::AssessmentStandalone).unwrap().rule.id, "rules §3.5");
}

#[test]
fn rules_3_5_one_vote_veto_against_communities_is_rejected() {
    let mut app = assessment_app();
    app.assessment.as_mut().unwrap().one_vote_veto = true;
    assert_eq!(outcome(&run(&app), CheckId::AssessmentVeto), Outcome::Fail);
}

#[test]
fn tongling_2014_assessment_count_cap_counts_history_of_the_year() {
    let rec = |d| AssessmentRecord {
        entry_code: Some("AA-001".into()),
        department: "铜陵市应急管理局".into(),
        title: "x".into(),
        date: d,
    };
    let last_year = AssessmentHistory { records: vec![rec(date!(2014 - 05 - 01))] };
    let r = check(&assessment_app(), &lists(), &last_year, TODAY);
    assert_eq!(outcome(&r, CheckId::AssessmentCount), Outcome::Pass);
    let this_year = AssessmentHistory { records: vec![rec(date!(2015 - 01 - 20))] };
    let r = check(&assessment_app(), &lists(), &this_year, TODAY);
    assert_eq!(outcome(&r, CheckId::AssessmentCount), Outcome::Fail);
    assert_eq!(r.verdict, Verdict::AutoReject);
}

#[test]
fn tongling_2014_assessment_duration_cap() {
    let mut app = assessment_app();
    app.assessment.as_mut().unwrap().duration_days = 10;
    assert_eq!(outcome(&run(&app), CheckId::AssessmentDuration), Outcome::Pass);
    app.assessment.as_mut().unwrap().duration_days = 11;
    assert_eq!(outcome(&run(&app), CheckId::AssessmentDuration), Outcome::Fail);
}

#[test]
fn tongling_2014_assessment_content_outside_scope_is_rejected() {
    let mut app = assessment_app();
    app.assessment.as_mut().unwrap().content.push("招商引资完成率".into());
    let r = run(&app);
    let c = r.get(CheckId::AssessmentContent).unwrap();
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(c.msg.zh.contains("招商引资完成率"));
}

#[test]
fn tongling_2014_unlisted_assessment_is_flagged_and_uses_default_caps() {
    let mut app = assessment_app();
    app.claimed_entry = None;
    app.title = "省级平安社区评估".into();
    app.assessment.as_mut().unwrap().origin_level = GovLevel::Provincial;
    let r = run(&app);
    assert_eq!(outcome(&r, CheckId::AssessmentListed), Outcome::Flag);
    assert_eq!(outcome(&r, CheckId::AssessmentDuration), Outcome::Pass); // 7 ≤ default 15
    assert_eq!(r.verdict, Verdict::NeedsReview);
    app.assessment.as_mut().unwrap().duration_days = 16;
    assert_eq!(outcome(&run(&app), CheckId::AssessmentDuration), Outcome::Fail);
}

#[test]
fn tongling_2014_assessment_without_details_is_rejected() {
    let app = Application { assessment: None, ..assessment_app() };
    assert_eq!(run(&app).verdict, Verdict::AutoReject);
}

// ---- rules §3b: emergencies ----

#[test]
fn rules_3b_emergency_in_force_bypasses_checks_and_carries_tag_and_expiry() {
    let em = Emergency { category: EmergencyCategory::PublicHealth, expires: date!(2015 - 03 - 31) };
    let app = Application { emergency: Some(em), funding: None, ..assist_app() };
    let r = run(&app);
    assert_eq!(r.verdict, Verdict::PassToReviewer);
    assert_eq!(r.emergency, Some(em));
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Waived);
    assert_eq!(outcome(&r, CheckId::Emergency), Outcome::Pass);
}

#[test]
fn rules_3b_expired_emergency_bypasses_nothing() {
    let em = Emergency { category: EmergencyCategory::NaturalDisaster, expires: date!(2015 - 03 - 09) };
    let app = Application { emergency: Some(em), funding: None, ..assist_app() };
    let r = run(&app);
    assert_eq!(r.verdict, Verdict::AutoReject);
    assert!(r.emergency.is_none());
    assert_eq!(outcome(&r, CheckId::Emergency), Outcome::Flag);
    assert_eq!(outcome(&r, CheckId::AssistanceFunding), Outcome::Fail);
}

#[test]
fn rules_3b_emergency_beyond_the_window_is_flagged() {
    let em = Emergency { category: EmergencyCategory::PublicSecurity, expires: date!(2015 - 12 - 31) };
    let r = run(&Application { emergency: Some(em), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::Emergency), Outcome::Flag);
    assert_eq!(r.verdict, Verdict::NeedsReview);
}

// ---- rules §3c: certificates ----

fn cert_app(title: &str) -> Application {
    Application { kind: ItemType::Certificate, ..duty_app(title, None) }
}

#[test]
fn rules_3c_certificate_on_negative_list_is_rejected() {
    let r = run(&cert_app("婚姻状况证明"));
    let c = r.get(CheckId::Certificate).unwrap();
    assert_eq!(c.outcome, Outcome::Fail);
    assert_eq!(c.rule.id, "rules §3c(i)");
    assert_eq!(c.matches[0].code, "EX-C11");
    // Full-width brackets and spaces are normalised away.
    assert_eq!(outcome(&run(&cert_app("结（离）婚证遗失补办证明")), CheckId::Certificate), Outcome::Fail);
    assert_eq!(outcome(&run(&cert_app("夫妻 关系 证明")), CheckId::Certificate), Outcome::Fail);
}

#[test]
fn rules_3c_certificate_on_positive_list_passes() {
    let r =
        run(&Application { kind: ItemType::Certificate, ..duty_app("居民在社区居住证明", Some("DU-014")) });
    assert_eq!(outcome(&r, CheckId::Certificate), Outcome::Pass);
    assert_eq!(r.verdict, Verdict::PassToReviewer, "{r:#?}");
}

#[test]
fn rules_3c_certificate_resembling_negative_one_is_flagged() {
    let r = run(&cert_app("居民婚姻状况情况证明"));
    assert_eq!(outcome(&r, CheckId::Certificate), Outcome::Flag);
}

// ---- rules §3.1 and §3b: claimed entry and basis ----

#[test]
fn rules_3_1_unknown_claimed_code_is_flagged() {
    let r = run(&Application { claimed_entry: Some("AS-999".into()), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::ClaimedEntry), Outcome::Flag);
    assert_eq!(outcome(&run(&assist_app()), CheckId::ClaimedEntry), Outcome::Pass);
}

#[test]
fn rules_3_1_claimed_entry_of_another_type_is_flagged() {
    let r = run(&Application { kind: ItemType::LedgerReport, ..assist_app() });
    assert_eq!(outcome(&r, CheckId::ClaimedEntry), Outcome::Flag);
}

#[test]
fn rules_3b_missing_legal_basis_is_flagged() {
    let r = run(&Application { legal_basis: "  ".into(), ..assist_app() });
    assert_eq!(outcome(&r, CheckId::LegalBasis), Outcome::Flag);
    assert_eq!(r.verdict, Verdict::NeedsReview);
}

#[test]
fn report_round_trips_through_json() {
    let r = run(&duty_app("2015年社区招商引资任务", None));
    let s = serde_json::to_string(&r).unwrap();
    let back: CheckReport = serde_json::from_str(&s).unwrap();
    assert_eq!(back, r);
}
