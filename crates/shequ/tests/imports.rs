//! Residents imports read as a stream (issue 12, point 12): a file of bad rows
//! keeps the first rejected rows in full and counts the rest by reason; the
//! limits are stated on the page and enforced. On SQLite and PostgreSQL.

mod common;
use common::*;
use serde_json::Value;

/// A valid ID number, distinct for each `n` (its birth date moves with it).
fn idn(n: u32) -> String {
    let born = time_date(1950, 1, 1) + time::Duration::days(n as i64);
    rules::gb11643::compose("340705", born, (n % 1000) as u16)
}

#[tokio::test]
async fn a_file_of_bad_rows_keeps_the_first_in_full_and_counts_the_rest() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (c, csrf) = login(&s, "frontdesk").await;
        // 3,000 rows with a wrong check digit, 500 with a bad hukou, 20 good ones (one repeated).
        let mut csv = String::from("姓名,身份证号,户籍\n");
        for i in 0..3000u32 {
            let good = idn(i);
            let bad = format!("{}{}", &good[..17], if good.ends_with('0') { '1' } else { '0' });
            csv.push_str(&format!("坏行{i},{bad},是\n"));
        }
        for i in 0..500u16 {
            csv.push_str(&format!("户籍{i},{},也许\n", idn(5000 + i as u32)));
        }
        for i in 0..20u16 {
            csv.push_str(&format!("好行{i},{},是\n", idn(9000 + i as u32)));
        }
        csv.push_str(&format!("重复,{},是\n", idn(9000)));
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("bad.csv"));
        let r = c
            .post(format!("{}/api/v1/residents/import", s.base))
            .header("x-csrf-token", &csrf)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (v["total"].as_u64(), v["inserted"].as_u64(), v["unchanged"].as_u64()),
            (Some(3521), Some(20), Some(1))
        );
        assert_eq!(v["rejected"].as_array().unwrap().len(), store::residents_import::KEEP_REJECTED, "{backend}");
        assert_eq!(v["rejected_total"], 3500, "{backend}");
        let counts = v["rejected_counts"].as_array().unwrap();
        let by: Vec<(&str, u64)> =
            counts.iter().map(|c| (c["field"].as_str().unwrap(), c["rows"].as_u64().unwrap())).collect();
        assert_eq!(by, [("id_number", 3000), ("hukou", 500)], "{backend}: {counts:?}");
        assert!(!counts[0]["zh"].as_str().unwrap().contains("坏行"), "{backend}: counted without the names");

        // The run as stored: the kept rows, and every row counted; its record stays small.
        let run = v["run_id"].as_i64().unwrap();
        let (kept_len,): (i64,) =
            sqlx::query_as("SELECT CAST(LENGTH(rejected_json) AS BIGINT) FROM import_runs WHERE id = $1")
                .bind(run)
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert!(kept_len < 250_000, "{backend}: {kept_len} bytes");
        let r: Value =
            c.get(format!("{}/api/v1/residents/import/{run}", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(
            (r["rejected_total"].as_u64(), r["rejected_counts"].as_array().map(Vec::len)),
            (Some(3500), Some(2))
        );
        let html = c.get(format!("{}/residents/import/{run}", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"rejected-counts\"") && html.contains("3500"), "{backend}");
    }
}

#[tokio::test]
async fn the_import_limits_are_stated_and_enforced() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (c, _) = login(&s, "frontdesk").await;
        let html = c.get(format!("{}/residents/import", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"import-limits\"") && html.contains("64MB") && html.contains("20MB"), "{backend}");
        assert!(html.contains("100万行"), "{backend}");
    }
    // The reader refuses a file over its size limit before reading it.
    use store::residents_import::{MAX_CSV_BYTES, MAX_XLSX_BYTES};
    let empty: &[u8] = b"";
    let err = store::residents_file::open("big.xlsx", MAX_XLSX_BYTES + 1, empty).err().expect("refused");
    assert!(err.zh.contains("20MB"), "{err}");
    let err = store::residents_file::open("big.csv", MAX_CSV_BYTES + 1, empty).err().expect("refused");
    assert!(err.zh.contains("200MB"), "{err}");
}

/// On SQLite an import takes the process's write turn like every other writer
/// (the case writer, the outbox), instead of meeting them in SQLite's busy
/// handler; waiting for it, an import holds no pooled connection, so twelve
/// imports waiting at once starve neither reads nor the turn's holder.
#[tokio::test]
async fn imports_wait_for_the_write_turn_holding_no_connection() {
    let s = start("sqlite", &sqlite_url()).await;
    let (c, csrf) = login(&s, "frontdesk").await;
    let turn = s.db.write_turn().await;
    let imports: Vec<_> = (0..12u32)
        .map(|i| {
            let (c, csrf, base) = (c.clone(), csrf.clone(), s.base.clone());
            tokio::spawn(async move {
                let csv = format!("姓名,身份证号,户籍\n轮候{i},{},是\n", idn(20_000 + i));
                let form = reqwest::multipart::Form::new()
                    .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("turn.csv"));
                let r = c
                    .post(format!("{base}/api/v1/residents/import"))
                    .header("x-csrf-token", &csrf)
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                r.status().as_u16()
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let written = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM residents WHERE name LIKE '轮候%'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        n
    };
    assert!(imports.iter().all(|t| !t.is_finished()), "an import ended without the turn");
    assert_eq!(written().await, 0, "an import wrote without the turn");
    for _ in 0..8 {
        tokio::time::timeout(std::time::Duration::from_secs(2), s.db.ping())
            .await
            .expect("a read waited for a connection held by an import")
            .unwrap();
    }
    drop(turn);
    for t in imports {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(written().await, 12);
}
