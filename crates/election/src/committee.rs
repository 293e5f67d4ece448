//! The committee an election fills, and changes between elections
//! (rules §1.1, §1.3, §1.13, §2.21, §2.22; §1.10 is `rules::between`).

use rules::Msg;
use rules::committee::Post;
use time::Date;

use crate::ruleset::Ruleset;

/// §1.1: an election's seats per post make a committee of 5–9 with one 主任.
pub fn check_seats(seats: &[(Post, u32)]) -> Result<(), Msg> {
    let roster: Vec<Post> = seats.iter().flat_map(|(p, n)| std::iter::repeat_n(*p, *n as usize)).collect();
    rules::committee::check_roster_size(&roster)
}

/// §1.3: the term of a committee elected on `elected` (5 years under the 2018 law).
pub fn term(elected: Date) -> (Date, Date) {
    (elected, rules::committee::term_end(elected))
}

/// §1.1 and §2.17–§2.18: the new committee's roster (post, name) from the rounds of
/// one election (a first round and its 另行选举), once every seat is filled by a
/// valid round. Refused while a seat is unfilled or a run-off is pending, or if a
/// name would hold two posts; the roster itself must be a lawful size.
pub fn roster_from_rounds(
    seats: &[(Post, u32)],
    rounds: &[&crate::tally::Outcome],
) -> Result<Vec<(Post, String)>, Msg> {
    let mut roster: Vec<(Post, String)> = Vec::new();
    for (post, n) in seats {
        let elected: Vec<&String> = rounds
            .iter()
            .filter(|o| o.round_valid)
            .filter_map(|o| o.posts.get(post.zh()))
            .flat_map(|p| &p.elected)
            .collect();
        if elected.len() != *n as usize {
            return Err(Msg::new(
                format!("“{}”应选{n}名，当选{}名：须另行选举或再行选举（规则2.18）", post.zh(), elected.len()),
                format!(
                    "{}: {} of {n} seats filled; a repeat or further election is needed (rule 2.18)",
                    post.zh(),
                    elected.len()
                ),
            ));
        }
        for name in elected {
            if roster.iter().any(|(_, m)| m == name) {
                return Err(Msg::new(format!("{name}不能同时担任两个职务"), format!("{name} cannot hold two posts")));
            }
            roster.push((*post, name.clone()));
        }
    }
    check_seats(seats)?;
    Ok(roster)
}

/// A 居民会议's decision as recorded (§1.6–§1.7): its base, those present, the yes votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssemblyDecision {
    pub base: u64,
    pub present: u64,
    pub yes: u64,
}

fn passed(d: &AssemblyDecision) -> Result<(), Msg> {
    rules::assembly::validly_held(d.base, d.present)?;
    if rules::assembly::decision_passes(d.present, d.yes) {
        Ok(())
    } else {
        Err(Msg::new(
            format!("赞成{}票，未超过出席{}人的半数，决定未通过（居组法第九条）", d.yes, d.present),
            format!(
                "{} yes of {} present: not more than half, the decision fails (Organic Law Art 9)",
                d.yes, d.present
            ),
        ))
    }
}

/// The supporters of a recall motion, each beside its whole (§2.22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecallSupport {
    pub voters: (u64, u64),
    pub households: (u64, u64),
    pub groups: (u64, u64),
}

/// §2.22: a recall motion stands with at least 1/5 of voters or of household
/// representatives, or 1/3 of residents' groups (the ruleset's shares).
pub fn check_recall_motion(rs: &Ruleset, s: &RecallSupport) -> Result<(), Msg> {
    let ok = rs.recall_voters.reached(s.voters.0, s.voters.1)
        || rs.recall_voters.reached(s.households.0, s.households.1)
        || rs.recall_groups.reached(s.groups.0, s.groups.1);
    if ok {
        Ok(())
    } else {
        Err(Msg::new(
            format!(
                "罢免动议须有{}/{}以上选民或户代表、或{}/{}以上居民小组联名（规则2.22）",
                rs.recall_voters.num, rs.recall_voters.den, rs.recall_groups.num, rs.recall_groups.den
            ),
            format!(
                "a recall motion needs {}/{} of voters or households, or {}/{} of residents' groups (rule 2.22)",
                rs.recall_voters.num, rs.recall_voters.den, rs.recall_groups.num, rs.recall_groups.den
            ),
        ))
    }
}

/// §2.22: a recall passes only by a 居民会议 decision (§1.7), on a motion that stood.
pub fn check_recall(rs: &Ruleset, s: &RecallSupport, decision: &AssemblyDecision) -> Result<(), Msg> {
    check_recall_motion(rs, s)?;
    passed(decision)
}

/// §2.21: members who do not live in the community are at most 1/3 (the ruleset's share).
pub fn check_non_resident_share(rs: &Ruleset, members: u64, non_resident: u64) -> Result<(), Msg> {
    let m = rs.non_resident_max;
    if non_resident <= members && m.within(non_resident, members) {
        Ok(())
    } else {
        Err(Msg::new(
            format!("{members}名成员中不在本社区居住的有{non_resident}名，超过{}/{}（规则2.21）", m.num, m.den),
            format!("{non_resident} of {members} members do not live here: more than {}/{} (rule 2.21)", m.num, m.den),
        ))
    }
}

/// §1.13: a warning (never a refusal) when a community's households fall outside 100–700.
pub fn household_warning(households: u64) -> Option<Msg> {
    (!(100..=700).contains(&households)).then(|| {
        Msg::new(
            format!("本社区{households}户，居组法一般为一百户至七百户（铜陵大社区可超出）"),
            format!("{households} households: the law's usual range is 100–700 (Tongling's big communities exceed it)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rule_1_1_five_to_nine_seats_with_one_director_are_accepted() {
        assert!(check_seats(&[(Post::Director, 1), (Post::DeputyDirector, 1), (Post::Member, 3)]).is_ok());
        assert!(check_seats(&[(Post::Director, 1), (Post::DeputyDirector, 2), (Post::Member, 6)]).is_ok());
    }

    #[test]
    fn rule_1_1_other_seat_counts_are_refused() {
        assert!(check_seats(&[(Post::Director, 1), (Post::Member, 3)]).is_err());
        assert!(check_seats(&[(Post::Director, 1), (Post::DeputyDirector, 2), (Post::Member, 7)]).is_err());
        assert!(check_seats(&[(Post::Director, 2), (Post::Member, 4)]).is_err());
    }

    fn outcome(valid: bool, posts: &[(&str, &[&str])]) -> crate::tally::Outcome {
        crate::tally::Outcome {
            round_valid: valid,
            reason: None,
            posts: posts
                .iter()
                .map(|(p, elected)| {
                    let out = crate::tally::PostOutcome {
                        valid_ballots: 0,
                        invalid_ballots: 0,
                        votes: Default::default(),
                        elected: elected.iter().map(|s| s.to_string()).collect(),
                        runoff: vec![],
                        unfilled: 0,
                    };
                    (p.to_string(), out)
                })
                .collect(),
        }
    }

    const SEATS: [(Post, u32); 3] = [(Post::Director, 1), (Post::DeputyDirector, 1), (Post::Member, 3)];

    #[test]
    fn rule_1_1_roster_is_written_from_the_rounds_once_every_seat_is_filled() {
        let first = outcome(true, &[("主任", &["张伟"]), ("副主任", &["王芳"]), ("委员", &["刘洋", "陈静"])]);
        let repeat = outcome(true, &[("委员", &["杨磊"])]);
        let roster = roster_from_rounds(&SEATS, &[&first, &repeat]).unwrap();
        assert_eq!(roster.len(), 5);
        assert_eq!(roster[0], (Post::Director, "张伟".to_string()));
        assert_eq!(roster[4], (Post::Member, "杨磊".to_string()));
    }

    #[test]
    fn rule_1_1_roster_with_a_seat_unfilled_or_an_invalid_round_is_refused() {
        let first = outcome(true, &[("主任", &["张伟"]), ("副主任", &["王芳"]), ("委员", &["刘洋", "陈静"])]);
        let e = roster_from_rounds(&SEATS, &[&first]).unwrap_err();
        assert!(e.en.contains("2 of 3 seats"), "{e}");
        let invalid_repeat = outcome(false, &[("委员", &["杨磊"])]);
        assert!(roster_from_rounds(&SEATS, &[&first, &invalid_repeat]).is_err());
        let twice = outcome(true, &[("委员", &["张伟"])]);
        assert!(roster_from_rounds(&SEATS, &[&first, &twice]).unwrap_err().zh.contains("两个职务"));
        // Seats that are not a lawful committee are refused even when filled.
        let small = [(Post::Director, 1), (Post::Member, 2)];
        let o = outcome(true, &[("主任", &["张伟"]), ("委员", &["刘洋", "陈静"])]);
        assert!(roster_from_rounds(&small, &[&o]).is_err());
    }

    #[test]
    fn rule_1_3_term_is_five_years_from_election_day() {
        assert_eq!(term(date!(2026 - 05 - 30)), (date!(2026 - 05 - 30), date!(2031 - 05 - 30)));
        assert_eq!(term(date!(2016 - 05 - 30)).1, date!(2019 - 05 - 30));
    }

    #[test]
    fn rule_2_21_non_residents_up_to_a_third_are_accepted() {
        let rs = Ruleset::default();
        assert!(check_non_resident_share(&rs, 9, 3).is_ok());
        assert!(check_non_resident_share(&rs, 7, 0).is_ok());
    }

    #[test]
    fn rule_2_21_non_residents_over_a_third_are_refused() {
        let rs = Ruleset::default();
        assert!(check_non_resident_share(&rs, 9, 4).is_err());
        assert!(check_non_resident_share(&rs, 5, 2).is_err());
        assert!(check_non_resident_share(&rs, 3, 4).is_err());
    }

    #[test]
    fn rule_2_22_recall_motion_at_the_thresholds_is_accepted() {
        let rs = Ruleset::default();
        let voters = RecallSupport { voters: (200, 1000), ..Default::default() };
        let households = RecallSupport { households: (100, 500), ..Default::default() };
        let groups = RecallSupport { groups: (3, 9), ..Default::default() };
        for s in [voters, households, groups] {
            assert!(check_recall_motion(&rs, &s).is_ok());
        }
        let d = AssemblyDecision { base: 1000, present: 700, yes: 351 };
        assert!(check_recall(&rs, &voters, &d).is_ok());
    }

    #[test]
    fn rule_2_22_recall_below_the_thresholds_or_without_a_decision_is_refused() {
        let rs = Ruleset::default();
        let s = RecallSupport { voters: (199, 1000), households: (99, 500), groups: (2, 9) };
        assert!(check_recall_motion(&rs, &s).unwrap_err().en.contains("rule 2.22"));
        assert!(check_recall_motion(&rs, &RecallSupport::default()).is_err());
        let ok = RecallSupport { voters: (200, 1000), ..Default::default() };
        assert!(check_recall(&rs, &ok, &AssemblyDecision { base: 1000, present: 700, yes: 350 }).is_err());
    }

    #[test]
    fn rule_1_13_household_count_outside_100_to_700_is_a_warning() {
        assert!(household_warning(400).is_none());
        assert!(household_warning(100).is_none() && household_warning(700).is_none());
        assert!(household_warning(9000).is_some());
        assert!(household_warning(99).is_some());
    }
}
