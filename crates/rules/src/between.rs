//! Between elections: the residents' committee changes only through the law's
//! own procedure (rules §1.6, §1.10, §1.12; the provincial §2.21 and §2.22 are
//! the election engine's, `election::committee`, with its configurable shares).
//! Each rule is named after its rules.md id and refuses with a bilingual reason.

use crate::Msg;
use crate::assembly::MeetingBase;

/// What a change of the committee, or a covenant, rests on: a resolution and
/// the meeting that passed it, as the store found them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The meeting was a 居民会议 (not the deliberation council).
    pub by_assembly: bool,
    /// The resolution belongs to the same community.
    pub same_community: bool,
    /// Strictly more than half of the meeting's base attended (§1.6).
    pub validly_held: bool,
    /// Strictly more than half of those present voted yes (§1.7).
    pub passed: bool,
}

/// Rules §1.10 (居组法 Art 10): removal (撤换) and by-election (补选) of
/// committee members only through a passed resolution of a validly held
/// 居民会议 of the same community. `None` = no decision record given.
pub fn rule_1_10_change_by_assembly(decision: Option<Decision>) -> Result<(), Msg> {
    let Some(d) = decision else {
        return Err(Msg::new(
            "撤换和补选居委会成员须依据居民会议的决定记录（规则1.10，居组法第十条）",
            "removal and by-election of committee members need a residents' meeting decision record (rule 1.10, Organic Law Art 10)",
        ));
    };
    decided(d, "规则1.10", "rule 1.10")
}

fn decided(d: Decision, rule_zh: &str, rule_en: &str) -> Result<(), Msg> {
    if !d.same_community {
        return Err(Msg::new(
            format!("该决定不属于本社区的居民会议（{rule_zh}）"),
            format!("the decision is not of this community's residents' meeting ({rule_en})"),
        ));
    }
    if !d.by_assembly {
        return Err(Msg::new(
            format!("该决定由议事会作出，不是居民会议的决定（{rule_zh}）"),
            format!("the decision is the council's, not a residents' meeting's ({rule_en})"),
        ));
    }
    if !d.validly_held {
        return Err(Msg::new(
            format!("作出该决定的居民会议出席未过半数，不能有效举行（{rule_zh}，规则1.6）"),
            format!("the residents' meeting was not validly held ({rule_en}, rule 1.6)"),
        ));
    }
    if !d.passed {
        return Err(Msg::new(
            format!("该决定未获出席人过半数通过（{rule_zh}，规则1.7）"),
            format!("the resolution did not pass by more than half of those present ({rule_en}, rule 1.7)"),
        ));
    }
    Ok(())
}

/// Rules §1.6 (居组法 Art 9): a 居民会议 of all adults or of households takes
/// its base from the registry (`registry`); only a meeting of group
/// representatives has its base entered by hand. A hand-entered count for the
/// other two bases is accepted only when it equals the registry's.
pub fn rule_1_6_base_from_registry(base: MeetingBase, registry: u64, given: Option<u64>) -> Result<u64, Msg> {
    match (base, given) {
        (MeetingBase::GroupRepresentatives, Some(n)) => Ok(n),
        (MeetingBase::GroupRepresentatives, None) => {
            Err(Msg::new("请填写居民小组代表人数（规则1.6）", "give the number of group representatives (rule 1.6)"))
        }
        (_, Some(n)) if n != registry => Err(Msg::new(
            format!("应到人数按居民登记计算为{registry}，不能手工改为{n}（规则1.6）"),
            format!("the base is counted from the registry ({registry}), not entered by hand ({n}) (rule 1.6)"),
        )),
        _ if registry == 0 => Err(Msg::new(
            "居民登记中没有可计入的居民，不能召开居民会议（规则1.6）",
            "the registry has nobody to count: no residents' meeting (rule 1.6)",
        )),
        _ => Ok(registry),
    }
}

/// Rules §1.12 (居组法 Art 15): a 居民公约 becomes effective only with (a) a
/// linked decision of the community's 居民会议 and (b) a filing (备案) with
/// the district government.
pub fn rule_1_12_covenant_effective(decision: Option<Decision>, filed_with_district: bool) -> Result<(), Msg> {
    let Some(d) = decision else {
        return Err(Msg::new(
            "居民公约须经居民会议讨论制定，尚未关联居民会议决定（规则1.12）",
            "a residents' covenant needs a residents' meeting decision first (rule 1.12)",
        ));
    };
    decided(d, "规则1.12", "rule 1.12")?;
    if !filed_with_district {
        return Err(Msg::new(
            "居民公约须报区人民政府备案后才生效（规则1.12）",
            "a residents' covenant takes effect only once filed with the district government (rule 1.12)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: Decision = Decision { by_assembly: true, same_community: true, validly_held: true, passed: true };

    #[test]
    fn rule_1_10_accepts_a_passed_assembly_decision() {
        assert!(rule_1_10_change_by_assembly(Some(GOOD)).is_ok());
    }

    #[test]
    fn rule_1_10_refuses_without_a_valid_assembly_decision() {
        assert!(rule_1_10_change_by_assembly(None).unwrap_err().zh.contains("规则1.10"));
        for bad in [
            Decision { by_assembly: false, ..GOOD },
            Decision { same_community: false, ..GOOD },
            Decision { validly_held: false, ..GOOD },
            Decision { passed: false, ..GOOD },
        ] {
            assert!(rule_1_10_change_by_assembly(Some(bad)).unwrap_err().en.contains("rule 1.10"));
        }
    }

    #[test]
    fn rule_1_6_accepts_the_registry_base_and_hand_entered_group_representatives() {
        assert_eq!(rule_1_6_base_from_registry(MeetingBase::AllAdults, 120, None), Ok(120));
        assert_eq!(rule_1_6_base_from_registry(MeetingBase::Households, 50, Some(50)), Ok(50));
        assert_eq!(rule_1_6_base_from_registry(MeetingBase::GroupRepresentatives, 999, Some(24)), Ok(24));
    }

    #[test]
    fn rule_1_6_refuses_a_hand_entered_base_for_adults_or_households() {
        assert!(
            rule_1_6_base_from_registry(MeetingBase::AllAdults, 120, Some(100)).unwrap_err().zh.contains("规则1.6")
        );
        assert!(rule_1_6_base_from_registry(MeetingBase::Households, 0, None).is_err());
        assert!(rule_1_6_base_from_registry(MeetingBase::GroupRepresentatives, 5, None).is_err());
    }

    #[test]
    fn rule_1_12_accepts_a_decided_and_filed_covenant() {
        assert!(rule_1_12_covenant_effective(Some(GOOD), true).is_ok());
    }

    #[test]
    fn rule_1_12_refuses_a_covenant_without_decision_or_filing() {
        assert!(rule_1_12_covenant_effective(None, true).unwrap_err().zh.contains("规则1.12"));
        assert!(rule_1_12_covenant_effective(Some(GOOD), false).unwrap_err().en.contains("filed"));
        assert!(rule_1_12_covenant_effective(Some(Decision { by_assembly: false, ..GOOD }), true).is_err());
    }
}
