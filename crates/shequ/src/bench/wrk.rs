//! `shequ bench intake`: case intake through the front door of a real
//! `shequ serve` process beside the two minimal servers of [`super::baseline`],
//! each a process of its own on a fresh SQLite file, all driven by the same
//! outside load generator (`wrk -t2 -c64`, Debian's `wrk`) with the same
//! Open311 body, in alternating rounds of one run. What a phase counts is
//! what wrk counts; afterwards the bench checks that every acknowledged case
//! was written.

use anyhow::{Context, Result, anyhow, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// What one wrk run measured.
#[derive(Clone, Copy, Default)]
struct Figures {
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    answered: u64,
    errors: u64,
}

/// `12.5ms`, `830.00us`, `1.02s` → milliseconds.
fn ms(s: &str) -> f64 {
    let (n, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len()));
    let n: f64 = n.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => n,
    }
}

fn parse(out: &str) -> Figures {
    let mut f = Figures::default();
    for line in out.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            ["Requests/sec:", n] => f.per_s = n.parse().unwrap_or(0.0),
            ["50%", t] => f.p50_ms = ms(t),
            ["99%", t] => f.p99_ms = ms(t),
            [n, "requests", "in", ..] => f.answered = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => f.errors += n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                f.errors += rest.iter().filter_map(|x| x.trim_end_matches(',').parse::<u64>().ok()).sum::<u64>()
            }
            _ => {}
        }
    }
    f
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn me() -> Result<PathBuf> {
    std::env::current_exe().context("the shequ binary")
}

async fn start(args: &[&str], base: &str, log: &Path) -> Result<Server> {
    let child = Command::new(me()?).args(args).stdout(Stdio::null()).stderr(std::fs::File::create(log)?).spawn()?;
    let server = Server(child);
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http.post(format!("{base}/open311/v2/requests.json")).send().await.is_ok() {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the server did not start (see {})", log.display())
}

fn wrk(base: &str, script: &Path, seconds: u64, clients: usize) -> Result<Figures> {
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{clients}"), &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(script)
        .arg(base)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    if !out.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// A wrk script posting `body` (a Lua format string over item, n, lat, long).
fn script(
    dir: &Path,
    name: &str,
    path: &str,
    content_type: &str,
    extra: &str,
    body: &str,
    items: &[String],
) -> Result<PathBuf> {
    let items = items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(",");
    let file = dir.join(format!("{name}.lua"));
    std::fs::write(
        &file,
        format!(
            "local items = {{{items}}}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  local item = items[(n % #items) + 1]\n  \
             local body = string.format(\"{body}\", item, n, 30.93 + (n % 64) * 0.0001, 117.81 + (n % 50) * 0.0001)\n  \
             return wrk.format(\"POST\", \"{path}\", {{[\"Content-Type\"] = \"{content_type}\"{extra}}}, body)\nend\n"
        ),
    )?;
    Ok(file)
}

const OPEN311: &str = "api_key=%s&jurisdiction_id=340705402&service_code=%s&first_name=%%E5%%B1%%85%%E6%%B0%%91\
     &phone=13800000000&description=bench%d&lat=%.6f&long=%.6f";

/// The cases in a SQLite file, read on a connection of its own (the server may be running).
async fn cases_in(db: &Path) -> Result<i64> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await?;
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&mut c).await?)
}

/// A fresh demo database with an Open311 key, the items both the counter and
/// Open311 take without a required question, and the front desk's session.
async fn prepare(dir: &Path) -> Result<(String, Vec<String>)> {
    let args =
        crate::cli::DbArgs { db: format!("sqlite://{}", dir.join("db").display()), key_file: Some(dir.join("db.key")) };
    let db = crate::cli::open(&args).await?;
    crate::demo::load(&db, crate::demo::Scale::Small).await?;
    let (_, key) = store::open311::add_client(&db, "bench", "bench-intake").await.map_err(|e| anyhow!("{e}"))?;
    let items = store::cases::items(&db)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .into_iter()
        .filter(|i| super::takes_bench_body(i) && i.takes(store::cases::Channel::Open311))
        .map(|i| i.code)
        .collect();
    db.pool.close().await;
    Ok((key, items))
}

async fn log_in(base: &str) -> Result<(String, String)> {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": "frontdesk", "password": crate::demo::DEMO_PASSWORD }))
        .send()
        .await?;
    let cookie = super::client::cookie_of(&r).ok_or(anyhow!("no session cookie"))?;
    let csrf = r.json::<serde_json::Value>().await?["csrf"].as_str().map(str::to_string).ok_or(anyhow!("no csrf"))?;
    Ok((cookie, csrf))
}

const PHASES: [&str; 5] = [
    "minimal one-row server (one commit per request)",
    "minimal group-commit server",
    "shequ Open311 POST requests.json",
    "shequ front-desk JSON API POST /api/v1/cases",
    "shequ front-desk form POST /cases",
];

pub(super) async fn run(seconds: u64, rounds: usize, clients: usize) -> Result<()> {
    Command::new("wrk").arg("--version").output().context("wrk is not installed (apt-get install wrk)")?;
    let top = std::env::temp_dir().join(format!("shequ-bench-wrk-{}", std::process::id()));
    let port = 18_000 + (std::process::id() % 900) as u16;
    let base = format!("http://127.0.0.1:{port}");
    let listen = format!("127.0.0.1:{port}");
    let mut all: Vec<[Figures; 5]> = Vec::new();
    println!(
        "wrk -t2 -c{clients}, {seconds} s per phase, {rounds} rounds, each server a process of its own on a fresh file\n"
    );
    println!("| round | phase | per s | p50 ms | p99 ms | errors |\n|---:|---|---:|---:|---:|---:|");
    for round in 1..=rounds {
        let mut f = [Figures::default(); 5];
        // The minimal servers.
        for (i, mode) in ["one-row", "group"].into_iter().enumerate() {
            let dir = top.join(format!("{round}-{mode}"));
            std::fs::create_dir_all(&dir)?;
            let db = format!("sqlite://{}", dir.join("db").display());
            let key_file = dir.join("db.key");
            let args = [
                "bench",
                "baseline",
                "--mode",
                mode,
                "--db",
                &db,
                "--key-file",
                key_file.to_str().unwrap_or(""),
                "--listen",
                &listen,
            ];
            let _server = start(&args, &base, &dir.join("log")).await?;
            let s = script(
                &dir,
                "open311",
                "/open311/v2/requests.json",
                "application/x-www-form-urlencoded",
                "",
                &OPEN311.replacen("%s", "none", 1),
                &["A".into(), "B".into()],
            )?;
            f[i] = wrk(&base, &s, seconds, clients)?;
        }
        // The real thing.
        let dir = top.join(format!("{round}-shequ"));
        std::fs::create_dir_all(&dir)?;
        let (key, items) = prepare(&dir).await?;
        let db = format!("sqlite://{}", dir.join("db").display());
        let key_file = dir.join("db.key");
        let args = ["serve", "--db", &db, "--key-file", key_file.to_str().unwrap_or(""), "--listen", &listen];
        let server = start(&args, &base, &dir.join("log")).await?;
        let (cookie, csrf) = log_in(&base).await?;
        let form = "application/x-www-form-urlencoded";
        let open311 =
            script(&dir, "open311", "/open311/v2/requests.json", form, "", &OPEN311.replacen("%s", &key, 1), &items)?;
        let session = format!(", [\"Cookie\"] = \"{cookie}\"");
        let api_body = r#"{\"item\":\"%s\",\"caller_name\":\"压测居民\",\"caller_phone\":\"13800000000\",\"building\":\"1栋\",\"description\":\"bench%d %.6f %.6f\"}"#;
        let api = script(
            &dir,
            "api",
            "/api/v1/cases",
            "application/json",
            &format!("{session}, [\"X-CSRF-Token\"] = \"{csrf}\""),
            api_body,
            &items,
        )?;
        let form_body = format!(
            "csrf={csrf}&item=%s&caller_name=%%E5%%B1%%85%%E6%%B0%%91&caller_phone=13800000000&building=1%%E6%%A0%%8B&description=bench%d"
        );
        let form_script = script(&dir, "form", "/cases", form, &session, &form_body, &items)?;
        let before = cases_in(&dir.join("db")).await?;
        f[2] = wrk(&base, &open311, seconds, clients)?;
        f[3] = wrk(&base, &api, seconds, clients)?;
        f[4] = wrk(&base, &form_script, seconds, clients)?;
        drop(server);
        let written = cases_in(&dir.join("db")).await? - before;
        let acked: u64 = f[2..].iter().map(|p| p.answered - p.errors).sum();
        // wrk stops with requests in flight: those may be written without being counted.
        if (written as u64) < acked || written as u64 > acked + 3 * clients as u64 {
            bail!("round {round}: {acked} cases acknowledged but {written} written");
        }
        for (name, p) in PHASES.iter().zip(&f) {
            println!("| {round} | {name} | {:.0} | {:.2} | {:.2} | {} |", p.per_s, p.p50_ms, p.p99_ms, p.errors);
        }
        eprintln!(
            "round {round}: {acked} cases acknowledged, {written} written (in flight at wrk's stop: {})",
            written as u64 - acked
        );
        let _ = std::fs::remove_dir_all(&dir);
        all.push(f);
    }
    let median = |i: usize| {
        let mut v: Vec<f64> = all.iter().map(|f| f[i].per_s).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let p99 = all.iter().flat_map(|f| f[2..].iter().map(|p| p.p99_ms)).fold(0.0, f64::max);
    println!(
        "\nmedians per s: one-row {:.0} · group commit {:.0} · Open311 {:.0} · API {:.0} · form {:.0}",
        median(0),
        median(1),
        median(2),
        median(3),
        median(4)
    );
    for (i, name) in [(2, "Open311"), (3, "API"), (4, "form")] {
        println!(
            "{name}: {:.2}× the one-row server (goal ≥ 3×), {:.0} % of the group-commit server (goal ≥ 25 %)",
            median(i) / median(0),
            100.0 * median(i) / median(1)
        );
    }
    println!("worst intake p99 {p99:.2} ms (goal < 25 ms)");
    let _ = std::fs::remove_dir_all(&top);
    // A refused request is quick: a phase with errors measured refusals, not intake.
    let refused: u64 = all.iter().flat_map(|f| f.iter().map(|p| p.errors)).sum();
    if refused > 0 {
        bail!("{refused} requests were not answered 2xx: these figures are not of intake");
    }
    Ok(())
}
