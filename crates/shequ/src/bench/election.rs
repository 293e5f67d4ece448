//! `shequ bench election` (issue 15): the voter rolls of every community built
//! from the registry, checked against each other (§2.2, one registration per
//! person per cycle) and published — all of them, timed together; then, in the
//! community with the largest roll, N ballots (30,000 by default) entered
//! through the JSON API as its boxes' tally sheets at the counting desk, one
//! request per box as the desk types them, and the count timed from the last
//! sheet's answer to the count's answer (goals: < 5 s and < 1 s).
//!
//! Run it on a fresh database (the default: a temporary SQLite file loaded with
//! the demo at --scale) or one whose communities have no election this year:
//! a second run in the same year finds every voter already registered (§2.2).

use anyhow::{Result, anyhow, bail};
use rules::committee::Post;
use serde_json::{Value, json};
use std::time::Instant;
use store::elections::{self as el, ElectionMode, ElectionSpec};

const PASSWORD: &str = "bench-election-pass";

fn sheet(name: &str, r: u64) -> Value {
    // Every ballot marks one 主任, one 副主任 and three 委员: valid for every post (§2.16).
    let lead = r - r / 3;
    json!({ "name": name, "kind": "station", "issued": r, "returned": r, "posts": {
        "主任": { "votes": { "张伟": lead, "李娜": r - lead } },
        "副主任": { "votes": { "王芳": lead, "孙强": r - lead } },
        "委员": { "votes": { "刘一": r, "陈二": lead, "杨三": lead, "赵四": r - lead, "钱五": r - lead } },
    } })
}

pub async fn run(url: Option<String>, scale: crate::demo::Scale, ballots: u64, per_box: u64) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    if per_box == 0 {
        bail!("--per-box must be at least 1");
    }
    let dir = std::env::temp_dir().join(format!("shequ-bench-election-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = url.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let args = crate::cli::DbArgs { db: url.clone(), key_file: Some(dir.join("bench.key")) };
    let db = crate::cli::open(&args).await?;
    if db.is_empty().await? {
        let t = Instant::now();
        crate::demo::load(&db, scale).await?;
        println!("demo {scale:?} loaded in {:.1} s", t.elapsed().as_secs_f64());
    }
    println!("database: {}", store::redact_url(&url));
    let today = store::clock::today();
    let spec = ElectionSpec {
        mode: ElectionMode::DirectAllVoters,
        election_day: today,
        seats: vec![(Post::Director, 1), (Post::DeputyDirector, 1), (Post::Member, 3)],
    };

    // Every community's election (not timed), then every roll built, cross-checked and published (timed).
    let communities = store::structure::communities(&db, None).await.map_err(e)?;
    let mut elections = Vec::with_capacity(communities.len());
    for c in &communities {
        elections.push((c, el::create(&db, "bench", c, &spec, true).await.map_err(e)?));
    }
    let published_on = today - time::Duration::days(25);
    let (mut voters, mut left, mut slowest, mut agreed) = (Vec::with_capacity(elections.len()), 0usize, 0f64, 0usize);
    let t = Instant::now();
    for (_, x) in &elections {
        let one = Instant::now();
        let report = el::publish_roll(&db, "bench", x, published_on).await.map_err(e)?;
        slowest = slowest.max(one.elapsed().as_secs_f64());
        voters.push(report.published);
        left += report.left_off.len();
        agreed += usize::from(report.sql_agreed == Some(true));
    }
    let rolls = t.elapsed().as_secs_f64();
    let total: usize = voters.iter().sum();
    println!(
        "\n| step | figure | goal |\n|---|---|---|\n| rolls of {} communities built, cross-checked (rule 2.2) and published | {rolls:.2} s ({total} voters, {left} left off; slowest community {slowest:.2} s; SQL and engine agreed on {agreed}) | < 5 s |",
        elections.len()
    );

    // The largest roll: its candidates, a clerk's account, the server.
    let (i, most) = voters.iter().enumerate().max_by_key(|(_, n)| **n).ok_or_else(|| anyhow!("no communities"))?;
    let (c, x) = &elections[i];
    let lists = vec![
        ("主任".to_string(), vec!["张伟".to_string(), "李娜".to_string()]),
        ("副主任".to_string(), vec!["王芳".to_string(), "孙强".to_string()]),
        ("委员".to_string(), ["刘一", "陈二", "杨三", "赵四", "钱五"].map(String::from).to_vec()),
    ];
    el::set_candidates(&db, "bench", x, &lists, &[], today - time::Duration::days(10)).await.map_err(e)?;
    let username = format!("bench-election-{}", std::process::id());
    store::users::add(
        &db,
        "bench",
        store::users::NewUser {
            username: &username,
            display_name: "计票台（压测）",
            password: PASSWORD,
            role: store::users::Role::CommunityAdmin,
            community_code: Some(&c.code),
            district_code: None,
            department: None,
        },
    )
    .await
    .map_err(e)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = web::AppState::new(db.clone());
    tokio::spawn(async move {
        let _ = web::serve(listener, state, std::future::pending()).await;
    });
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let r = http
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("log-in failed: {}", r.status());
    }
    let csrf = r.json::<Value>().await?["csrf"].as_str().unwrap_or_default().to_string();
    let api = format!("{base}/api/v1/elections/{}", x.id);

    // The counting desk: one tally sheet per box, as typed, until N ballots are in.
    let (mut entered, mut times, mut b) = (0u64, Vec::new(), 0u64);
    let t = Instant::now();
    while entered < ballots {
        let r = per_box.min(ballots - entered);
        b += 1;
        let one = Instant::now();
        let resp = http
            .post(format!("{api}/boxes"))
            .header("x-csrf-token", &csrf)
            .json(&sheet(&format!("第{b}票箱"), r))
            .send()
            .await?;
        let status = resp.status();
        let body = resp.text().await?;
        if !status.is_success() {
            bail!("box {b}: {status} {body}");
        }
        times.push(one.elapsed().as_secs_f64() * 1000.0);
        entered += r;
    }
    let entry = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let resp = http.post(format!("{api}/count")).header("x-csrf-token", &csrf).json(&json!({})).send().await?;
    let status = resp.status();
    let outcome: Value = resp.json().await?;
    let count = t.elapsed().as_secs_f64();
    if !status.is_success() {
        bail!("count: {status} {outcome}");
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {ballots} ballots entered through the API in {b} tally sheets ({} community, roll {most}) | {entry:.2} s (a sheet p50 {:.1} ms, p95 {:.1} ms) | — |",
        c.name,
        super::pct(&times, 0.5),
        super::pct(&times, 0.95)
    );
    println!(
        "| the count after the last ballot (POST /count, round valid: {}) | {:.3} s | < 1 s |",
        outcome["round_valid"], count
    );
    Ok(())
}
