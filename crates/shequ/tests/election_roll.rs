//! The roll after publication, through the API on both databases: objections
//! only inside the window, each with the day its decision is due (§2.4); an
//! upheld objection strikes a wrongly listed voter off the roll or adds an
//! omitted resident the engine finds eligible; a voter's notice that they cannot
//! return takes them out of the turnout denominator only when given two days
//! before election day (§2.5). Every refusal names its rule and writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};

/// The tables a refused step must leave as they were.
const TABLES: &[&str] = &[
    "election_voters WHERE struck_on IS NULL",
    "election_objections",
    "election_objections WHERE decided_on IS NOT NULL",
    "election_absence_notices",
    "audit_log",
];

async fn resident(c: &reqwest::Client, csrf: &str, base: &str, name: &str, seq: u16) {
    let (st, v) = post_json(
        c,
        csrf,
        format!("{base}/api/v1/residents"),
        json!({ "name": name, "id_number": id_number(seq), "hukou": "是", "household": "7",
            "building": "7栋", "address": "7栋101", "phone": "13800000000" }),
    )
    .await;
    assert_eq!(st, 200, "{v}");
}

#[tokio::test]
async fn objections_in_their_window_and_notices_in_time() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let (desk, dcsrf) = login(&s, "frontdesk").await;
        let base = s.base.clone();
        let today = store::clock::today();
        let ago = |n: i64| (today - time::Duration::days(n)).to_string();
        resident(&admin, &csrf, &base, "申诉甲", 80).await;
        resident(&admin, &csrf, &base, "申诉乙", 81).await;
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
        let (st, v) = post_json(&admin, &csrf, e("/roll"), json!({ "published_on": ago(25) })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let n = v["published"].as_i64().unwrap();
        // Registered after the roll was built: left off it.
        resident(&admin, &csrf, &base, "漏登丙", 82).await;

        // §2.4: outside the five days after publication; a name not in the registry; nothing is written.
        let before = footprint(&s, TABLES).await;
        let objection = |filed: String, subject: &str, claim: &str| json!({ "filed_on": filed, "objector": "申诉甲", "subject": subject, "claim": claim, "grounds": "示例理由" });
        let (st, v) = post_json(&admin, &csrf, e("/objections"), objection(ago(10), "申诉乙", "wrongly_listed")).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.4"), "{backend}: {v}");
        let (st, v) = post_json(&desk, &dcsrf, e("/notices"), json!({ "name": "不在名单上" })).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (st, wrong) =
            post_json(&admin, &csrf, e("/objections"), objection(ago(23), "申诉乙", "wrongly_listed")).await;
        assert_eq!(st, 200, "{backend}: {wrong}");
        assert_eq!(wrong["decision_due"], ago(20), "{backend}: decided within three days: {wrong}");
        let (st, omitted) = post_json(&admin, &csrf, e("/objections"), objection(ago(22), "漏登丙", "omitted")).await;
        assert_eq!(st, 200, "{backend}: {omitted}");
        let (st, ghost) = post_json(&admin, &csrf, e("/objections"), objection(ago(22), "查无此人", "omitted")).await;
        assert_eq!(st, 200, "{backend}: {ghost}");

        // Upheld for someone not in the registry: refused, nothing written.
        let before = footprint(&s, TABLES).await;
        let decide = |o: &Value| e(&format!("/objections/{}/decide", o["id"]));
        let (st, v) = post_json(
            &admin,
            &csrf,
            decide(&ghost),
            json!({ "decided_on": ago(21), "upheld": true, "decision": "成立" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (st, v) = post_json(
            &admin,
            &csrf,
            decide(&wrong),
            json!({ "decided_on": ago(21), "upheld": true, "decision": "已迁出，从名单中除去" }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = post_json(
            &admin,
            &csrf,
            decide(&omitted),
            json!({ "decided_on": ago(21), "upheld": "1", "decision": "核实符合条件，补登" }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, _) = post_json(&admin, &csrf, decide(&omitted), json!({ "upheld": true, "decision": "再次" })).await;
        assert_eq!(st, 422, "{backend}: decided once");
        let (st, _) = post_json(
            &admin,
            &csrf,
            decide(&ghost),
            json!({ "decided_on": ago(21), "upheld": false, "decision": "不成立" }),
        )
        .await;
        assert_eq!(st, 200, "{backend}");
        let roll: Value = admin.get(e("/roll")).send().await.unwrap().json().await.unwrap();
        let names: Vec<&str> = roll["voters"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"漏登丙") && !names.contains(&"申诉乙"), "{backend}: {names:?}");
        assert_eq!(names.len() as i64, n, "{backend}: one struck off, one added");

        // §2.5: in time (three days before) counts out; the day before does not.
        let (st, v) = post_json(&desk, &dcsrf, e("/notices"), json!({ "name": "申诉甲", "notified_on": ago(3) })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = post_json(&desk, &dcsrf, e("/notices"), json!({ "name": "漏登丙", "notified_on": ago(1) })).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, _) = post_json(&desk, &dcsrf, e("/notices"), json!({ "name": "漏登丙", "notified_on": ago(1) })).await;
        assert_eq!(st, 422, "{backend}: once per voter");
        let shown: Value = admin.get(e("")).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["voters"], n, "{backend}: {shown}");
        assert_eq!(shown["turnout_base"], n - 1, "{backend}: {shown}");

        let page = admin.get(format!("{base}/elections/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("对选民名单的申诉") && page.contains("申诉成立") && page.contains("漏登丙"), "{backend}");
        assert!(
            matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn rule_2_1_residents_without_hukou_are_registered_on_their_approved_application() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let base = s.base.clone();
        let today = store::clock::today();
        let two_years = (today - time::Duration::days(730)).to_string();
        let recent = (today - time::Duration::days(90)).to_string();
        for (name, seq, hukou, moved) in [
            ("外来甲", 90, "否", two_years.as_str()),
            ("外来乙", 91, "否", two_years.as_str()),
            ("外来丙", 92, "否", recent.as_str()),
            ("本地丁", 93, "是", two_years.as_str()),
        ] {
            let (st, v) = post_json(
                &admin,
                &csrf,
                format!("{base}/api/v1/residents"),
                json!({ "name": name, "id_number": id_number(seq), "hukou": hukou, "moved_in": moved, "household": "6",
                    "building": "6栋", "address": "6栋101", "phone": "13800000000" }),
            )
            .await;
            assert_eq!(st, 200, "{backend}: {v}");
        }
        let (st, v) = post_json(
            &admin,
            &csrf,
            format!("{base}/api/v1/elections"),
            json!({ "election_day": (today + time::Duration::days(30)).to_string(), "director": 1, "deputy": 1, "member": 3 }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let id = v["id"].as_i64().unwrap();
        let e = |path: &str| format!("{base}/api/v1/elections/{id}{path}");

        // A resident with 户籍 here does not apply; nothing is written.
        let before = footprint(&s, TABLES).await;
        let (st, v) = post_json(&admin, &csrf, e("/applications"), json!({ "name": "本地丁", "approved": true })).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.1"), "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        for name in ["外来甲", "外来丙"] {
            let (st, v) = post_json(&admin, &csrf, e("/applications"), json!({ "name": name, "approved": true })).await;
            assert_eq!(st, 200, "{backend}: {v}");
        }
        let (st, v) = post_json(&admin, &csrf, e("/roll"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let left = v["left_off"].to_string();
        // Approved and a year here: on the roll. No application, or under a year: left off, with the rule.
        assert!(!left.contains("外来甲"), "{backend}: {left}");
        assert!(left.contains("外来乙") && left.contains("外来丙") && left.contains("rule 2.1"), "{backend}: {left}");
        let roll: Value = admin.get(e("/roll")).send().await.unwrap().json().await.unwrap();
        assert!(roll["voters"].as_array().unwrap().iter().any(|v| v["name"] == "外来甲"), "{backend}");
        let (st, v) = post_json(&admin, &csrf, e("/applications"), json!({ "name": "外来乙", "approved": true })).await;
        assert_eq!(st, 422, "{backend}: after publication, objections only: {v}");
        assert!(v.to_string().contains("rule 2.4"), "{backend}: {v}");
    }
}
