//! The residents' meeting (居民会议) under 居组法 Art 9–10 (rules §1.6–1.8).
//! Chinese statutes count "过半数" as strictly more than half and "以上" as
//! inclusive, and these functions do the same with integer arithmetic.

use crate::Msg;

/// Who a 居民会议 is made of (rules §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingBase {
    /// All residents aged 18 and over.
    AllAdults,
    /// One representative per household.
    Households,
    /// Two or three representatives elected by each residents' group.
    GroupRepresentatives,
}

/// Art 9: the meeting may be held only if strictly more than half of its base attend.
pub fn validly_held(base: u64, present: u64) -> Result<(), Msg> {
    if present * 2 > base {
        Ok(())
    } else {
        Err(Msg::new(
            format!("出席{present}人，未超过应到{base}人的半数，会议不能举行（居组法第九条）"),
            format!("{present} present of {base}: not more than half, the meeting cannot be held (Organic Law Art 9)"),
        ))
    }
}

/// Art 9: a decision passes with strictly more than half of those present (abstentions count as present).
pub fn decision_passes(present: u64, yes: u64) -> bool {
    yes * 2 > present
}

/// Art 10 (rules §1.8): a petition by at least 1/5 of adult residents, or
/// 1/5 of households, or 1/3 of residents' groups obliges the committee to
/// convene a 居民会议. Each pair is (signers, total).
pub fn petition_forces_meeting(adults: (u64, u64), households: (u64, u64), groups: (u64, u64)) -> bool {
    let share = |(signed, total): (u64, u64), denominator: u64| total > 0 && signed * denominator >= total;
    share(adults, 5) || share(households, 5) || share(groups, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_1_6_strictly_more_than_half_present() {
        assert!(validly_held(100, 50).is_err());
        assert!(validly_held(100, 51).is_ok());
        assert!(validly_held(7, 4).is_ok());
        assert!(validly_held(7, 3).is_err());
    }

    #[test]
    fn rules_1_7_decision_needs_more_than_half_of_present() {
        assert!(!decision_passes(40, 20));
        assert!(decision_passes(40, 21));
        assert!(!decision_passes(0, 0));
    }

    #[test]
    fn rules_1_8_petition_thresholds_are_inclusive() {
        assert!(petition_forces_meeting((200, 1000), (0, 400), (0, 12)));
        assert!(!petition_forces_meeting((199, 1000), (79, 400), (3, 12)));
        assert!(petition_forces_meeting((0, 1000), (80, 400), (0, 12)));
        assert!(petition_forces_meeting((0, 1000), (0, 400), (4, 12)));
        assert!(!petition_forces_meeting((0, 0), (0, 0), (0, 0)));
    }
}
