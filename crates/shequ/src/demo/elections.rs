//! One illustrative finished election in 天井湖 (340705402), marked 示例: the
//! 2021 election that seated the committee the structure demo lists. The
//! roll is built from the demo registry by the same store code as any roll;
//! the candidates who lost, the box and every figure are invented, scaled to
//! the roll (about nine in ten voters take part). Nothing here is from the seed text.

use anyhow::{Result, anyhow};
use election::sheet::PostSheet;
use rules::committee::Post;
use store::Db;
use store::elections::{self as el, BoxEntry, BoxKind, ElectionMode, ElectionSpec};
use time::macros::date;

const COMMUNITY: &str = "340705402";
/// Invented candidates who lost (示例), one per post beyond the seats.
const LOSERS: [&str; 3] = ["周建国", "吴秀兰", "郑海燕"];

fn e(x: store::StoreError) -> anyhow::Error {
    anyhow!("demo election: {x}")
}

pub(super) async fn load(db: &Db) -> Result<()> {
    let c = store::structure::community(db, COMMUNITY).await.map_err(e)?;
    let bodies = store::structure::bodies(db, COMMUNITY).await.map_err(e)?;
    let Some((_, members)) = bodies.iter().find(|(b, _)| b.kind == "residents_committee") else { return Ok(()) };
    let roster: Vec<(Post, String)> =
        members.iter().filter_map(|m| Post::parse(&m.post).map(|p| (p, m.name.clone()))).collect();
    let seats: Vec<(Post, u32)> = [Post::Director, Post::DeputyDirector, Post::Member]
        .into_iter()
        .map(|p| (p, roster.iter().filter(|(q, _)| *q == p).count() as u32))
        .filter(|(_, n)| *n > 0)
        .collect();
    let spec = ElectionSpec { mode: ElectionMode::DirectAllVoters, election_day: date!(2021 - 05 - 15), seats };
    let mut x = el::create(db, "demo", &c, &spec, true).await.map_err(e)?;
    el::publish_roll(db, "demo", &x, date!(2021 - 04 - 20)).await.map_err(e)?;
    x = el::election(db, x.id).await.map_err(e)?;
    let voters = el::voter_count(db, x.id).await.map_err(e)? as u64;
    if voters == 0 {
        return Ok(());
    }
    // Each post: its winners and one loser (§2.8: one more candidate than seats for 主任 and 副主任).
    let lists: Vec<(Post, Vec<String>)> = spec
        .seats
        .iter()
        .enumerate()
        .map(|(i, (p, _))| {
            let mut names: Vec<String> = roster.iter().filter(|(q, _)| q == p).map(|(_, n)| n.clone()).collect();
            names.push(LOSERS[i % LOSERS.len()].to_string());
            (*p, names)
        })
        .collect();
    let named: Vec<(String, Vec<String>)> = lists.iter().map(|(p, n)| (p.zh().to_string(), n.clone())).collect();
    el::set_candidates(db, "demo", &x, &named, &[], date!(2021 - 05 - 08)).await.map_err(e)?;
    x = el::election(db, x.id).await.map_err(e)?;
    let returned = voters - voters / 10;
    let posts: Vec<PostSheet> = lists
        .iter()
        .zip(&spec.seats)
        .map(|((p, names), (_, seats))| {
            // Every winner well over half; the loser takes what is left of the marks.
            let winners = names.len() - 1;
            let mut votes: Vec<(String, u64)> =
                names[..winners].iter().map(|n| (n.clone(), returned - returned * 3 / 10)).collect();
            let room = returned * u64::from(*seats) - votes.iter().map(|(_, v)| v).sum::<u64>();
            votes.push((names[winners].clone(), room.min(returned * 3 / 10)));
            PostSheet { post: p.zh().to_string(), seats: *seats, votes, invalid: 0, blank: 0 }
        })
        .collect();
    let sheet = BoxEntry { name: "第一投票站".into(), kind: BoxKind::Station, issued: returned, returned, posts };
    el::enter_box(db, "demo", &x, &sheet).await.map_err(e)?;
    el::count(db, "demo", &x).await.map_err(e)?;
    x = el::election(db, x.id).await.map_err(e)?;
    el::seat(db, "demo", &x).await.map_err(e)?;
    Ok(())
}
