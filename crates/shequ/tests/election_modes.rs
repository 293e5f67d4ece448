//! The election's mode (rule 1.5) through the API on both databases: a
//! household-representative roll has one voter per household of the registry,
//! and its count's base is that roll; a group-representative roll is the
//! committee's 2 or 3 representatives of every residents' group, each a
//! resident of that group who may vote. Every refusal names its rule and
//! writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};

const OURS: &str = "340705402";

/// The tables a refused step must leave as they were.
const TABLES: &[&str] = &["elections", "election_voters", "audit_log"];

async fn resident(c: &reqwest::Client, csrf: &str, base: &str, name: &str, seq: u16, household: &str) {
    let (st, v) = send_json(
        c,
        csrf,
        "POST",
        format!("{base}/api/v1/residents"),
        json!({ "name": name, "id_number": id_number(seq), "hukou": "是", "household": household,
            "building": "7栋", "address": "7栋101", "phone": "13800000000" }),
    )
    .await;
    assert_eq!(st, 200, "{v}");
}

#[tokio::test]
async fn rule_1_5_household_representatives_one_voter_per_household_and_the_count_on_that_base() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let base = s.base.clone();
        let today = store::clock::today();
        resident(&admin, &csrf, &base, "户主甲", 81, "户M1").await;
        resident(&admin, &csrf, &base, "家人甲", 82, "户M1").await;
        resident(&admin, &csrf, &base, "户主乙", 83, "户M2").await;
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{base}/api/v1/elections"),
            json!({ "mode": "household_representatives", "election_day": today.to_string(), "director": 1, "deputy": 1, "member": 3 }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let e = format!("{base}/api/v1/elections/{}", v["id"].as_i64().unwrap());
        // No representatives are typed for a household election.
        let before = footprint(&s, TABLES).await;
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/roll"),
            json!({ "representatives": { "第1居民小组": ["户主甲", "户主乙"] } }),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/roll"),
            json!({ "published_on": (today - time::Duration::days(25)).to_string() }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let voters = v["published"].as_i64().unwrap();
        let left = v["left_off"].to_string();
        assert!(left.contains("家人甲") && left.contains("rule 1.5"), "{backend}: {left}");
        let roll: Value = admin.get(format!("{e}/roll")).send().await.unwrap().json().await.unwrap();
        let names: Vec<&str> = roll["voters"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"户主甲") && names.contains(&"户主乙") && !names.contains(&"家人甲"), "{backend}");
        // One voter per household of the registry.
        let shared: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT r.household FROM election_voters v JOIN residents r ON r.id = v.resident_id \
             GROUP BY v.election_id, r.household HAVING COUNT(*) > 1) x",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(shared, 0, "{backend}");

        // The count's base is the household roll.
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
        let r = voters as u64;
        let sheet = json!({ "name": "第一投票站", "kind": "station", "issued": r, "returned": r, "posts": {
            "主任": { "votes": { "张伟": r, "李娜": 0 } }, "副主任": { "votes": { "王芳": r, "孙强": 0 } },
            "委员": { "votes": { "刘一": r, "陈二": r, "杨三": r, "赵四": 0 } } } });
        // §2.12: with stations recorded, a sheet belongs to one of them, by name and kind.
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/stations"),
            json!({ "name": "第一投票站", "staff": ["工作员甲", "工作员乙", "工作员丙"] }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let before = footprint(&s, TABLES).await;
        let mut stray = sheet.clone();
        stray["name"] = json!("第二投票站");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/boxes"), stray).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 2.12"), "{backend}: {v}");
        let mut mobile = sheet.clone();
        mobile["kind"] = json!("mobile");
        let (st, _) = send_json(&admin, &csrf, "POST", format!("{e}/boxes"), mobile).await;
        assert_eq!(st, 422, "{backend}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/boxes"), sheet).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/count"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let shown: Value = admin.get(&e).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["result"]["registered_voters"].as_i64(), Some(voters), "{backend}: {shown}");
        assert_eq!(shown["election"]["mode"], "household_representatives", "{backend}");
    }
}

#[tokio::test]
async fn rule_1_5_group_representatives_two_or_three_per_group_entered_and_checked() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let base = s.base.clone();
        let today = store::clock::today();
        let groups: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM resident_groups WHERE community_code = $1 ORDER BY id")
                .bind(OURS)
                .fetch_all(&s.db.pool)
                .await
                .unwrap();
        assert!(groups.len() >= 2, "{backend}");
        // Two (the first group: three) residents of each group, placed in their group.
        let mut reps = serde_json::Map::new();
        let mut seq = 100u16;
        for (i, (gid, g)) in groups.iter().enumerate() {
            let mut names = Vec::new();
            for k in 0..(if i == 0 { 3 } else { 2 }) {
                let name = format!("代表{i}号{k}");
                resident(&admin, &csrf, &base, &name, seq, &format!("户G{seq}")).await;
                seq += 1;
                sqlx::query("UPDATE residents SET group_id = $1 WHERE name = $2 AND community_code = $3")
                    .bind(gid)
                    .bind(&name)
                    .bind(OURS)
                    .execute(&s.db.pool)
                    .await
                    .unwrap();
                names.push(json!(name));
            }
            reps.insert(g.clone(), Value::Array(names));
        }
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{base}/api/v1/elections"),
            json!({ "mode": "group_representatives", "election_day": today.to_string(), "director": 1, "deputy": 1, "member": 3 }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        let e = format!("{base}/api/v1/elections/{}", v["id"].as_i64().unwrap());

        // Refused, writing nothing: no representatives; a group sending one; a name not of that group.
        let before = footprint(&s, TABLES).await;
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/roll"), json!({})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("rule 1.5"), "{backend}: {v}");
        let (g0, g1) = (groups[0].1.clone(), groups[1].1.clone());
        let mut one = reps.clone();
        one[&g1] = json!(["代表1号0"]);
        let (st, v) = send_json(&admin, &csrf, "POST", format!("{e}/roll"), json!({ "representatives": one })).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("Art 8") && v.to_string().contains(&g1), "{backend}: {v}");
        let mut stranger = reps.clone();
        stranger[&g0] = json!(["代表0号0", "代表1号1"]);
        let (st, v) =
            send_json(&admin, &csrf, "POST", format!("{e}/roll"), json!({ "representatives": stranger })).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("代表1号1"), "{backend}: {v}");
        assert_eq!(footprint(&s, TABLES).await, before, "{backend}");

        // Accepted as text too: a line per group.
        let text: String = reps
            .iter()
            .map(|(g, ns)| {
                let ns: Vec<&str> = ns.as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
                format!("{g}：{}\n", ns.join("、"))
            })
            .collect();
        let (st, v) = send_json(
            &admin,
            &csrf,
            "POST",
            format!("{e}/roll"),
            json!({ "published_on": (today - time::Duration::days(25)).to_string(), "representatives": text }),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["published"].as_u64(), Some(groups.len() as u64 * 2 + 1), "{backend}: {v}");
        let roll: Value = admin.get(format!("{e}/roll")).send().await.unwrap().json().await.unwrap();
        assert!(roll["voters"].as_array().unwrap().iter().all(|l| l["name"].as_str().unwrap().starts_with("代表")));
    }
}
