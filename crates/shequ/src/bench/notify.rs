//! `shequ bench notify`: N queued SMS delivered to a local fake gateway (each
//! request's signature checked there), and case intake's rate (the store path,
//! `store::cases::create`) alone and while another N are being delivered.

use super::intake::phase;
use crate::deliver::{Config, Worker, sink};
use anyhow::{Result, anyhow};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store::Db;

const SECRET: &[u8] = b"bench-secret";

async fn queue(db: &Db, n: usize) -> Result<()> {
    let mut tx = db.begin().await?;
    for i in 0..n {
        let phone = format!("139{:08}", i % 100_000_000);
        let to = store::outbox::To { kind: "resident", recipient: &phone, channel: "sms" };
        let zh = format!("您的诉求已受理，编号第{i}号，办理期限至2026-03-09。");
        store::outbox::notify(&mut tx, ("340705402", "340705"), None, to, &zh, &zh).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn queued(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE status = 'queued'")
        .fetch_one(&db.pool)
        .await?)
}

/// Drains the outbox with the worker until nothing is queued; the time it took.
async fn drain(db: &Db, w: &Worker) -> Result<Duration> {
    let t = Instant::now();
    while queued(db).await? > 0 {
        w.drain(db).await.map_err(|e| anyhow!("{e}"))?;
    }
    Ok(t.elapsed())
}

pub async fn run(url: Option<String>, messages: usize, clients: usize, seconds: u64) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("shequ-bench-notify-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = url.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let db = crate::cli::open(&crate::cli::DbArgs { db: url.clone(), key_file: Some(dir.join("bench.key")) }).await?;
    if db.is_empty().await? {
        crate::demo::load(&db, crate::demo::Scale::Tiny).await?;
    }
    // Only the bench's messages (and intake's acknowledgements) go out.
    sqlx::query("UPDATE outbox SET status = 'skipped' WHERE status = 'queued'").execute(&db.pool).await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let gateway = format!("http://{}/sms", listener.local_addr()?);
    let (got, bad) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (g, b) = (got.clone(), bad.clone());
    tokio::spawn(sink::serve(listener, Arc::new(SECRET.to_vec()), None, Duration::ZERO, move |r| {
        g.fetch_add(1, Ordering::Relaxed);
        if !r.signature_ok || r.duplicate {
            b.fetch_add(1, Ordering::Relaxed);
        }
    }));
    let cfg = Config {
        sms_gateway: Some(gateway),
        smtp: None,
        webhook: None,
        secret: Arc::new(SECRET.to_vec()),
        webhook_secret: Arc::new(SECRET.to_vec()),
        retry: notify::retry::Retry::default(),
        quiet: None,
        interval: Duration::from_millis(200),
        lease_secs: 60,
        batch: 500,
        sms_rate: 0,
        concurrency: 32,
        max_parts: 4,
    };
    let w = Worker::new(cfg);
    println!(
        "database: {} · {messages} messages · {clients} intake clients · {seconds} s per intake phase\n",
        store::redact_url(&url)
    );

    // 1. N queued messages to the fake gateway.
    queue(&db, messages).await?;
    let took = drain(&db, &w).await?;
    let n = got.load(Ordering::Relaxed);
    println!(
        "delivered {n} of {messages} in {:.2} s ({:.0} per s); bad signatures or duplicates: {}",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        bad.load(Ordering::Relaxed)
    );

    // 2. Case intake alone, then while another N are delivered.
    let items: Arc<Vec<String>> =
        Arc::new(store::cases::items(&db).await.map_err(|e| anyhow!("{e}"))?.into_iter().map(|i| i.code).collect());
    let intake = |name: &'static str| {
        let (d, it) = (db.clone(), items.clone());
        phase(name, clients, seconds, move |c, i| {
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
    };
    println!("\n{:<44} {:>8} {:>10} {:>8} {:>8} {:>7}", "phase", "ok", "per s", "p50 ms", "p99 ms", "failed");
    let mut alone = intake("case intake alone").await;
    alone.print();
    // The acknowledgements intake queued go out first, then N more with intake running.
    drain(&db, &w).await?;
    queue(&db, messages).await?;
    let before = got.load(Ordering::Relaxed);
    let (d2, w2) = (db.clone(), w.clone());
    let delivering = tokio::spawn(async move { drain(&d2, &w2).await });
    let mut beside = intake("case intake while delivering").await;
    beside.print();
    let took2 = delivering.await??;
    let (a, b) = (alone.ok as f64 / alone.secs, beside.ok as f64 / beside.secs);
    println!(
        "\ndelivered {} more (and intake's acknowledgements) in {:.2} s beside intake; intake {:.0} → {:.0} per s ({:+.1} %)",
        got.load(Ordering::Relaxed) - before,
        took2.as_secs_f64(),
        a,
        b,
        (b - a) / a * 100.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
