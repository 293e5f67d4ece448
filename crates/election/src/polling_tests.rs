use super::*;
use time::macros::date;

const DAY: Date = date!(2026 - 05 - 30);

fn req(principal: &str, proxy: &str) -> ProxyRequest {
    ProxyRequest {
        principal: principal.into(),
        proxy: proxy.into(),
        written: true,
        approved: Some(date!(2026 - 05 - 20)),
        proxy_registered_here: true,
        close_relatives: false,
    }
}

#[test]
fn rule_1_5_group_representatives_two_or_three_per_group_are_accepted() {
    let g: BTreeMap<String, u32> = [("一组".to_string(), 2), ("二组".to_string(), 3)].into();
    assert!(check_group_representatives(&g).is_ok());
}

#[test]
fn rule_1_5_group_representatives_outside_two_to_three_are_refused() {
    let g: BTreeMap<String, u32> = [("一组".to_string(), 1), ("二组".to_string(), 3), ("三组".to_string(), 4)].into();
    let e = check_group_representatives(&g).unwrap_err();
    assert_eq!(e.len(), 2);
    assert!(e[0].zh.contains("一组"));
}

#[test]
fn rule_2_23_direct_election_rate_counts_all_voter_elections_only() {
    let modes = [Some(Mode::DirectAllVoters), Some(Mode::HouseholdRepresentatives), None, Some(Mode::DirectAllVoters)];
    assert_eq!(direct_election_rate(&modes), (2, 4));
    assert_eq!(direct_election_rate(&[]), (0, 0));
}

#[test]
fn rule_2_11_proxy_written_approved_and_registered_is_accepted() {
    let rs = Ruleset::default();
    let mut b = ProxyBook::default();
    for p in ["甲", "乙", "丙"] {
        b.approve(&rs, DAY, &req(p, "王")).unwrap();
    }
    assert_eq!(b.published(), [("王".to_string(), vec!["丙".to_string(), "乙".to_string(), "甲".to_string()])]);
}

#[test]
fn rule_2_11_a_fourth_authorisation_is_refused() {
    let rs = Ruleset::default();
    let mut b = ProxyBook::default();
    for p in ["甲", "乙", "丙"] {
        b.approve(&rs, DAY, &req(p, "王")).unwrap();
    }
    let e = b.approve(&rs, DAY, &req("丁", "王")).unwrap_err();
    assert!(e.zh.contains("不得超过3人") && e.en.contains("rule 2.11"), "{e}");
    assert_eq!(b.published()[0].1.len(), 3);
    // A province that caps at two.
    let two = Ruleset { max_proxies_per_voter: 2, ..Ruleset::default() };
    let mut b = ProxyBook::default();
    b.approve(&two, DAY, &req("甲", "王")).unwrap();
    b.approve(&two, DAY, &req("乙", "王")).unwrap();
    assert!(b.approve(&two, DAY, &req("丙", "王")).is_err());
}

#[test]
fn rule_2_11_unwritten_late_unregistered_or_repeated_proxies_are_refused() {
    let rs = Ruleset::default();
    let mut b = ProxyBook::default();
    assert!(b.approve(&rs, DAY, &ProxyRequest { written: false, ..req("甲", "王") }).is_err());
    assert!(b.approve(&rs, DAY, &ProxyRequest { approved: Some(DAY), ..req("甲", "王") }).is_err());
    assert!(b.approve(&rs, DAY, &ProxyRequest { approved: None, ..req("甲", "王") }).is_err());
    assert!(b.approve(&rs, DAY, &ProxyRequest { proxy_registered_here: false, ..req("甲", "王") }).is_err());
    assert!(b.approve(&rs, DAY, &req("王", "王")).is_err());
    b.approve(&rs, DAY, &req("甲", "王")).unwrap();
    assert!(b.approve(&rs, DAY, &req("甲", "李")).is_err());
    let relatives = Ruleset { proxy_close_relatives_only: true, ..Ruleset::default() };
    assert!(b.approve(&relatives, DAY, &req("乙", "李")).is_err());
    assert!(b.approve(&relatives, DAY, &ProxyRequest { close_relatives: true, ..req("乙", "李") }).is_ok());
}

#[test]
fn rule_2_12_boxes_with_three_staff_are_accepted() {
    let rs = Ruleset::default();
    assert!(check_box_staff(&rs, BoxKind::Station, 3).is_ok());
    assert!(check_box_staff(&rs, BoxKind::Mobile, 4).is_ok());
    assert!(check_mobile_voter(Some(Unable::Elderly)).is_ok());
}

#[test]
fn rule_2_12_understaffed_boxes_and_unflagged_mobile_voters_are_refused() {
    let rs = Ruleset::default();
    assert!(check_box_staff(&rs, BoxKind::Mobile, 2).unwrap_err().zh.contains("流动票箱"));
    assert!(check_box_staff(&rs, BoxKind::Station, 0).is_err());
    assert!(check_mobile_voter(None).is_err());
}

#[test]
fn rule_2_13_tellers_who_are_not_candidates_or_relatives_are_accepted() {
    assert!(check_teller(false, false).is_ok());
}

#[test]
fn rule_2_13_candidates_and_their_close_relatives_are_not_tellers() {
    assert!(check_teller(true, false).is_err());
    assert!(check_teller(false, true).is_err());
}

#[test]
fn rule_2_15_reconciliation_totals_boxes_and_names_those_over_count() {
    let boxes = [
        BoxCount { name: "主会场".into(), issued: 600, returned: 590 },
        BoxCount { name: "流动票箱1".into(), issued: 40, returned: 41 },
    ];
    let ((issued, returned), over) = reconcile(&boxes);
    assert_eq!((issued, returned), (640, 631));
    assert_eq!(over, ["流动票箱1"]);
    assert!(crate::tally::round_validity(1000, issued, returned).is_ok());
    let ((i, r), over) = reconcile(&boxes[..1]);
    assert!(over.is_empty() && crate::tally::round_validity(1000, i, r).is_ok());
    assert!(crate::tally::round_validity(1000, 600, 601).is_err());
}

fn sheet(name: &str, issued: u64, returned: u64, groups: &[(u64, &str)]) -> BoxSheet {
    let ballots = groups
        .iter()
        .map(|(count, name)| crate::scenario::BallotGroup {
            count: *count,
            votes: [("主任".to_string(), vec![name.to_string()])].into(),
        })
        .collect();
    BoxSheet { count: BoxCount { name: name.into(), issued, returned }, ballots }
}

fn director() -> Vec<crate::scenario::PostSpec> {
    vec![crate::scenario::PostSpec {
        post: "主任".into(), seats: 1, candidates: vec!["张伟".into(), "李娜".into()]
    }]
}

#[test]
fn rule_2_12_mobile_boxes_are_counted_with_the_stations_as_one_round() {
    let sheets =
        [sheet("主会场", 600, 590, &[(400, "张伟"), (190, "李娜")]), sheet("流动票箱1", 40, 40, &[(40, "李娜")])];
    let s = round_from_boxes(crate::scenario::RoundKind::First, 1000, director(), &sheets).unwrap();
    assert_eq!((s.ballots_issued, s.ballots_returned), (640, 630));
    let o = crate::tally::tally(&s, &Ruleset::default()).unwrap();
    assert_eq!(o.posts["主任"].votes["李娜"], 230);
    assert_eq!(o.posts["主任"].elected, ["张伟"]);
}

#[test]
fn rule_2_12_a_tally_sheet_that_does_not_match_its_box_is_refused() {
    let sheets = [sheet("主会场", 600, 590, &[(400, "张伟")]), sheet("流动票箱1", 40, 40, &[(40, "李娜")])];
    let e = round_from_boxes(crate::scenario::RoundKind::First, 1000, director(), &sheets).unwrap_err();
    assert!(e.zh.contains("主会场"), "{e}");
    // A box over its count is the tally's business: the round is invalid (§2.15).
    let over = [sheet("主会场", 600, 601, &[(601, "张伟")])];
    let s = round_from_boxes(crate::scenario::RoundKind::First, 1000, director(), &over).unwrap();
    let o = crate::tally::tally(&s, &Ruleset::default()).unwrap();
    assert_eq!(o.reason, Some(crate::tally::Invalid::MoreBallotsReturnedThanIssued));
}
