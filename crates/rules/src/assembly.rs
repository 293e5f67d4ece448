//! The residents' meeting (居民会议) under 居组法 Art 9–10 (rules §1.6–1.9).
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

/// Art 9 counts residents "aged 18 and over": the latest birth date of a
/// resident who is 18 on `today` (a 29 February birthday turns on 28 February
/// in a common year).
pub fn adult_born_on_or_before(today: time::Date) -> time::Date {
    let year = today.year() - 18;
    time::Date::from_calendar_date(year, today.month(), today.day())
        .or_else(|_| time::Date::from_calendar_date(year, today.month(), today.day() - 1))
        .unwrap_or(today)
}

/// Art 10 (rules §1.9): a question affecting the interests of all residents
/// (涉及全体居民利益的重要问题) is decided by the 居民会议, so it may be closed only
/// by a resolution that a validly held 居民会议 passed on it — never by the committee alone.
pub fn important_question_may_close(important: bool, by_passed_assembly_resolution: bool) -> Result<(), Msg> {
    if !important || by_passed_assembly_resolution {
        Ok(())
    } else {
        Err(Msg::new(
            "涉及全体居民利益的重要问题须由居民会议讨论决定，只能依据居民会议通过的决议结案（居组法第十条）",
            "a question affecting all residents must be decided by a residents' meeting: it closes only by a resolution that meeting passed (Organic Law Art 10)",
        ))
    }
}

/// The base of a 居民会议 of residents' group representatives: two or three per group (rules §1.6).
pub fn group_representatives_fit(groups: u64, representatives: u64) -> Result<(), Msg> {
    if groups == 0 || (2 * groups..=3 * groups).contains(&representatives) {
        Ok(())
    } else {
        Err(Msg::new(
            format!("{groups}个居民小组应有{}–{}名代表，实为{representatives}名", 2 * groups, 3 * groups),
            format!(
                "{groups} residents' groups send {}–{} representatives, not {representatives}",
                2 * groups,
                3 * groups
            ),
        ))
    }
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
    #[test]
    fn adults_are_counted_from_their_eighteenth_birthday() {
        use time::macros::date;
        assert_eq!(adult_born_on_or_before(date!(2026 - 05 - 17)), date!(2008 - 05 - 17));
        assert_eq!(adult_born_on_or_before(date!(2028 - 02 - 29)), date!(2010 - 02 - 28));
    }

    #[test]
    fn rules_1_9_important_questions_close_only_by_an_assembly() {
        assert!(important_question_may_close(true, false).is_err());
        assert!(important_question_may_close(true, true).is_ok());
        assert!(important_question_may_close(false, false).is_ok());
    }

    #[test]
    fn rules_1_6_two_or_three_representatives_per_group() {
        assert!(group_representatives_fit(10, 20).is_ok());
        assert!(group_representatives_fit(10, 30).is_ok());
        assert!(group_representatives_fit(10, 19).is_err());
        assert!(group_representatives_fit(10, 31).is_err());
    }
}
