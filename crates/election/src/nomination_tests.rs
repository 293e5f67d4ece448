use super::*;

fn voters(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("v{i}")).collect()
}

fn book() -> NominationBook {
    NominationBook::new([("主任".to_string(), 1), ("委员".to_string(), 3)])
}

fn nom(post: &str, candidate: &str, by: Nominator) -> Nomination {
    Nomination { post: post.into(), candidate: candidate.into(), by }
}

#[test]
fn rule_2_6_joint_nomination_with_enough_signers_is_accepted() {
    let rs = Ruleset::default();
    let mut b = book();
    assert!(b.add(&rs, nom("主任", "张伟", Nominator::Voters(voters(10)))).is_ok());
    assert!(b.add(&rs, nom("委员", "刘洋", Nominator::Households(voters(5)))).is_ok());
    assert!(b.add(&rs, nom("委员", "陈静", Nominator::Group("第一居民小组".into()))).is_ok());
    assert_eq!(b.accepted.len(), 3);
}

#[test]
fn rule_2_6_joint_nomination_with_too_few_signers_is_refused() {
    let rs = Ruleset::default();
    let mut b = book();
    let e = b.add(&rs, nom("主任", "张伟", Nominator::Voters(voters(9)))).unwrap_err();
    assert!(e.zh.contains("10名以上") && e.en.contains("rule 2.6"), "{e}");
    // The same signer twice counts once.
    let mut twice = voters(9);
    twice.push("v0".into());
    assert!(b.add(&rs, nom("主任", "张伟", Nominator::Voters(twice))).is_err());
    assert!(b.add(&rs, nom("委员", "刘洋", Nominator::Households(voters(4)))).is_err());
    assert!(b.add(&rs, nom("秘书", "刘洋", Nominator::Group("一组".into()))).is_err());
    assert!(b.accepted.is_empty());
}

#[test]
fn rule_2_6_a_voter_nominates_no_more_candidates_than_seats() {
    let rs = Ruleset::default();
    let mut b = book();
    assert!(b.add(&rs, nom("主任", "张伟", Nominator::Voters(voters(10)))).is_ok());
    // Signing again for the same candidate is no new candidate.
    assert!(b.add(&rs, nom("主任", "张伟", Nominator::Voters(voters(12)))).is_ok());
    let e = b.add(&rs, nom("主任", "李娜", Nominator::Voters(voters(10)))).unwrap_err();
    assert!(e.en.contains("more than the 1 seats"), "{e}");
    for c in ["刘洋", "陈静", "杨磊"] {
        assert!(b.add(&rs, nom("委员", c, Nominator::Voters(voters(10)))).is_ok());
    }
    assert!(b.add(&rs, nom("委员", "黄敏", Nominator::Voters(voters(10)))).is_err());
    // Ten other voters may still nominate 李娜.
    let others: Vec<String> = (100..110).map(|i| format!("v{i}")).collect();
    assert!(b.add(&rs, nom("主任", "李娜", Nominator::Voters(others))).is_ok());
}

fn tallies(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(n, c)| (n.to_string(), *c)).collect()
}

#[test]
fn rule_2_7_open_nomination_with_more_than_half_taking_part_ranks_nominees() {
    let rs = Ruleset::default();
    let t = tallies(&[("甲", 300), ("乙", 250), ("丙", 200), ("丁", 100), ("戊", 90), ("己", 80)]);
    assert_eq!(open_nomination(&rs, "主任", 1, 1000, 501, &t).unwrap(), ["甲", "乙"]);
    assert_eq!(open_nomination(&rs, "委员", 2, 1000, 501, &t).unwrap(), ["甲", "乙", "丙", "丁", "戊"]);
}

#[test]
fn rule_2_7_open_nomination_with_half_or_fewer_taking_part_is_void() {
    let rs = Ruleset::default();
    let t = tallies(&[("甲", 300), ("乙", 200)]);
    let e = open_nomination(&rs, "主任", 1, 1000, 500, &t).unwrap_err();
    assert!(e.en.contains("rule 2.7"));
}

#[test]
fn rule_2_7_a_tie_at_the_cut_is_dropped_or_refused() {
    let rs = Ruleset::default();
    // 委员, 2 seats: up to 5; 戊 and 己 tie at place 5 → four candidates (still ≥ 3).
    let t = tallies(&[("甲", 9), ("乙", 8), ("丙", 7), ("丁", 6), ("戊", 5), ("己", 5)]);
    assert_eq!(top_candidates(&rs, "委员", 2, &t).unwrap(), ["甲", "乙", "丙", "丁"]);
    // 主任, 1 seat: exactly 2; a tie for second place cannot be dropped.
    let t = tallies(&[("甲", 9), ("乙", 5), ("丙", 5)]);
    assert!(top_candidates(&rs, "主任", 1, &t).is_err());
    // Nobody with no votes becomes a candidate.
    let t = tallies(&[("甲", 9), ("乙", 0)]);
    assert_eq!(top_candidates(&rs, "主任", 1, &t).unwrap(), ["甲"]);
}

#[test]
fn rule_2_8_list_size_is_accepted_within_the_margin() {
    let rs = Ruleset::default();
    assert!(check_list_size(&rs, "主任", 1, 2, false).is_ok());
    assert!(check_list_size(&rs, "副主任", 2, 3, false).is_ok());
    for n in 4..=6 {
        assert!(check_list_size(&rs, "委员", 3, n, false).is_ok());
    }
}

#[test]
fn rule_2_8_list_size_outside_the_margin_is_refused() {
    let rs = Ruleset::default();
    assert!(check_list_size(&rs, "主任", 1, 1, false).is_err());
    assert!(check_list_size(&rs, "主任", 1, 3, false).is_err());
    assert!(check_list_size(&rs, "委员", 3, 3, false).is_err());
    assert!(check_list_size(&rs, "委员", 3, 7, false).is_err());
    assert!(check_list_size(&rs, "委员", 3, 0, false).is_err());
    // 等额 needs both the province's permission and a 居民会议's approval.
    assert!(check_list_size(&rs, "委员", 3, 3, true).is_err());
    let allowed = Ruleset { uncontested_allowed: true, ..Ruleset::default() };
    assert!(check_list_size(&allowed, "委员", 3, 3, false).is_err());
    assert!(check_list_size(&allowed, "委员", 3, 3, true).is_ok());
}

#[test]
fn rule_2_9_a_published_list_changes_only_through_a_recorded_procedure() {
    assert!(may_change_list(false, None).is_ok());
    assert!(may_change_list(true, Some("选举委员会决定〔示例〕1号")).is_ok());
    assert!(may_change_list(true, None).is_err());
    assert!(may_change_list(true, Some("  ")).is_err());
}

#[test]
fn rule_2_10_committee_members_who_become_candidates_leave() {
    let committee: Vec<String> = ["甲", "乙", "丙"].map(String::from).to_vec();
    let (stay, leave) = committee_after_candidacy(&committee, &["乙".to_string()]);
    assert_eq!((stay, leave), (vec!["甲".to_string(), "丙".to_string()], vec!["乙".to_string()]));
    let (stay, leave) = committee_after_candidacy(&committee, &[]);
    assert_eq!((stay.len(), leave.len()), (3, 0));
}

#[test]
fn rule_2_18_repeat_round_candidates_are_the_non_winners_in_vote_order() {
    let rs = Ruleset::default();
    let first = crate::tally::PostOutcome {
        valid_ballots: 100,
        invalid_ballots: 0,
        votes: [("甲", 80), ("乙", 45), ("丙", 40), ("丁", 30), ("戊", 20), ("己", 10)]
            .map(|(n, v)| (n.to_string(), v))
            .into(),
        elected: vec!["甲".into()],
        runoff: vec![],
        unfilled: 2,
    };
    assert_eq!(repeat_round_candidates(&rs, "委员", 2, &first).unwrap(), ["乙", "丙", "丁", "戊", "己"]);
    assert_eq!(repeat_round_candidates(&rs, "委员", 1, &first).unwrap(), ["乙", "丙", "丁", "戊"]);
    let tied = crate::tally::PostOutcome {
        votes: [("甲", 80), ("乙", 45), ("丙", 30), ("丁", 30)].map(|(n, v)| (n.to_string(), v)).into(),
        ..first
    };
    assert!(repeat_round_candidates(&rs, "主任", 1, &tied).is_err());
}
