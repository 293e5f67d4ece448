//! Two real `shequ serve` processes on one database, as a deployment behind a
//! load balancer runs them: claims against one fund, cases, votes and list
//! edits sent to both at once never clash into a 5xx, never overdraw, never
//! number twice, and leave one intact audit chain. On both databases (two
//! processes share a SQLite file too, through its own locking).

mod common;
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A `shequ serve` child process, killed when dropped.
struct Process {
    base: String,
    _child: tokio::process::Child,
}

/// Start `shequ serve` on the database and wait until it says where it listens.
async fn spawn(url: &str) -> Process {
    let (child, base) = serve_process(url, &[], &[]).await;
    Process { base, _child: child }
}

/// Log in on one process; the session lives in the database, so the cookie
/// works on the other too.
async fn login_at(base: &str, username: &str) -> (reqwest::Client, String) {
    let c = client();
    let r = c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("login request");
    assert_eq!(r.status(), 200, "login as {username}");
    let v: Value = r.json().await.expect("json");
    (c, v["csrf"].as_str().expect("csrf").to_string())
}

/// POST each `(process, path, body)` at once; the statuses and bodies, in order.
async fn all_at_once(c: &reqwest::Client, csrf: &str, requests: Vec<(String, Value)>) -> Vec<(u16, Value)> {
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(64));
    let mut set = tokio::task::JoinSet::new();
    for (i, (url, body)) in requests.into_iter().enumerate() {
        let (c, csrf, gate) = (c.clone(), csrf.to_string(), gate.clone());
        set.spawn(async move {
            let _turn = gate.acquire_owned().await.expect("semaphore");
            let r = c.post(url).header("x-csrf-token", csrf).json(&body).send().await.expect("request");
            let status = r.status().as_u16();
            (i, status, r.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut out = set.join_all().await;
    out.sort_by_key(|r| r.0);
    out.into_iter().map(|(_, s, v)| (s, v)).collect()
}

fn no_server_error(what: &str, backend: &str, answers: &[(u16, Value)]) {
    let bad: Vec<_> = answers.iter().filter(|a| a.0 >= 500).collect();
    assert!(bad.is_empty(), "{backend} {what}: {} server errors, e.g. {:?}", bad.len(), bad.first());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_processes_on_one_database_never_clash() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (a, b) = (spawn(&url).await, spawn(&url).await);
        let t0 = std::time::Instant::now();
        let lap = |what: &str| eprintln!("{backend}: {what} after {:.1} s", t0.elapsed().as_secs_f64());
        let on = |i: usize| if i % 2 == 0 { a.base.as_str() } else { b.base.as_str() };

        // 1. 100 claims of 20 yuan against a fund of 1,000 yuan, approved half through each process.
        let (finance, f_csrf) = login_at(&a.base, "finance").await;
        let allocation = json!({"community": "340705402", "fund": "assistance:T-census", "amount": "1000"});
        let r =
            all_at_once(&finance, &f_csrf, vec![(format!("{}/api/v1/finance/allocations", a.base), allocation)]).await;
        assert_eq!(r[0].0, 200, "{backend}: {:?}", r[0]);
        let (desk, d_csrf) = login_at(&b.base, "frontdesk").await;
        let claims = (0..100)
            .map(|i| {
                let body = json!({"payee": format!("入户员{i}"), "amount": "20", "purpose": "人口普查入户补贴", "fund": "assistance:T-census"});
                (format!("{}/api/v1/finance/claims", on(i)), body)
            })
            .collect();
        let filed = all_at_once(&desk, &d_csrf, claims).await;
        no_server_error("filing claims", backend, &filed);
        assert!(filed.iter().all(|f| f.0 == 200), "{backend}: every claim is filed: {:?}", &filed[..3]);
        let (admin, a_csrf) = login_at(&a.base, "admin").await;
        let approvals = filed
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (format!("{}/api/v1/finance/claims/{}/approve", on(i), v["id"]), json!({})))
            .collect();
        let approved = all_at_once(&admin, &a_csrf, approvals).await;
        no_server_error("approving claims", backend, &approved);
        for (st, v) in &approved {
            assert!(*st == 200 || (*st == 422 && v["field"] == "amount"), "{backend}: {st} {v}");
        }
        let paid = approved.iter().filter(|(st, v)| *st == 200 && v["status"] == "paid").count();
        assert_eq!(paid, 50, "{backend}: 50 × 20 yuan fit in 1,000 yuan, no more");
        let accounts = |base: String| {
            let admin = admin.clone();
            async move { admin.get(format!("{base}/api/v1/finance/accounts")).send().await.unwrap().text().await.unwrap() }
        };
        assert_eq!(accounts(a.base.clone()).await, accounts(b.base.clone()).await, "{backend}: one set of books");
        let sum: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM fin_postings")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(sum, 0, "{backend}: the books sum to zero");

        lap("claims");
        // 2. 2,000 cases at once, half through each process: distinct numbers, whole, tallied.
        let before: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases").fetch_one(&s.db.pool).await.unwrap();
        let cases = (0..2000)
            .map(|i| {
                let body =
                    json!({"item": "SA-001", "caller_name": "并发居民", "id_number": id_number(43), "building": format!("{}栋", i % 40 + 1)});
                (format!("{}/api/v1/cases", on(i)), body)
            })
            .collect();
        let taken = all_at_once(&desk, &d_csrf, cases).await;
        no_server_error("taking cases", backend, &taken);
        assert!(taken.iter().all(|t| t.0 == 200 || t.0 == 201), "{backend}: {:?}", taken.iter().find(|t| t.0 >= 300));
        let numbers: BTreeSet<String> = taken.iter().map(|(_, v)| v["id"].to_string()).collect();
        assert_eq!(numbers.len(), 2000, "{backend}: 2,000 distinct case numbers");
        let after: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases").fetch_one(&s.db.pool).await.unwrap();
        assert_eq!(after - before, 2000, "{backend}: every acknowledged case is stored once");
        let tallied: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_tally")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(tallied, after, "{backend}: the tallies equal a recount");

        lap("cases");
        // 3. One resident's ballot sent to both processes at once: one is cast.
        let (resident, r_csrf) = login_at(&b.base, "resident").await;
        let call = all_at_once(
            &admin,
            &a_csrf,
            vec![(
                format!("{}/api/v1/pb/calls", a.base),
                json!({"title": "并发投票", "budget": "1000", "rule": "greedy"}),
            )],
        )
        .await;
        let call = call[0].1["id"].as_i64().expect("a call");
        let project = all_at_once(
            &resident,
            &r_csrf,
            vec![(format!("{}/api/v1/pb/calls/{call}/projects", b.base), json!({"title": "路灯", "cost": "500"}))],
        )
        .await;
        let project = project[0].1["id"].as_i64().expect("a project");
        let step = |path: String, body: Value| all_at_once(&admin, &a_csrf, vec![(path, body)]);
        assert_eq!(step(format!("{}/api/v1/pb/calls/{call}/advance", a.base), json!({})).await[0].0, 200);
        let review = json!({"decision": "approve", "score": "80"});
        assert_eq!(step(format!("{}/api/v1/pb/projects/{project}/review", a.base), review).await[0].0, 200);
        assert_eq!(step(format!("{}/api/v1/pb/calls/{call}/advance", a.base), json!({})).await[0].0, 200);
        let ballot = json!({"choices": [{"project_id": project}]});
        let votes = (0..16).map(|i| (format!("{}/api/v1/pb/calls/{call}/ballots", on(i)), ballot.clone())).collect();
        let votes = all_at_once(&resident, &r_csrf, votes).await;
        no_server_error("voting", backend, &votes);
        assert_eq!(votes.iter().filter(|v| v.0 == 200).count(), 1, "{backend}: one ballot per resident: {votes:?}");
        let cast: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM pb_ballots WHERE call_id = $1")
            .bind(call)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(cast, 1, "{backend}");

        lap("votes");
        // 4. A list edit sent to both at once: one draft is opened, the rest are its field's 422.
        let (civil, c_csrf) = login_at(&a.base, "civil").await;
        let drafts = (0..8).map(|i| (format!("{}/api/v1/lists/assistance/drafts", on(i)), json!({}))).collect();
        let drafts = all_at_once(&civil, &c_csrf, drafts).await;
        no_server_error("opening a list draft", backend, &drafts);
        assert_eq!(drafts.iter().filter(|d| d.0 == 200 || d.0 == 201).count(), 1, "{backend}: {drafts:?}");

        lap("list edits");
        // 5. One audit chain, intact.
        let verdict = store::audit::verify(&s.db).await.unwrap();
        assert!(matches!(verdict, store::audit::Verdict::Intact { .. }), "{backend}: {verdict:?}");
    }
}
