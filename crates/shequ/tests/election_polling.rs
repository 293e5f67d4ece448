//! Polling through the API on both databases (rules §2.11–§2.13): proxies
//! written, approved, at most 3 per proxy and published with names only;
//! stations and mobile boxes with at least 3 staff, a mobile box only for
//! flagged voters; tellers who are neither candidates nor a candidate's
//! declared close relatives. The module is locked while the calendar's gaps
//! are unmet (§2.3, §2.9); the printable ballots and tally sheets carry no
//! personal data beyond the candidates' names. Every refusal names its rule
//! and writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};

const VOTERS: [&str; 6] = ["投票甲", "投票乙", "投票丙", "投票丁", "投票戊", "投票己"];

/// The tables a refused step must leave as they were.
const TABLES: &[&str] = &[
    "election_proxies",
    "election_stations",
    "election_station_staff",
    "election_mobile_voters",
    "election_tellers",
    "audit_log",
];

/// Six voters, an election three days ahead; polling is refused while locked,
/// then the roll and the candidates are published in time. Returns the admin and the election's API base.
async fn prepared(s: &Server, backend: &str) -> (reqwest::Client, String, String) {
    let (admin, csrf) = login(s, "admin").await;
    let base = s.base.clone();
    let today = store::clock::today();
    for (i, name) in VOTERS.iter().enumerate() {
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{base}/api/v1/residents"),
            json!({ "name": name, "id_number": id_number(70 + i as u16), "hukou": "是", "household": "9",
                "building": "9栋", "address": "9栋101", "phone": "13800000000" }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
    }
    let day = today + time::Duration::days(3);
    let (st, v) = send_json(
        &admin,
        &csrf,
        "POST",
        format!("{base}/api/v1/elections"),
        json!({ "election_day": day.to_string(), "director": 1, "deputy": 1, "member": 3 }),
    )
    .await;
    assert_eq!(st, 200, "{backend}: {v}");
    let e = format!("{base}/api/v1/elections/{}", v["id"].as_i64().unwrap());

    // §2.3, §2.9: the polling module is locked while the roll and the candidates are unpublished.
    let before = footprint(s, TABLES).await;
    let (st, v) = send_json(
        &admin,
        &csrf,
        "POST",
        format!("{e}/stations"),
        json!({ "name": "第一投票站", "staff": ["甲", "乙", "丙"] }),
    )
    .await;
    assert_eq!(st, 422, "{backend}: {v}");
    assert!(v.to_string().contains("rule 2.3") && v.to_string().contains("rule 2.9"), "{backend}: {v}");
    let (st, _) = send_json(
        &admin,
        &csrf,
        "POST",
        format!("{e}/proxies"),
        json!({ "principal": "投票甲", "proxy": "投票乙", "written_on": today.to_string() }),
    )
    .await;
    assert_eq!(st, 422, "{backend}");
    assert_eq!(footprint(s, TABLES).await, before, "{backend}");

    let (st, v) = send_json(
        &admin,
        &csrf,
        "POST",
        format!("{e}/roll"),
        json!({ "published_on": (today - time::Duration::days(20)).to_string() }),
    )
    .await;
    assert_eq!(st, 200, "{backend}: {v}");
    let (st, v) = send_json(
        &admin,
        &csrf,
        "PUT",
        format!("{e}/candidates"),
        json!({ "published_on": (today - time::Duration::days(2)).to_string(), "director": ["张伟", "李娜"],
            "deputy": ["王芳", "孙强"], "member": ["刘一", "陈二", "杨三", "赵四"] }),
    )
    .await;
    assert_eq!(st, 200, "{backend}: {v}");
    (admin, csrf, e)
}

#[tokio::test]
async fn rule_2_11_proxies_written_approved_at_most_three_and_published_with_names_only() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf, e) = prepared(&s, backend).await;
        let written = store::clock::today().to_string();
        let proxy =
            |principal: &str, proxy: &str| json!({ "principal": principal, "proxy": proxy, "written_on": written });

        // Refused: no written authorisation; a proxy not on the roll; nothing is written.
        let before = footprint(&s, TABLES).await;
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/proxies"),
            json!({ "principal": "投票甲", "proxy": "投票己" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.11") && v.to_string().contains("书面委托"), "{backend}: {v}");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/proxies"), proxy("投票甲", "路人")).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.11"), "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        // Accepted: three principals for one proxy.
        for p in ["投票甲", "投票乙", "投票丙"] {
            let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/proxies"), proxy(p, "投票己")).await;
            assert_eq!(st, 200, "{backend}: {v}");
        }
        // Refused: a fourth authorisation for the same proxy; a principal who already named one.
        let before = footprint(&s, TABLES).await;
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/proxies"), proxy("投票丁", "投票己")).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.11") && v.to_string().contains('3'), "{backend}: {v}");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/proxies"), proxy("投票甲", "投票戊")).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        // Published: names (and the approval day) only.
        let list: Value = admin.get(format!("{e}/proxies")).send().await.unwrap().json().await.unwrap();
        let lines = list["proxies"].as_array().unwrap();
        assert_eq!(lines.len(), 3, "{backend}: {list}");
        for l in lines {
            let keys: Vec<&String> = l.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["approved_on", "principal", "proxy"], "{backend}: {l}");
            assert_eq!(l["proxy"], "投票己", "{backend}");
        }
        let page_url = e.replace("/api/v1", "");
        let page = admin.get(format!("{page_url}/proxies")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("投票甲") && page.contains("投票己"), "{backend}");
        assert!(!page.contains(&id_number(70)) && !page.contains("13800000000"), "{backend}: no personal data");
    }
}

#[tokio::test]
async fn rule_2_12_stations_and_mobile_boxes_need_three_staff_and_mobile_boxes_flagged_voters() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf, e) = prepared(&s, backend).await;
        let before = footprint(&s, TABLES).await;
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/stations"),
            json!({ "name": "第一投票站", "staff": "甲\n乙" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.12"), "{backend}: {v}");
        // §2.13: a candidate is not a box's staff.
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/stations"),
            json!({ "name": "第一投票站", "staff": ["甲", "乙", "张伟"] }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.13") && v.to_string().contains("张伟"), "{backend}: {v}");
        // The same name twice is one person.
        let (st, _) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/stations"),
            json!({ "name": "流动票箱一", "kind": "mobile", "staff": ["甲", "乙", "乙"] }),
        )
        .await;
        assert_eq!(st, 422, "{backend}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/stations"),
            json!({ "name": "第一投票站", "staff": "工作员甲\n工作员乙\n工作员丙" }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/stations"),
            json!({ "name": "流动票箱一", "kind": "mobile", "staff": ["工作员丁", "工作员戊", "工作员己"] }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");

        // A mobile box serves only a flagged voter, and only a mobile box does.
        let before = footprint(&s, TABLES).await;
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/mobile-voters"),
            json!({ "box": "流动票箱一", "voter": "投票丁", "reason": "" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.12"), "{backend}: {v}");
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/mobile-voters"),
            json!({ "box": "第一投票站", "voter": "投票丁", "reason": "ill" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/mobile-voters"),
            json!({ "box": "流动票箱一", "voter": "投票丁", "reason": "elderly" }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let shown: Value = admin.get(format!("{e}/polling")).send().await.unwrap().json().await.unwrap();
        let stations = shown["stations"].as_array().unwrap();
        assert_eq!(stations.len(), 2, "{backend}: {shown}");
        assert_eq!(stations[1]["voters"], 1, "{backend}: {shown}");
        assert_eq!(stations[0]["staff"], 3, "{backend}: {shown}");

        // The printable tally sheets: one per box, candidates' names, nothing personal.
        let page_url = e.replace("/api/v1", "");
        let sheets = admin.get(format!("{page_url}/tally-sheets")).send().await.unwrap().text().await.unwrap();
        assert!(sheets.contains("第一投票站") && sheets.contains("流动票箱一") && sheets.contains("赵四"), "{backend}");
        assert!(sheets.contains("监票人") && sheets.contains("@media print"), "{backend}");
        assert!(!sheets.contains("工作员甲") && !sheets.contains("投票丁"), "{backend}: no names but the candidates'");
    }
}

#[tokio::test]
async fn rule_2_13_tellers_are_neither_candidates_nor_their_close_relatives() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf, e) = prepared(&s, backend).await;
        let before = footprint(&s, TABLES).await;
        let (st, v) =
            send_json(&admin, &csrf, "POST", format!("{e}/tellers"), json!({ "name": "张伟", "duty": "counter" }))
                .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.13"), "{backend}: {v}");
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/tellers"),
            json!({ "name": "监票员甲", "duty": "scrutineer", "relatives": "某亲属\n李娜" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.13"), "{backend}: {v}");
        let (st, _) =
            send_json(&admin, &csrf, "POST", format!("{e}/tellers"), json!({ "name": "监票员甲", "duty": "judge" }))
                .await;
        assert_eq!(st, 422, "{backend}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/tellers"),
            json!({ "name": "监票员甲", "duty": "scrutineer", "relatives": ["某亲属"] }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) =
            send_json(&admin, &csrf, "POST", format!("{e}/tellers"), json!({ "name": "唱票员乙", "duty": "caller" }))
                .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let shown: Value = admin.get(format!("{e}/polling")).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["tellers"].as_array().unwrap().len(), 2, "{backend}: {shown}");

        // The printable ballots: one per post, the candidates' names, write-in columns as many as the seats.
        let page_url = e.replace("/api/v1", "");
        let ballots = admin.get(format!("{page_url}/ballots")).send().await.unwrap().text().await.unwrap();
        assert_eq!(ballots.matches("class=\"sheet ballot\"").count(), 3, "{backend}");
        assert!(ballots.contains("张伟") && ballots.contains("赵四") && ballots.contains("另选他人"), "{backend}");
        assert!(!ballots.contains("监票员甲") && !ballots.contains("投票甲"), "{backend}");
        let page = admin.get(&page_url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("监票员甲") && page.contains("打印选票"), "{backend}");
        assert!(
            matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }),
            "{backend}"
        );
    }
}
