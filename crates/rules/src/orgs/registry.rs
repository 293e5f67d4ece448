//! The registry of community social organisations (rules §5.11–§5.16).

use super::refuse;
use crate::{Msg, gb32100};
use serde::{Deserialize, Serialize};

/// §5.11: the three tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 登记: registered with civil affairs, a legal person with a credit code.
    Registered,
    /// 备案: filed with the 街道 (in Tongling the district or big community); no legal person, no code.
    Filed,
    /// Small and loose, led by the community party organisation, guided by the 居委会.
    Small,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Registered, Tier::Filed, Tier::Small];

    pub fn word(self) -> &'static str {
        match self {
            Tier::Registered => "registered",
            Tier::Filed => "filed",
            Tier::Small => "small",
        }
    }

    pub fn from_word(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.word() == s)
    }

    pub fn name(self) -> Msg {
        match self {
            Tier::Registered => Msg::new("登记", "registered"),
            Tier::Filed => Msg::new("备案", "filed"),
            Tier::Small => Msg::new("社区培育的小型群体", "small group led by the community"),
        }
    }
}

/// §5.11/§5.14: the legal form of a registered organisation, with its credit-code prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    /// 社会团体, prefix 51.
    SocialGroup,
    /// 社会服务机构 (民办非企业单位), prefix 52.
    ServiceOrg,
    /// 基金会, prefix 53.
    Foundation,
}

impl LegalForm {
    pub const ALL: [LegalForm; 3] = [LegalForm::SocialGroup, LegalForm::ServiceOrg, LegalForm::Foundation];

    pub fn word(self) -> &'static str {
        match self {
            LegalForm::SocialGroup => "social_group",
            LegalForm::ServiceOrg => "service_org",
            LegalForm::Foundation => "foundation",
        }
    }

    pub fn from_word(s: &str) -> Option<LegalForm> {
        LegalForm::ALL.into_iter().find(|t| t.word() == s)
    }

    pub fn prefix(self) -> &'static str {
        match self {
            LegalForm::SocialGroup => "51",
            LegalForm::ServiceOrg => "52",
            LegalForm::Foundation => "53",
        }
    }

    pub fn name(self) -> Msg {
        match self {
            LegalForm::SocialGroup => Msg::new("社会团体", "social group"),
            LegalForm::ServiceOrg => Msg::new("社会服务机构", "social service organisation"),
            LegalForm::Foundation => Msg::new("基金会", "foundation"),
        }
    }
}

/// §5.13: what an applicant is. Only `CommunityService` may be a community social organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// A community social organisation proper (service, mutual aid, culture, sport, charity…).
    CommunityService,
    /// A working body of the residents' committee (居委会下属委员会/工作机构).
    ResidentsCommitteeBody,
    /// 业主委员会.
    OwnersCommittee,
    /// 楼栋自治组织.
    BuildingSelfGovernance,
    /// A for-profit organisation.
    ForProfit,
}

impl Nature {
    pub const ALL: [Nature; 5] = [
        Nature::CommunityService,
        Nature::ResidentsCommitteeBody,
        Nature::OwnersCommittee,
        Nature::BuildingSelfGovernance,
        Nature::ForProfit,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Nature::CommunityService => "community_service",
            Nature::ResidentsCommitteeBody => "residents_committee_body",
            Nature::OwnersCommittee => "owners_committee",
            Nature::BuildingSelfGovernance => "building_self_governance",
            Nature::ForProfit => "for_profit",
        }
    }

    pub fn from_word(s: &str) -> Option<Nature> {
        Nature::ALL.into_iter().find(|t| t.word() == s)
    }

    pub fn name(self) -> Msg {
        match self {
            Nature::CommunityService => Msg::new("社区社会组织", "community social organisation"),
            Nature::ResidentsCommitteeBody => Msg::new("居委会工作机构", "a working body of the residents' committee"),
            Nature::OwnersCommittee => Msg::new("业主委员会", "owners' committee"),
            Nature::BuildingSelfGovernance => Msg::new("楼栋自治组织", "building self-governance group"),
            Nature::ForProfit => Msg::new("营利性组织", "for-profit organisation"),
        }
    }
}

/// §5.11: a registered organisation has a legal form; a filed or small group has none.
pub fn rule_5_11_tier_and_form(tier: Tier, form: Option<LegalForm>) -> Result<(), Msg> {
    match (tier, form) {
        (Tier::Registered, Some(_)) | (Tier::Filed | Tier::Small, None) => Ok(()),
        (Tier::Registered, None) => Err(refuse(
            "5.11",
            "登记的社会组织须注明社会团体、社会服务机构或基金会",
            "a registered organisation is a social group, a social service organisation or a foundation",
        )),
        (_, Some(_)) => Err(refuse(
            "5.11",
            "备案或社区培育的小型群体不是法人，不能注明登记类型",
            "a filed or small group is no legal person and has no legal form",
        )),
    }
}

/// §5.12: a filed (备案) or small group is stored without legal-person status and
/// without a credit code; a registered organisation must carry one.
pub fn rule_5_12_code_only_when_registered(tier: Tier, uscc: Option<&str>) -> Result<(), Msg> {
    let has = uscc.is_some_and(|c| !c.trim().is_empty());
    match (tier, has) {
        (Tier::Registered, true) | (Tier::Filed | Tier::Small, false) => Ok(()),
        (Tier::Registered, false) => Err(refuse(
            "5.12",
            "登记的社会组织须填写统一社会信用代码",
            "a registered organisation needs its credit code",
        )),
        (_, true) => Err(refuse(
            "5.12",
            "备案的社区社会组织不具有法人资格，不应有统一社会信用代码",
            "a filed group has no legal personality and no unified social credit code",
        )),
    }
}

/// §5.13: working bodies of the residents' committee, owners' committees, building
/// self-governance groups and for-profit organisations are not community social
/// organisations, nor is any organisation carrying on profit-making business.
pub fn rule_5_13_not_excluded(nature: Nature, profit_making: bool) -> Result<(), Msg> {
    if nature != Nature::CommunityService {
        let n = nature.name();
        return Err(refuse(
            "5.13",
            format!("{}不能登记或备案为社区社会组织", n.zh),
            format!("an {} cannot be recorded as a community social organisation", n.en),
        ));
    }
    if profit_making {
        return Err(refuse(
            "5.13",
            "从事营利性经营活动的组织不能作为社区社会组织",
            "an organisation carrying on profit-making business is no community social organisation",
        ));
    }
    Ok(())
}

/// §5.14 and §6c: a registered organisation's code passes GB 32100 (shape and check
/// character) and carries 民政's prefix for its form: 51, 52 or 53. Returns the code normalised.
pub fn rule_5_14_code_matches_form(form: LegalForm, uscc: &str) -> Result<String, Msg> {
    let code = gb32100::validate(uscc).map_err(|m| refuse("6c", m.zh, m.en))?;
    if !gb32100::is_civil_affairs_org(&code) || !code.starts_with(form.prefix()) {
        let n = form.name();
        return Err(refuse(
            "5.14",
            format!("{}的统一社会信用代码应以{}开头", n.zh, form.prefix()),
            format!("a {}'s unified social credit code begins with {}", n.en, form.prefix()),
        ));
    }
    Ok(code)
}

/// §5.15: local registration thresholds for a 社会团体 (example: 扬州), a setting per district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Individual members needed when all members are people.
    pub individuals: u32,
    /// Unit members needed when all members are organisations.
    pub units: u32,
    /// Members in total when people and organisations are mixed.
    pub mixed_total: u32,
}

impl Default for Thresholds {
    /// 扬州's figures (rules §5.15), the example the rules give; not national law.
    fn default() -> Self {
        Thresholds { individuals: 20, units: 10, mixed_total: 20 }
    }
}

/// §5.15: a registered 社会团体 has enough members under the district's thresholds
/// (other forms and tiers have no member threshold here).
pub fn rule_5_15_member_thresholds(
    th: Thresholds,
    tier: Tier,
    form: Option<LegalForm>,
    people: u32,
    units: u32,
) -> Result<(), Msg> {
    if tier != Tier::Registered || form != Some(LegalForm::SocialGroup) {
        return Ok(());
    }
    let ok = match (people, units) {
        (p, 0) => p >= th.individuals,
        (0, u) => u >= th.units,
        (p, u) => p + u >= th.mixed_total,
    };
    if ok {
        Ok(())
    } else {
        Err(refuse(
            "5.15",
            format!(
                "社会团体须有个人会员{}个以上，或单位会员{}个以上，混合时会员总数{}个以上（本地设置）；现有个人{people}个、单位{units}个",
                th.individuals, th.units, th.mixed_total
            ),
            format!(
                "a social group needs {} individual or {} unit members, or {} in total when mixed (local setting); it has {people} people and {units} units",
                th.individuals, th.units, th.mixed_total
            ),
        ))
    }
}

/// §5.16: a federation (社区社会组织联合会) is a registered 社会团体 …
pub fn rule_5_16_federation_is_social_group(tier: Tier, form: Option<LegalForm>) -> Result<(), Msg> {
    if tier == Tier::Registered && form == Some(LegalForm::SocialGroup) {
        Ok(())
    } else {
        Err(refuse(
            "5.16",
            "社区社会组织联合会须是登记的社会团体",
            "a federation of community social organisations is a registered social group",
        ))
    }
}

/// … whose members are organisations: a person joins a member organisation, not the federation.
pub fn rule_5_16_federation_members_are_organisations(member_is_organisation: bool) -> Result<(), Msg> {
    if member_is_organisation {
        Ok(())
    } else {
        Err(refuse(
            "5.16",
            "联合会的会员是社会组织，个人请加入其会员组织",
            "a federation's members are organisations; a person joins one of its member organisations",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(first17: &str) -> String {
        gb32100::compose(first17).unwrap()
    }

    #[test]
    fn rule_5_11_tier_and_form_accepts() {
        assert!(rule_5_11_tier_and_form(Tier::Registered, Some(LegalForm::ServiceOrg)).is_ok());
        assert!(rule_5_11_tier_and_form(Tier::Filed, None).is_ok());
        assert!(rule_5_11_tier_and_form(Tier::Small, None).is_ok());
    }

    #[test]
    fn rule_5_11_tier_and_form_refuses() {
        assert!(rule_5_11_tier_and_form(Tier::Registered, None).unwrap_err().zh.contains("规则5.11"));
        assert!(rule_5_11_tier_and_form(Tier::Filed, Some(LegalForm::SocialGroup)).is_err());
    }

    #[test]
    fn rule_5_12_code_only_when_registered_accepts() {
        assert!(rule_5_12_code_only_when_registered(Tier::Filed, None).is_ok());
        assert!(rule_5_12_code_only_when_registered(Tier::Filed, Some(" ")).is_ok());
        assert!(rule_5_12_code_only_when_registered(Tier::Registered, Some("51340705MJ00000017")).is_ok());
    }

    #[test]
    fn rule_5_12_code_only_when_registered_refuses() {
        let e = rule_5_12_code_only_when_registered(Tier::Filed, Some("51340705MJ00000017")).unwrap_err();
        assert!(e.zh.contains("规则5.12") && e.zh.contains("不具有法人资格"), "{e}");
        assert!(rule_5_12_code_only_when_registered(Tier::Registered, None).is_err());
    }

    #[test]
    fn rule_5_13_not_excluded_accepts() {
        assert!(rule_5_13_not_excluded(Nature::CommunityService, false).is_ok());
    }

    #[test]
    fn rule_5_13_not_excluded_refuses() {
        for n in
            [Nature::ResidentsCommitteeBody, Nature::OwnersCommittee, Nature::BuildingSelfGovernance, Nature::ForProfit]
        {
            let e = rule_5_13_not_excluded(n, false).unwrap_err();
            assert!(e.zh.contains("规则5.13") && e.zh.contains(&n.name().zh), "{e}");
        }
        assert!(rule_5_13_not_excluded(Nature::CommunityService, true).unwrap_err().zh.contains("营利性"));
    }

    #[test]
    fn rule_5_14_code_matches_form_accepts() {
        for (form, first) in [
            (LegalForm::SocialGroup, "51340705MJ0000001"),
            (LegalForm::ServiceOrg, "52340705MJ0000002"),
            (LegalForm::Foundation, "53340700MJ0000003"),
        ] {
            let c = code(first);
            assert_eq!(rule_5_14_code_matches_form(form, &c.to_lowercase()).unwrap(), c);
        }
    }

    #[test]
    fn rule_5_14_code_matches_form_refuses() {
        // A 民非 code for a 社会团体, an enterprise code (§6c worked example), a wrong check character.
        let e = rule_5_14_code_matches_form(LegalForm::SocialGroup, &code("52340705MJ0000002")).unwrap_err();
        assert!(e.zh.contains("规则5.14") && e.zh.contains("51"), "{e}");
        assert!(
            rule_5_14_code_matches_form(LegalForm::ServiceOrg, "91350100M000100Y43").unwrap_err().zh.contains("52")
        );
        let e = rule_5_14_code_matches_form(LegalForm::ServiceOrg, "91350100M000100Y44").unwrap_err();
        assert!(e.zh.contains("规则6c") && e.zh.contains("校验位"), "{e}");
        assert!(rule_5_14_code_matches_form(LegalForm::ServiceOrg, "91350211M0000XUF46").is_err());
        assert!(
            rule_5_14_code_matches_form(LegalForm::ServiceOrg, "91350100M000100Y4Z").unwrap_err().zh.contains("格式")
        );
    }

    #[test]
    fn rule_5_15_member_thresholds_accepts() {
        let th = Thresholds::default();
        let sg = Some(LegalForm::SocialGroup);
        assert!(rule_5_15_member_thresholds(th, Tier::Registered, sg, 20, 0).is_ok());
        assert!(rule_5_15_member_thresholds(th, Tier::Registered, sg, 0, 10).is_ok());
        assert!(rule_5_15_member_thresholds(th, Tier::Registered, sg, 12, 8).is_ok());
        assert!(rule_5_15_member_thresholds(th, Tier::Filed, None, 3, 0).is_ok());
        // A setting, not a constant: a district may ask for fewer.
        let local = Thresholds { individuals: 10, units: 5, mixed_total: 10 };
        assert!(rule_5_15_member_thresholds(local, Tier::Registered, sg, 10, 0).is_ok());
    }

    #[test]
    fn rule_5_15_member_thresholds_refuses() {
        let th = Thresholds::default();
        let sg = Some(LegalForm::SocialGroup);
        assert!(rule_5_15_member_thresholds(th, Tier::Registered, sg, 19, 0).unwrap_err().zh.contains("规则5.15"));
        assert!(rule_5_15_member_thresholds(th, Tier::Registered, sg, 0, 9).is_err());
        assert!(rule_5_15_member_thresholds(th, Tier::Registered, sg, 10, 9).is_err());
    }

    #[test]
    fn rule_5_16_federation_is_social_group_accepts() {
        assert!(rule_5_16_federation_is_social_group(Tier::Registered, Some(LegalForm::SocialGroup)).is_ok());
        assert!(rule_5_16_federation_members_are_organisations(true).is_ok());
    }

    #[test]
    fn rule_5_16_federation_is_social_group_refuses() {
        assert!(rule_5_16_federation_is_social_group(Tier::Filed, None).unwrap_err().zh.contains("规则5.16"));
        assert!(rule_5_16_federation_is_social_group(Tier::Registered, Some(LegalForm::Foundation)).is_err());
        assert!(rule_5_16_federation_members_are_organisations(false).unwrap_err().zh.contains("个人"));
    }
}
