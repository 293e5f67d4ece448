//! Lists cut at their length say so, on SQLite and PostgreSQL: past 500
//! notifications the outbox page and API name the cut, and a dead letter
//! behind the newest 500 still shows among the failed deliveries to send
//! again; under the cap nothing is said.

mod common;
use common::*;

/// Copies one outbox message `n` times (newer ids), in one statement on both databases.
async fn copies(db: &store::Db, of: i64, n: i64) {
    sqlx::query(
        "INSERT INTO outbox (community_code, district_code, case_id, recipient_kind, recipient, channel, body_zh, body_en, created_at, kind) \
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $2) \
         SELECT o.community_code, o.district_code, o.case_id, o.recipient_kind, o.recipient, o.channel, o.body_zh, o.body_en, o.created_at, o.kind \
         FROM outbox o, k WHERE o.id = $1",
    )
    .bind(of)
    .bind(n)
    .execute(&db.pool)
    .await
    .expect("copies");
}

#[tokio::test]
async fn a_cut_list_says_so_and_a_dead_letter_behind_it_still_shows() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (desk, csrf) = login(&s, "frontdesk").await;
        let community: String = sqlx::query_scalar("SELECT community_code FROM users WHERE username = 'frontdesk'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM outbox WHERE community_code = $1")
            .bind(&community)
            .fetch_one(&s.db.pool)
            .await
            .expect("the demo community has notifications");

        // Under the cap: nothing cut, no note.
        let (status, v) =
            send_json(&desk, &csrf, "GET", format!("{}/api/v1/outbox", s.base), serde_json::json!({})).await;
        assert_eq!(status, 200, "{backend}");
        assert_eq!(v["cut"], serde_json::json!([]), "{backend}");
        let page = desk.get(format!("{}/outbox", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("cut-note"), "{backend}: no note under the cap");

        // The oldest message failed; 500 newer ones follow it.
        sqlx::query("UPDATE outbox SET status = 'dead', last_error = 'gateway unreachable' WHERE id = $1")
            .bind(first)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let next: i64 = sqlx::query_scalar("SELECT MIN(id) FROM outbox WHERE community_code = $1 AND id > $2")
            .bind(&community)
            .bind(first)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        copies(&s.db, next, 500).await;

        let (_, v) = send_json(&desk, &csrf, "GET", format!("{}/api/v1/outbox", s.base), serde_json::json!({})).await;
        assert_eq!(v["cut"], serde_json::json!(["outbox"]), "{backend}");
        assert_eq!(v["outbox"].as_array().map(Vec::len), Some(500), "{backend}: the first 500");
        assert!(
            v["outbox"].as_array().unwrap().iter().all(|m| m["id"].as_i64() != Some(first)),
            "{backend}: the dead letter is behind the newest 500"
        );
        let page = desk.get(format!("{}/outbox", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("cut-note") && page.contains("仅显示前500条"), "{backend}: the page says it is cut");
        let dead = page.split("id=\"dead-letter-list\"").nth(1).unwrap_or_default();
        assert!(
            dead.contains(&format!("/outbox/{first}/retry")),
            "{backend}: the dead letter is still listed to send again"
        );

        // English says the same.
        desk.get(format!("{}/lang?to=en&back=/outbox", s.base)).send().await.unwrap();
        let en = desk.get(format!("{}/outbox", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(en.contains("Only the first 500 are shown."), "{backend}");
    }
}
