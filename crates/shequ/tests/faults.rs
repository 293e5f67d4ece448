//! kill -9 under mixed write load, again and again, on both databases: cases
//! taken and worked on, claims filed and paid, residents registered — every
//! write the server acknowledged is there after the restart, the audit chain
//! verifies, the books sum to zero and the case tallies equal a recount.
//! `SHEQU_FAULT_ROUNDS` kills (3 by default; BENCHMARKS.md reports 20).

mod common;
use common::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server said it had written, by kind.
#[derive(Default)]
struct Acked {
    cases: Vec<i64>,
    started: Vec<i64>,
    claims: Vec<i64>,
    paid: Vec<i64>,
    residents: Vec<i64>,
}

async fn serve(url: &str, key: &std::path::Path) -> (tokio::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_shequ"))
        .args(["serve", "--db", url, "--listen", &format!("127.0.0.1:{port}")])
        .arg("--key-file")
        .arg(key)
        .env("RUST_LOG", "error")
        .kill_on_drop(true)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start shequ serve");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if matches!(client().get(format!("{base}/healthz")).send().await, Ok(r) if r.status().is_success()) {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("shequ serve did not come up on {url}");
}

async fn login_at(base: &str, username: &str) -> (reqwest::Client, String) {
    let c = client();
    let r = c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 200, "login as {username}");
    let v: Value = r.json().await.unwrap();
    (c, v["csrf"].as_str().unwrap().to_string())
}

/// POST; the answer's id when the server acknowledged the write (200), else None.
async fn write(c: &reqwest::Client, csrf: &str, url: String, body: Value) -> Option<Value> {
    let r = c.post(url).header("x-csrf-token", csrf).json(&body).send().await.ok()?;
    if r.status() != 200 {
        return None;
    }
    r.json::<Value>().await.ok()
}

async fn count(db: &store::Db, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).bind(id).fetch_one(&db.pool).await.unwrap()
}

/// Every acknowledged write is in the database, and the invariants hold.
async fn check(backend: &str, round: usize, db: &store::Db, acked: &Acked) {
    let lost = |what: &str, ids: Vec<i64>| assert!(ids.is_empty(), "{backend} round {round}: {what} lost: {ids:?}");
    let mut missing = Vec::new();
    for &id in &acked.cases {
        if count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM case_history WHERE case_id = $1", id).await < 2 {
            missing.push(id);
        }
    }
    lost("acknowledged cases (with their acceptance and routing)", missing);
    let mut missing = Vec::new();
    for &id in &acked.started {
        let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM case_history WHERE case_id = $1 AND record LIKE '%\"type\":\"start\"%'";
        if count(db, sql, id).await == 0 {
            missing.push(id);
        }
    }
    lost("acknowledged case events", missing);
    let mut missing = Vec::new();
    for &id in &acked.claims {
        if count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM fin_claims WHERE id = $1", id).await == 0 {
            missing.push(id);
        }
    }
    lost("acknowledged claims", missing);
    let mut missing = Vec::new();
    for &id in &acked.paid {
        if count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM fin_claims WHERE id = $1 AND status = 'paid'", id).await == 0
        {
            missing.push(id);
        }
    }
    lost("acknowledged payments", missing);
    let mut missing = Vec::new();
    for &id in &acked.residents {
        if count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM residents WHERE id = $1", id).await == 0 {
            missing.push(id);
        }
    }
    lost("acknowledged residents", missing);
    let verdict = store::audit::verify(db).await.unwrap();
    assert!(matches!(verdict, store::audit::Verdict::Intact { .. }), "{backend} round {round}: {verdict:?}");
    let sum: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM fin_postings")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(sum, 0, "{backend} round {round}: the books sum to zero");
    let tallied: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_tally")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let cases: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases").fetch_one(&db.pool).await.unwrap();
    assert_eq!(tallied, cases, "{backend} round {round}: the tallies equal a recount");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_kill_9_under_mixed_load() {
    let rounds: usize = std::env::var("SHEQU_FAULT_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let dir = std::env::temp_dir().join(format!("shequ-faults-{}-{backend}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("faults.key");
        std::fs::write(&key, "2a".repeat(32)).unwrap();
        let acked = Arc::new(Mutex::new(Acked::default()));
        let t0 = std::time::Instant::now();
        for round in 1..=rounds {
            let (mut child, base) = serve(&url, &key).await;
            let (finance, f_csrf) = login_at(&base, "finance").await;
            let allocation = json!({"community": "340705402", "fund": "operating", "amount": "500"});
            write(&finance, &f_csrf, format!("{base}/api/v1/finance/allocations"), allocation)
                .await
                .expect("an allocation to pay claims from");
            let (desk, d_csrf) = login_at(&base, "frontdesk").await;
            let (office, o_csrf) = login_at(&base, "backoffice").await;
            let (admin, a_csrf) = login_at(&base, "admin").await;
            let mut tasks = Vec::new();
            for c in 0..12usize {
                let (desk, d_csrf, office, o_csrf) = (desk.clone(), d_csrf.clone(), office.clone(), o_csrf.clone());
                let (admin, a_csrf, acked, base) = (admin.clone(), a_csrf.clone(), acked.clone(), base.clone());
                tasks.push(tokio::spawn(async move {
                    for i in 0usize.. {
                        match (c + i) % 4 {
                            0 | 1 => {
                                let body = json!({"item": "PS-001", "caller_name": "压测", "building": format!("{c}栋{i}")});
                                let Some(v) = write(&desk, &d_csrf, format!("{base}/api/v1/cases"), body).await else {
                                    return;
                                };
                                let id = v["id"].as_i64().unwrap();
                                acked.lock().unwrap().cases.push(id);
                                let url = format!("{base}/api/v1/cases/{id}/events");
                                if write(&office, &o_csrf, url, json!({"event": "start"})).await.is_some() {
                                    acked.lock().unwrap().started.push(id);
                                }
                            }
                            2 => {
                                let body = json!({"payee": format!("保洁员{c}-{i}"), "amount": "0.50", "purpose": "保洁用品", "fund": "operating"});
                                let Some(v) = write(&desk, &d_csrf, format!("{base}/api/v1/finance/claims"), body).await
                                else {
                                    return;
                                };
                                let id = v["id"].as_i64().unwrap();
                                acked.lock().unwrap().claims.push(id);
                                let url = format!("{base}/api/v1/finance/claims/{id}/approve");
                                if let Some(v) = write(&admin, &a_csrf, url, json!({})).await
                                    && v["status"] == "paid"
                                {
                                    acked.lock().unwrap().paid.push(id);
                                }
                            }
                            _ => {
                                let seq = (round * 2_000 + c * 150 + i) as u16;
                                let body = json!({"name": format!("新居民{seq}"), "id_number": id_number(seq), "building": "9栋"});
                                if let Some(v) = write(&desk, &d_csrf, format!("{base}/api/v1/residents"), body).await {
                                    acked.lock().unwrap().residents.push(v["id"].as_i64().unwrap());
                                }
                            }
                        }
                    }
                }));
            }
            // Let the load run, then kill -9 in the middle of it.
            let before = acked.lock().unwrap().cases.len();
            while acked.lock().unwrap().cases.len() < before + 60 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            tokio::time::sleep(Duration::from_millis((round as u64 * 37) % 100)).await;
            child.start_kill().unwrap();
            child.wait().await.unwrap();
            for t in tasks {
                let _ = t.await;
            }
            // A fresh connection sees what the killed process left.
            let db = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
            check(backend, round, &db, &acked.lock().unwrap()).await;
            db.pool.close().await;
        }
        let a = acked.lock().unwrap();
        eprintln!(
            "{backend}: {rounds} kills in {:.1} s; acknowledged and found again: {} cases, {} events, {} claims, {} payments, {} residents",
            t0.elapsed().as_secs_f64(),
            a.cases.len(),
            a.started.len(),
            a.claims.len(),
            a.paid.len(),
            a.residents.len()
        );
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
