//! `shequ bench circle`: the living circle at the loaded scale — coverage of every facility type
//! over the registry's buildings (the engine alone, and computed and stored end to end), and one
//! community's coverage map page and the city's /circle page over HTTP through the real server.

use anyhow::{Result, anyhow, bail};
use std::time::Instant;

/// 天井湖社区, the demo's first service area.
const COMMUNITY: &str = "340705402";

async fn login(base: &str, user: &str) -> Result<reqwest::Client> {
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let r = http
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": user, "password": crate::demo::DEMO_PASSWORD }))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("{user} log-in failed: {}", r.status());
    }
    Ok(http)
}

/// `n` timed GETs (ms) after one warm-up; the page's size in KB.
async fn pages(http: &reqwest::Client, url: &str, n: usize) -> Result<(Vec<f64>, usize)> {
    let mut size = 0;
    let mut out = Vec::with_capacity(n);
    for k in 0..=n {
        let t = Instant::now();
        let r = http.get(url).send().await?;
        if !r.status().is_success() {
            bail!("GET {url}: {}", r.status());
        }
        size = r.bytes().await?.len() / 1024;
        if k > 0 {
            out.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok((out, size))
}

pub async fn run(url: Option<String>, scale: crate::demo::Scale, requests: usize) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    let dir = std::env::temp_dir().join(format!("shequ-bench-circle-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = url.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let args = crate::cli::DbArgs { db: url.clone(), key_file: Some(dir.join("bench.key")) };
    let db = crate::cli::open(&args).await?;
    if db.is_empty().await? {
        let t = Instant::now();
        crate::demo::load(&db, scale).await?;
        println!("demo {scale:?} loaded in {:.1} s", t.elapsed().as_secs_f64());
    }
    let network = crate::demo::DEMO_NETWORK;

    // The engine alone: the stored graph, the registry's buildings placed on it, and coverage of
    // every facility type with each community's share.
    let (_, g) =
        store::circle::load_network(&db, network).await.map_err(e)?.ok_or_else(|| anyhow!("no demo network"))?;
    let loc = circle::Locator::new(&g);
    let buildings = store::circle::homes::registry_buildings(&db).await.map_err(e)?;
    let (mut homes, mut group) = (Vec::new(), Vec::new());
    let mut communities: Vec<&str> = Vec::new();
    for b in &buildings {
        let (Some(lon), Some(lat)) = (b.lon, b.lat) else { continue };
        let Ok(s) = loc.locate(&g, lon, lat, store::circle::homes::HOME_SNAP_M) else { continue };
        let k = communities.iter().position(|c| *c == b.community_code).unwrap_or_else(|| {
            communities.push(&b.community_code);
            communities.len() - 1
        });
        homes.push(circle::Home { node: s.node, residents: b.residents as u32 });
        group.push(k as u32);
    }
    let residents: u64 = homes.iter().map(|h| u64::from(h.residents)).sum();
    let types = store::circle::facility_types(&db).await.map_err(e)?;
    let facilities = store::circle::facilities(&db).await.map_err(e)?;
    let sources: Vec<u32> =
        facilities.iter().filter_map(|f| loc.locate(&g, f.lon, f.lat, 500.0).ok().map(|s| s.node)).collect();
    let levels = store::circle::levels(&db).await.map_err(e)?;
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        for ty in &types {
            let walk = levels.iter().find(|l| l.code == ty.level_code).map_or(1000, |l| l.walk_m);
            let walk = ty.radius_m.map_or(walk, |r| r.min(walk)) as f64;
            // Every type is given all the demo's facility sites, so that each type's search is a real one.
            let c = circle::coverage(&g, &homes, &sources, walk);
            std::hint::black_box(circle::by_group(&c, &homes, &group, communities.len()));
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "graph: {} nodes, {} edges · {} buildings placed, {residents} residents, {} communities · {} facility types, {} facility sites\n",
        g.node_count(),
        g.edge_count(),
        homes.len(),
        communities.len(),
        types.len(),
        sources.len()
    );
    println!("| step | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|");
    super::row(
        &format!("coverage, engine: {} types × {} homes, shares per community", types.len(), homes.len()),
        &mut times,
    );
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        store::circle::homes::compute_coverage(&db, "bench", network).await.map_err(e)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    super::row("coverage computed and stored (registry read, engine, rows and gaps written)", &mut times);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = web::AppState::new(db.clone());
    tokio::spawn(async move {
        let _ = web::serve(listener, state, std::future::pending()).await;
    });
    let admin = login(&base, "admin").await?;
    let (mut t, kb) = pages(&admin, &format!("{base}/circle/communities/{COMMUNITY}"), requests).await?;
    super::row(&format!("GET /circle/communities/{COMMUNITY} (one community's coverage map, {kb} KB)"), &mut t);
    let (mut t, kb) =
        pages(&admin, &format!("{base}/circle/communities/{COMMUNITY}?type=kindergarten"), requests).await?;
    super::row(&format!("… ?type=kindergarten ({kb} KB)"), &mut t);
    let civil = login(&base, "civil").await?;
    let (mut t, kb) = pages(&civil, &format!("{base}/circle?type=kindergarten"), requests.min(20)).await?;
    super::row(&format!("GET /circle?type=kindergarten (the whole city's grid shaded, {kb} KB)"), &mut t);
    Ok(())
}
