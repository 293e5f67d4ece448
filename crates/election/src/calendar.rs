//! The election calendar (rules §2.3–§2.5, §2.9, §2.18, §2.20): the legal gaps
//! before election day, and the polling module stays locked while one is unmet.

use rules::Msg;
use time::{Date, Duration};

use crate::ruleset::{ObjectionWindow, Ruleset};

/// The dates an election committee records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Calendar {
    pub election_day: Option<Date>,
    pub voter_list_published: Option<Date>,
    pub candidates_published: Option<Date>,
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// §2.3: the voter list is published at least 20 days (the ruleset's figure) before election day.
pub fn check_voter_list_gap(rs: &Ruleset, election_day: Date, published: Option<Date>) -> Result<(), Msg> {
    let latest = election_day - days(rs.voter_list_days_before);
    match published {
        Some(p) if p <= latest => Ok(()),
        Some(p) => Err(Msg::new(
            format!("选民名单应在选举日{}日以前公布（最迟{latest}），实为{p}（规则2.3）", rs.voter_list_days_before),
            format!(
                "the voter list must be published {} days before election day (by {latest}), it was on {p} (rule 2.3)",
                rs.voter_list_days_before
            ),
        )),
        None => Err(Msg::new(
            format!("选民名单尚未公布，最迟应于{latest}公布（规则2.3）"),
            format!("the voter list is not published yet; it must be by {latest} (rule 2.3)"),
        )),
    }
}

/// §2.9: the formal candidate list is published at least 5 days (the ruleset's figure) before election day.
pub fn check_candidate_list_gap(rs: &Ruleset, election_day: Date, published: Option<Date>) -> Result<(), Msg> {
    let latest = election_day - days(rs.candidate_list_days_before);
    match published {
        Some(p) if p <= latest => Ok(()),
        Some(p) => Err(Msg::new(
            format!(
                "正式候选人名单应在选举日{}日以前公布（最迟{latest}），实为{p}（规则2.9）",
                rs.candidate_list_days_before
            ),
            format!(
                "the candidate list must be published {} days before election day (by {latest}), it was on {p} (rule 2.9)",
                rs.candidate_list_days_before
            ),
        )),
        None => Err(Msg::new(
            format!("正式候选人名单尚未公布，最迟应于{latest}公布（规则2.9）"),
            format!("the candidate list is not published yet; it must be by {latest} (rule 2.9)"),
        )),
    }
}

/// §2.3 and §2.9: polling (ballots, boxes, the count) opens only when election day
/// is set and both lists were published in time; otherwise every unmet gap is listed.
pub fn polling_unlocked(rs: &Ruleset, c: &Calendar) -> Result<(), Vec<Msg>> {
    let Some(day) = c.election_day else {
        return Err(vec![Msg::new("尚未确定选举日", "election day is not set")]);
    };
    let errors: Vec<Msg> = [
        check_voter_list_gap(rs, day, c.voter_list_published),
        check_candidate_list_gap(rs, day, c.candidates_published),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// §2.4: an objection to the voter list is accepted only inside the ruleset's window.
pub fn check_objection_filed(rs: &Ruleset, published: Date, election_day: Date, filed: Date) -> Result<(), Msg> {
    let (from, until) = match rs.objections {
        ObjectionWindow::AfterPublication { file_days, .. } => (published, published + days(file_days)),
        ObjectionWindow::BeforeElection { file_by, .. } => (published, election_day - days(file_by)),
    };
    if (from..=until).contains(&filed) {
        Ok(())
    } else {
        Err(Msg::new(
            format!("对选民名单的申诉应在{from}至{until}之间提出（规则2.4）"),
            format!("objections to the voter list are taken from {from} to {until} (rule 2.4)"),
        ))
    }
}

/// §2.4: the day by which the election committee must decide an objection filed on `filed`.
pub fn objection_decision_due(rs: &Ruleset, election_day: Date, filed: Date) -> Date {
    match rs.objections {
        ObjectionWindow::AfterPublication { decide_days, .. } => filed + days(decide_days),
        ObjectionWindow::BeforeElection { decide_by, .. } => election_day - days(decide_by),
    }
}

/// §2.5: a voter who notified the committee at least 2 days (the ruleset's figure)
/// before election day that they cannot return leaves the turnout denominator —
/// except under group representatives, where every representative counts.
pub fn leaves_denominator(
    rs: &Ruleset,
    mode: crate::polling::Mode,
    election_day: Date,
    notified: Option<Date>,
) -> bool {
    mode != crate::polling::Mode::GroupRepresentatives
        && notified.is_some_and(|n| n <= election_day - days(rs.cannot_return_notice_days))
}

/// §2.18: after two rounds leave seats unfilled, the further election is due
/// within the ruleset's months (6 by default; Tianjin 3).
pub fn further_election_due(rs: &Ruleset, second_round: Date) -> Date {
    add_months(second_round, rs.further_election_months)
}

/// §2.20: the day the result must be filed with the district, where the ruleset sets a figure.
pub fn filing_due(rs: &Ruleset, election_day: Date) -> Option<Date> {
    rs.filing_days.map(|d| election_day + days(d))
}

/// The same day `months` later, or the month's last day when it has no such day.
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(m).unwrap_or(time::Month::December);
    let day = d.day().min(month.length(y));
    Date::from_calendar_date(y, month, day).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polling::Mode;
    use time::macros::date;

    const DAY: Date = date!(2026 - 05 - 30);

    #[test]
    fn rule_2_3_voter_list_published_twenty_days_before_is_accepted() {
        let rs = Ruleset::default();
        assert!(check_voter_list_gap(&rs, DAY, Some(date!(2026 - 05 - 10))).is_ok());
        assert!(check_voter_list_gap(&rs, DAY, Some(date!(2026 - 04 - 01))).is_ok());
    }

    #[test]
    fn rule_2_3_voter_list_published_later_is_refused() {
        let rs = Ruleset::default();
        let e = check_voter_list_gap(&rs, DAY, Some(date!(2026 - 05 - 11))).unwrap_err();
        assert!(e.en.contains("rule 2.3") && e.zh.contains("2026-05-10"), "{e}");
        assert!(check_voter_list_gap(&rs, DAY, None).is_err());
    }

    #[test]
    fn rule_2_9_candidates_published_five_days_before_is_accepted() {
        assert!(check_candidate_list_gap(&Ruleset::default(), DAY, Some(date!(2026 - 05 - 25))).is_ok());
    }

    #[test]
    fn rule_2_9_candidates_published_later_is_refused() {
        let rs = Ruleset::default();
        assert!(check_candidate_list_gap(&rs, DAY, Some(date!(2026 - 05 - 26))).is_err());
        assert!(check_candidate_list_gap(&rs, DAY, None).is_err());
    }

    #[test]
    fn rule_2_3_and_2_9_polling_unlocks_when_both_gaps_are_met() {
        let rs = Ruleset::default();
        let c = Calendar {
            election_day: Some(DAY),
            voter_list_published: Some(date!(2026 - 05 - 01)),
            candidates_published: Some(date!(2026 - 05 - 20)),
        };
        assert!(polling_unlocked(&rs, &c).is_ok());
    }

    #[test]
    fn rule_2_3_and_2_9_polling_stays_locked_while_a_gap_is_unmet() {
        let rs = Ruleset::default();
        let late = Calendar {
            election_day: Some(DAY),
            voter_list_published: Some(date!(2026 - 05 - 15)),
            candidates_published: Some(date!(2026 - 05 - 28)),
        };
        assert_eq!(polling_unlocked(&rs, &late).unwrap_err().len(), 2);
        assert_eq!(polling_unlocked(&rs, &Calendar::default()).unwrap_err().len(), 1);
        // A later election day is how a committee meets the gap.
        let moved = Calendar { election_day: Some(date!(2026 - 06 - 10)), ..late };
        assert!(polling_unlocked(&rs, &moved).is_ok());
    }

    #[test]
    fn rule_2_4_objection_inside_the_window_is_accepted() {
        let rs = Ruleset::default();
        let published = date!(2026 - 05 - 01);
        assert!(check_objection_filed(&rs, published, DAY, date!(2026 - 05 - 06)).is_ok());
        assert_eq!(objection_decision_due(&rs, DAY, date!(2026 - 05 - 06)), date!(2026 - 05 - 09));
        let village = Ruleset { objections: ObjectionWindow::BeforeElection { file_by: 7, decide_by: 3 }, ..rs };
        assert!(check_objection_filed(&village, published, DAY, date!(2026 - 05 - 23)).is_ok());
        assert_eq!(objection_decision_due(&village, DAY, date!(2026 - 05 - 23)), date!(2026 - 05 - 27));
    }

    #[test]
    fn rule_2_4_objection_outside_the_window_is_refused() {
        let rs = Ruleset::default();
        let published = date!(2026 - 05 - 01);
        assert!(check_objection_filed(&rs, published, DAY, date!(2026 - 05 - 07)).is_err());
        assert!(check_objection_filed(&rs, published, DAY, date!(2026 - 04 - 30)).is_err());
        let village = Ruleset { objections: ObjectionWindow::BeforeElection { file_by: 7, decide_by: 3 }, ..rs };
        assert!(check_objection_filed(&village, published, DAY, date!(2026 - 05 - 24)).is_err());
    }

    #[test]
    fn rule_2_5_notice_two_days_before_leaves_the_denominator() {
        let rs = Ruleset::default();
        assert!(leaves_denominator(&rs, Mode::DirectAllVoters, DAY, Some(date!(2026 - 05 - 28))));
        assert!(leaves_denominator(&rs, Mode::HouseholdRepresentatives, DAY, Some(date!(2026 - 05 - 01))));
    }

    #[test]
    fn rule_2_5_late_notice_or_group_representatives_stay_in_the_denominator() {
        let rs = Ruleset::default();
        assert!(!leaves_denominator(&rs, Mode::DirectAllVoters, DAY, Some(date!(2026 - 05 - 29))));
        assert!(!leaves_denominator(&rs, Mode::DirectAllVoters, DAY, None));
        assert!(!leaves_denominator(&rs, Mode::GroupRepresentatives, DAY, Some(date!(2026 - 05 - 01))));
    }

    #[test]
    fn rule_2_18_further_election_deadline_is_configurable() {
        let rs = Ruleset::default();
        assert_eq!(further_election_due(&rs, date!(2026 - 08 - 31)), date!(2027 - 02 - 28));
        let tianjin = Ruleset { further_election_months: 3, ..rs };
        assert_eq!(further_election_due(&tianjin, date!(2026 - 11 - 30)), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
    }

    #[test]
    fn rule_2_20_filing_deadline_only_where_the_ruleset_sets_one() {
        assert_eq!(filing_due(&Ruleset::default(), DAY), None);
        let rs = Ruleset { filing_days: Some(15), ..Ruleset::default() };
        assert_eq!(filing_due(&rs, DAY), Some(date!(2026 - 06 - 14)));
    }
}
