//! The residents' committee between elections, on both databases (issue 15):
//! removal and by-election only on a passed resolution of a validly held
//! 居民会议 of the community (rule 1.10), a removal only after a recall motion
//! at the §2.22 thresholds, the non-resident share checked on a by-election
//! (rule 2.21), a 居民公约 in effect only once decided and filed with the
//! district (rule 1.12). Every refusal names its rule and writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};
use store::Db;

async fn audit_seq(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1").fetch_one(&db.pool).await.unwrap()
}

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

const CODE: &str = "340705402";

#[tokio::test]
async fn rule_1_10_the_committee_changes_only_through_a_residents_meeting() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (foreign, f_csrf) = login(&s, "admin_yh").await;
        let (district, d_csrf) = login(&s, "district").await;
        let (desk, _) = login(&s, "frontdesk").await;
        let base = s.base.clone();
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{base}{path}")).header("x-csrf-token", csrf).json(&body).send()
        };
        let get = |c: &reqwest::Client, path: &str| c.get(format!("{base}{path}")).send();
        let committee = format!("/api/v1/communities/{CODE}/committee");
        let changes = format!("{committee}/changes");
        let (st, v) = json_of(get(&desk, &committee).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {v}");
        let roster: Vec<String> =
            v["roster"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
        assert!((5..=9).contains(&roster.len()), "{backend}: the demo's committee");

        // A 居民会议 of all adults today (its base from the registry), validly held; one passed and one failed resolution.
        let today = store::clock::today().to_string();
        let (st, m) = json_of(
            post(
                &admin,
                &a_csrf,
                "/api/v1/deliberation/meetings",
                json!({"kind": "assembly", "title": "罢免与补选（示例）", "held_on": today, "base_kind": "all_adults"}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {m}");
        let (mid, adults) = (m["id"].as_i64().unwrap(), m["base_count"].as_i64().unwrap());
        let present = adults / 2 + 1;
        let (st, _) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/deliberation/meetings/{mid}/attendance"),
                json!({"present": present}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200);
        let resolve = |yes: i64| json!({"motion": "撤换与补选居委会成员", "yes": yes, "no": present - yes});
        let res_path = format!("/api/v1/deliberation/meetings/{mid}/resolutions");
        let (_, failed) = json_of(post(&admin, &a_csrf, &res_path, resolve(present / 2)).await.unwrap()).await;
        assert_eq!(failed["passed"], 0, "{backend}: {failed}");
        let (_, passed) = json_of(post(&admin, &a_csrf, &res_path, resolve(present)).await.unwrap()).await;
        assert_eq!(passed["passed"], 1, "{backend}: {passed}");
        // A council's passed resolution is not a 居民会议 decision.
        let (_, council) = json_of(
            post(
                &admin,
                &a_csrf,
                "/api/v1/deliberation/meetings",
                json!({"kind": "council", "title": "议事会", "held_on": today, "base_count": "9"}),
            )
            .await
            .unwrap(),
        )
        .await;
        let cid = council["id"].as_i64().unwrap();
        post(&admin, &a_csrf, &format!("/api/v1/deliberation/meetings/{cid}/attendance"), json!({"present": 9}))
            .await
            .unwrap();
        let (_, by_council) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/deliberation/meetings/{cid}/resolutions"),
                json!({"motion": "撤换", "yes": 9}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(by_council["passed"], 1);

        let removal = |name: &str, resolution: &Value, voters: i64| json!({"kind": "removal", "name": name, "resolution_id": resolution, "motion_voters": voters, "reason": "示例"});
        let fifth = (adults + 4) / 5;
        let seq0 = audit_seq(&s.db).await;
        let refusals = [
            (json!({"kind": "removal", "name": roster[1], "motion_voters": fifth}), "resolution_id", "规则1.10"),
            (removal(&roster[1], &failed["id"], fifth), "resolution_id", "规则1.10"),
            (removal(&roster[1], &by_council["id"], fifth), "resolution_id", "规则1.10"),
            (removal(&roster[1], &json!(999999), fifth), "resolution_id", "规则1.10"),
            (removal(&roster[1], &passed["id"], fifth - 1), "motion_voters", "规则2.22"),
            (removal(&roster[1], &passed["id"], adults + 1), "motion_voters", "超过"),
            (removal("不在册的人", &passed["id"], fifth), "name", "不是"),
        ];
        for (body, field, why) in refusals {
            let (st, v) = json_of(post(&admin, &a_csrf, &changes, body.clone()).await.unwrap()).await;
            assert_eq!((st, v["field"].as_str()), (422, Some(field)), "{backend}: {body} → {v}");
            let zh = v["errors"][0]["zh"].as_str().unwrap();
            assert!(zh.contains(why), "{backend}: {zh}");
            assert!(!v["errors"][0]["en"].as_str().unwrap().is_empty());
        }
        // Another community's admin cannot change this committee.
        let r = post(&foreign, &f_csrf, &changes, removal(&roster[1], &passed["id"], fifth)).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
        assert_eq!(audit_seq(&s.db).await, seq0, "{backend}: refusals write nothing");
        let (_, v) = json_of(get(&desk, &committee).await.unwrap()).await;
        assert_eq!(v["roster"].as_array().unwrap().len(), roster.len());
        assert_eq!(v["changes"].as_array().unwrap().len(), 0);

        // Removals on the passed resolution and a motion of exactly 1/5 of voters, down to three members.
        for name in &roster[..roster.len() - 3] {
            let (st, ch) =
                json_of(post(&admin, &a_csrf, &changes, removal(name, &passed["id"], fifth)).await.unwrap()).await;
            assert_eq!(st, 200, "{backend}: {ch}");
            assert_eq!(ch["kind"], "removal");
        }
        // By-election: one member living elsewhere is within 1/3 of four; a second would make 2 of 5 (rule 2.21).
        let by = |name: &str, lives: bool| json!({"kind": "by_election", "name": name, "post": "委员", "lives_here": lives, "resolution_id": passed["id"]});
        let (st, ch) = json_of(post(&admin, &a_csrf, &changes, by("钱示例", false)).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {ch}");
        let seq1 = audit_seq(&s.db).await;
        let (st, v) = json_of(post(&admin, &a_csrf, &changes, by("孙示例", false)).await.unwrap()).await;
        assert_eq!((st, v["field"].as_str()), (422, Some("lives_here")), "{backend}: {v}");
        assert!(v["errors"][0]["zh"].as_str().unwrap().contains("规则2.21"));
        let (st, v) = json_of(post(&admin, &a_csrf, &changes, by("李示例", true)).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert!(audit_seq(&s.db).await > seq1);
        let (_, v) = json_of(get(&desk, &committee).await.unwrap()).await;
        let names: Vec<&str> = v["roster"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), 5, "{backend}: {names:?}");
        assert!(names.contains(&"钱示例") && names.contains(&"李示例") && !names.contains(&roster[0].as_str()));
        assert_eq!(v["changes"].as_array().unwrap().len(), roster.len() - 3 + 2);

        // Rule 1.12: a covenant is drafted, decided by the 居民会议, filed with the district: only then in effect.
        let (st, cv) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("{committee}/covenants"),
                json!({"title": "天井湖社区居民公约（示例）", "body": "爱护公共设施，邻里互助。"}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {cv}");
        assert!(cv["effective_on"].is_null());
        let id = cv["id"].as_i64().unwrap();
        let filing = json!({"filing_ref": "铜官民备〔2026〕1号（示例）", "filed_on": today});
        let (st, v) =
            json_of(post(&district, &d_csrf, &format!("/api/v1/covenants/{id}/filing"), filing.clone()).await.unwrap())
                .await;
        assert_eq!((st, v["field"].as_str()), (422, Some("resolution_id")), "{backend}: no decision yet: {v}");
        assert!(v["errors"][0]["zh"].as_str().unwrap().contains("规则1.12"));
        let decide = format!("/api/v1/covenants/{id}/decision");
        for bad in [&by_council["id"], &failed["id"]] {
            let (st, v) = json_of(post(&admin, &a_csrf, &decide, json!({"resolution_id": bad})).await.unwrap()).await;
            assert_eq!((st, v["field"].as_str()), (422, Some("resolution_id")), "{backend}: {v}");
        }
        let (st, v) =
            json_of(post(&admin, &a_csrf, &decide, json!({"resolution_id": passed["id"]})).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert!(v["effective_on"].is_null(), "{backend}: decided but not yet filed");
        let r = post(&admin, &a_csrf, &format!("/api/v1/covenants/{id}/filing"), filing.clone()).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}: the community does not file with itself");
        let (st, v) =
            json_of(post(&district, &d_csrf, &format!("/api/v1/covenants/{id}/filing"), filing).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["effective_on"], json!(today), "{backend}: in effect on the filing's day");

        // The page shows the roster, the changes and the covenant in Chinese.
        let html = get(&desk, &format!("/communities/{CODE}/committee")).await.unwrap().text().await.unwrap();
        assert!(html.contains("钱示例") && html.contains("撤换") && html.contains("已生效"), "{backend}");
    }
}

#[tokio::test]
async fn rule_2_23_the_dashboard_shows_the_direct_election_rate_turnout_and_contested_share() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let per_community = store::figures::elections_by_community(&s.db).await.unwrap();
        let per_district = store::figures::elections_by_district(&s.db).await.unwrap();
        let total: i64 = per_district.iter().map(|d| d.communities).sum();
        assert_eq!(total as usize, per_community.len(), "{backend}: every community counted once");
        for (_, c) in &per_community {
            assert!(c.last_direct <= c.with_election && c.returned <= c.registered.max(c.returned));
            assert!(c.contested_posts <= c.posts, "{backend}: {c:?}");
        }
        let html = reqwest::get(format!("{}/dashboard", s.base)).await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"election-figures\"") && html.contains("直选率"), "{backend}");
        assert!(html.contains("2013年起") && html.contains("据原文"), "{backend}: the seed's 100% beside ours");
        for private in ["身份证", "election_voters"] {
            assert!(!html.contains(private), "{backend}");
        }
        // The public result page: no log-in, the elected members' names and votes, no ID numbers.
        let (_, v) =
            json_of(reqwest::get(format!("{}/api/v1/communities/{CODE}/committee", s.base)).await.unwrap()).await;
        assert!(v["roster"].is_null(), "{backend}: the committee API is not public");
        let r = reqwest::get(format!("{}/communities/{CODE}/election", s.base)).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let html = r.text().await.unwrap();
        assert!(html.contains("居委会换届选举结果") && html.contains("id=\"election-result\""), "{backend}");
        assert!(html.contains("首轮") && html.contains("示例"), "{backend}: the demo's 2021 election, marked 示例");
        let digits = html.as_bytes().windows(18).any(|w| w[..17].iter().all(u8::is_ascii_digit));
        assert!(!digits, "{backend}: no ID numbers on the public page");
    }
}
