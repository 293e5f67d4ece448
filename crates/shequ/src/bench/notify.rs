//! `shequ bench notify`: N queued SMS delivered to a local fake gateway (each
//! request's signature checked there) at the gateway's even pace, and case
//! intake's rate (the store path, `store::cases::create`) alone and while
//! another N are being delivered, in alternating rounds of one process: the
//! worker exists in both phases, only the queued messages differ. The gateway
//! is another process, as in production (`shequ sms-sink --quiet`, started by
//! the bench unless `--gateway` names one), so its work is not this process's.

use super::intake::phase;
use crate::deliver::{Config, Worker, sink};
use anyhow::{Context, Result, anyhow};
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Db;
use tokio::io::AsyncBufReadExt;

const SECRET: &[u8] = b"bench-secret";

/// The bench's shape (see `shequ bench notify --help`).
pub struct Shape {
    pub messages: usize,
    pub clients: usize,
    pub seconds: u64,
    pub rounds: usize,
    pub rate: u64,
    pub batch: i64,
    pub gateway: Option<String>,
    pub sink_nice: i32,
    pub interleave: Option<u64>,
}

/// `shequ sms-sink --quiet` on a free port, as a child process (at `nice`
/// unless 0); the child (killed when dropped) and its /sms URL.
async fn start_sink(nice: i32) -> Result<(tokio::process::Child, String)> {
    let exe = std::env::current_exe()?;
    let mut cmd = if nice == 0 {
        tokio::process::Command::new(exe)
    } else {
        let mut c = tokio::process::Command::new("nice");
        c.arg("-n").arg(nice.to_string()).arg(exe);
        c
    };
    cmd.args(["sms-sink", "--listen", "127.0.0.1:0", "--quiet"])
        .env("SHEQU_SMS_SECRET", std::str::from_utf8(SECRET)?)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().context("starting shequ sms-sink")?;
    let out = child.stdout.take().ok_or_else(|| anyhow!("sms-sink: no stdout"))?;
    let mut lines = tokio::io::BufReader::new(out).lines();
    while let Some(line) = lines.next_line().await? {
        if let Some(url) = line.strip_prefix("sms-sink listening on ") {
            let url = url.trim().to_string();
            // The rest of its output (the hint line) is read and dropped, so the pipe never fills.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Ok((child, url));
        }
    }
    Err(anyhow!("shequ sms-sink ended before it listened"))
}

/// CPU seconds (user and system) a process has used so far, from
/// `/proc/<pid>/stat` (clock ticks of 1/100 s); 0 where there is no /proc.
fn cpu_secs(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    // After the name: state (not a number, skipped), then ppid … utime is the 12th number, stime the 13th.
    f.get(10).zip(f.get(11)).map(|(u, s)| (u + s) / 100.0).unwrap_or(0.0)
}

/// Checkpoints the WAL, so each phase starts from the same file state (the
/// bench's bulk queueing is not delivery's own cost).
async fn checkpoint(db: &Db) -> Result<()> {
    if db.dialect == store::Dialect::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db.pool).await?;
    }
    Ok(())
}

/// The gateway's counts (`GET /stats` beside its /sms).
async fn stats(gateway: &str) -> Result<sink::Stats> {
    let url = format!("{}/stats", gateway.trim_end_matches("/sms"));
    Ok(reqwest::get(&url).await?.error_for_status()?.json().await?)
}

/// Queues `n` SMS in one transaction; the last one's id.
async fn queue(db: &Db, n: usize) -> Result<i64> {
    let mut tx = db.begin().await?;
    for i in 0..n {
        let phone = format!("139{:08}", i % 100_000_000);
        let to = store::outbox::To { kind: "resident", recipient: &phone, channel: "sms" };
        let zh = format!("您的诉求已受理，编号第{i}号，办理期限至2026-03-09。");
        store::outbox::notify(&mut tx, ("340705402", "340705"), None, to, &zh, &zh).await?;
    }
    tx.commit().await?;
    Ok(sqlx::query_scalar("SELECT CAST(MAX(id) AS BIGINT) FROM outbox").fetch_one(&db.pool).await?)
}

/// Messages up to `upto` still queued.
async fn left(db: &Db, upto: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE status = 'queued' AND id <= $1")
        .bind(upto)
        .fetch_one(&db.pool)
        .await?)
}

/// Worker rounds until every message up to `upto` is settled; the time it took.
async fn deliver_upto(db: &Db, w: &Worker, upto: i64) -> Result<Duration> {
    let t = Instant::now();
    while left(db, upto).await? > 0 {
        if w.round(db).await.map_err(|e| anyhow!("{e}"))? == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    Ok(t.elapsed())
}

/// Nothing else queued (intake's acknowledgements) is left for the next phase.
async fn skip_rest(db: &Db) -> Result<()> {
    sqlx::query("UPDATE outbox SET status = 'skipped' WHERE status = 'queued'").execute(&db.pool).await?;
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

pub async fn run(url: Option<String>, shape: Shape) -> Result<()> {
    let Shape { messages, clients, seconds, rounds, rate, batch, gateway, sink_nice, interleave } = shape;
    let dir = std::env::temp_dir().join(format!("shequ-bench-notify-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = url.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let db = crate::cli::open(&crate::cli::DbArgs { db: url.clone(), key_file: Some(dir.join("bench.key")) }).await?;
    if db.is_empty().await? {
        crate::demo::load(&db, crate::demo::Scale::Tiny).await?;
    }
    // Only the bench's messages go out.
    skip_rest(&db).await?;

    let (sink, gateway) = match gateway {
        Some(g) => (None, g),
        None => {
            let (child, url) = start_sink(sink_nice).await?;
            (Some(child), url)
        }
    };
    let sink_pid = sink.as_ref().and_then(|c| c.id()).map(|p| p.to_string()).unwrap_or_default();
    let cpu = || (cpu_secs("self"), cpu_secs(&sink_pid));
    let before = stats(&gateway).await?;
    let cfg = Config {
        sms_gateway: Some(gateway.clone()),
        smtp: None,
        webhook: None,
        secret: Arc::new(SECRET.to_vec()),
        webhook_secret: Arc::new(SECRET.to_vec()),
        retry: notify::retry::Retry::default(),
        quiet: None,
        interval: Duration::from_millis(200),
        lease_secs: 60,
        batch,
        sms_rate: rate,
        concurrency: 8,
        max_parts: 4,
    };
    let w = Worker::new(cfg.clone());
    println!(
        "database: {} · gateway {gateway} (another process{}) · {messages} messages · rate cap {rate} per s, even · \
         batches of {batch} · {clients} intake clients · {seconds} s per intake phase · {rounds} rounds\n",
        store::redact_url(&url),
        if sink_nice != 0 { format!(", nice {sink_nice}") } else { String::new() }
    );

    // 1. N queued messages to the fake gateway, nothing else running.
    let upto = queue(&db, messages).await?;
    checkpoint(&db).await?;
    let c0 = cpu();
    let took = deliver_upto(&db, &w, upto).await?;
    let c1 = cpu();
    let n = stats(&gateway).await?.received - before.received;
    println!(
        "delivered {n} of {messages} in {:.2} s ({:.0} per s) with nothing else running; CPU: this process {:.2} s \
         ({:.0} µs a message), the gateway's process {:.2} s",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        c1.0 - c0.0,
        (c1.0 - c0.0) * 1e6 / n.max(1) as f64,
        c1.1 - c0.1,
    );

    // 2. Case intake alone, then while another N are delivered, in alternating rounds.
    let items: Arc<Vec<String>> =
        Arc::new(store::cases::items(&db).await.map_err(|e| anyhow!("{e}"))?.into_iter().map(|i| i.code).collect());
    if let Some(window) = interleave {
        // Batches short enough that delivery stops within a quarter of a window.
        let small = Worker::new(Config { batch: batch.min((rate * window / 4).max(1) as i64), ..cfg.clone() });
        let r = interleaved(&db, &small, items, clients, window, rounds, rate).await;
        let _ = std::fs::remove_dir_all(&dir);
        return r;
    }
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
    let (mut alone_rates, mut beside_rates, mut times, mut changes) = (vec![], vec![], vec![], vec![]);
    // Rounds alternate the order (alone first, then delivering first), so a
    // drift of the machine's load or of the file's size favours neither.
    for r in 0..rounds {
        let mut alone = None;
        let mut beside = None;
        let mut took = Duration::ZERO;
        for delivering in [r % 2 == 1, r % 2 == 0] {
            skip_rest(&db).await?;
            let upto = if delivering { Some(queue(&db, messages).await?) } else { None };
            checkpoint(&db).await?;
            let c0 = cpu();
            let job = upto.map(|upto| {
                let (d2, w2) = (db.clone(), w.clone());
                tokio::spawn(async move { deliver_upto(&d2, &w2, upto).await })
            });
            let mut p = intake(if delivering { "case intake while delivering" } else { "case intake alone" }).await;
            let c1 = cpu();
            p.print();
            println!(
                "  CPU over the intake phase: this process {:.2} s a second, the gateway's {:.2} s a second",
                (c1.0 - c0.0) / p.secs,
                (c1.1 - c0.1) / p.secs
            );
            if let Some(job) = job {
                took = job.await??;
                beside = Some(p);
            } else {
                alone = Some(p);
            }
        }
        let (Some(alone), Some(beside)) = (alone, beside) else { unreachable!("both phases ran") };
        let (a, b) = (alone.ok as f64 / alone.secs, beside.ok as f64 / beside.secs);
        println!(
            "  round {}: {messages} delivered in {:.2} s beside intake (intake phase {seconds} s); intake {a:.0} → \
             {b:.0} per s ({:+.1} %)\n",
            r + 1,
            took.as_secs_f64(),
            (b - a) / a * 100.0
        );
        alone_rates.push(a);
        beside_rates.push(b);
        times.push(took.as_secs_f64());
        changes.push((b - a) / a * 100.0);
    }
    println!(
        "\nmedians over {rounds} rounds: intake alone {:.0} per s, while delivering {:.0} per s, change {:+.1} %; \
         {messages} delivered in {:.2} s; bad signatures or duplicates at the gateway: {}",
        median(&mut alone_rates),
        median(&mut beside_rates),
        median(&mut changes),
        median(&mut times),
        {
            let s = stats(&gateway).await?;
            (s.bad_signatures - before.bad_signatures) + (s.duplicates - before.duplicates)
        }
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// One continuous intake run (`clients` loops of `store::cases::create`) for
/// `2 × pairs` windows of `window` seconds; delivery runs in one window of each
/// pair (ABBA order: off-on, on-off, …) and is idle in the other. Intake's
/// count per window gives the change per pair; both medians are printed.
async fn interleaved(
    db: &Db,
    w: &Worker,
    items: Arc<Vec<String>>,
    clients: usize,
    window: u64,
    pairs: usize,
    rate: u64,
) -> Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    skip_rest(db).await?;
    // Enough for every "on" window at the full rate, queued before intake starts.
    let upto = queue(db, (rate * window * pairs as u64 + rate) as usize).await?;
    checkpoint(db).await?;
    let (done, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (db, items, done, stop) = (db.clone(), items.clone(), done.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let n = store::cases::NewCase {
                    item: items[(c + i) % items.len()].clone(),
                    caller_name: "压测居民".into(),
                    caller_phone: "13800000000".into(),
                    building: format!("{}栋", (c % 40) + 1),
                    description: "bench".into(),
                    ..Default::default()
                };
                if store::cases::create(&db, "bench", cases::Role::FrontDesk, "340705402", n).await.is_ok() {
                    done.fetch_add(1, Ordering::Relaxed);
                }
                i += 1;
            }
        }));
    }
    let win = Duration::from_secs(window);
    // Warm-up: one window not counted.
    tokio::time::sleep(win).await;
    let (mut changes, mut offs, mut ons) = (vec![], vec![], vec![]);
    for p in 0..pairs {
        let mut rates = [0.0f64; 2]; // [off, on]
        for k in 0..2 {
            let on = if p % 2 == 0 { k == 1 } else { k == 0 };
            let (t0, n0) = (Instant::now(), done.load(Ordering::Relaxed));
            if on {
                // A batch takes batch/rate seconds; none is begun that would outlast the window.
                let per = Duration::from_secs_f64(w.batch() as f64 / rate.max(1) as f64);
                while t0.elapsed() + per <= win && left(db, upto).await? > 0 {
                    w.round(db).await.map_err(|e| anyhow!("{e}"))?;
                }
            }
            if let Some(rest) = win.checked_sub(t0.elapsed()) {
                tokio::time::sleep(rest).await;
            }
            let r = (done.load(Ordering::Relaxed) - n0) as f64 / t0.elapsed().as_secs_f64();
            rates[usize::from(on)] = r;
        }
        let change = (rates[1] - rates[0]) / rates[0] * 100.0;
        println!(
            "  pair {}: intake {:.0} per s idle → {:.0} per s delivering ({change:+.1} %)",
            p + 1,
            rates[0],
            rates[1]
        );
        changes.push(change);
        offs.push(rates[0]);
        ons.push(rates[1]);
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (mo, mn) = (mean(&offs), mean(&ons));
    println!(
        "\n{pairs} pairs of {window} s windows: median change {:+.1} %; mean intake idle {mo:.0} per s, delivering \
         {mn:.0} per s ({:+.1} %)",
        median(&mut changes),
        (mn - mo) / mo * 100.0
    );
    Ok(())
}
