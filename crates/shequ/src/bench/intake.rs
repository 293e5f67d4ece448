//! `shequ bench intake`: how many cases per second the whole intake path
//! (HTTP, validation, routing, history, tallies, audit entry, durable commit)
//! takes from many concurrent clients, beside what this machine's disk allows
//! for one-row durable transactions, measured first in the same run.

use super::client::{Conn, Headers, cookie_of};
use anyhow::{Context, Result, anyhow, bail};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use store::Db;

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// What one phase measured.
pub(super) struct Phase {
    name: &'static str,
    pub(super) ok: usize,
    failed: usize,
    pub(super) secs: f64,
    latencies_ms: Vec<f64>,
}

impl Phase {
    pub(super) fn print(&mut self) {
        self.latencies_ms.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{:<44} {:>8} {:>10.0} {:>8.2} {:>8.2} {:>7}",
            self.name,
            self.ok,
            self.ok as f64 / self.secs,
            pct(&self.latencies_ms, 0.5),
            pct(&self.latencies_ms, 0.99),
            self.failed
        );
    }
}

/// Runs `clients` loops of `one` for `seconds`; each loop's call is timed.
pub(super) async fn phase<F, Fut>(name: &'static str, clients: usize, seconds: u64, one: F) -> Phase
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let stop = Arc::new(AtomicBool::new(false));
    let one = Arc::new(one);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (stop, one) = (stop.clone(), one.clone());
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut ok, mut failed, mut i) = (Vec::new(), 0usize, 0usize, 0u64);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                if one(c, i).await {
                    ok += 1;
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                } else {
                    failed += 1;
                }
                i += 1;
            }
            (lat, ok, failed)
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut p = Phase { name, ok: 0, failed: 0, secs: 0.0, latencies_ms: Vec::new() };
    for t in tasks {
        if let Ok((lat, ok, failed)) = t.await {
            p.latencies_ms.extend(lat);
            p.ok += ok;
            p.failed += failed;
        }
    }
    p.secs = start.elapsed().as_secs_f64();
    p
}

/// Runs `f` on a new thread with a single-threaded runtime of its own.
async fn on_own_thread<F, Fut, T>(f: F) -> Result<T>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<T>>,
    T: Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new().name("bench-clients".into()).spawn(move || {
        let r = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(anyhow::Error::from);
        let _ = tx.send(r.and_then(|rt| rt.block_on(f())));
    })?;
    rx.await.map_err(|_| anyhow!("the client thread stopped"))?
}

/// One open connection per client.
async fn open_all(addr: std::net::SocketAddr, clients: usize) -> Result<Arc<Vec<tokio::sync::Mutex<Conn>>>> {
    let mut conns = Vec::with_capacity(clients);
    for _ in 0..clients {
        conns.push(tokio::sync::Mutex::new(Conn::open(addr).await?));
    }
    Ok(Arc::new(conns))
}

async fn count_cases(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases").fetch_one(&db.pool).await?)
}

pub async fn run(url: Option<String>, clients: usize, seconds: u64) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("shequ-bench-intake-{}", std::process::id()));
    let url = match url {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&dir)?;
            format!("sqlite://{}", dir.join("bench.db").display())
        }
    };
    let args = crate::cli::DbArgs { db: url.clone(), key_file: Some(dir.join("bench.key")) };
    std::fs::create_dir_all(&dir)?;
    let db = crate::cli::open(&args).await?;
    if db.is_empty().await? {
        crate::demo::load(&db, crate::demo::Scale::Tiny).await?;
    }
    // A key of its own: the demo's is drawn at random and kept only as a hash.
    let (_, open311_key) = store::open311::add_client(&db, "bench", &format!("bench-intake-{}", std::process::id()))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("database: {} · {clients} concurrent clients · {seconds} s per phase\n", store::redact_url(&url));
    println!("{:<44} {:>8} {:>10} {:>8} {:>8} {:>7}", "phase", "ok", "per s", "p50 ms", "p99 ms", "failed");

    // 1. The machine's bound: one-row durable write transactions, same pool, same file.
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_one_row (id BIGINT PRIMARY KEY, v TEXT NOT NULL)")
        .execute(&db.pool)
        .await?;
    let d = db.clone();
    let mut bound = phase("one-row durable transactions (bound)", clients, seconds, move |c, i| {
        let d = d.clone();
        async move {
            let Ok(mut tx) = d.begin().await else { return false };
            let id = (c as i64) * 1_000_000_000 + i as i64;
            if sqlx::query("INSERT INTO bench_one_row (id, v) VALUES ($1, $2)")
                .bind(id)
                .bind("x")
                .execute(&mut *tx)
                .await
                .is_err()
            {
                return false;
            }
            tx.commit().await.is_ok()
        }
    })
    .await;
    bound.print();

    // 2. The whole intake without HTTP: where the store's own cost ends.
    let (d, it) = (
        db.clone(),
        Arc::new(
            store::cases::items(&db).await.map_err(|e| anyhow!("{e}"))?.into_iter().map(|i| i.code).collect::<Vec<_>>(),
        ),
    );
    let before_store = count_cases(&db).await?;
    let mut direct = phase("store::cases::create, no HTTP", clients, seconds, move |c, i| {
        let (d, item) = (d.clone(), it[(c + i as usize) % it.len()].clone());
        async move {
            let n = store::cases::NewCase {
                item,
                caller_name: "压测居民".into(),
                caller_phone: "13800000000".into(),
                building: format!("{}栋", (c % 40) + 1),
                description: "bench".into(),
                ..Default::default()
            };
            store::cases::create(&d, "bench", cases::Role::FrontDesk, "340705402", n).await.is_ok()
        }
    })
    .await;
    direct.print();
    let direct_written = count_cases(&db).await? - before_store;

    // 3. The real server, in this process, on a local port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let state = web::AppState::new(db.clone());
    tokio::spawn(async move {
        let _ = web::serve(listener, state, std::future::pending()).await;
    });

    // The log-in goes through an ordinary client; the load through lean connections.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let r = http
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": "frontdesk", "password": crate::demo::DEMO_PASSWORD }))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("front desk log-in failed: {}", r.status());
    }
    let cookie = cookie_of(&r).ok_or(anyhow!("no session cookie"))?;
    let csrf = r.json::<serde_json::Value>().await?["csrf"].as_str().map(str::to_string).ok_or(anyhow!("no csrf"))?;
    let items: Vec<String> = store::cases::items(&db)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .into_iter()
        .filter(super::takes_bench_body)
        .map(|i| i.code)
        .collect();
    let items = Arc::new(items);
    let (lat, lon): (Option<f64>, Option<f64>) =
        sqlx::query_as("SELECT center_lat, center_lon FROM communities WHERE code = '340705402'")
            .fetch_one(&db.pool)
            .await?;
    let (lat, lon) = (lat.unwrap_or(30.93), lon.unwrap_or(117.81));
    let before = count_cases(&db).await?;

    // The clients run on a thread and runtime of their own, as a load
    // generator in its own process would (wrk -t1 -c64), not among the server's tasks.
    let phases = on_own_thread(move || async move {
    let (conns, it) = (open_all(addr, clients).await?, items.clone());
    let h = Headers { content_type: "application/json", cookie: Some(cookie.clone()), csrf: Some(csrf.clone()) };
    let mut api = phase("front-desk JSON API  POST /api/v1/cases", clients, seconds, move |c, i| {
        let (conns, h) = (conns.clone(), h.clone());
        let item = it[(c + i as usize) % it.len()].clone();
        async move {
            let body = serde_json::json!({
                "item": item, "caller_name": "压测居民", "caller_phone": "13800000000",
                "building": format!("{}栋", (c % 40) + 1), "description": "bench"
            });
            let status = conns[c].lock().await.post("/api/v1/cases", &h, body.to_string()).await;
            matches!(status, Some(s) if (200..300).contains(&s))
        }
    })
    .await;
    api.print();

    let (conns, c2, it) = (open_all(addr, clients).await?, csrf.clone(), items.clone());
    let h = Headers { content_type: "application/x-www-form-urlencoded", cookie: Some(cookie.clone()), csrf: None };
    let mut form = phase("front-desk form      POST /cases", clients, seconds, move |c, i| {
        let (conns, h, csrf) = (conns.clone(), h.clone(), c2.clone());
        let item = it[(c + i as usize) % it.len()].clone();
        async move {
            let body = format!(
                "csrf={csrf}&item={item}&caller_name=%E5%B1%85%E6%B0%91&caller_phone=13800000000&building={}%E6%A0%8B&description=bench",
                (c % 40) + 1
            );
            conns[c].lock().await.post("/cases", &h, body).await == Some(303)
        }
    })
    .await;
    form.print();

    // An API client holds no session cookie (with one, the CSRF rule of a logged-in user applies).
    let (conns, it) = (open_all(addr, clients).await?, items.clone());
    let h = Headers { content_type: "application/x-www-form-urlencoded", cookie: None, csrf: None };
    let mut open311 = phase("Open311 GeoReport v2  POST requests.json", clients, seconds, move |c, i| {
        let (conns, h, key) = (conns.clone(), h.clone(), open311_key.clone());
        let item = it[(c + i as usize) % it.len()].clone();
        async move {
            let body = format!(
                "api_key={}&jurisdiction_id=340705402&service_code={item}&lat={:.6}&long={:.6}&first_name=%E5%B1%85%E6%B0%91&phone=13800000000&description=bench",
                key,
                lat + (c as f64) * 0.0001,
                lon + (i % 50) as f64 * 0.0001
            );
            let status = conns[c].lock().await.post("/open311/v2/requests.json", &h, body).await;
            matches!(status, Some(s) if (200..300).contains(&s))
        }
    })
    .await;
    open311.print();
    Ok([api, form, open311])
    })
    .await?;

    // 4. Every acknowledged case is there, and the audit chain holds.
    let after = count_cases(&db).await?;
    let acked: usize = phases.iter().map(|p| p.ok).sum();
    if direct_written as usize != direct.ok {
        bail!("store-level intake: acknowledged and written cases differ");
    }
    println!(
        "\ncases written {} · acknowledged {} · best intake / bound = {:.2}×",
        after - before,
        acked,
        phases.iter().map(|p| p.ok as f64 / p.secs).fold(0.0, f64::max) / (bound.ok as f64 / bound.secs)
    );
    if (after - before) as usize != acked {
        bail!("acknowledged cases and written cases differ");
    }
    match store::audit::verify(&db).await.map_err(|e| anyhow!("{e}"))? {
        store::audit::Verdict::Intact { entries } => println!("audit chain intact: {entries} entries"),
        store::audit::Verdict::Broken { seq, reason } => bail!("audit chain broken at {seq}: {reason}"),
    }
    let _ = std::fs::remove_dir_all(&dir).context("removing the bench directory");
    Ok(())
}
