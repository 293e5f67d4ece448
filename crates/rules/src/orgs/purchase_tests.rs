//! Each rule of §5.1–§5.9 (and §5.12 for contracts): an accepting and a refusing test.
use super::*;
use time::macros::date;

#[test]
fn rule_5_1_buyer_is_state_organ_accepts() {
    assert!(rule_5_1_buyer_is_state_organ(PartyKind::StateOrgan).is_ok());
    assert!(rule_5_1_provider_eligible(PartyKind::ResidentsCommittee).is_ok());
}

#[test]
fn rule_5_1_buyer_is_state_organ_refuses() {
    let e = rule_5_1_buyer_is_state_organ(PartyKind::ResidentsCommittee).unwrap_err();
    assert!(e.zh.contains("规则5.1") && e.zh.contains("居民委员会"), "{e}");
    assert!(rule_5_1_provider_eligible(PartyKind::StateOrgan).is_err());
}

#[test]
fn rule_5_2_not_barred_accepts() {
    assert!(rule_5_2_not_barred(PartyKind::PublicInstitution).is_ok());
}

#[test]
fn rule_5_2_not_barred_refuses() {
    assert!(rule_5_2_not_barred(PartyKind::PublicWelfareOne).unwrap_err().zh.contains("公益一类"));
    assert!(rule_5_2_not_barred(PartyKind::FundedMassOrganisation).is_err());
}

#[test]
fn rule_5_12_filed_group_cannot_sign_accepts() {
    assert!(rule_5_12_filed_group_cannot_sign(PartyKind::SocialOrganisation).is_ok());
}

#[test]
fn rule_5_12_filed_group_cannot_sign_refuses() {
    assert!(rule_5_12_filed_group_cannot_sign(PartyKind::FiledGroup).unwrap_err().zh.contains("规则5.12"));
}

#[test]
fn rule_5_9_individual_suits_accepts() {
    assert!(rule_5_9_individual_suits(PartyKind::Individual, "上门理发，一人即可承接").is_ok());
    assert!(rule_5_9_individual_suits(PartyKind::Enterprise, "").is_ok());
}

#[test]
fn rule_5_9_individual_suits_refuses() {
    assert!(rule_5_9_individual_suits(PartyKind::Individual, " ").unwrap_err().zh.contains("规则5.9"));
}

#[test]
fn rule_5_3_content_allowed_accepts() {
    assert!(rule_5_3_content_allowed(&[]).is_ok());
}

#[test]
fn rule_5_3_content_allowed_refuses() {
    for b in BarredContent::ALL {
        let e = rule_5_3_content_allowed(&[b]).unwrap_err();
        assert!(e.zh.contains("规则5.3") && e.zh.contains(&b.name().zh), "{e}");
    }
}

#[test]
fn rule_5_4_catalogue_item_accepts() {
    assert!(rule_5_4_catalogue_item(Some(CatalogueItem { published: true, negative: false })).is_ok());
}

#[test]
fn rule_5_4_catalogue_item_refuses() {
    assert!(rule_5_4_catalogue_item(None).unwrap_err().zh.contains("指导性目录"));
    assert!(rule_5_4_catalogue_item(Some(CatalogueItem { published: false, negative: false })).is_err());
    assert!(
        rule_5_4_catalogue_item(Some(CatalogueItem { published: true, negative: true }))
            .unwrap_err()
            .zh
            .contains("负面清单")
    );
}

#[test]
fn rule_5_4_budget_line_accepts() {
    assert!(rule_5_4_budget_line(Some((1_726_000_000, 0)), 1_726_000_000).is_ok());
}

#[test]
fn rule_5_4_budget_line_refuses() {
    assert!(rule_5_4_budget_line(None, 1).unwrap_err().zh.contains("预算科目"));
    let e = rule_5_4_budget_line(Some((100_000, 60_000)), 40_001).unwrap_err();
    assert!(e.zh.contains("400.00") && e.zh.contains("400.01"), "{e}");
}

#[test]
fn rule_5_4_not_exit_list_accepts() {
    assert!(rule_5_4_not_exit_list(&[]).is_ok());
}

#[test]
fn rule_5_4_not_exit_list_refuses() {
    assert!(rule_5_4_not_exit_list(&["创建文明城市入户宣传".into()]).unwrap_err().zh.contains("退出清单"));
}

#[test]
fn rule_5_5_procurement_accepts() {
    assert!(rule_5_5_procurement(Some(Method::CompetitiveConsultation), false).is_ok());
}

#[test]
fn rule_5_5_procurement_refuses() {
    assert!(rule_5_5_procurement(None, false).unwrap_err().zh.contains("采购方式"));
    assert!(rule_5_5_procurement(Some(Method::OpenTender), true).unwrap_err().zh.contains("歧视"));
}

fn terms() -> Terms<'static> {
    Terms {
        content: "居家养老上门服务",
        quantity: "每月上门服务不少于2000人次",
        quality: "满意度不低于90%",
        settlement: "按季度据实结算",
        rights: "见合同第五条",
        liability: "见合同第八条",
        price: 149_650_000,
        published_on: Some(date!(2014 - 03 - 01)),
    }
}

#[test]
fn rule_5_6_contract_terms_accepts() {
    assert!(rule_5_6_contract_terms(&terms()).is_ok());
}

#[test]
fn rule_5_6_contract_terms_refuses() {
    let t = Terms { liability: " ", published_on: None, ..terms() };
    let e = rule_5_6_contract_terms(&t).unwrap_err();
    assert!(e.zh.contains("违约责任") && e.zh.contains("公告日期") && e.en.contains("liability"), "{e}");
}

#[test]
fn rule_5_7_term_accepts() {
    assert!(rule_5_7_term(date!(2026 - 01 - 01), date!(2026 - 12 - 31), "", false).is_ok());
    assert!(rule_5_7_term(date!(2024 - 02 - 29), date!(2025 - 02 - 27), "", false).is_ok());
    assert!(rule_5_7_term(date!(2026 - 01 - 01), date!(2028 - 12 - 31), "服务内容稳定、连续性强", true).is_ok());
}

#[test]
fn rule_5_7_term_refuses() {
    let e = rule_5_7_term(date!(2026 - 01 - 01), date!(2027 - 01 - 01), "", true).unwrap_err();
    assert!(e.zh.contains("规则5.7") && e.zh.contains("理由"), "{e}");
    assert!(rule_5_7_term(date!(2026 - 01 - 01), date!(2027 - 06 - 30), "稳定", false).is_err());
    let e = rule_5_7_term(date!(2026 - 01 - 01), date!(2029 - 01 - 01), "稳定", true).unwrap_err();
    assert!(e.zh.contains("不得超过3年"), "{e}");
    assert!(rule_5_7_term(date!(2026 - 01 - 02), date!(2026 - 01 - 01), "", false).is_err());
}

#[test]
fn rule_5_8_prior_assessment_accepts() {
    assert!(rule_5_8_prior_assessment("需求调查已完成", "覆盖老人500名").is_ok());
}

#[test]
fn rule_5_8_prior_assessment_refuses() {
    assert!(rule_5_8_prior_assessment("", "覆盖老人500名").unwrap_err().zh.contains("事前绩效评估"));
}

fn st(paid: i64, confirmed: i64, final_passed: Option<bool>) -> PaymentState {
    PaymentState { price: 1_000_000, target_quantity: 100, confirmed_quantity: confirmed, paid, final_passed }
}

#[test]
fn rule_5_8_payment_accepts() {
    assert!(rule_5_8_payment(st(0, 30, None), 300_000).is_ok());
    assert!(rule_5_8_payment(st(300_000, 100, Some(true)), 700_000).is_ok());
    assert_eq!(earned(1_000_000, 100, 150), 1_000_000);
}

#[test]
fn rule_5_8_payment_refuses() {
    assert!(rule_5_8_payment(st(0, 30, None), 0).is_err());
    let e = rule_5_8_payment(st(0, 30, None), 300_001).unwrap_err();
    assert!(e.zh.contains("已确认的服务记录"), "{e}");
    let e = rule_5_8_payment(st(900_000, 100, Some(true)), 100_001).unwrap_err();
    assert!(e.zh.contains("不得超过合同金额"), "{e}");
    let e = rule_5_8_payment(st(300_000, 100, None), 700_000).unwrap_err();
    assert!(e.zh.contains("终期评价"), "{e}");
    assert!(rule_5_8_payment(st(300_000, 100, Some(false)), 700_000).is_err());
}
