//! `shequ bench cases`: the service center's reading pages at city scale.
//! Seeds N cases straight into `cases` (multi-row inserts, large
//! transactions), brings `case_tally` and `case_outcome` exactly in step with
//! them, then times the back-office queue pages and the statistics, both at
//! the store and through the real server over HTTP.

use anyhow::{Result, anyhow, bail};
use std::collections::BTreeMap;
use std::time::Instant;
use store::Db;
use store::cases::ListFilter;
use store::sql::{Sql, Val};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const COMMUNITY: &str = "340705402";
const DISTRICT: &str = "340705";
/// A district department's queue: the demo's `district` user works in it.
const DEPARTMENT: &str = "区民政局";

/// A small deterministic generator (the same city on every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn ts(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).unwrap_or_default()
}

const COLS: &str = "id, community_code, district_code, item_code, channel, caller_name, caller_phone, description, \
     building, lead_queue, status, created_at, updated_at, category, deadline_at, warn_at, resolved_at, on_time, rating";
const NCOLS: usize = 19;

type Outcome = BTreeMap<(String, String, String, String, String), [i64; 11]>;

/// Seeds `n` cases; returns how many are open and how many of those overdue.
async fn seed(db: &Db, n: usize) -> Result<(usize, usize)> {
    let e = |e: store::StoreError| anyhow!("{e}");
    let communities: Vec<(String, String)> =
        sqlx::query_as("SELECT code, district_code FROM communities ORDER BY code").fetch_all(&db.pool).await?;
    let items = store::cases::items(db).await.map_err(e)?;
    if communities.is_empty() || items.is_empty() {
        bail!("no communities or service items: load the demo first");
    }
    // Ids are given, as intake gives them (MAX(id) + 1; no sequence on PostgreSQL).
    let base: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases").fetch_one(&db.pool).await?;
    let now = OffsetDateTime::now_utc();
    let span = Duration::days(730);
    let mut rng = Lcg(20101);
    let mut outcome: Outcome = BTreeMap::new();
    let (mut open, mut overdue) = (0usize, 0usize);
    // SQLite allows 32,766 bound parameters per statement.
    let chunk = 1_000usize;
    let per_tx = 50_000usize;
    let mut done = 0usize;
    while done < n {
        let mut tx = db.begin().await.map_err(e)?;
        let tx_end = (done + per_tx).min(n);
        while done < tx_end {
            let end = (done + chunk).min(tx_end);
            let mut rows: Vec<Vec<Val>> = Vec::with_capacity(end - done);
            for i in done..end {
                // Ids grow with time, as they do in service.
                let created = now - span + span * (i as f64 / n as f64) + Duration::seconds(rng.below(600) as i64);
                let age_days = (now - created).whole_days();
                let (community, district) = &communities[rng.below(communities.len() as u64) as usize];
                let it = &items[rng.below(items.len() as u64) as usize];
                let channel = match rng.below(100) {
                    0..45 => "counter",
                    45..75 => "hotline",
                    75..90 => "web",
                    _ => "open311",
                };
                let queue = it.queue(community).0;
                // Calendar days for the working-day limit (weekends; holidays aside).
                let mut deadline = created + Duration::hours(it.limit_days * 24 * 7 / 5);
                let r = rng.below(1000);
                // Recent cases are mostly still open; a few run past their deadline.
                let is_open = age_days < 48 && r < 950;
                if is_open && deadline < now && rng.below(100) < 70 {
                    // The clock stood still while materials were awaited: the deadline moved on.
                    deadline = now + Duration::hours(1 + rng.below(15 * 24) as i64);
                }
                let warn = deadline - Duration::days(1);
                let (status, lead, dl, wn, resolved, on_time, rating): (
                    &str,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<i64>,
                    Option<i64>,
                );
                if is_open {
                    open += 1;
                    overdue += usize::from(deadline < now);
                    let s = match rng.below(10) {
                        0..3 => "routed",
                        3..9 => "in_progress",
                        _ => "returned_for_materials",
                    };
                    let stopped = s == "returned_for_materials";
                    let running = s != "returned_for_materials";
                    (status, lead, dl, wn, resolved, on_time, rating) = (
                        s,
                        Some(queue.clone()),
                        (!stopped).then(|| ts(deadline)),
                        running.then(|| ts(warn)),
                        None,
                        None,
                        None,
                    );
                } else if r >= 980 || (age_days < 48 && r >= 950) {
                    (status, lead, dl, wn, resolved, on_time, rating) =
                        ("rejected", None, None, None, None, None, None);
                } else {
                    let late = rng.below(100) < 8;
                    let took = if late {
                        (deadline - created) + Duration::hours(1 + rng.below(120) as i64)
                    } else {
                        Duration::seconds(
                            ((deadline - created).whole_seconds() as f64
                                * (0.1 + 0.85 * (rng.below(1000) as f64 / 1000.0))) as i64,
                        )
                    };
                    let resolved_at = (created + took).min(now);
                    let s = match rng.below(100) {
                        0..3 if age_days < 60 => "resolved",
                        3..6 if age_days < 60 => "callback",
                        _ => "closed",
                    };
                    let rated = s == "closed" && rng.below(100) < 85;
                    let overall = match rng.below(100) {
                        0..3 => 1,
                        3..6 => 2,
                        6..15 => 3,
                        15..45 => 4,
                        _ => 5,
                    };
                    let key =
                        (community.clone(), district.clone(), channel.to_string(), it.category.clone(), queue.clone());
                    let o = outcome.entry(key).or_default();
                    let respond = 600 + rng.below(4 * 3600) as i64;
                    o[0] += 1;
                    o[1] += i64::from(!late);
                    o[2] += took.whole_seconds();
                    o[3] += 1;
                    o[4] += respond;
                    if rated {
                        o[5] += 1;
                        o[6] += overall;
                        o[7] += overall;
                        o[8] += (overall + 1).min(5);
                        o[9] += i64::from(overall <= 2);
                    }
                    o[10] += i64::from(rng.below(100) == 0);
                    (status, lead, dl, wn, resolved, on_time, rating) = (
                        s,
                        Some(queue.clone()),
                        None,
                        None,
                        Some(ts(resolved_at)),
                        Some(i64::from(!late)),
                        rated.then_some(overall),
                    );
                }
                let updated = resolved.clone().unwrap_or_else(|| ts(created + Duration::minutes(10)));
                rows.push(vec![
                    (base + 1 + i as i64).into(),
                    community.as_str().into(),
                    district.as_str().into(),
                    it.code.as_str().into(),
                    channel.into(),
                    format!("居民{}", i % 9973).into(),
                    format!("138{:08}", i % 100_000_000).into(),
                    "压测诉求".into(),
                    format!("{}栋", i % 40 + 1).into(),
                    lead.into(),
                    status.into(),
                    ts(created).into(),
                    updated.into(),
                    it.category.as_str().into(),
                    dl.into(),
                    wn.into(),
                    resolved.into(),
                    on_time.into(),
                    rating.into(),
                ]);
            }
            let mut q = Sql::new(db.dialect, format!("INSERT INTO cases ({COLS})"));
            q.values(&rows, |r| {
                debug_assert_eq!(r.len(), NCOLS);
                r.clone()
            });
            q.query().execute(&mut *tx).await?;
            done = end;
        }
        tx.commit().await?;
        eprint!("\rseeded {done} / {n}");
    }
    eprintln!();
    write_outcome(db, outcome).await?;
    Ok((open, overdue))
}

/// Adds the seeded cases' outcome sums (accumulated while generating them).
async fn write_outcome(db: &Db, outcome: Outcome) -> Result<()> {
    let cols = "resolved_n, on_time_n, handle_secs, respond_n, respond_secs, rated_n, overall_sum, speed_sum, \
                attitude_sum, unhappy_n, reopened_n";
    let rows: Vec<_> = outcome.into_iter().collect();
    let mut tx = db.begin().await.map_err(|e| anyhow!("{e}"))?;
    for part in rows.chunks(1_000) {
        let mut q = Sql::new(
            db.dialect,
            format!("INSERT INTO case_outcome (community_code, district_code, channel, category, queue, {cols})"),
        );
        q.values(part, |(k, r)| {
            let mut v: Vec<Val> = vec![
                k.0.as_str().into(),
                k.1.as_str().into(),
                k.2.as_str().into(),
                k.3.as_str().into(),
                k.4.as_str().into(),
            ];
            v.extend(r.iter().map(|n| Val::from(*n)));
            v
        });
        let sets: Vec<String> = cols.split(", ").map(|c| format!("{c} = case_outcome.{c} + excluded.{c}")).collect();
        q.push(&format!(" ON CONFLICT (community_code, channel, category, queue) DO UPDATE SET {}", sets.join(", ")));
        q.query().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Rebuilds `case_tally` from the rows, keyed as the projection keys it.
async fn rebuild_tally(db: &Db) -> Result<()> {
    let mut tx = db.begin().await.map_err(|e| anyhow!("{e}"))?;
    sqlx::query("DELETE FROM case_tally").execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO case_tally (community_code, district_code, channel, category, queue, status, n) \
         SELECT community_code, MIN(district_code), channel, category, COALESCE(lead_queue, ''), status, COUNT(*) \
         FROM cases GROUP BY community_code, channel, category, COALESCE(lead_queue, ''), status",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (t, c): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT CAST(SUM(n) AS BIGINT) FROM case_tally), (SELECT CAST(COUNT(*) AS BIGINT) FROM cases)",
    )
    .fetch_one(&db.pool)
    .await?;
    if t != c {
        bail!("case_tally counts {t} cases, the table holds {c}");
    }
    Ok(())
}

/// Times `one` `n` times in a row; milliseconds.
async fn time_it<F, Fut>(n: usize, mut one: F) -> Result<Vec<f64>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    one().await?; // warm-up, not counted
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        one().await?;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(out)
}

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

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn get(http: &reqwest::Client, url: &str, query: &[(&str, &str)]) -> Result<()> {
    let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    let full = if q.is_empty() { url.to_string() } else { format!("{url}?{}", q.join("&")) };
    let r = http.get(full).send().await?;
    if !r.status().is_success() {
        bail!("GET {url} {query:?}: {}", r.status());
    }
    r.bytes().await?;
    Ok(())
}

pub async fn run(
    url: Option<String>,
    cases: usize,
    requests: usize,
    key_file: Option<std::path::PathBuf>,
) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    let dir = std::env::temp_dir().join(format!("shequ-bench-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let fresh = url.is_none();
    let url = url.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let args =
        crate::cli::DbArgs { db: url.clone(), key_file: Some(key_file.unwrap_or_else(|| dir.join("bench.key"))) };
    let db = crate::cli::open(&args).await?;
    if db.is_empty().await? {
        crate::demo::load(&db, crate::demo::Scale::Tiny).await?;
    }
    println!("database: {} · {cases} cases seeded · {requests} requests each\n", store::redact_url(&url));

    let t = Instant::now();
    let (open, overdue) = seed(&db, cases).await?;
    let seeded = t.elapsed().as_secs_f64();
    let t = Instant::now();
    rebuild_tally(&db).await?;
    sqlx::query("ANALYZE").execute(&db.pool).await?;
    println!(
        "seeding: {cases} cases in {seeded:.1} s ({:.0}/s) · tallies rebuilt and ANALYZE in {:.1} s · open {open} ({:.1}%) of which overdue {overdue}\n",
        cases as f64 / seeded,
        t.elapsed().as_secs_f64(),
        open as f64 * 100.0 / cases as f64
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = web::AppState::new(db.clone());
    tokio::spawn(async move {
        let _ = web::serve(listener, state, std::future::pending()).await;
    });
    let back = login(&base, "backoffice").await?;
    let admin = login(&base, "admin").await?;
    let district = login(&base, "district").await?;
    let civil = login(&base, "civil").await?;
    let public = reqwest::Client::new();

    let community_queue = format!("community:{COMMUNITY}");
    let department_queue = format!("department:{DEPARTMENT}");
    let filter = |community: Option<&str>, district: Option<&str>, queue: Option<&str>, status: &str| ListFilter {
        community: community.map(str::to_string),
        district: district.map(str::to_string),
        queue: queue.map(str::to_string),
        status: Some(status.to_string()),
        offset: 0,
        limit: 50,
    };
    let lists = [
        ("community queue, open", filter(Some(COMMUNITY), None, Some(&community_queue), "open")),
        ("department queue (district), open", filter(None, Some(DISTRICT), Some(&department_queue), "open")),
        ("community queue, overdue", filter(Some(COMMUNITY), None, Some(&community_queue), "overdue")),
        ("district, all overdue", filter(None, Some(DISTRICT), None, "overdue")),
    ];
    println!("| store call | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|");
    for (name, f) in &lists {
        let page = store::cases::list(&db, f).await.map_err(e)?;
        let mut t = time_it(requests, || async {
            store::cases::list(&db, f).await.map_err(e)?;
            Ok(())
        })
        .await?;
        super::row(&format!("`list` {name} ({} rows)", page.cases.len()), &mut t);
    }
    for (name, c, d) in [("community", Some(COMMUNITY), None), ("district", None, Some(DISTRICT)), ("city", None, None)]
    {
        let mut t = time_it(requests, || async {
            store::cases::stats(&db, c, d).await.map_err(e)?;
            Ok(())
        })
        .await?;
        super::row(&format!("`stats` {name}"), &mut t);
    }
    let mut t = time_it(requests, || async {
        store::cases::league(&db, None).await.map_err(e)?;
        Ok(())
    })
    .await?;
    super::row("`league` city", &mut t);

    println!("\n| page (HTTP, whole request) | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|");
    let cases_url = format!("{base}/cases");
    let pages: [(&str, &reqwest::Client, &str, Vec<(&str, &str)>); 8] = [
        (
            "backoffice `/cases?queue=community:…&status=open`",
            &back,
            cases_url.as_str(),
            vec![("queue", community_queue.as_str()), ("status", "open")],
        ),
        (
            "district `/cases?queue=department:区民政局&status=open`",
            &district,
            cases_url.as_str(),
            vec![("queue", department_queue.as_str()), ("status", "open")],
        ),
        (
            "backoffice `/cases?queue=community:…&status=overdue`",
            &back,
            cases_url.as_str(),
            vec![("queue", community_queue.as_str()), ("status", "overdue")],
        ),
        ("district `/cases?status=overdue`", &district, cases_url.as_str(), vec![("status", "overdue")]),
        ("admin `/service/stats` (community)", &admin, "/service/stats", vec![]),
        ("district `/service/stats` (district)", &district, "/service/stats", vec![]),
        ("civil `/service/stats` (city)", &civil, "/service/stats", vec![]),
        ("public `/service/league`", &public, "/service/league", vec![]),
    ];
    for (name, http, path, query) in &pages {
        let url = if path.starts_with('/') { format!("{base}{path}") } else { path.to_string() };
        let mut t = time_it(requests, || get(http, &url, query)).await?;
        super::row(name, &mut t);
    }
    drop(db);
    if fresh {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
