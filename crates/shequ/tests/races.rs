//! Identical requests at the same moment: each write checks for a duplicate
//! and then inserts, so two requests can both pass the check; the second
//! insert then meets the UNIQUE constraint. It must be answered as the
//! field's 422, like the check would, never as a 500. On both databases.

mod common;

use common::*;
use serde_json::{Value, json};

const N: usize = 32;

/// Fire `N` copies of one POST at once; the statuses and problem fields.
/// `N` connections are opened first, and the requests wait for each other,
/// so that they reach the server within the same few milliseconds.
async fn at_once(c: &reqwest::Client, csrf: &str, url: String, body: Value) -> Vec<(u16, Value)> {
    let base = url.split("/api/").next().unwrap_or_default().to_string();
    let warm: Vec<_> = (0..N).map(|_| tokio::spawn(c.get(format!("{base}/healthz")).send())).collect();
    for w in warm {
        w.await.expect("task").expect("warm-up request");
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(N));
    let sends: Vec<_> = (0..N)
        .map(|_| {
            let (c, url, body, start) = (c.clone(), url.clone(), body.clone(), start.clone());
            let csrf = csrf.to_string();
            tokio::spawn(async move {
                let request = c.post(url).header("x-csrf-token", csrf).json(&body);
                start.wait().await;
                let r = request.send().await.expect("request");
                let status = r.status().as_u16();
                let v: Value = r.json().await.unwrap_or(Value::Null);
                (status, v["field"].clone())
            })
        })
        .collect();
    let mut out = Vec::new();
    for s in sends {
        out.push(s.await.expect("task"));
    }
    out
}

/// One request succeeded and every other one is the field's 422.
fn one_wins(what: &str, backend: &str, answers: &[(u16, Value)], field: &str) {
    let ok = answers.iter().filter(|a| a.0 == 200 || a.0 == 201).count();
    assert_eq!(ok, 1, "{backend} {what}: exactly one succeeds: {answers:?}");
    for (status, f) in answers.iter().filter(|a| a.0 != 200 && a.0 != 201) {
        assert_eq!(*status, 422, "{backend} {what}: a duplicate is a 422, not a 5xx: {answers:?}");
        assert_eq!(f, field, "{backend} {what}: the field of the duplicate: {answers:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn identical_requests_at_once_are_answered_as_the_fields_422() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;

        let (desk, csrf) = login(&s, "frontdesk").await;
        let answers = at_once(
            &desk,
            &csrf,
            format!("{}/api/v1/residents", s.base),
            json!({ "name": "并发", "id_number": id_number(77) }),
        )
        .await;
        one_wins("resident", backend, &answers, "id_number");

        let (admin, csrf) = login(&s, "admin").await;
        let unit = json!({ "community_code": "340705402", "name": "并发公司", "kind": "非公企业", "uscc": "91350100M000100Y43" });
        let answers = at_once(&admin, &csrf, format!("{}/api/v1/units", s.base), unit).await;
        one_wins("unit", backend, &answers, "uscc");

        let (civil, csrf) = login(&s, "civil").await;
        let answers = at_once(&civil, &csrf, format!("{}/api/v1/lists/assistance/drafts", s.base), json!({})).await;
        one_wins("list draft", backend, &answers, "version");

        let verdict = store::audit::verify(&s.db).await.unwrap();
        assert!(matches!(verdict, store::audit::Verdict::Intact { .. }), "{backend}: {verdict:?}");
    }
}

/// On SQLite every write transaction takes the process's write gate before a
/// pooled connection (`Db::begin`): writers queue in order instead of
/// sleeping in SQLite's busy handler, a writer waiting its turn holds no
/// connection the readers need (more writers wait here than the pool has
/// connections), and each begins as soon as the one before it ends.
/// PostgreSQL's writers queue on the audit head's row instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_wait_their_turn_holding_no_connection() {
    use std::time::Duration;
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = s.db.clone();
        let first = db.begin().await.expect("first writer");
        let waiting: Vec<_> = (0..12)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { db.begin().await?.commit().await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(waiting.iter().all(|w| !w.is_finished()), "{backend}: writers wait for the first");
        let read = sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM communities").fetch_one(&db.pool);
        let n = tokio::time::timeout(Duration::from_secs(2), read).await.expect("a reader is not kept waiting");
        assert!(n.expect("read") > 0, "{backend}: the reader got its answer");
        first.commit().await.expect("commit");
        for w in waiting {
            let r = tokio::time::timeout(Duration::from_secs(5), w).await.expect("each writer gets its turn");
            r.expect("task").expect("writer commits");
        }
    }
}

/// A claim sent again under its idempotency key answers with the claim it
/// filed, also when the copies arrive at once: the key is looked up again
/// under the write lock, so every copy gets 200 and one claim is filed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_claim_sent_at_once_files_one_claim() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (desk, csrf) = login(&s, "frontdesk").await;
        let claim = json!({ "payee": "示例供应商", "amount": "1.00", "purpose": "并发报账", "key": "races-claim-1" });
        let answers = at_once(&desk, &csrf, format!("{}/api/v1/finance/claims", s.base), claim).await;
        assert!(answers.iter().all(|a| a.0 == 200 || a.0 == 201), "{backend}: every copy succeeds: {answers:?}");
        let filed: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM fin_claims WHERE idem_key = 'races-claim-1'")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(filed, 1, "{backend}: one claim filed");
    }
}
