//! Delivering the outbox (issue 19), on SQLite and PostgreSQL: a fake SMS
//! gateway and an SMTP sink started here (no outside network) take what the
//! worker sends; signatures verify, receipts come back signed, an opted-out
//! resident gets nothing, a gateway that is down leaves a backlog that drains
//! when it returns, a dead letter is retried by hand, and real `shequ serve`
//! processes — two at once, or one killed with SIGKILL mid-batch — deliver
//! every message, twice only for the batch in flight, with the same key.

mod common;
use common::*;
use serde_json::{Value, json};
use shequ::deliver::sink::Received;
use shequ::deliver::smtp::{Mail, Relay};
use shequ::deliver::{Config, Worker};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::Db;

const SECRET: &str = "test-secret-19";

/// The gateway: every arrival, in order.
#[derive(Clone, Default)]
struct Got(Arc<Mutex<Vec<Received>>>);

impl Got {
    fn all(&self) -> Vec<Received> {
        self.0.lock().unwrap().clone()
    }
}

async fn gateway_on(listener: tokio::net::TcpListener, receipts: Option<String>, delay: Duration) -> Got {
    let got = Got::default();
    let g = got.clone();
    tokio::spawn(shequ::deliver::sink::serve(
        listener,
        Arc::new(SECRET.as_bytes().to_vec()),
        receipts,
        delay,
        move |r| g.0.lock().unwrap().push(r),
    ));
    got
}

async fn mail_sink() -> (String, Arc<Mutex<Vec<Mail>>>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let mails: Arc<Mutex<Vec<Mail>>> = Default::default();
    let m = mails.clone();
    tokio::spawn(shequ::deliver::smtp::serve_sink(l, move |mail| m.lock().unwrap().push(mail)));
    (addr, mails)
}

fn config(gateway: &str, webhook: Option<String>, smtp: Option<String>) -> Config {
    Config {
        sms_gateway: Some(gateway.to_string()),
        smtp: smtp.map(|addr| Relay::plain(addr, "shequ@example.cn")),
        webhook,
        secret: Arc::new(SECRET.as_bytes().to_vec()),
        webhook_secret: Arc::new(SECRET.as_bytes().to_vec()),
        retry: notify::retry::Retry { base: Duration::from_millis(400), cap: Duration::from_secs(2), max_attempts: 50 },
        quiet: None,
        interval: Duration::from_millis(100),
        lease_secs: 30,
        batch: 50,
        sms_rate: 0,
        concurrency: 8,
        max_parts: 4,
    }
}

/// The web server with the receipt secret, over a database the demo filled.
async fn server(db: &Db) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = web::AppState::new(db.clone()).with_receipt_secret(SECRET.as_bytes().to_vec());
    tokio::spawn(async move { web::serve(listener, state, std::future::pending()).await });
    base
}

async fn login_at(base: &str, username: &str) -> (reqwest::Client, String) {
    let c = client();
    let r = c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "login as {username}");
    let v: Value = r.json().await.unwrap();
    (c, v["csrf"].as_str().unwrap().to_string())
}

async fn statuses(db: &Db) -> BTreeMap<String, i64> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, CAST(COUNT(*) AS BIGINT) FROM outbox GROUP BY status")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter().collect()
}

/// Queues `n` SMS to distinct residents' numbers in 天井湖 (340705402).
async fn queue_sms(db: &Db, n: usize, tag: &str) {
    let (code, district): (String, String) =
        sqlx::query_as("SELECT code, district_code FROM communities WHERE code = '340705402'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let mut tx = db.begin().await.unwrap();
    for i in 0..n {
        let phone = format!("139{:08}", i);
        let to = store::outbox::To { kind: "resident", recipient: &phone, channel: "sms" };
        let zh = format!("测试通知{tag}第{i}条。");
        store::outbox::notify(&mut tx, (&code, &district), None, to, &zh, &zh).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn until(what: &str, secs: u64, mut f: impl AsyncFnMut() -> bool) {
    let t0 = std::time::Instant::now();
    while !f().await {
        assert!(t0.elapsed() < Duration::from_secs(secs), "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_outbox_goes_out_signed_consent_is_kept_and_receipts_come_back() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = s.db.clone();
        let base = server(&db).await;
        let gl = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gw = format!("http://{}", gl.local_addr().unwrap());
        let got = gateway_on(gl, Some(format!("{base}/api/v1/notify/receipts")), Duration::ZERO).await;
        let (smtp, mails) = mail_sink().await;
        queue_sms(&db, 3, "甲").await;
        let queued = statuses(&db).await.get("queued").copied().unwrap_or(0);
        assert!(queued >= 3, "{backend}: the demo and the test queued notices: {queued}");

        // A resident opts out at the counter; the community admin chooses email.
        let (desk, csrf) = login_at(&base, "frontdesk").await;
        let post = |path: &str, body: Value| {
            desk.post(format!("{base}{path}")).header("x-csrf-token", csrf.clone()).json(&body).send()
        };
        let r = post(
            "/api/v1/notify/prefs",
            json!({"subject": "13900000001", "subject_kind": "resident", "opted_out": true, "consent_how": "counter"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}: {}", r.text().await.unwrap());
        let r = post("/api/v1/notify/prefs", json!({"subject": "community:340705402", "subject_kind": "staff", "prefer": "email", "email": "desk@example.cn", "consent_how": "staff"})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let bad = post(
            "/api/v1/notify/prefs",
            json!({"subject": "not-a-phone", "subject_kind": "resident", "consent_how": "counter"}),
        )
        .await
        .unwrap();
        assert_eq!(bad.status(), 422, "{backend}: a resident is recorded by number");
        // A notice to the community's staff, which now goes by email.
        let mut tx = db.begin().await.unwrap();
        let to = store::outbox::To { kind: "staff", recipient: "community:340705402", channel: "app" };
        store::outbox::notify(&mut tx, ("340705402", "340705"), None, to, "请处理新的案件。", "A new case to handle.")
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let w = Worker::new(config(&format!("{gw}/sms"), Some(format!("{gw}/webhook")), Some(smtp)));
        w.drain(&db).await.unwrap();
        let st = statuses(&db).await;
        assert_eq!(st.get("queued"), None, "{backend}: nothing left queued: {st:?}");
        assert_eq!(st.get("skipped"), Some(&1), "{backend}: only the opted-out resident's notice is skipped: {st:?}");
        let skipped: (String, String) =
            sqlx::query_as("SELECT recipient, last_error FROM outbox WHERE status = 'skipped'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(skipped.0, "13900000001");
        assert!(skipped.1.contains("退订"), "{backend}: {}", skipped.1);

        let arrivals = got.all();
        assert!(arrivals.iter().all(|a| a.signature_ok), "{backend}: every request is signed");
        assert!(arrivals.iter().all(|a| a.to != "13900000001"), "{backend}: the opted-out number gets nothing");
        let keys: BTreeSet<&str> = arrivals.iter().map(|a| a.idempotency_key.as_str()).collect();
        assert_eq!(keys.len(), arrivals.len(), "{backend}: each message once");
        let sms: Vec<&Received> = arrivals.iter().filter(|a| a.body.get("template").is_some()).collect();
        assert!(sms.len() >= 2, "{backend}: {}", sms.len());
        for a in &sms {
            assert!(
                a.text.starts_with('【') && a.text.contains("】"),
                "{backend}: signed with the community: {}",
                a.text
            );
            assert!(notify::sms::segments(&a.text).parts <= 4);
        }
        let mails = mails.lock().unwrap().clone();
        let by_email: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE sent_via = 'email'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(mails.len() as i64, by_email, "{backend}: a mail for each notice to the community admin");
        assert!(mails.iter().all(|m| m.to == vec!["desk@example.cn".to_string()]), "{backend}");
        let ours = mails.iter().find(|m| m.text.contains("请处理新的案件")).expect("our notice by mail");
        assert!(ours.subject.contains("天井湖") && ours.text.contains("A new case to handle."), "{backend}: {ours:?}");

        // Receipts: every SMS and webhook call is acknowledged by the gateway.
        let sent_http: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE sent_via <> 'email'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(sent_http as usize, arrivals.len(), "{backend}");
        until("receipts", 20, async || statuses(&db).await.get("delivered").copied().unwrap_or(0) == sent_http).await;
        let forged = client()
            .post(format!("{base}/api/v1/notify/receipts"))
            .header("x-shequ-signature", "sha256=00")
            .body(json!({"idempotency_key": arrivals[0].idempotency_key, "status": "undelivered"}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 422, "{backend}: an unsigned receipt is refused");
        assert!(forged.text().await.unwrap().contains("signature"), "{backend}: naming the signature");
        let page = desk.get(format!("{base}/outbox")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("已送达") && page.contains("未发送"), "{backend}: the outbox shows each delivery");
        let prefs = desk.get(format!("{base}/notify/prefs")).send().await.unwrap().text().await.unwrap();
        assert!(prefs.contains("139****0001") && !prefs.contains("13900000001"), "{backend}: numbers masked");
        assert!(prefs.contains("已退订") && prefs.contains("窗口当面"), "{backend}: opt-out and how consent was given");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gateway_down_leaves_a_backlog_that_drains_and_a_dead_letter_is_retried() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = s.db.clone();
        let base = server(&db).await;
        // Only our messages: the demo's are set aside.
        sqlx::query("UPDATE outbox SET status = 'skipped'").execute(&db.pool).await.unwrap();
        queue_sms(&db, 40, "乙").await;
        // The gateway's port, with nothing listening yet.
        let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
        let slow = notify::retry::Retry { base: Duration::from_secs(3), cap: Duration::from_secs(3), max_attempts: 50 };
        let w = Worker::new(Config { retry: slow, ..config(&format!("http://{port}/sms"), None, None) });
        w.drain(&db).await.unwrap();
        let st = statuses(&db).await;
        assert_eq!(st.get("queued"), Some(&40), "{backend}: failed, still queued: {st:?}");
        let (attempts, err): (i64, String) =
            sqlx::query_as("SELECT attempts, last_error FROM outbox WHERE status = 'queued' ORDER BY id LIMIT 1")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(attempts, 1);
        assert!(err.contains("网关无法连接"), "{backend}: {err}");
        w.drain(&db).await.unwrap();
        assert_eq!(statuses(&db).await.get("queued"), Some(&40), "{backend}: nothing is tried before its backoff");

        // The gateway comes back: the backlog drains, each message once.
        let got = gateway_on(tokio::net::TcpListener::bind(port).await.unwrap(), None, Duration::ZERO).await;
        until("the backlog drains", 30, async || {
            w.drain(&db).await.unwrap();
            statuses(&db).await.get("sent").copied().unwrap_or(0) == 40
        })
        .await;
        let keys: BTreeSet<String> = got.all().into_iter().map(|a| a.idempotency_key).collect();
        assert_eq!((keys.len(), got.all().len()), (40, 40), "{backend}: all 40, none twice");

        // One attempt only: the next failure is a dead letter, shown with its error and retried by hand.
        queue_sms(&db, 1, "丙").await;
        let dead = Worker::new(Config {
            retry: notify::retry::Retry { max_attempts: 1, ..config("", None, None).retry },
            ..config("http://127.0.0.1:9/sms", None, None)
        });
        dead.drain(&db).await.unwrap();
        let id: i64 =
            sqlx::query_scalar("SELECT id FROM outbox WHERE status = 'dead'").fetch_one(&db.pool).await.unwrap();
        let (desk, csrf) = login_at(&base, "frontdesk").await;
        let page = desk.get(format!("{base}/outbox")).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("dead-letters") && page.contains("网关无法连接") && page.contains("重新发送"),
            "{backend}"
        );
        let r =
            desk.post(format!("{base}/api/v1/outbox/{id}/retry")).header("x-csrf-token", &csrf).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let again =
            desk.post(format!("{base}/api/v1/outbox/{id}/retry")).header("x-csrf-token", &csrf).send().await.unwrap();
        assert_eq!(again.status(), 422, "{backend}: a queued message is not retried");
        let (yh, yh_csrf) = login_at(&base, "frontdesk_yh").await;
        let other =
            yh.post(format!("{base}/api/v1/outbox/{id}/retry")).header("x-csrf-token", &yh_csrf).send().await.unwrap();
        assert_eq!(other.status(), 404, "{backend}: another community's message is out of reach");
        w.drain(&db).await.unwrap();
        let st: String =
            sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
        assert_eq!(st, "sent", "{backend}");
    }
}

/// A `shequ serve` child delivering to `gateway`; killed when dropped.
async fn spawn(url: &str, gateway: &str) -> tokio::process::Child {
    let env = [
        ("SHEQU_SMS_SECRET", SECRET),
        ("SHEQU_NOTIFY_INTERVAL_MS", "100"),
        ("SHEQU_NOTIFY_QUIET", "off"),
        ("SHEQU_NOTIFY_LEASE_SECS", "3"),
        ("SHEQU_NOTIFY_BATCH", "20"),
        ("SHEQU_SMS_RATE", "0"),
        ("SHEQU_NOTIFY_RETRY_BASE_MS", "300"),
    ];
    serve_process(url, &["--sms-gateway", gateway], &env).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serve_processes_deliver_each_message_once_and_a_kill_loses_none() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = s.db.clone();
        sqlx::query("UPDATE outbox SET status = 'skipped'").execute(&db.pool).await.unwrap();
        let gl = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gw = format!("http://{}/sms", gl.local_addr().unwrap());
        // A slow gateway (10 ms an SMS), so that a kill lands in the middle of a batch.
        let got = gateway_on(gl, None, Duration::from_millis(10)).await;

        // Two processes at once: every message once.
        queue_sms(&db, 200, "丁").await;
        let (a, b) = (spawn(&url, &gw).await, spawn(&url, &gw).await);
        until("two processes deliver", 60, async || statuses(&db).await.get("sent").copied().unwrap_or(0) == 200).await;
        let arrivals = got.all();
        let keys: BTreeSet<&str> = arrivals.iter().map(|a| a.idempotency_key.as_str()).collect();
        assert_eq!((keys.len(), arrivals.len()), (200, 200), "{backend}: two processes, each message once");
        assert!(arrivals.iter().all(|a| a.signature_ok));
        drop((a, b));

        // One process killed with SIGKILL mid-delivery, another takes over: none lost.
        queue_sms(&db, 200, "戊").await;
        let before = got.all().len();
        let mut victim = spawn(&url, &gw).await;
        until("the first arrivals", 60, async || got.all().len() >= before + 30).await;
        victim.start_kill().unwrap();
        victim.wait().await.unwrap();
        let _heir = spawn(&url, &gw).await;
        until("the heir delivers the rest", 60, async || statuses(&db).await.get("sent").copied().unwrap_or(0) == 400)
            .await;
        let second: Vec<Received> = got.all().into_iter().skip(before).collect();
        let mut per_key: BTreeMap<String, usize> = BTreeMap::new();
        for a in &second {
            *per_key.entry(a.idempotency_key.clone()).or_default() += 1;
        }
        assert_eq!(per_key.len(), 200, "{backend}: every message arrived");
        let twice = per_key.values().filter(|n| **n > 1).count();
        assert!(twice <= 20, "{backend}: duplicates only of the batch in flight (20): {twice}");
        assert!(per_key.values().all(|n| *n <= 2), "{backend}: none more than twice");
        eprintln!("{backend}: kill -9 mid-batch: {twice} sent twice (same idempotency key), none lost");
    }
}

/// The delivery worker and the case writer take turns at one in-process write
/// gate on SQLite (`Db::write_turn`), so neither sleeps in SQLite's busy
/// handler: while delivery holds its turn a case waits and is written right
/// after; PostgreSQL, whose row locks queue writers, has no gate.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn case_intake_and_delivery_take_turns_at_the_write_gate() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = s.db.clone();
        let case = |db: Db| {
            let n = store::cases::NewCase {
                item: "PS-001".into(),
                caller_name: "测试居民".into(),
                caller_phone: "13800000000".into(),
                building: "1栋".into(),
                description: "轮流写入".into(),
                ..Default::default()
            };
            async move { store::cases::create(&db, "test", cases::Role::FrontDesk, "340705402", n).await }
        };
        // The writer is started (its first case), then delivery takes the turn.
        case(db.clone()).await.unwrap();
        let Some(turn) = db.write_turn().await else {
            assert_eq!(backend, "postgres", "only PostgreSQL goes without the gate");
            continue;
        };
        let waiting = tokio::spawn(case(db.clone()));
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(!waiting.is_finished(), "{backend}: the case writer waits for delivery's turn");
        drop(turn);
        let c = tokio::time::timeout(Duration::from_secs(5), waiting).await.unwrap().unwrap().unwrap();
        assert!(c.id > 0, "{backend}: written as soon as the turn is given back");
    }
}
