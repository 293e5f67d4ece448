use super::*;
use crate::scenario::parse;
use crate::tally::tally;
use serde_json::{Value, json};
use time::macros::date;

type Ballot<'a> = (u64, &'a [(&'a str, &'a [&'a str])]);

fn count(round: &str, returned: u64, posts: &[(&str, u32, &[&str])], ballots: &[Ballot]) -> Outcome {
    let posts: Vec<Value> = posts.iter().map(|(p, s, c)| json!({"post": p, "seats": s, "candidates": c})).collect();
    let ballots: Vec<Value> = ballots
        .iter()
        .map(|(n, votes)| {
            let v: serde_json::Map<String, Value> =
                votes.iter().map(|(p, names)| (p.to_string(), json!(names))).collect();
            json!({"count": n, "votes": v})
        })
        .collect();
    let text = json!({"round": round, "registered_voters": 100, "ballots_issued": returned, "ballots_returned": returned,
        "posts": posts, "ballots": ballots});
    tally(&parse(&text.to_string()).unwrap(), &Ruleset::default()).unwrap()
}

fn seats() -> Vec<(String, u32)> {
    vec![("主任".into(), 1), ("委员".into(), 2)]
}

const ZR: (&str, u32, &[&str]) = ("主任", 1, &["甲", "乙"]);
const WY: (&str, u32, &[&str]) = ("委员", 2, &["丙", "丁", "戊", "己"]);

#[test]
fn rule_2_17_a_tie_across_the_last_seat_calls_for_a_runoff_among_the_tied() {
    let s = seats();
    // 委员: 丙 70 elected; 丁 and 戊 60 each of 100, both over half, tied across the last seat.
    let tie = count(
        "first",
        100,
        &[ZR, WY],
        &[
            (30, &[("主任", &["甲"]), ("委员", &["丙", "丁"])]),
            (30, &[("主任", &["甲"]), ("委员", &["丙", "戊"])]),
            (30, &[("主任", &["甲"]), ("委员", &["丁", "戊"])]),
            (10, &[("主任", &["甲"]), ("委员", &["丙"])]),
        ],
    );
    assert_eq!(tie.posts["委员"].elected, ["丙"]);
    let next =
        next_round(&Ruleset::default(), &s, &[Counted { kind: RoundKind::First, seats: &s, outcome: &tie }]).unwrap();
    assert_eq!(
        next,
        Next::Runoff(vec![RoundPost { post: "委员".into(), seats: 1, candidates: vec!["丁".into(), "戊".into()] }])
    );
    assert_eq!(next.round_kind(), Some(RoundKind::Runoff));
    assert!(check_announce(&next).is_err());
    // The run-off elects 戊: every seat is filled.
    let ro_seats = vec![("委员".to_string(), 1)];
    let ro =
        count("runoff", 80, &[("委员", 1, &["丁", "戊"])], &[(30, &[("委员", &["丁"])]), (50, &[("委员", &["戊"])])]);
    let rounds = [
        Counted { kind: RoundKind::First, seats: &s, outcome: &tie },
        Counted { kind: RoundKind::Runoff, seats: &ro_seats, outcome: &ro },
    ];
    let next = next_round(&Ruleset::default(), &s, &rounds).unwrap();
    assert_eq!(next, Next::Complete);
    assert!(check_announce(&next).is_ok());
}

#[test]
fn rule_2_18_unfilled_seats_call_for_a_repeat_round_of_the_non_winners_in_vote_order() {
    let s = seats();
    let only_one = count(
        "first",
        90,
        &[ZR, WY],
        &[(50, &[("主任", &["甲"]), ("委员", &["丙"])]), (40, &[("主任", &["乙"]), ("委员", &["丁", "戊"])])],
    );
    assert_eq!(only_one.posts["委员"].elected, ["丙"]);
    let next =
        next_round(&Ruleset::default(), &s, &[Counted { kind: RoundKind::First, seats: &s, outcome: &only_one }])
            .unwrap();
    // The seat left: 丁 40 and 戊 40, then 己 with none is not a candidate.
    assert_eq!(
        next,
        Next::Repeat(vec![RoundPost { post: "委员".into(), seats: 1, candidates: vec!["丁".into(), "戊".into()] }])
    );
    assert!(check_announce(&next).is_err());
}

#[test]
fn rule_2_18_after_a_repeat_round_seats_still_unfilled_call_for_a_further_election() {
    let s = seats();
    let only_one = count(
        "first",
        90,
        &[ZR, WY],
        &[(50, &[("主任", &["甲"]), ("委员", &["丙"])]), (40, &[("主任", &["乙"]), ("委员", &["丁", "戊"])])],
    );
    let rp_seats = vec![("委员".to_string(), 1)];
    // 另行选举: 丁 29 of 90 is under a third; nobody is elected.
    let rp = count(
        "repeat",
        90,
        &[("委员", 1, &["丁", "戊"])],
        &[(29, &[("委员", &["丁"])]), (28, &[("委员", &["戊"])]), (33, &[])],
    );
    assert!(rp.posts["委员"].elected.is_empty());
    let rounds = [
        Counted { kind: RoundKind::First, seats: &s, outcome: &only_one },
        Counted { kind: RoundKind::Repeat, seats: &rp_seats, outcome: &rp },
    ];
    let next = next_round(&Ruleset::default(), &s, &rounds).unwrap();
    assert_eq!(next, Next::FurtherElection);
    assert!(check_announce(&next).is_ok());
    assert_eq!(
        crate::calendar::further_election_due(&Ruleset::default(), date!(2026 - 06 - 30)),
        date!(2026 - 12 - 30)
    );
}

#[test]
fn rule_2_14_an_invalid_first_round_calls_for_a_rerun_and_no_announcement() {
    let s = seats();
    let low = count("first", 50, &[ZR, WY], &[(50, &[("主任", &["甲"]), ("委员", &["丙", "丁"])])]);
    assert!(!low.round_valid);
    let next =
        next_round(&Ruleset::default(), &s, &[Counted { kind: RoundKind::First, seats: &s, outcome: &low }]).unwrap();
    assert_eq!(next, Next::Rerun);
    assert_eq!(next.round_kind(), Some(RoundKind::First));
    assert!(check_announce(&next).unwrap_err().en.contains("rules 2.14"));
    assert!(next_round(&Ruleset::default(), &s, &[]).is_err());
}

#[test]
fn rule_2_14_a_valid_rerun_is_the_first_round_the_rest_follows() {
    let s = seats();
    let low = count("first", 50, &[ZR, WY], &[(50, &[("主任", &["甲"]), ("委员", &["丙", "丁"])])]);
    let again = count("first", 60, &[ZR, WY], &[(60, &[("主任", &["甲"]), ("委员", &["丙", "丁"])])]);
    assert!(again.round_valid);
    let rounds = [
        Counted { kind: RoundKind::First, seats: &s, outcome: &low },
        Counted { kind: RoundKind::First, seats: &s, outcome: &again },
    ];
    let next = next_round(&Ruleset::default(), &s, &rounds).unwrap();
    assert_ne!(next, Next::Rerun);
    // An invalid re-run calls for another.
    let rounds = [
        Counted { kind: RoundKind::First, seats: &s, outcome: &low },
        Counted { kind: RoundKind::First, seats: &s, outcome: &low },
    ];
    assert_eq!(next_round(&Ruleset::default(), &s, &rounds).unwrap(), Next::Rerun);
}

#[test]
fn rule_2_20_the_result_is_filed_after_it_is_announced_and_sealed() {
    let d = date!(2026 - 06 - 30);
    assert!(check_filing(Some(d), Some(d), d).is_ok());
    assert!(check_filing(Some(d), Some(d), date!(2026 - 07 - 03)).is_ok());
}

#[test]
fn rule_2_20_a_filing_before_the_announcement_or_sealing_is_refused() {
    let d = date!(2026 - 06 - 30);
    assert!(check_filing(None, Some(d), d).unwrap_err().en.contains("rule 2.20"));
    assert!(check_filing(Some(d), None, d).is_err());
    assert!(check_filing(Some(d), Some(d), date!(2026 - 06 - 29)).is_err());
    let rs = Ruleset { filing_days: Some(15), ..Ruleset::default() };
    assert!(!filing_late(&rs, d, date!(2026 - 07 - 15)));
    assert!(filing_late(&rs, d, date!(2026 - 07 - 16)));
    assert!(!filing_late(&Ruleset::default(), d, date!(2027 - 07 - 16)));
}
