//! Nomination through the API on both databases: the election committee
//! (§2.10), joint nominations — signers from the roll, at least ten, no voter
//! nominating more than the seats (§2.6) — and the open nomination (海选), valid
//! only with more than half of the voters, whose count publishes the formal
//! candidates within the 差额 bounds (§2.7, §2.8); a committee member named a
//! candidate leaves the committee. Every refusal names its rule and writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};

const OURS: &str = "340705402";

/// The tables a refused step must leave as they were.
const TABLES: &[&str] = &[
    "election_candidates",
    "election_committee_members",
    "election_nominations",
    "election_nomination_signers",
    "election_open_nominations",
    "audit_log",
];

#[tokio::test]
async fn committee_joint_nominations_and_the_open_nomination() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let base = s.base.clone();
        let today = store::clock::today();
        let voters: Vec<String> = (1..=12).map(|i| format!("联名{i:02}")).collect();
        for (i, name) in voters.iter().enumerate() {
            let (st, v) = post_json(
                &admin,
                &csrf,
                format!("{base}/api/v1/residents"),
                json!({ "name": name, "id_number": id_number(60 + i as u16), "hukou": "是", "household": "8",
                    "building": "8栋", "address": "8栋101", "phone": "13800000000" }),
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

        // §2.10: the election committee, one of whom will be named a candidate.
        let (st, v) = post_json(&admin, &csrf, e("/committee"), json!({ "names": ["委员会甲", "联名12"] })).await;
        assert_eq!(st, 200, "{backend}: {v}");

        // Signers are voters: no nomination before the roll is published.
        let ten: Vec<&String> = voters.iter().take(10).collect();
        let before = footprint(&s, TABLES).await;
        let (st, v) =
            post_json(&admin, &csrf, e("/nominations"), json!({ "post": "主任", "candidate": "张伟", "signers": ten }))
                .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let (st, v) = post_json(&admin, &csrf, e("/roll"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let n = v["published"].as_u64().unwrap();

        // §2.6: nine signers are too few; a name not on the roll is refused; nothing is written.
        let before = footprint(&s, TABLES).await;
        let nine: Vec<&String> = voters.iter().take(9).collect();
        let (st, v) = post_json(
            &admin,
            &csrf,
            e("/nominations"),
            json!({ "post": "主任", "candidate": "张伟", "signers": nine }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.6"), "{backend}: {v}");
        let mut stranger: Vec<String> = voters.iter().take(9).cloned().collect();
        stranger.push("路人".into());
        let (st, v) = post_json(
            &admin,
            &csrf,
            e("/nominations"),
            json!({ "post": "主任", "candidate": "张伟", "signers": stranger }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("路人"), "{backend}: {v}");
        let (st, _) = post_json(
            &admin,
            &csrf,
            e("/nominations"),
            json!({ "post": "主任", "candidate": "张伟", "by": "group", "group": "没有这个组" }),
        )
        .await;
        assert_eq!(st, 422, "{backend}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (st, v) =
            post_json(&admin, &csrf, e("/nominations"), json!({ "post": "主任", "candidate": "张伟", "signers": ten }))
                .await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["signers"], 10, "{backend}: {v}");
        // §2.6: the same voters cannot nominate a second 主任 (one seat).
        let before = footprint(&s, TABLES).await;
        let (st, v) =
            post_json(&admin, &csrf, e("/nominations"), json!({ "post": "主任", "candidate": "李娜", "signers": ten }))
                .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.6"), "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let group: Option<String> =
            sqlx::query_scalar("SELECT name FROM resident_groups WHERE community_code = $1 ORDER BY id LIMIT 1")
                .bind(OURS)
                .fetch_optional(&s.db.pool)
                .await
                .unwrap();
        if let Some(g) = group {
            let (st, v) = post_json(
                &admin,
                &csrf,
                e("/nominations"),
                json!({ "post": "委员", "candidate": "刘一", "by": "group", "group": g }),
            )
            .await;
            assert_eq!(st, 200, "{backend}: {v}");
        }

        // §2.7: a 海选 with half the voters is void; §2.8: one name for 主任 is too few. Nothing is written.
        let counts = json!({
            "director": { "张伟": 8, "李娜": 5 },
            "deputy": "联名12 7\n孙强 6",
            "member": { "刘一": 9, "陈二": 8, "杨三": 7, "赵四": 6, "钱五": 5, "周六": 4, "吴七": 1 },
        });
        let mut half = counts.clone();
        half["took_part"] = json!(n / 2);
        let mut short = counts.clone();
        short["took_part"] = json!(n / 2 + 1);
        short["director"] = json!({ "张伟": 8 });
        let before = footprint(&s, TABLES).await;
        let (st, v) = post_json(&admin, &csrf, e("/open-nomination"), half).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.7"), "{backend}: {v}");
        let (st, v) = post_json(&admin, &csrf, e("/open-nomination"), short).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.8"), "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let mut ok = counts.clone();
        ok["took_part"] = json!(n / 2 + 1);
        let (st, v) = post_json(&admin, &csrf, e("/open-nomination"), ok).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let shown: Value = admin.get(e("")).send().await.unwrap().json().await.unwrap();
        let of = |post: &str| -> Vec<String> {
            shown["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["post"] == post)
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(of("主任"), ["张伟", "李娜"], "{backend}: {shown}");
        assert_eq!(of("委员"), ["刘一", "陈二", "杨三", "赵四", "钱五", "周六"], "{backend}: the top seats + 3");
        // §2.10: the member named a candidate left the committee that day; the other stays.
        let committee = shown["committee"].as_array().unwrap();
        let left = |name: &str| committee.iter().find(|m| m["name"] == name).unwrap()["left_on"].clone();
        assert_eq!(left("联名12"), json!(today.to_string()), "{backend}: {shown}");
        assert_eq!(left("委员会甲"), Value::Null, "{backend}: {shown}");

        // §2.9: nomination closes with the published list.
        let before = footprint(&s, TABLES).await;
        let (st, v) =
            post_json(&admin, &csrf, e("/nominations"), json!({ "post": "委员", "candidate": "新人", "signers": ten }))
                .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.9"), "{backend}: {v}");
        let (st, _) = post_json(&admin, &csrf, e("/committee"), json!({ "names": ["迟到者"] })).await;
        assert_eq!(st, 422, "{backend}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let page = admin.get(format!("{base}/elections/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("选举委员会") && page.contains("已退出") && page.contains("海选"), "{backend}");
        assert!(
            matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }),
            "{backend}"
        );
    }
}
