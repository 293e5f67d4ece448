//! Generated residents with valid, distinct ID numbers.

use super::generate::{Lcg, STREETS, person};
use anyhow::Result;
use rules::division::BIG_COMMUNITIES;
use rules::gb11643;
use store::Db;
use store::residents::{ResidentInput, validate};
use time::{Date, Duration, macros::date};

/// Address codes people were born under: Tongling's old and new codes and a few elsewhere.
const BIRTH_CODES: &[&str] =
    &["340702", "340703", "340711", "340721", "340705", "340706", "340722", "340102", "340823", "320106"];

/// `n` residents with valid, distinct ID numbers (per `seen`), spread over
/// buildings and the given residents' groups; deterministic for a seed.
pub fn generate_inputs(
    seed: u64,
    n: usize,
    groups: &[String],
    seen: &mut std::collections::HashSet<String>,
) -> Vec<ResidentInput> {
    let mut rng = Lcg(seed);
    let today = store::clock::today();
    let buildings = (n / 60).max(4);
    let mut rows = Vec::with_capacity(n);
    while rows.len() < n {
        let birth = date!(1930 - 01 - 01) + Duration::days((rng.next() % 34_000) as i64);
        if birth > today {
            continue;
        }
        let id = gb11643::compose(*rng.pick(BIRTH_CODES), birth, (rng.next() % 1000) as u16);
        if !seen.insert(id.clone()) {
            continue;
        }
        let building = 1 + rng.next() as usize % buildings;
        let moved: Date = (birth + Duration::days((rng.next() % 9000) as i64)).min(today);
        // Rules §6.5: a child is registered with a guardian's consent (an invented guardian, drawn
        // from a generator of its own so every other generated value stays as it was).
        let (guardian_name, guardian_relation) = if rules::minors::under_14(birth, today) {
            let mut g = Lcg(seed ^ (rows.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            (person(&mut g), (if g.next() % 2 == 0 { "父亲" } else { "母亲" }).to_string())
        } else {
            (String::new(), String::new())
        };
        rows.push(ResidentInput {
            guardian_name,
            guardian_relation,
            name: person(&mut rng),
            id_number: id,
            household: format!("{}-{}-{:03}", building, 1 + rng.next() % 4, 101 + rng.next() % 600),
            building: format!("{building}栋"),
            address: format!("{}{}号{building}栋", rng.pick(STREETS), 1 + rng.next() % 300),
            phone: format!("1{}{:08}", rng.pick(&["38", "39", "58", "86", "87"]), rng.next() % 100_000_000),
            hukou: if rng.next() % 10 < 8 { "是".into() } else { "否".into() },
            moved_in: moved.to_string(),
            group: if groups.is_empty() { String::new() } else { rng.pick(groups).clone() },
        });
    }
    rows
}

pub(super) async fn load(db: &Db, per_community: usize) -> Result<()> {
    let total = per_community * BIG_COMMUNITIES.len();
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("residents {bar:40} {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or(indicatif::ProgressStyle::default_bar()),
    );
    let mut seen = std::collections::HashSet::with_capacity(total);
    for (i, c) in BIG_COMMUNITIES.iter().enumerate() {
        let groups: Vec<String> = store::structure::groups(db, c.code).await?.into_iter().map(|g| g.name).collect();
        let rows = generate_inputs(740_000 + i as u64, per_community, &groups, &mut seen)
            .into_iter()
            .enumerate()
            .map(|(n, input)| (n + 2, validate(&input)))
            .collect::<Vec<_>>();
        store::residents::import(db, "demo", 0, c.code, "demo-residents.csv", rows, |n| bar.inc(n as u64)).await?;
    }
    bar.finish_and_clear();
    Ok(())
}
