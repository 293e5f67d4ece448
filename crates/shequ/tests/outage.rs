//! PostgreSQL out of reach under load (the server restarting, the network
//! cut): requests answer 503 with a clear message, nothing is half-written,
//! and service resumes by itself. The outage is a TCP proxy between shequ
//! and PostgreSQL that drops every connection and refuses new ones for
//! `SHEQU_OUTAGE_SECS` (3 by default). PostgreSQL only: an embedded SQLite
//! file has no server to lose.

mod common;
use common::*;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy that can be cut: `down` refuses new connections, `cut` drops live ones.
struct Proxy {
    port: u16,
    down: Arc<AtomicBool>,
    cut: tokio::sync::watch::Sender<u64>,
}

impl Proxy {
    async fn to(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let (cut, cut_rx) = tokio::sync::watch::channel(0u64);
        let refusing = down.clone();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if refusing.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection close at once
                }
                let (target, mut cut) = (target.clone(), cut_rx.clone());
                cut.borrow_and_update(); // only a cut after this connection drops it
                tokio::spawn(async move {
                    let Ok(mut out) = TcpStream::connect(&target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut out) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Proxy { port, down, cut }
    }

    fn outage(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

async fn take(c: &reqwest::Client, csrf: &str, base: &str, i: usize) -> (u16, Value) {
    let body = json!({"item": "PS-001", "caller_name": "断线测试", "building": format!("{i}栋")});
    match c.post(format!("{base}/api/v1/cases")).header("x-csrf-token", csrf).json(&body).send().await {
        Ok(r) => {
            let st = r.status().as_u16();
            (st, r.json().await.unwrap_or(Value::Null))
        }
        Err(e) => panic!("shequ itself must answer during the outage: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_out_of_reach_answers_503_and_service_resumes_by_itself() {
    let secs: u64 = std::env::var("SHEQU_OUTAGE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    for (backend, url) in backends().await {
        if backend != "postgres" {
            continue;
        }
        // postgres://user@host:port/db → the same through the proxy.
        let (head, rest) = url.split_once('@').expect("user@host");
        let (hostport, db) = rest.split_once('/').expect("host/db");
        let proxy = Proxy::to(hostport.to_string()).await;
        let proxied = format!("{head}@127.0.0.1:{}/{db}", proxy.port);
        let s = start(backend, &proxied).await;
        let (desk, csrf) = login(&s, "frontdesk").await;
        let mut acked = Vec::new();
        for i in 0..5 {
            let (st, v) = take(&desk, &csrf, &s.base, i).await;
            assert_eq!(st, 200, "{v}");
            acked.push(v["id"].as_i64().unwrap());
        }

        proxy.outage();
        let until = Instant::now() + Duration::from_secs(secs);
        let mut answers = Vec::new();
        let mut i = 100;
        while Instant::now() < until {
            let (st, v) = take(&desk, &csrf, &s.base, i).await;
            if st == 200 {
                acked.push(v["id"].as_i64().unwrap());
            }
            answers.push((st, v));
            let r = desk.get(format!("{}/api/v1/cases", s.base)).send().await.unwrap();
            answers.push((r.status().as_u16(), r.json().await.unwrap_or(Value::Null)));
            i += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let unavailable = answers.iter().filter(|(st, v)| *st == 503 && v["code"] == "unavailable").count();
        assert!(unavailable > 0, "503 while PostgreSQL is out of reach: {answers:?}");
        assert!(answers.iter().all(|(st, _)| *st != 500), "no 500 during the outage: {answers:?}");
        let said = &answers.iter().find(|(st, _)| *st == 503).unwrap().1;
        assert_eq!(said["detail"], "服务暂时不可用，请稍后再试", "{said}");

        proxy.restore();
        let back = Instant::now() + Duration::from_secs(30);
        loop {
            let (st, v) = take(&desk, &csrf, &s.base, i).await;
            if st == 200 {
                acked.push(v["id"].as_i64().unwrap());
                break;
            }
            assert!(st == 503, "only 503 while reconnecting: {st} {v}");
            assert!(Instant::now() < back, "service did not resume within 30 s: {st} {v}");
            tokio::time::sleep(Duration::from_millis(200)).await;
            i += 1;
        }
        for j in 0..5 {
            let (st, v) = take(&desk, &csrf, &s.base, 1000 + j).await;
            assert_eq!(st, 200, "after the outage: {v}");
            acked.push(v["id"].as_i64().unwrap());
        }

        // Straight to PostgreSQL: every acknowledged case whole, nothing half-written, one chain.
        let db = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
        for id in &acked {
            let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM case_history WHERE case_id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert!(n >= 2, "case {id} acknowledged but not whole");
        }
        let partial: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE (SELECT COUNT(*) FROM case_history h WHERE h.case_id = c.id) < 2",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(partial, 0, "nothing half-written");
        let verdict = store::audit::verify(&db).await.unwrap();
        assert!(matches!(verdict, store::audit::Verdict::Intact { .. }), "{verdict:?}");
    }
}
