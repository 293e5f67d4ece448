//! The rounds after the first and the filing, through the API on both
//! databases: a tie across the last 委员 seat calls for a run-off among the
//! tied (§2.17), an unfilled 副主任 seat for a 另行选举 of the first round's
//! non-winners (§2.18); only the round the procedure calls for opens, with the
//! engine's candidates; the committee is seated from every round; the result is
//! announced and sealed, filed with the district and received there (§2.20).
//! Every refusal names its rule and writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};

/// Rows of the election tables and of the audit log: a refusal changes none.
const TABLES: &[&str] = &[
    "elections",
    "election_results",
    "election_rounds",
    "election_round_posts",
    "election_round_candidates",
    "election_round_boxes",
    "election_round_lines",
    "election_filings",
    "audit_log",
];

fn post(votes: Value) -> Value {
    json!({ "votes": votes, "invalid": 0, "blank": 0 })
}

#[tokio::test]
async fn runoff_and_repeat_round_then_the_committee_and_the_filing() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let base = s.base.clone();
        let today = store::clock::today();
        for (i, name) in ["选民一", "选民二", "选民三", "选民四", "选民五", "选民六"].iter().enumerate()
        {
            let r = admin
                .post(format!("{base}/api/v1/residents"))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "name": name, "id_number": id_number(40 + i as u16), "hukou": "是", "household": "9",
                    "building": "9栋", "address": "9栋101", "phone": "13800000000" }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 200, "{backend}");
        }
        let (st, v) = post_json(
            &admin,
            &csrf,
            format!("{base}/api/v1/elections"),
            json!({ "election_day": today.to_string(), "director": 1, "deputy": 1, "member": 3 }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let id = v["id"].as_i64().unwrap();
        let e = |path: &str| format!("{base}/api/v1/elections/{id}{path}");
        let (st, v) = post_json(
            &admin,
            &csrf,
            e("/roll"),
            json!({ "published_on": (today - time::Duration::days(25)).to_string() }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let n = v["published"].as_u64().unwrap();
        assert!(n >= 6 && n != 4, "{backend}: {v}");
        let r = admin
            .put(e("/candidates"))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "published_on": (today - time::Duration::days(10)).to_string(),
                "director": ["张伟", "李娜"], "deputy": ["王芳", "孙强"], "member": ["刘一", "陈二", "杨三", "赵四"] }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{backend}");

        // §2.17/§2.18 before any count: no later round can open.
        let before = footprint(&s, TABLES).await;
        let (st, v) = post_json(&admin, &csrf, e("/rounds"), json!({})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        // Round 1: 主任 张伟 elected; 副主任 王芳 has half, not more (unfilled);
        // 委员 刘一 elected, 陈二 杨三 赵四 tied over half across the two seats left.
        let y = 2 * n / 3;
        let first = json!({ "name": "第一投票站", "issued": n, "returned": n, "posts": {
            "主任": post(json!({ "张伟": n })),
            "副主任": { "votes": { "王芳": n / 2, "孙强": 1 }, "invalid": 0, "blank": n - n / 2 - 1 },
            "委员": post(json!({ "刘一": n, "陈二": y, "杨三": y, "赵四": y })),
        }});
        let (st, v) = post_json(&admin, &csrf, e("/boxes"), first).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = post_json(&admin, &csrf, e("/count"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["posts"]["委员"]["runoff"], json!(["杨三", "赵四", "陈二"]), "{backend}: {v}");
        assert_eq!(v["posts"]["副主任"]["unfilled"], 1, "{backend}: {v}");

        // While the run-off is due: no seating (§2.18), no announcement (§2.17); nothing written.
        let before = footprint(&s, TABLES).await;
        let (st, v) = post_json(&admin, &csrf, e("/seat"), json!({})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        let (st, v) = post_json(&admin, &csrf, e("/announce"), json!({ "seal_note": "社区会议室，封条示例" })).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.17"), "{backend}: {v}");
        let (st, v) = post_json(&admin, &csrf, e("/filing"), json!({})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.20"), "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (desk, dcsrf) = login(&s, "frontdesk").await;
        let (district, kcsrf) = login(&s, "district").await;

        // Round 2: the run-off the engine calls for — the three tied, two seats.
        let (st, v) = post_json(&admin, &csrf, e("/rounds"), json!({ "polling_day": today.to_string() })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!((v["number"].as_i64(), v["kind"].as_str()), (Some(2), Some("runoff")), "{backend}: {v}");
        let shown: Value = admin.get(e("")).send().await.unwrap().json().await.unwrap();
        let r2 = &shown["rounds"][0];
        assert_eq!(r2["posts"], json!([{ "post": "委员", "seats": 2, "position": 0 }]), "{backend}: {shown}");
        let before = footprint(&s, TABLES).await;
        let (st, v) = post_json(&admin, &csrf, e("/rounds"), json!({})).await;
        assert_eq!(st, 422, "{backend}: one round open at a time: {v}");
        let wrong = json!({ "name": "第一投票站", "issued": n, "returned": n, "posts": { "主任": post(json!({ "张伟": n })) } });
        let (st, v) = post_json(&desk, &dcsrf, e("/rounds/2/boxes"), wrong).await;
        assert_eq!(st, 422, "{backend}: 主任 is not on the run-off's ballot: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let runoff = json!({ "name": "第一投票站", "issued": n, "returned": n, "posts": {
            "委员": post(json!({ "陈二": n, "杨三": n - 1, "赵四": 1 })) } });
        let (st, v) = post_json(&desk, &dcsrf, e("/rounds/2/boxes"), runoff).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = post_json(&admin, &csrf, e("/rounds/2/count"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["posts"]["委员"]["elected"], json!(["杨三", "陈二"]), "{backend}: {v}");

        // Round 3: the 另行选举 for 副主任, with the first round's non-winners in vote order.
        let (st, v) = post_json(&admin, &csrf, e("/rounds"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["kind"], "repeat", "{backend}: {v}");
        let shown: Value = admin.get(e("")).send().await.unwrap().json().await.unwrap();
        let names: Vec<&str> =
            shown["rounds"][1]["candidates"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["王芳", "孙强"], "{backend}: {shown}");
        // §2.18: a third of the ballots is enough in a 另行选举.
        let third = n.div_ceil(3);
        let repeat = json!({ "name": "第一投票站", "issued": n, "returned": n, "posts": {
            "副主任": { "votes": { "王芳": third }, "invalid": 0, "blank": n - third } } });
        let (st, v) = post_json(&desk, &dcsrf, e("/rounds/3/boxes"), repeat).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = post_json(&admin, &csrf, e("/rounds/3/count"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["posts"]["副主任"]["elected"], json!(["王芳"]), "{backend}: {v}");
        let shown: Value = admin.get(e("")).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["next"]["next"], "complete", "{backend}: {shown}");
        let (st, _) = post_json(&admin, &csrf, e("/rounds"), json!({})).await;
        assert_eq!(st, 422, "{backend}: every seat is filled: no more rounds");

        // The committee from all three rounds.
        let (st, v) = post_json(&admin, &csrf, e("/seat"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let members: Vec<&str> = v["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(members, ["张伟", "王芳", "刘一", "杨三", "陈二"], "{backend}: {v}");

        // §2.20: the seal is described; then announced, filed, received by the district.
        let before = footprint(&s, TABLES).await;
        let (st, v) = post_json(&admin, &csrf, e("/announce"), json!({ "seal_note": " " })).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.20"), "{backend}: {v}");
        let (st, v) = post_json(&district, &kcsrf, e("/filing/receive"), json!({ "reference": "示例-备2026-1" })).await;
        assert_eq!(st, 422, "{backend}: nothing filed yet: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let (st, v) =
            post_json(&admin, &csrf, e("/announce"), json!({ "seal_note": "社区会议室票柜，封条示例" })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, _) = post_json(&admin, &csrf, e("/announce"), json!({ "seal_note": "再次" })).await;
        assert_eq!(st, 422, "{backend}: announced once");
        let (st, v) = post_json(&admin, &csrf, e("/filing"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["filed_on"], today.to_string(), "{backend}: {v}");
        let (st, _) = post_json(&admin, &csrf, e("/filing/receive"), json!({ "reference": "x" })).await;
        assert_eq!(st, 403, "{backend}: only the district receives");
        let (st, v) = post_json(&district, &kcsrf, e("/filing/receive"), json!({ "reference": "示例-备2026-1" })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["reference"], "示例-备2026-1", "{backend}: {v}");

        let page = admin.get(format!("{base}/elections/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("另行选举") && page.contains("再次投票") && page.contains("示例-备2026-1"), "{backend}");
        assert!(
            matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }),
            "{backend}"
        );
    }
}
