//! Re-running an invalid first round (rule 2.14) through the API on both
//! databases: a first round where not more than half the voters took part
//! elects nobody; the result cannot be announced or seated; the round the
//! procedure calls for is a re-run of the same election (every post, the same
//! formal candidates), while the first round's boxes, sheets and result stay
//! as they were, sealed. The re-run, valid, seats the committee.

mod common;
use common::*;
use serde_json::{Value, json};

/// The tables a refused step must leave as they were.
const TABLES: &[&str] = &["election_boxes", "election_sheet_lines", "election_results", "election_rounds", "audit_log"];

fn sheet(name: &str, r: u64) -> Value {
    json!({ "name": name, "kind": "station", "issued": r, "returned": r, "posts": {
        "主任": { "votes": { "张伟": r, "李娜": 0 } }, "副主任": { "votes": { "王芳": r, "孙强": 0 } },
        "委员": { "votes": { "刘一": r, "陈二": r, "杨三": r, "赵四": 0 } } } })
}

#[tokio::test]
async fn rule_2_14_an_invalid_first_round_is_held_again_and_its_ballots_stay_sealed() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let base = s.base.clone();
        let today = store::clock::today();
        for (i, name) in ["重选甲", "重选乙", "重选丙"].iter().enumerate() {
            let (st, v) = send_json(
                &admin,
                &csrf,
                "POST",
                format!("{base}/api/v1/residents"),
                json!({ "name": name, "id_number": id_number(90 + i as u16), "hukou": "是" }),
            )
            .await;
            assert_eq!(st, 200, "{backend}: {v}");
        }
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{base}/api/v1/elections"),
            json!({ "election_day": today.to_string(), "director": 1, "deputy": 1, "member": 3 }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let e = format!("{base}/api/v1/elections/{}", v["id"].as_i64().unwrap());
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/roll"),
            json!({ "published_on": (today - time::Duration::days(25)).to_string() }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let n = v["published"].as_u64().unwrap();
        let (st, v) = send_json(
            &admin,
            &csrf,
            "PUT",
            format!("{e}/candidates"),
            json!({ "published_on": (today - time::Duration::days(10)).to_string(), "director": ["张伟", "李娜"],
                "deputy": ["王芳", "孙强"], "member": ["刘一", "陈二", "杨三", "赵四"] }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");

        // Round 1: exactly half the voters vote — invalid (rule 2.14).
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/boxes"), sheet("第一投票站", n / 2)).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/count"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["round_valid"], false, "{backend}: {v}");
        let shown: Value = admin.get(&e).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["next"]["next"], "rerun", "{backend}: {shown}");

        // Refused, writing nothing: announcing, seating, another first-round box.
        let before = footprint(&s, TABLES).await;
        let (st, v) =
            send_json(&admin, &csrf, "POST", format!("{e}/announce"), json!({ "seal_note": "会议室封存（示例）" }))
                .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.14") || v.to_string().contains("规则2.14"), "{backend}: {v}");
        let (st, _) = send_json(&admin, &csrf, "POST", format!("{e}/seat"), json!({})).await;
        assert_eq!(st, 422, "{backend}");
        let (st, _) = send_json(&admin, &csrf, "POST", format!("{e}/boxes"), sheet("补录票箱", 1)).await;
        assert_eq!(st, 422, "{backend}: the first round's ballots are sealed");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let sealed: Vec<(String, i64)> = sqlx::query_as("SELECT name, returned FROM election_boxes ORDER BY id")
            .fetch_all(&s.db.pool)
            .await
            .unwrap();

        // Round 2: the re-run — every post, the same candidates.
        let (st, v) =
            send_json(&admin, &csrf, "POST", format!("{e}/rounds"), json!({ "polling_day": today.to_string() })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!((v["number"].as_i64(), v["kind"].as_str()), (Some(2), Some("rerun")), "{backend}: {v}");
        let shown: Value = admin.get(&e).send().await.unwrap().json().await.unwrap();
        let round = &shown["rounds"][0];
        assert_eq!(round["posts"].as_array().unwrap().len(), 3, "{backend}: {shown}");
        assert_eq!(round["candidates"].as_array().unwrap().len(), 8, "{backend}: {shown}");

        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/rounds/2/boxes"), sheet("第一投票站", n)).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/rounds/2/count"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["round_valid"], true, "{backend}: {v}");
        let shown: Value = admin.get(&e).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["next"]["next"], "complete", "{backend}: {shown}");
        // The first round is as it was counted.
        let after: Vec<(String, i64)> = sqlx::query_as("SELECT name, returned FROM election_boxes ORDER BY id")
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(after, sealed, "{backend}");
        assert_eq!(shown["result"]["round_valid"], false, "{backend}");

        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/seat"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let names = v["members"].to_string();
        assert!(names.contains("张伟") && names.contains("杨三") && !names.contains("赵四"), "{backend}: {v}");
        let (st, v) =
            send_json(&admin, &csrf, "POST", format!("{e}/announce"), json!({ "seal_note": "会议室封存（示例）" }))
                .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let page = admin.get(e.replace("/api/v1", "")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("首轮无效，重新投票"), "{backend}");

        // The dashboard's turnout and the public result are the valid re-run's (§2.14), not the first round's.
        let (id, code): (i64, String) =
            sqlx::query_as("SELECT id, community_code FROM elections WHERE status = 'seated' ORDER BY id DESC LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(e, format!("{base}/api/v1/elections/{id}"), "{backend}");
        let figures = store::figures::elections_by_community(&s.db).await.unwrap();
        let (_, f) = figures.iter().find(|(_, f)| f.code == code).unwrap();
        assert_eq!((f.returned, f.registered), (n as i64, n as i64), "{backend}: the re-run's turnout: {f:?}");
        let public = client().get(format!("{base}/communities/{code}/election")).send().await.unwrap();
        assert_eq!(public.status(), 200, "{backend}");
        let public = public.text().await.unwrap();
        assert!(public.contains(&format!("首轮无效，重新选举收回选票 {n} / 登记选民 {n}")), "{backend}: {public}");
        assert!(public.contains("重新选举") && public.contains("张伟"), "{backend}");
    }
}
