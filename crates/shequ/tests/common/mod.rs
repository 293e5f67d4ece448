//! Test harness: the real server on 127.0.0.1:0 over a fresh database on
//! each backend — a temporary SQLite file, and a fresh database on the
//! PostgreSQL server named by SHEQU_TEST_PG (scripts/test.sh starts a private
//! cluster). Without PostgreSQL the suite says so loudly and records the skip
//! (see [`skip`]); under CI it fails.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use store::Db;
use tokio::sync::oneshot;

pub const PASSWORD: &str = shequ::demo::DEMO_PASSWORD;

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}_{}_{}", std::process::id(), t % 1_000_000_000, n)
}

/// Whether this is a CI run: `CI` set to anything but empty, `false` or `0`
/// (so `CI=1` and `CI=true` alike). scripts/test.sh applies the same rule.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "false" | "0"))
}

/// Fail under CI; else record the skip and shout. The record is a line per
/// skipped test in the file named by SHEQU_SKIPPED, which scripts/test.sh lists
/// after cargo's summary: the test harness hides what a passing test prints.
pub fn skip(what: &str) {
    if ci() {
        panic!("CI is set but {what} is not available: a skipped suite is a failure");
    }
    let suite = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|s| s.rsplit_once('-').map(|(name, _hash)| name.to_string()).unwrap_or(s))
        .unwrap_or_default();
    if let Some(file) = std::env::var_os("SHEQU_SKIPPED").filter(|f| !f.is_empty()) {
        use std::io::Write;
        let line = format!("{}/tests/{suite}.rs: {what} is not available\n", env!("CARGO_PKG_NAME"));
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&file)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(e) = written {
            eprintln!("could not record the skip in {}: {e}", std::path::Path::new(&file).display());
        }
    }
    eprintln!("\n*** SKIPPED: {what} is not available ***\n");
}

/// Database URLs to run against: SQLite always, PostgreSQL when configured.
pub async fn backends() -> Vec<(&'static str, String)> {
    let mut out = vec![("sqlite", sqlite_url())];
    match std::env::var("SHEQU_TEST_PG") {
        Ok(admin) if !admin.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("shequ_t_{}", unique());
            let pool = sqlx::AnyPool::connect(&admin).await.expect("connect to SHEQU_TEST_PG");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .expect("create test database");
            pool.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
            out.push(("postgres", format!("{base}/{name}")));
        }
        _ => skip("PostgreSQL (set SHEQU_TEST_PG or run scripts/test.sh)"),
    }
    out
}

/// A fresh SQLite file in a scratch directory, which goes with the server [`start`] opens on it.
pub fn sqlite_url() -> String {
    let dir = std::env::temp_dir().join(format!("shequ-test-{}", unique()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    format!("sqlite://{}/shequ.db", dir.display())
}

pub struct Server {
    pub base: String,
    pub db: Db,
    pub backend: &'static str,
    /// The demo Open311 client's api_key (drawn at random when the demo was loaded; empty without the demo).
    pub open311_key: String,
    stop: Option<oneshot::Sender<()>>,
    /// The temporary directory of a SQLite database, removed with the server.
    scratch: Option<std::path::PathBuf>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(dir) = self.scratch.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub async fn start(backend: &'static str, url: &str) -> Server {
    let db = Db::connect(url, store::seal::Seal::new([42; 32])).await.expect("connect");
    db.migrate().await.expect("migrate");
    let demo = shequ::demo::load(&db, shequ::demo::Scale::Tiny).await.expect("demo data");
    let mut server = serve(backend, db).await;
    server.open311_key = demo.open311_key;
    // A database of `backends()`: its directory goes when the server does.
    server.scratch = url
        .strip_prefix("sqlite://")
        .and_then(|file| std::path::Path::new(file).parent())
        .filter(|dir| dir.file_name().is_some_and(|n| n.to_string_lossy().starts_with("shequ-test-")))
        .map(|dir| dir.to_path_buf());
    server
}

pub async fn serve(backend: &'static str, db: Db) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = oneshot::channel::<()>();
    let state = web::AppState::new(db.clone());
    tokio::spawn(async move {
        let _ = web::serve(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    Server { base, db, backend, open311_key: String::new(), stop: Some(tx), scratch: None }
}

impl Server {
    /// [`post_json`] to a path on this server.
    pub async fn post_json(
        &self,
        c: &reqwest::Client,
        csrf: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        post_json(c, csrf, format!("{}{path}", self.base), body).await
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// Log in through the API; returns the client (holding the cookie) and the CSRF token.
pub async fn login(s: &Server, username: &str) -> (reqwest::Client, String) {
    let c = client();
    let r = c
        .post(format!("{}/api/v1/session", s.base))
        .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("login request");
    assert_eq!(r.status(), 200, "login as {username}");
    let v: serde_json::Value = r.json().await.expect("json");
    (c, v["csrf"].as_str().expect("csrf").to_string())
}

/// A JSON request (GET, POST or PUT) carrying the CSRF token: the status and
/// the JSON answer (`Null` when the answer is not JSON).
pub async fn send_json(
    c: &reqwest::Client,
    csrf: &str,
    method: &str,
    url: String,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let req = match method {
        "GET" => c.get(url),
        "PUT" => c.put(url),
        "POST" => c.post(url),
        other => panic!("send_json: no {other}"),
    };
    let r = req.header("x-csrf-token", csrf).json(&body).send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// [`send_json`] with POST.
pub async fn post_json(
    c: &reqwest::Client,
    csrf: &str,
    url: String,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    send_json(c, csrf, "POST", url, body).await
}

/// The row counts of these tables: equal before and after shows that a
/// refused action wrote nothing (its audit entry included, if `audit_log` is listed).
pub async fn footprint(s: &Server, tables: &[&str]) -> Vec<i64> {
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}");
        out.push(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&s.db.pool).await.expect("count"));
    }
    out
}

/// A page's HTML without the demo's one line saying its people are invented
/// (`pages::layout`), so that a test can ask whether the page's own content carries 示例.
pub fn without_invented_note(html: &str) -> String {
    let start = "<div class=\"invented-note\">";
    match html.find(start).and_then(|i| html[i..].find("</div>").map(|j| (i, i + j + "</div>".len()))) {
        Some((i, j)) => format!("{}{}", &html[..i], &html[j..]),
        None => html.to_string(),
    }
}

/// A valid citizen ID number for tests.
pub fn id_number(seq: u16) -> String {
    rules::gb11643::compose("340705", time_date(1985, 6, 1), seq)
}

pub fn time_date(y: i32, m: u8, d: u8) -> time::Date {
    time::Date::from_calendar_date(y, time::Month::try_from(m).expect("month"), d).expect("date")
}

/// A real `shequ serve` child process on the database, with extra arguments
/// and environment, killed when dropped; answers once it says where it
/// listens, with that address. The key is the one [`start`] seals ID numbers with.
pub async fn serve_process(url: &str, args: &[&str], env: &[(&str, &str)]) -> (tokio::process::Child, String) {
    use tokio::io::AsyncBufReadExt;
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_shequ"));
    cmd.args(["serve", "--db", url, "--listen", "127.0.0.1:0"]).args(args).env("SHEQU_KEY", "2a".repeat(32));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::env::var_os("SHEQU_TEST_CHILD_LOG").map_or_else(std::process::Stdio::null, |f| {
            std::fs::OpenOptions::new().create(true).append(true).open(f).expect("child log").into()
        }))
        .kill_on_drop(true)
        .spawn()
        .expect("start shequ serve");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("read stdout") {
            if let Some(rest) = line.split("http://").nth(1) {
                return format!("http://{}", rest.trim_end_matches('/'));
            }
        }
        panic!("shequ serve ended without listening");
    })
    .await
    .expect("serve listens");
    (child, base)
}
