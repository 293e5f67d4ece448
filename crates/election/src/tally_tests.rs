use super::*;
use crate::scenario::parse;
use serde_json::{Value, json};

type Ballot<'a> = (u64, &'a [(&'a str, &'a [&'a str])]);

fn scenario(round: &str, n: (u64, u64, u64), posts: &[(&str, u32, &[&str])], ballots: &[Ballot]) -> Scenario {
    let posts: Vec<Value> = posts.iter().map(|(p, s, c)| json!({"post": p, "seats": s, "candidates": c})).collect();
    let ballots: Vec<Value> = ballots
        .iter()
        .map(|(count, votes)| {
            let v: serde_json::Map<String, Value> =
                votes.iter().map(|(p, names)| (p.to_string(), json!(names))).collect();
            json!({"count": count, "votes": v})
        })
        .collect();
    let text = json!({"round": round, "registered_voters": n.0, "ballots_issued": n.1, "ballots_returned": n.2,
        "posts": posts, "ballots": ballots});
    parse(&text.to_string()).unwrap()
}

fn run(s: &Scenario) -> Outcome {
    tally(s, &Ruleset::default()).unwrap()
}

const ZR: (&str, u32, &[&str]) = ("主任", 1, &["张伟", "李娜"]);

fn director(round: &str, n: (u64, u64, u64), ballots: &[Ballot]) -> Outcome {
    run(&scenario(round, n, &[ZR], ballots))
}

#[test]
fn rule_2_14_turnout_not_over_half_invalidates_round() {
    let o = director("first", (1000, 500, 500), &[(500, &[("主任", &["张伟"])])]);
    assert!(!o.round_valid);
    assert_eq!(o.reason, Some(Invalid::TurnoutNotOverHalf));
    let p = &o.posts["主任"];
    assert!(p.elected.is_empty() && p.runoff.is_empty());
    assert_eq!(p.unfilled, 1);
}

#[test]
fn rule_2_14_turnout_over_half_validates_round() {
    let o = director("first", (1000, 501, 501), &[(501, &[("主任", &["张伟"])])]);
    assert!(o.round_valid);
    assert_eq!(o.reason, None);
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
    // Odd registers: 1001 voters need 501.
    let o = director("first", (1001, 501, 501), &[(501, &[("主任", &["张伟"])])]);
    assert!(o.round_valid);
    let o = director("first", (1001, 500, 500), &[(500, &[("主任", &["张伟"])])]);
    assert_eq!(o.reason, Some(Invalid::TurnoutNotOverHalf));
}

#[test]
fn rule_2_14_invalid_round_still_reports_per_post_counts() {
    let o =
        director("first", (1000, 400, 400), &[(300, &[("主任", &["张伟"])]), (100, &[("主任", &["张伟", "李娜"])])]);
    let p = &o.posts["主任"];
    assert_eq!((p.valid_ballots, p.invalid_ballots), (300, 100));
    assert_eq!(p.votes["张伟"], 300);
    assert_eq!(p.votes["李娜"], 0);
    assert!(p.elected.is_empty());
}

#[test]
fn rule_2_14_no_ballots_is_an_invalid_round() {
    let o = director("first", (0, 0, 0), &[]);
    assert_eq!(o.reason, Some(Invalid::TurnoutNotOverHalf));
    assert_eq!(o.posts["主任"].valid_ballots, 0);
}

#[test]
fn rule_2_15_more_ballots_returned_than_issued_invalidates_round() {
    let o = director("first", (1000, 700, 701), &[(701, &[("主任", &["张伟"])])]);
    assert_eq!(o.reason, Some(Invalid::MoreBallotsReturnedThanIssued));
    assert!(o.posts["主任"].elected.is_empty());
    assert_eq!(o.posts["主任"].votes["张伟"], 701);
    // Both faults: reconciliation is named first.
    let o = director("first", (1000, 100, 101), &[(101, &[])]);
    assert_eq!(o.reason, Some(Invalid::MoreBallotsReturnedThanIssued));
}

#[test]
fn rule_2_15_returned_equal_to_or_fewer_than_issued_is_valid() {
    assert!(director("first", (1000, 700, 700), &[(700, &[("主任", &["张伟"])])]).round_valid);
    assert!(director("first", (1000, 700, 650), &[(650, &[("主任", &["张伟"])])]).round_valid);
}

#[test]
fn rule_2_16_more_names_than_seats_is_invalid_for_that_post_only() {
    let s = scenario(
        "first",
        (100, 80, 80),
        &[ZR, ("委员", 3, &["刘洋", "陈静", "杨磊", "黄敏"])],
        &[
            (60, &[("主任", &["张伟"]), ("委员", &["刘洋", "陈静", "杨磊"])]),
            (20, &[("主任", &["张伟", "李娜"]), ("委员", &["刘洋"])]),
        ],
    );
    let o = run(&s);
    assert_eq!((o.posts["主任"].valid_ballots, o.posts["主任"].invalid_ballots), (60, 20));
    assert_eq!(o.posts["主任"].votes["李娜"], 0);
    assert_eq!((o.posts["委员"].valid_ballots, o.posts["委员"].invalid_ballots), (80, 0));
    assert_eq!(o.posts["委员"].votes["刘洋"], 80);
    // Four names for three seats: invalid for 委员 alone.
    let s = scenario(
        "first",
        (100, 80, 80),
        &[ZR, ("委员", 3, &["刘洋", "陈静", "杨磊", "黄敏"])],
        &[(80, &[("主任", &["张伟"]), ("委员", &["刘洋", "陈静", "杨磊", "黄敏"])])],
    );
    let o = run(&s);
    assert_eq!(o.posts["委员"].invalid_ballots, 80);
    assert_eq!(o.posts["委员"].unfilled, 3);
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
}

#[test]
fn rule_2_16_blank_or_missing_part_is_a_valid_abstention() {
    let o = director("first", (100, 80, 80), &[(50, &[("主任", &["张伟"])]), (20, &[("主任", &[])]), (10, &[])]);
    let p = &o.posts["主任"];
    assert_eq!((p.valid_ballots, p.invalid_ballots), (80, 0));
    assert_eq!(p.elected, ["张伟"]); // 50 of 80 returned
}

#[test]
fn rule_2_16_unreadable_name_is_invalid_for_that_part() {
    let o = director("first", (100, 80, 80), &[(70, &[("主任", &["张伟"])]), (10, &[("主任", &[" "])])]);
    assert_eq!((o.posts["主任"].valid_ballots, o.posts["主任"].invalid_ballots), (70, 10));
    assert!(!o.posts["主任"].votes.contains_key(""));
}

#[test]
fn rule_2_16_a_name_marked_twice_on_one_ballot_counts_once() {
    let o = director("first", (100, 80, 80), &[(80, &[("主任", &["张伟", "张伟"])])]);
    assert_eq!((o.posts["主任"].valid_ballots, o.posts["主任"].votes["张伟"]), (80, 80));
}

#[test]
fn rule_2_16_write_ins_count_and_can_win() {
    let o = director("first", (100, 80, 80), &[(50, &[("主任", &["王五"])]), (30, &[("主任", &["张伟"])])]);
    let p = &o.posts["主任"];
    assert_eq!(p.votes["王五"], 50);
    assert_eq!(p.elected, ["王五"]);
    // A write-in only on invalid parts, or on no ballot, is not listed.
    let o = director("first", (100, 80, 80), &[(80, &[("主任", &["王五", "赵六"])]), (0, &[("主任", &["钱七"])])]);
    assert_eq!(o.posts["主任"].votes.len(), 2);
}

#[test]
fn rule_2_16_votes_for_a_post_not_on_the_ballot_are_ignored() {
    let o = director("first", (100, 80, 80), &[(80, &[("主任", &["张伟"]), ("委员", &["刘洋"])])]);
    assert_eq!(o.posts.len(), 1);
}

#[test]
fn rule_2_17_first_round_needs_more_than_half_of_ballots_returned() {
    // Exactly half of those returned is not enough …
    let o = director("first", (100, 80, 80), &[(40, &[("主任", &["张伟"])]), (40, &[("主任", &[])])]);
    assert!(o.round_valid);
    assert!(o.posts["主任"].elected.is_empty());
    assert_eq!(o.posts["主任"].unfilled, 1);
    // … one more is.
    let o = director("first", (100, 80, 80), &[(41, &[("主任", &["张伟"])]), (39, &[("主任", &[])])]);
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
    // Half of the ballots returned, not of the valid ones: 41 of 81 returned with 79 valid wins.
    let o = director(
        "first",
        (100, 81, 81),
        &[(41, &[("主任", &["张伟"])]), (38, &[]), (2, &[("主任", &["张伟", "李娜"])])],
    );
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
    let o = director("first", (100, 81, 81), &[(40, &[("主任", &["张伟"])]), (41, &[("主任", &["张伟", "李娜"])])]);
    assert!(o.posts["主任"].elected.is_empty());
}

#[test]
fn rule_2_17_the_most_votes_win_among_those_who_pass() {
    let s = scenario(
        "first",
        (100, 90, 90),
        &[("委员", 2, &["甲", "乙", "丙", "丁"])],
        &[(50, &[("委员", &["甲", "乙"])]), (40, &[("委员", &["甲", "丙"])])],
    );
    let o = run(&s);
    // 甲 90, 乙 50, 丙 40: 甲 and 乙 pass (more than 45); 丙 does not.
    assert_eq!(o.posts["委员"].elected, ["乙", "甲"]);
    assert_eq!(o.posts["委员"].unfilled, 0);
    // More pass than there are seats: 甲 67, 乙 67, 丙 66 all pass for two seats; 甲 and 乙 win.
    let s = scenario(
        "first",
        (100, 100, 100),
        &[("委员", 2, &["甲", "乙", "丙"])],
        &[(34, &[("委员", &["甲", "乙"])]), (33, &[("委员", &["甲", "丙"])]), (33, &[("委员", &["乙", "丙"])])],
    );
    let p = &run(&s).posts["委员"];
    assert_eq!(p.elected, ["乙", "甲"]);
    assert!(p.runoff.is_empty());
}

#[test]
fn rule_2_17_tie_at_the_last_seat_goes_to_runoff() {
    let s = scenario(
        "first",
        (100, 90, 90),
        &[("委员", 3, &["甲", "乙", "丙", "丁", "戊"])],
        &[(50, &[("委员", &["甲", "乙", "丙"])]), (40, &[("委员", &["甲", "乙", "丁"])]), (10, &[])],
    );
    // returned 90 but groups hold 100: refused before any count.
    assert_eq!(tally(&s, &Ruleset::default()).unwrap_err().error, "ballot_count_mismatch");
    let s = scenario(
        "first",
        (100, 100, 100),
        &[("委员", 3, &["甲", "乙", "丙", "丁", "戊"])],
        &[
            (40, &[("委员", &["甲", "乙", "丙"])]),
            (40, &[("委员", &["甲", "乙", "丁"])]),
            (20, &[("委员", &["丙", "丁"])]),
        ],
    );
    // 甲 80, 乙 80, 丙 60, 丁 60: all pass; 丙 and 丁 tie for the third seat.
    let p = &run(&s).posts["委员"];
    assert_eq!(p.elected, ["乙", "甲"]);
    assert_eq!(p.runoff, ["丁", "丙"]);
    assert_eq!(p.unfilled, 1);
}

#[test]
fn rule_2_17_a_tie_inside_the_seats_elects_all_tied() {
    let s = scenario(
        "first",
        (100, 100, 100),
        &[("委员", 3, &["甲", "乙", "丙", "丁"])],
        &[(60, &[("委员", &["甲", "乙", "丙"])]), (40, &[("委员", &["甲", "乙"])])],
    );
    let p = &run(&s).posts["委员"];
    assert_eq!(p.elected, ["丙", "乙", "甲"]);
    assert!(p.runoff.is_empty());
}

#[test]
fn rule_2_17_a_tie_straddling_two_seats_leaves_both_unfilled() {
    let s = scenario(
        "first",
        (100, 100, 100),
        &[("委员", 3, &["甲", "乙", "丙", "丁"])],
        &[(60, &[("委员", &["甲", "乙", "丙"])]), (40, &[("委员", &["甲", "丁"])]), (0, &[])],
    );
    // 甲 100, 乙 60, 丙 60, 丁 40 → 乙 and 丙 fill seats 2–3 outright (丁 does not pass).
    assert_eq!(run(&s).posts["委员"].elected, ["丙", "乙", "甲"]);
    let s = scenario(
        "repeat",
        (90, 90, 90),
        &[("委员", 3, &["甲", "乙", "丙", "丁"])],
        &[
            (30, &[("委员", &["甲", "乙", "丙"])]),
            (30, &[("委员", &["甲", "丁"])]),
            (30, &[("委员", &["甲", "乙", "丁"])]),
        ],
    );
    // Repeat round: 甲 90, 乙 60, 丁 60, 丙 30 (one third: passes) → 甲 and a tie 乙/丁 for two seats: both elected.
    let p = &run(&s).posts["委员"];
    assert_eq!(p.elected, ["丁", "乙", "甲"]);
    let s = scenario(
        "repeat",
        (90, 90, 90),
        &[("委员", 2, &["甲", "乙", "丙"])],
        &[(30, &[("委员", &["乙"])]), (30, &[("委员", &["丙"])]), (30, &[("委员", &["甲"])])],
    );
    // Three-way tie for two seats: all three in the run-off, both seats unfilled.
    let p = &run(&s).posts["委员"];
    assert!(p.elected.is_empty());
    assert_eq!(p.runoff, ["丙", "乙", "甲"]);
    assert_eq!(p.unfilled, 2);
}

#[test]
fn rule_2_18_repeat_round_needs_one_third_of_ballots_returned() {
    // 100 returned: 34 passes, 33 does not (33 × 3 = 99 < 100).
    let o =
        director("repeat", (150, 100, 100), &[(34, &[("主任", &["张伟"])]), (33, &[("主任", &["李娜"])]), (33, &[])]);
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
    let o =
        director("repeat", (150, 100, 100), &[(33, &[("主任", &["张伟"])]), (33, &[("主任", &["李娜"])]), (34, &[])]);
    assert!(o.posts["主任"].elected.is_empty());
    assert_eq!(o.posts["主任"].unfilled, 1);
    // Exactly one third of 99.
    let o = director("repeat", (150, 99, 99), &[(33, &[("主任", &["张伟"])]), (66, &[])]);
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
}

#[test]
fn rule_2_18_repeat_round_lists_are_not_held_to_the_first_round_bounds() {
    let o = run(&scenario("repeat", (10, 10, 10), &[("主任", 1, &[])], &[(10, &[("主任", &["王五"])])]));
    assert_eq!(o.posts["主任"].elected, ["王五"]);
    let o = run(&scenario("repeat", (10, 10, 10), &[("委员", 1, &["甲", "乙", "丙", "丁", "戊", "己"])], &[(10, &[])]));
    assert_eq!(o.posts["委员"].unfilled, 1);
}

#[test]
fn rule_2_8_candidate_list_out_of_bounds_is_refused() {
    let refused = |posts: &[(&str, u32, &[&str])]| {
        tally(&scenario("first", (10, 10, 10), posts, &[(10, &[])]), &Ruleset::default())
    };
    let e = refused(&[ZR, ("副主任", 1, &["甲", "乙", "丙"])]).unwrap_err();
    assert_eq!((e.error, e.post.as_deref()), ("candidate_list_out_of_bounds", Some("副主任")));
    assert!(e.msg.zh.contains("差额"));
    assert_eq!(refused(&[("主任", 1, &["张伟"])]).unwrap_err().post.as_deref(), Some("主任"));
    assert_eq!(refused(&[("主任", 1, &[])]).unwrap_err().post.as_deref(), Some("主任"));
    assert_eq!(refused(&[("委员", 2, &["甲", "乙"])]).unwrap_err().post.as_deref(), Some("委员"));
    assert_eq!(refused(&[("委员", 1, &["甲", "乙", "丙", "丁", "戊"])]).unwrap_err().post.as_deref(), Some("委员"));
    // The first post out of bounds, in ballot order, is named.
    let e = refused(&[("委员", 1, &[]), ("主任", 1, &[])]).unwrap_err();
    assert_eq!(e.post.as_deref(), Some("委员"));
    assert_eq!(serde_json::to_value(&e).unwrap(), json!({"error": "candidate_list_out_of_bounds", "post": "委员"}));
}

#[test]
fn rule_2_8_candidate_list_within_bounds_is_counted() {
    let s = |n: usize| {
        let names = ["甲", "乙", "丙", "丁", "戊", "己"];
        tally(&scenario("first", (10, 10, 10), &[ZR, ("委员", 2, &names[..n])], &[(10, &[])]), &Ruleset::default())
    };
    assert!(s(3).is_ok() && s(4).is_ok() && s(5).is_ok());
    assert!(s(2).is_err() && s(6).is_err());
}

#[test]
fn ballot_groups_that_do_not_add_up_to_ballots_returned_are_refused() {
    for held in [79, 81] {
        let s = scenario("first", (100, 90, 80), &[ZR], &[(held, &[("主任", &["张伟"])])]);
        let e = tally(&s, &Ruleset::default()).unwrap_err();
        assert_eq!((e.error, e.post), ("ballot_count_mismatch", None));
    }
}

#[test]
fn rule_2_19_combined_ballot_adds_higher_posts_votes_when_configured() {
    let s = scenario(
        "first",
        (100, 100, 100),
        &[("委员", 1, &["丙", "丁"]), ("主任", 1, &["甲", "乙"]), ("副主任", 1, &["乙", "丙"])],
        &[
            (60, &[("主任", &["甲"]), ("委员", &["丁"])]),
            (40, &[("主任", &["乙"]), ("副主任", &["乙"]), ("委员", &["丙"])]),
        ],
    );
    let off = run(&s);
    assert!(off.posts["副主任"].elected.is_empty()); // 乙 40 of 100
    assert_eq!(off.posts["委员"].elected, ["丁"]);
    let rs = Ruleset { aggregate_combined_ballot: true, ..Ruleset::default() };
    let on = tally(&s, &rs).unwrap();
    assert_eq!(on.posts["主任"].elected, ["甲"]);
    // 副主任: 乙 40 + 40 for 主任 = 80; 委员: 丙 40 + 0 + 0, 丁 60.
    assert_eq!(on.posts["副主任"].votes["乙"], 80);
    assert_eq!(on.posts["副主任"].elected, ["乙"]);
    assert_eq!(on.posts["委员"].votes["丙"], 40);
    assert_eq!(on.posts["委员"].elected, ["丁"]);
}

#[test]
fn rule_2_19_a_name_elected_higher_up_takes_no_lower_seat() {
    let s = scenario(
        "first",
        (100, 100, 100),
        &[("主任", 1, &["甲", "乙"]), ("委员", 1, &["甲", "丙"])],
        &[(60, &[("主任", &["甲"]), ("委员", &["甲"])]), (40, &[("主任", &["乙"]), ("委员", &["丙"])])],
    );
    let rs = Ruleset { aggregate_combined_ballot: true, ..Ruleset::default() };
    let o = tally(&s, &rs).unwrap();
    assert_eq!(o.posts["主任"].elected, ["甲"]);
    assert!(o.posts["委员"].elected.is_empty()); // 丙 40 + 0: not more than half
    assert_eq!(o.posts["委员"].unfilled, 1);
}

#[test]
fn outcome_has_the_readme_shape() {
    let o = director("first", (1000, 500, 500), &[(500, &[("主任", &["张伟"])])]);
    assert_eq!(
        serde_json::to_value(&o).unwrap(),
        json!({"round_valid": false, "reason": "turnout_not_over_half", "posts": {"主任": {
            "valid_ballots": 500, "invalid_ballots": 0, "votes": {"张伟": 500, "李娜": 0},
            "elected": [], "runoff": [], "unfilled": 1}}})
    );
    let o = director("first", (1000, 600, 600), &[(600, &[("主任", &["张伟"])])]);
    assert_eq!(serde_json::to_value(&o).unwrap()["reason"], Value::Null);
}

#[test]
fn rule_2_17_a_runoff_elects_the_most_votes_among_the_tied_only() {
    // Two tied 委员 for one seat: 乙 has 30 of 100 (no majority needed), a write-in's 50 cannot win.
    let s = scenario(
        "runoff",
        (100, 100, 100),
        &[("委员", 1, &["甲", "乙"])],
        &[(20, &[("委员", &["甲"])]), (30, &[("委员", &["乙"])]), (50, &[("委员", &["丙"])])],
    );
    let o = run(&s);
    assert_eq!(o.posts["委员"].elected, ["乙"]);
    assert_eq!(o.posts["委员"].votes["丙"], 50);
    assert_eq!(o.posts["委员"].unfilled, 0);
}

#[test]
fn rule_2_17_a_runoff_tied_again_elects_nobody_and_stays_a_runoff() {
    let s = scenario(
        "runoff",
        (100, 100, 100),
        &[("委员", 1, &["甲", "乙"])],
        &[(50, &[("委员", &["甲"])]), (50, &[("委员", &["乙"])])],
    );
    let o = run(&s);
    assert!(o.posts["委员"].elected.is_empty());
    assert_eq!(o.posts["委员"].runoff, ["乙", "甲"]);
}
