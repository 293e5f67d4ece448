//! Case intake under load and under a crash: every acknowledged case is on
//! disk after the process is killed, nothing is half-written, and the live
//! tallies always equal a recount of the cases.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn recount(db: &store::Db) -> (BTreeMap<String, i64>, BTreeMap<String, i64>) {
    let key = "community_code || '|' || channel || '|' || category || '|' || queue || '|' || status";
    let tally: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {key}, CAST(SUM(n) AS BIGINT) FROM case_tally GROUP BY {key} HAVING SUM(n) <> 0"
    )))
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let cases: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(
        "SELECT community_code || '|' || channel || '|' || category || '|' || COALESCE(lead_queue, '') || '|' || status, \
         CAST(COUNT(*) AS BIGINT) FROM cases GROUP BY community_code, channel, category, COALESCE(lead_queue, ''), status"
            .to_string(),
    ))
    .fetch_all(&db.pool)
    .await
    .unwrap();
    (tally.into_iter().collect(), cases.into_iter().collect())
}

/// Whole cases only: each has its acceptance and routing records and one audit entry.
async fn whole(db: &store::Db) {
    let partial: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE (SELECT COUNT(*) FROM case_history h WHERE h.case_id = c.id) < 2",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(partial, 0, "a case without its history");
    let (tally, cases) = recount(db).await;
    assert_eq!(tally, cases, "the tallies equal a recount");
    assert!(matches!(store::audit::verify(db).await.unwrap(), store::audit::Verdict::Intact { .. }));
}

#[tokio::test]
async fn tallies_follow_every_event() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let items: Vec<String> = store::cases::items(&s.db).await.unwrap().into_iter().map(|i| i.code).collect();
        // Concurrent intake: the group commit writes these in shared transactions.
        let mut tasks = Vec::new();
        for i in 0..60 {
            let db = s.db.clone();
            let item = items[i % items.len()].clone();
            tasks.push(tokio::spawn(async move {
                let n = store::cases::NewCase {
                    item,
                    caller_name: format!("居民{i}"),
                    caller_phone: "13900000000".into(),
                    building: format!("{}栋", i % 3),
                    ..Default::default()
                };
                store::cases::create(&db, "test", cases::Role::FrontDesk, "340705402", n).await.unwrap().id
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.unwrap());
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 60, "{backend}: 60 distinct cases");
        whole(&s.db).await;
        // Walk each case through whatever its handlers may do next, a few steps each.
        for (k, id) in ids.iter().enumerate() {
            for step in 0..6 {
                let roles =
                    [cases::Role::Supervisor, cases::Role::Handler, cases::Role::FrontDesk, cases::Role::Resident];
                let role = roles[(k + step) % roles.len()];
                let allowed = store::cases::allowed(&s.db, *id, Some(role)).await.unwrap();
                let Some(ev) = allowed.get((k * 7 + step) % allowed.len().max(1)) else { continue };
                let name = serde_json::to_value(ev).unwrap().as_str().unwrap().to_string();
                let lead = store::cases::case(&s.db, *id).await.unwrap().lead_queue.unwrap_or_default();
                let other =
                    if lead == "community:340705402" { "department:区民政局" } else { "community:340705402" };
                let n = store::cases::NewEvent {
                    event: name.clone(),
                    reason: "理由".into(),
                    queue: other.into(),
                    overall: Some(((k % 5) + 1).to_string()),
                    speed: Some("4".into()),
                    attitude: Some("5".into()),
                    ..Default::default()
                };
                // The rules table allows the event; finer rules (callback attempts, dissatisfied
                // ratings) may still refuse it, which must write nothing.
                if let Err(e) = store::cases::apply(&s.db, "test", role, *id, n).await {
                    assert!(e.to_string().contains("invalid"), "{name}: {e}");
                }
            }
        }
        whole(&s.db).await;
        let stats = store::cases::stats(&s.db, Some("340705402"), None).await.unwrap();
        let resolves: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_history h JOIN cases c ON c.id = h.case_id \
             WHERE c.community_code = '340705402' AND h.record LIKE '%\"type\":\"resolve\"%'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(stats.resolved, resolves, "{backend}: resolutions counted once each");
        assert!(stats.total >= 60);
    }
}

/// The case writer numbers a batch from what its last commit left. When
/// another write of this process has appended to the audit log in between,
/// the writer reads the heads again rather than build on them (no batch rolled
/// back); a clash it cannot see (another process) rolls the batch back and it
/// is written again from fresh numbers.
#[tokio::test]
async fn intake_goes_on_after_other_writers() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let item = store::cases::items(&s.db).await.unwrap()[0].code.clone();
        let take = |i: usize| {
            let (db, item) = (s.db.clone(), item.clone());
            async move {
                let n = store::cases::NewCase {
                    item,
                    caller_name: format!("居民{i}"),
                    caller_phone: "13900000000".into(),
                    ..Default::default()
                };
                store::cases::create(&db, "test", cases::Role::FrontDesk, "340705402", n).await.unwrap().id
            }
        };
        let mut ids = vec![take(0).await];
        for round in 1..6 {
            // An event on the last case appends to the audit log outside the case writer.
            let last = *ids.last().unwrap();
            let allowed = store::cases::allowed(&s.db, last, Some(cases::Role::Handler)).await.unwrap();
            if let Some(ev) = allowed.first() {
                let event = serde_json::to_value(ev).unwrap().as_str().unwrap().to_string();
                let n = store::cases::NewEvent { event, reason: "理由".into(), ..Default::default() };
                let _ = store::cases::apply(&s.db, "test", cases::Role::Handler, last, n).await;
            }
            let mut tasks = Vec::new();
            for i in 0..8 {
                tasks.push(tokio::spawn(take(round * 10 + i)));
            }
            for t in tasks {
                ids.push(t.await.unwrap());
            }
        }
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), ids.len(), "{backend}: every case has its own number");
        assert_eq!(s.db.cases.written_again(), 0, "{backend}: no batch built on a head this process had moved on");
        whole(&s.db).await;
    }
}

/// Kills the real binary while 32 clients are taking cases; every case it
/// acknowledged must be there afterwards, whole.
#[tokio::test]
async fn acknowledged_cases_survive_a_kill() {
    for (backend, url) in backends().await {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = std::env::temp_dir().join(format!("shequ-kill-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("kill.key");
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_shequ"))
            .args(["demo", "--scale", "tiny", "--db", &url, "--listen", &format!("127.0.0.1:{port}")])
            .arg("--key-file")
            .arg(&key)
            .env("RUST_LOG", "warn")
            .kill_on_drop(true)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start shequ");
        let base = format!("http://127.0.0.1:{port}");
        let http = client();
        let mut up = false;
        for _ in 0..300 {
            if matches!(http.get(format!("{base}/healthz")).send().await, Ok(r) if r.status().is_success()) {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "{backend}: shequ did not come up");
        let r = http
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({ "username": "frontdesk", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        let csrf = r.json::<serde_json::Value>().await.unwrap()["csrf"].as_str().unwrap().to_string();
        let acked = Arc::new(Mutex::new(Vec::<i64>::new()));
        let mut tasks = Vec::new();
        for c in 0..32 {
            let (http, csrf, acked, base) = (http.clone(), csrf.clone(), acked.clone(), base.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0.. {
                    let body =
                        serde_json::json!({ "item": "PS-001", "caller_name": "压测", "building": format!("{c}栋{i}") });
                    let Ok(r) = http
                        .post(format!("{base}/api/v1/cases"))
                        .header("x-csrf-token", &csrf)
                        .json(&body)
                        .send()
                        .await
                    else {
                        return;
                    };
                    if r.status() != 200 {
                        return;
                    }
                    let Ok(v) = r.json::<serde_json::Value>().await else { return };
                    acked.lock().unwrap().push(v["id"].as_i64().unwrap());
                }
            }));
        }
        // Let the clients get going, then kill -9 in the middle of the traffic.
        while acked.lock().unwrap().len() < 300 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        for t in tasks {
            let _ = t.await;
        }
        let acked = acked.lock().unwrap().clone();
        let db = store::Db::connect(
            &url,
            store::seal::Seal::from_hex(std::fs::read_to_string(&key).unwrap().trim()).unwrap(),
        )
        .await
        .unwrap();
        let mut missing = Vec::new();
        for id in &acked {
            let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            if n == 0 {
                missing.push(*id);
            }
        }
        assert!(missing.is_empty(), "{backend}: acknowledged but lost after the kill: {missing:?}");
        whole(&db).await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test]
async fn overdue_cases_are_escalated_once_per_level() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let month_ago = time::OffsetDateTime::now_utc() - time::Duration::days(30);
        let n = store::cases::NewCase { item: "PS-001".into(), caller_name: "居民乙".into(), ..Default::default() };
        let c =
            store::cases::create_at(&s.db, "test", cases::Role::FrontDesk, "340705402", n, month_ago).await.unwrap();
        let notices = || async {
            let n: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE case_id = $1 AND recipient_kind = 'staff'",
            )
            .bind(c.id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
            n
        };
        assert!(store::cases::escalate_overdue(&s.db).await.unwrap() >= 1, "{backend}");
        assert_eq!(notices().await, 1, "{backend}: the supervisor is told");
        store::cases::escalate_overdue(&s.db).await.unwrap();
        assert_eq!(notices().await, 1, "{backend}: and told once for the level");
        let v = store::cases::view(&s.db, store::cases::case(&s.db, c.id).await.unwrap()).await.unwrap();
        assert_eq!(v.sla_state.as_deref(), Some("overdue"));
    }
}

/// The sweep reads overdue cases a page at a time until none is left: the
/// cases behind a page already told are told too (a page of two here).
#[tokio::test]
async fn every_overdue_case_is_escalated_past_the_first_page() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let month_ago = time::OffsetDateTime::now_utc() - time::Duration::days(30);
        let mut ids = Vec::new();
        for i in 0..5 {
            let n =
                store::cases::NewCase {
                    item: "PS-001".into(), caller_name: format!("居民{i}"), ..Default::default()
                };
            let at = month_ago + time::Duration::minutes(i);
            ids.push(
                store::cases::create_at(&s.db, "test", cases::Role::FrontDesk, "340705402", n, at).await.unwrap().id,
            );
        }
        store::cases::escalate_overdue_in_pages(&s.db, 2).await.unwrap();
        for id in &ids {
            let n: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE case_id = $1 AND recipient_kind = 'staff'",
            )
            .bind(id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
            assert_eq!(n, 1, "{backend}: case {id} is told of once");
        }
        // All told at the top level: the next sweep reads none of them.
        assert_eq!(store::cases::escalate_overdue_in_pages(&s.db, 2).await.unwrap(), 0, "{backend}");
    }
}

/// Cases that queue while a batch is written are numbered and staged for the
/// next batch; one whose group of open cases the writer has not read yet
/// sends that batch the slow way. Either way each case is flagged against
/// exactly the earlier cases of its item and building.
#[tokio::test]
async fn cases_taken_together_are_flagged_against_every_earlier_one() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let mut items = Vec::new();
        for it in store::cases::items(&s.db).await.unwrap() {
            // Items the desk may take with a name alone (no required question), tried once.
            let n = store::cases::NewCase {
                item: it.code.clone(),
                caller_name: "居民".into(),
                building: "试收".into(),
                ..Default::default()
            };
            if store::cases::create(&s.db, "test", cases::Role::FrontDesk, "340705402", n).await.is_ok() {
                items.push(it.code);
            }
        }
        assert!(items.len() >= 4, "{backend}: items the test can take");
        let mut tasks = Vec::new();
        for i in 0..160 {
            let (db, item) = (s.db.clone(), items[i % items.len().min(8)].clone());
            tasks.push(tokio::spawn(async move {
                let n = store::cases::NewCase {
                    item: item.clone(),
                    caller_name: format!("居民{i}"),
                    building: format!("{}栋", i % 5),
                    ..Default::default()
                };
                let c = store::cases::create(&db, "test", cases::Role::FrontDesk, "340705402", n).await.unwrap();
                let flagged: Vec<i64> = serde_json::from_str(&c.duplicates).unwrap();
                (c.id, item, c.building, flagged)
            }));
        }
        let mut taken = Vec::new();
        for t in tasks {
            taken.push(t.await.unwrap());
        }
        for (id, item, building, flagged) in &taken {
            let mut earlier: Vec<i64> =
                taken.iter().filter(|(o, it, b, _)| o < id && it == item && b == building).map(|(o, ..)| *o).collect();
            // A case is flagged with the newest five at most.
            earlier = earlier.split_off(earlier.len().saturating_sub(5));
            let mut flagged = flagged.clone();
            flagged.sort();
            assert_eq!(flagged, earlier, "{backend}: case {id} ({item}, {building})");
        }
        whole(&s.db).await;
    }
}
