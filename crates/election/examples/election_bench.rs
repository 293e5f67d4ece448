//! Times the election engine at city scale (median of 5 after a warm-up):
//! - the tally of one round of 30,000 ballots entered one by one (the largest
//!   community), from the JSON text and from parsed ballots;
//! - the voter rolls of 740,000 residents in 23 communities (`roll::build_roll`):
//!   each ID number checked (age on election day, §1.4), registered once per cycle
//!   (§2.2) with the cross-community duplicates found, the published lines made.
//!
//! `cargo run -p election --release --example election_bench [BALLOTS]`

use std::time::{Duration, Instant};

use election::roll::{Applicant, Category, CycleRegister, Resident, build_roll};
use election::{Ruleset, parse, tally};
use serde_json::json;
use time::macros::date;

/// A small deterministic generator (no dependency): xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn timed<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = f();
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        out = f();
        times.push(t.elapsed());
    }
    (median(times), out)
}

fn scenario_text(ballots: u64, rng: &mut Rng) -> String {
    let posts: [(&str, u64, u64); 3] = [("主任", 1, 2), ("副主任", 2, 3), ("委员", 4, 7)];
    let names: Vec<Vec<String>> =
        posts.iter().map(|(p, _, n)| (0..*n).map(|i| format!("{p}候选人{i}")).collect()).collect();
    let groups: Vec<serde_json::Value> = (0..ballots)
        .map(|_| {
            let mut votes = serde_json::Map::new();
            for (k, (p, seats, _)) in posts.iter().enumerate() {
                // Mostly as many marks as seats; one part in five 0..=seats+1 marks (blank parts,
                // over-votes that are invalid for the post).
                let marks = if rng.below(5) == 0 { rng.below(seats + 2) } else { *seats } as usize;
                let mut chosen: Vec<String> = Vec::new();
                for _ in 0..marks {
                    // Preferences lean toward the first seats + 1 names, so some pass.
                    let pool = if rng.below(4) == 0 { names[k].len() } else { *seats as usize + 1 };
                    let c = &names[k][rng.below(pool as u64) as usize];
                    if !chosen.contains(c) {
                        chosen.push(c.clone());
                    }
                }
                if rng.below(200) == 0 {
                    chosen.push("另写一人".into());
                }
                votes.insert(p.to_string(), json!(chosen));
            }
            json!({"count": 1, "votes": votes})
        })
        .collect();
    let posts: Vec<serde_json::Value> = posts
        .iter()
        .zip(&names)
        .map(|((p, seats, _), names)| json!({"post": p, "seats": seats, "candidates": names}))
        .collect();
    json!({"name": "bench", "round": "first", "registered_voters": ballots * 3 / 2,
        "ballots_issued": ballots, "ballots_returned": ballots, "posts": posts, "ballots": groups})
    .to_string()
}

fn main() {
    let ballots: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(30_000);
    let rs = Ruleset::default();
    let mut rng = Rng(0x5EED_2026);

    let text = scenario_text(ballots, &mut rng);
    let (t_parse, scenario) = timed(|| parse(&text).unwrap());
    let (t_tally, outcome) = timed(|| tally(&scenario, &rs).unwrap());
    let (t_both, _) = timed(|| tally(&parse(&text).unwrap(), &rs).unwrap());
    println!("| step | median |");
    println!("|---|---:|");
    println!("| parse {ballots} ballots ({:.1} MB JSON) | {t_parse:.2?} |", text.len() as f64 / 1e6);
    println!("| tally {ballots} ballots | {t_tally:.2?} |");
    println!("| parse + tally | {t_both:.2?} |");
    let p = &outcome.posts["委员"];
    eprintln!("委员: {} valid, {} invalid, elected {:?}", p.valid_ballots, p.invalid_ballots, p.elected);

    // Voter rolls: 740,000 residents, 23 communities, a few registered twice.
    let residents = 740_000usize;
    let day = date!(2026 - 05 - 30);
    let ids: Vec<(String, usize)> = (0..residents)
        .map(|i| {
            // Distinct (birth date, sequence) pairs, so every number is a different person.
            let birth = date!(1930 - 01 - 01) + time::Duration::days((i / 1000) as i64 * 43);
            let n = rules::gb11643::compose("340702", birth, (i % 1000) as u16);
            // One resident in a thousand is also on a second community's list.
            let community = if i % 1000 == 999 { (i + 1) % 23 } else { i % 23 };
            (n, community)
        })
        .collect();
    let (t_roll, (voters, duplicates)) = timed(|| {
        let mut register = CycleRegister::with_capacity(residents);
        let (mut voters, mut duplicates) = (0usize, 0usize);
        for c in 0..23 {
            let community = format!("社区{c}");
            let members = ids.iter().enumerate().filter(|(_, (_, k))| *k == c).map(|(i, (n, _))| {
                // The blind index stands in for the ID number: here the number, and for the
                // one in a thousand listed twice, the previous resident's.
                let key = if i % 1000 == 999 { &ids[i - 1].0 } else { n };
                Resident {
                    name: "示例居民",
                    group: "第一居民小组",
                    person_key: key,
                    applicant: Applicant {
                        id_number: n,
                        born: None,
                        category: Category::HukouAndResident,
                        deprived_of_political_rights: false,
                    },
                }
            });
            let roll = build_roll(&rs, day, &community, members, &mut register);
            voters += roll.published.len();
            duplicates += roll.left_off.iter().filter(|(_, m)| m.en.contains("rule 2.2")).count();
        }
        (voters, duplicates)
    });
    println!(
        "| voter rolls: {residents} residents, 23 communities → {voters} voters, {duplicates} cross-community duplicates | {t_roll:.2?} |"
    );
}
