//! Property test: random rounds (odd ones included: write-ins, over-votes,
//! blank names, names marked twice, posts missing from a ballot, zero counts,
//! tiny and huge registers). The tally never panics, and its outcome keeps the
//! rules' invariants whatever the input.

use election::scenario::{BallotGroup, PostSpec, RoundKind, Scenario};
use election::tally::{Invalid, passes};
use election::{Ruleset, tally};
use proptest::prelude::*;
use std::collections::BTreeMap;

const NAMES: [&str; 8] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", " "];
const POSTS: [&str; 3] = ["主任", "副主任", "委员"];

fn group() -> impl Strategy<Value = BallotGroup> {
    (0u64..400, prop::collection::vec(prop::option::of(prop::collection::vec(0usize..NAMES.len(), 0..5)), 3)).prop_map(
        |(count, parts)| {
            let votes = parts
                .into_iter()
                .zip(POSTS)
                .filter_map(|(p, post)| {
                    p.map(|ix| (post.to_string(), ix.iter().map(|i| NAMES[*i].to_string()).collect()))
                })
                .collect();
            BallotGroup { count, votes }
        },
    )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<bool>(),
        0u64..3000,
        0u64..3000,
        prop::collection::vec((1u32..4, 0usize..7), 1..4),
        prop::collection::vec(group(), 0..12),
    )
        .prop_map(|(repeat, registered, extra_issued, posts, ballots)| {
            let returned: u64 = ballots.iter().map(|g| g.count).sum();
            let posts = posts
                .into_iter()
                .zip(POSTS)
                .map(|((seats, n), post)| PostSpec {
                    post: post.to_string(),
                    seats,
                    candidates: NAMES[..n].iter().map(|s| s.to_string()).collect(),
                })
                .collect();
            Scenario {
                name: None,
                round: if repeat { RoundKind::Repeat } else { RoundKind::First },
                registered_voters: registered,
                // Sometimes fewer issued than returned.
                ballots_issued: (returned + extra_issued).saturating_sub(200),
                ballots_returned: returned,
                posts,
                ballots,
                expected: None,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_tally_keeps_the_rules_invariants(s in scenario(), combined in any::<bool>()) {
        let rs = Ruleset { aggregate_combined_ballot: combined, ..Ruleset::default() };
        let Ok(o) = tally(&s, &rs) else {
            // Refused only for a first round's list out of bounds (the groups always add up here).
            prop_assert_eq!(s.round, RoundKind::First);
            return Ok(());
        };
        let r = s.ballots_returned;
        let expected_reason = if r > s.ballots_issued {
            Some(Invalid::MoreBallotsReturnedThanIssued)
        } else if r * 2 <= s.registered_voters {
            Some(Invalid::TurnoutNotOverHalf)
        } else {
            None
        };
        prop_assert_eq!(o.reason, expected_reason);
        prop_assert_eq!(o.round_valid, expected_reason.is_none());
        prop_assert_eq!(o.posts.len(), s.posts.len());
        let mut everyone_elected: BTreeMap<&String, &str> = BTreeMap::new();
        for p in &s.posts {
            let out = &o.posts[&p.post];
            // §2.16: every ballot returned is valid or invalid for each post.
            prop_assert_eq!(out.valid_ballots + out.invalid_ballots, r);
            prop_assert!(out.votes.values().all(|v| *v <= out.valid_ballots) || combined);
            for c in &p.candidates {
                prop_assert!(out.votes.contains_key(c));
            }
            prop_assert!(!out.votes.contains_key("") && !out.votes.contains_key(" "));
            // §2.17: seats filled plus unfilled is the seats; nobody both elected and in the run-off.
            prop_assert_eq!(out.elected.len() as u32 + out.unfilled, p.seats);
            prop_assert!(out.elected.iter().all(|n| !out.runoff.contains(n)));
            let mut sorted = out.elected.clone();
            sorted.sort();
            prop_assert_eq!(&sorted, &out.elected);
            if !o.round_valid {
                prop_assert!(out.elected.is_empty() && out.runoff.is_empty());
                continue;
            }
            for n in out.elected.iter().chain(&out.runoff) {
                prop_assert!(passes(s.round, out.votes[n], r), "{} with {} of {}", n, out.votes[n], r);
            }
            // The run-off is a tie (of more names than seats left), and every winner beats it.
            if let Some(first) = out.runoff.first() {
                let tied = out.votes[first];
                prop_assert!(out.runoff.iter().all(|n| out.votes[n] == tied));
                prop_assert!(out.runoff.len() as u32 > out.unfilled);
                prop_assert!(out.elected.iter().all(|n| out.votes[n] > tied));
            }
            if combined {
                for n in &out.elected {
                    prop_assert!(everyone_elected.insert(n, &p.post).is_none(), "{} elected twice", n);
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = election::parse(&text);
    }
}
