//! A full disk (issue 13, point 3): writes are refused with 507 and a message
//! in Chinese and English, nothing is half-written, reads go on, and writes
//! work again once there is room. SQLite answers a file that reached the
//! operator's cap (`SHEQU_SQLITE_MAX_MB`, SQLite's `max_page_count`) exactly
//! as it answers a full disk (SQLITE_FULL), so the cap stands in for the disk
//! here; PostgreSQL's `disk_full` (53100) takes the same path
//! (`StoreError::is_storage_full`). This binary holds one test: the cap is
//! an environment variable read by every new connection.

mod common;
use common::*;
use serde_json::{Value, json};
use store::Db;

async fn pages(db: &Db) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT CAST(page_count AS BIGINT) FROM pragma_page_count()")
        .fetch_one(&db.pool)
        .await
        .expect("page count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_cleanly_and_reads_go_on() {
    let dir = std::env::temp_dir().join(format!("shequ-test-full-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/shequ.db", dir.display());
    let seal = || store::seal::Seal::new([42; 32]);
    let db = Db::connect(&url, seal()).await.unwrap();
    db.migrate().await.unwrap();
    shequ::demo::load(&db, shequ::demo::Scale::Tiny).await.unwrap();
    let used_mb = pages(&db).await * 4096 / (1024 * 1024);
    db.pool.close().await;
    // Room for a few hundred cases, then the "disk" is full.
    // SAFETY of set_var: this binary has one test, set before any other thread reads it.
    unsafe { std::env::set_var("SHEQU_SQLITE_MAX_MB", (used_mb + 1).to_string()) };
    let db = Db::connect(&url, seal()).await.unwrap();
    let s = serve("sqlite", db.clone()).await;
    let (c, csrf) = login(&s, "frontdesk").await;

    let mut acked = Vec::new();
    let mut refused: Option<Value> = None;
    'fill: for round in 0..400 {
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..16 {
            let body = json!({ "item": "PS-001", "caller_name": "测试居民", "caller_phone": "13800000000",
                "building": "1栋", "description": format!("填满磁盘 {round}-{i} {}", "说明".repeat(200)) });
            calls.spawn(c.post(format!("{}/api/v1/cases", s.base)).header("x-csrf-token", &csrf).json(&body).send());
        }
        while let Some(r) = calls.join_next().await {
            let r = r.expect("task").expect("answer");
            let status = r.status().as_u16();
            let v: Value = r.json().await.unwrap_or(Value::Null);
            match status {
                200 | 201 => acked.push(v["id"].as_i64().expect("case id")),
                507 => refused = Some(v),
                other => panic!("a full disk answered {other}: {v}"),
            }
        }
        if refused.is_some() && round > 0 {
            break 'fill;
        }
    }
    let refused = refused.expect("the capped file filled up");
    assert!(!acked.is_empty(), "some cases fitted before the disk filled");
    let detail = refused["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("存储空间已满"), "a Chinese message: {refused}");
    assert!(refused["title"].as_str().unwrap_or_default().contains("storage is full"), "an English one: {refused}");

    // Reads go on: the queue, a case, the residents list.
    for path in ["/cases", "/residents", &format!("/cases/{}", acked[0])] {
        let r = c.get(format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {path} on a full disk");
    }
    // A form write is refused the same way, as a page and not a crash.
    let enc = |v: &str| v.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let body = format!(
        "csrf={csrf}&item=PS-001&caller_name={}&caller_phone=13800000000&building={}&description={}",
        enc("测试"),
        enc("1栋"),
        enc(&"满".repeat(400))
    );
    let r = c
        .post(format!("{}/cases", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let page = r.text().await.unwrap_or_default();
    assert!(status == 507 || status == 303, "the form on a full disk answered {status}: {page}");

    // Nothing half-written: every acknowledged case is whole, none more, the chain verifies.
    let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE description LIKE '填满磁盘%'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n as usize, acked.len(), "cases written = cases acknowledged");
    let history: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(DISTINCT case_id) AS BIGINT) FROM case_history WHERE case_id IN (SELECT id FROM cases WHERE description LIKE '填满磁盘%')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(history, n, "each written case has its history");
    assert!(matches!(store::audit::verify(&db).await.unwrap(), store::audit::Verdict::Intact { .. }));

    // Room again (here: the operator raises the cap and restarts): writes work.
    unsafe { std::env::set_var("SHEQU_SQLITE_MAX_MB", (used_mb + 64).to_string()) };
    drop(s);
    db.pool.close().await;
    let db = Db::connect(&url, seal()).await.unwrap();
    let s = serve("sqlite", db).await;
    let (c, csrf) = login(&s, "frontdesk").await;
    let r = c
        .post(format!("{}/api/v1/cases", s.base))
        .header("x-csrf-token", &csrf)
        .json(&json!({ "item": "PS-001", "caller_name": "测试居民", "caller_phone": "13800000000", "building": "1栋", "description": "有空间了" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "writes resume once there is room");
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}
