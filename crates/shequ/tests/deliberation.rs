//! Resident deliberation and stewards end to end through the API and the
//! pages, on both databases: the 居民会议's quorum and majority (rules §1.6–1.7),
//! petitions that force a 居民会议 (§1.8), important questions closed only by
//! a 居民会议 (§1.9), stewards, scope, and bad input that writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};
use store::Db;

async fn audit_seq(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1").fetch_one(&db.pool).await.unwrap()
}

async fn rows(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn topics_close_only_by_lawful_votes_petitions_force_meetings_and_stewards_forward_issues() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (resident, r_csrf) = login(&s, "resident").await;
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let (foreign, f_csrf) = login(&s, "admin_yh").await;
        let (foreign_desk, fd_csrf) = login(&s, "frontdesk_yh").await;
        let base = s.base.clone();
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{base}{path}")).header("x-csrf-token", csrf).json(&body).send()
        };
        let get = |c: &reqwest::Client, path: &str| c.get(format!("{base}{path}")).send();

        // An important question for all residents, raised by the committee.
        let (st, topic) = json_of(
            post(
                &admin,
                &a_csrf,
                "/api/v1/deliberation/topics",
                json!({"title": "小区改造方案", "raised_by_kind": "committee", "important": true}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {topic}");
        assert_eq!(topic["important"], 1);
        let tid = topic["id"].as_i64().unwrap();
        // A resident raises in their own name only.
        let r =
            post(&resident, &r_csrf, "/api/v1/deliberation/topics", json!({"title": "x", "raised_by_kind": "unit"}))
                .await
                .unwrap();
        assert_eq!(r.status(), 422);
        let (st, mine) = json_of(
            post(&resident, &r_csrf, "/api/v1/deliberation/topics", json!({"title": "楼道照明"})).await.unwrap(),
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(mine["raised_by_kind"], "resident");
        let (st, _) = json_of(
            post(
                &resident,
                &r_csrf,
                &format!("/api/v1/deliberation/topics/{tid}/comments"),
                json!({"body": "赞成，但要先公示方案"}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200);

        // Bad input: 422 problem+json naming the field, and nothing written.
        let (seq0, meetings0) = (audit_seq(&s.db).await, rows(&s.db, "delib_meetings").await);
        for (body, field) in [
            (json!({"kind": "assembly", "title": "t", "held_on": "2025-13-40", "base_kind": "all_adults"}), "held_on"),
            (json!({"kind": "party", "title": "t", "held_on": "2025-10-01"}), "kind"),
            (json!({"kind": "assembly", "title": "t", "held_on": "2025-10-01", "base_kind": "x"}), "base_kind"),
            (json!({"kind": "council", "title": "t", "held_on": "2025-10-01"}), "base_count"),
            (json!({}), "kind"),
        ] {
            let r = post(&admin, &a_csrf, "/api/v1/deliberation/meetings", body).await.unwrap();
            assert_eq!(r.status(), 422, "{backend} {field}");
            assert_eq!(r.headers()["content-type"], "application/problem+json");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["field"], field, "{backend}: {v}");
            assert!(
                !v["errors"][0]["zh"].as_str().unwrap().is_empty()
                    && !v["errors"][0]["en"].as_str().unwrap().is_empty()
            );
        }
        assert_eq!(audit_seq(&s.db).await, seq0, "{backend}: refused input appends no audit entry");
        assert_eq!(rows(&s.db, "delib_meetings").await, meetings0, "{backend}: nothing written");

        // Rule 1.6: a 居民会议 of all adults counts its base from the registry; a hand-entered count is refused.
        let assembly = |title: &str| {
            json!({"kind": "assembly", "title": title, "held_on": "2025-10-18", "base_kind": "all_adults",
                   "topics": [tid]})
        };
        let mut by_hand = assembly("手填应到");
        by_hand["base_count"] = json!(100000);
        let (st, v) = json_of(post(&admin, &a_csrf, "/api/v1/deliberation/meetings", by_hand).await.unwrap()).await;
        assert_eq!((st, v["field"].as_str()), (422, Some("base_count")), "{backend}: {v}");
        assert!(v["errors"][0]["zh"].as_str().unwrap().contains("规则1.6"), "{backend}: {v}");
        assert_eq!(rows(&s.db, "delib_meetings").await, meetings0, "{backend}: nothing written");
        // A 居民会议 with half of its base present is not validly held: its vote is refused.
        // A meeting that has not taken place takes no attendance.
        let mut future = assembly("明年的会");
        future["held_on"] = json!((store::clock::today() + time::Duration::days(60)).to_string());
        let (_, fm) = json_of(post(&admin, &a_csrf, "/api/v1/deliberation/meetings", future).await.unwrap()).await;
        let (st, v) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/deliberation/meetings/{}/attendance", fm["id"]),
                json!({"present": 60}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!((st, v["field"].as_str()), (422, Some("present")), "{backend}: {v}");
        let (st, m50) =
            json_of(post(&admin, &a_csrf, "/api/v1/deliberation/meetings", assembly("五十人")).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {m50}");
        let b = m50["base_count"].as_i64().unwrap();
        assert!(b >= 4, "{backend}: the tiny demo has adults to count ({b})");
        let half = b / 2;
        let m50 = m50["id"].as_i64().unwrap();
        let (st, m) = json_of(
            post(&admin, &a_csrf, &format!("/api/v1/deliberation/meetings/{m50}/attendance"), json!({"present": half}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(m["validly_held"], false, "{backend}: {half} of {b} is not more than half");
        let (seq1, res1) = (audit_seq(&s.db).await, rows(&s.db, "delib_resolutions").await);
        let (st, v) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/deliberation/meetings/{m50}/resolutions"),
                json!({"motion": "通过改造方案", "topic_id": tid, "yes": half}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(v["field"], "present");
        assert_eq!((audit_seq(&s.db).await, rows(&s.db, "delib_resolutions").await), (seq1, res1));
        // Attendance above the base is refused.
        let r = post(
            &admin,
            &a_csrf,
            &format!("/api/v1/deliberation/meetings/{m50}/attendance"),
            json!({"present": b + 1}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422);

        // 51 present: validly held; 26 yes passes, 25 yes fails (abstentions count as present).
        let (_, m51) =
            json_of(post(&admin, &a_csrf, "/api/v1/deliberation/meetings", assembly("五十一人")).await.unwrap()).await;
        let m51 = m51["id"].as_i64().unwrap();
        let (_, m) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/deliberation/meetings/{m51}/attendance"),
                json!({"present": (half + 1).to_string(), "attendees": "张三丰\n李四光"}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(m["validly_held"], true, "{backend}");
        let vote = |yes: i64, no: i64, abstain: i64| json!({"motion": format!("改造方案（赞成{yes}）"), "topic_id": tid, "yes": yes, "no": no, "abstain": abstain});
        let path = format!("/api/v1/deliberation/meetings/{m51}/resolutions");
        let pres = half + 1;
        let (st, failed) =
            json_of(post(&admin, &a_csrf, &path, vote(pres / 2, pres - pres / 2, 0)).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {failed}");
        assert_eq!(failed["passed"], 0, "{backend}: {} of {pres} is not more than half", pres / 2);
        let (_, passed) =
            json_of(post(&admin, &a_csrf, &path, vote(pres / 2 + 1, 0, pres - pres / 2 - 1)).await.unwrap()).await;
        assert_eq!(passed["passed"], 1, "{backend}: {} of {pres} passes", pres / 2 + 1);
        let r = post(&admin, &a_csrf, &path, vote(pres, 1, 0)).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}: more votes than people present");
        // Attendance is fixed once votes were counted against it.
        let r =
            post(&admin, &a_csrf, &format!("/api/v1/deliberation/meetings/{m51}/attendance"), json!({"present": 60}))
                .await
                .unwrap();
        assert_eq!(r.status(), 422);

        // A 议事会 resolution on the same topic passes, but cannot close an important question.
        let (_, council) = json_of(
            post(
                &admin,
                &a_csrf,
                "/api/v1/deliberation/meetings",
                json!({"kind": "council", "title": "议事会", "held_on": "2025-10-01", "base_count": "9", "topics": [tid]}),
            )
            .await
            .unwrap(),
        )
        .await;
        let council = council["id"].as_i64().unwrap();
        post(&admin, &a_csrf, &format!("/api/v1/deliberation/meetings/{council}/attendance"), json!({"present": 7}))
            .await
            .unwrap();
        let (_, cres) = json_of(
            post(&admin, &a_csrf, &format!("/api/v1/deliberation/meetings/{council}/resolutions"), vote(6, 1, 0))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(cres["passed"], 1);

        // §1.9: no committee closing, no failed vote, no council vote; a passed 居民会议 resolution closes it.
        let close = format!("/api/v1/deliberation/topics/{tid}/close");
        for (body, why) in [
            (json!({"note": "居委会研究决定"}), "committee alone"),
            (json!({"resolution_id": failed["id"]}), "failed resolution"),
            (json!({"resolution_id": cres["id"]}), "council resolution"),
        ] {
            let (st, v) = json_of(post(&admin, &a_csrf, &close, body).await.unwrap()).await;
            assert_eq!(st, 422, "{backend}: {why}");
            assert_eq!(v["field"], "resolution_id", "{backend}: {why}");
        }
        let r = post(&resident, &r_csrf, &close, json!({"resolution_id": passed["id"]})).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}: residents do not close topics");
        let (st, closed) =
            json_of(post(&admin, &a_csrf, &close, json!({"resolution_id": passed["id"]})).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {closed}");
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["closing_resolution_id"], passed["id"]);
        assert_eq!(post(&admin, &a_csrf, &close, json!({"resolution_id": passed["id"]})).await.unwrap().status(), 422);
        // An ordinary topic may be closed by the committee with a reason.
        let (st, _) = json_of(
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/deliberation/topics/{}/close", mine["id"]),
                json!({"note": "已由物业更换灯具"}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200);

        // §1.8: a petition at exactly 1/5 of households forces a 居民会议.
        let (_, p) = json_of(get(&desk, "/api/v1/deliberation/petitions").await.unwrap()).await;
        let mut households = p["totals"]["households"].as_i64().unwrap();
        let mut n = 0u16;
        while households < 10 || households % 5 != 0 {
            n += 1;
            store::residents::add(
                &s.db,
                "test",
                0,
                "340705402",
                store::residents::ResidentInput {
                    name: format!("测试{n}"),
                    id_number: id_number(900 + n),
                    household: format!("T-{n}"),
                    building: "9栋".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            households += 1;
        }
        let (_, p) = json_of(get(&desk, "/api/v1/deliberation/petitions").await.unwrap()).await;
        assert_eq!(p["totals"]["households"], households, "{backend}");
        let fifth = households / 5;
        let (st, below) = json_of(
            post(
                &desk,
                &d_csrf,
                "/api/v1/deliberation/petitions",
                json!({"subject": "增设电梯", "households": fifth - 1}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {below}");
        assert_eq!(below["petition"]["forces_meeting"], 0);
        assert!(below["followup"].is_null());
        let (st, at) = json_of(
            post(&desk, &d_csrf, "/api/v1/deliberation/petitions", json!({"subject": "增设电梯", "households": fifth}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(at["petition"]["forces_meeting"], 1, "{backend}: exactly 1/5 of households suffices");
        assert_eq!(at["followup"]["kind"], "convene_assembly");
        assert_eq!(at["followup"]["mandatory"], 1);
        let fid = at["followup"]["id"].as_i64().unwrap();
        let (_, fs) = json_of(get(&admin, "/api/v1/deliberation/followups").await.unwrap()).await;
        assert!(fs["followups"].as_array().unwrap().iter().any(|f| f["id"] == fid));
        let r = post(
            &desk,
            &d_csrf,
            "/api/v1/deliberation/petitions",
            json!({"subject": "x", "households": households + 1}),
        )
        .await
        .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "households");
        // The convene follow-up is done only by naming the 居民会议 convened.
        let done = format!("/api/v1/deliberation/followups/{fid}/done");
        let (st, v) = json_of(post(&admin, &a_csrf, &done, json!({})).await.unwrap()).await;
        assert_eq!((st, v["field"].as_str()), (422, Some("meeting_id")));
        assert_eq!(post(&admin, &a_csrf, &done, json!({"meeting_id": council})).await.unwrap().status(), 422);
        let (st, v) = json_of(post(&admin, &a_csrf, &done, json!({"meeting_id": m51})).await.unwrap()).await;
        assert_eq!((st, v["done"].as_i64()), (200, Some(1)), "{backend}: {v}");

        // Stewards: volunteer, wait for approval, raise an issue, the desk forwards it.
        let (st, v) = json_of(post(&resident, &r_csrf, "/api/v1/stewards", json!({})).await.unwrap()).await;
        assert_eq!((st, v["field"].as_str()), (422, Some("area")));
        let (st, stw) =
            json_of(post(&resident, &r_csrf, "/api/v1/stewards", json!({"area": "2栋"})).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {stw}");
        assert_eq!(stw["status"], "pending");
        let sid = stw["id"].as_i64().unwrap();
        assert_eq!(post(&resident, &r_csrf, "/api/v1/stewards", json!({"area": "2栋"})).await.unwrap().status(), 422);
        let r = post(&resident, &r_csrf, "/api/v1/stewards/issues", json!({"title": "2栋屋顶漏水", "steward_id": sid}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}: a pending steward cannot raise issues");
        assert_eq!(
            post(&resident, &r_csrf, &format!("/api/v1/stewards/{sid}/decide"), json!({"decision": "approve"}))
                .await
                .unwrap()
                .status(),
            403
        );
        let (st, v) = json_of(
            post(&foreign, &f_csrf, &format!("/api/v1/stewards/{sid}/decide"), json!({"decision": "approve"}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(st, 404, "{backend}: another community's steward is not found: {v}");
        let (st, v) = json_of(
            post(&admin, &a_csrf, &format!("/api/v1/stewards/{sid}/decide"), json!({"decision": "approve"}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((st, v["status"].as_str()), (200, Some("approved")));
        let (st, issue) = json_of(
            post(
                &resident,
                &r_csrf,
                "/api/v1/stewards/issues",
                json!({"title": "2栋屋顶漏水", "description": "顶楼两户", "steward_id": sid}),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {issue}");
        assert_eq!((issue["building"].as_str(), issue["status"].as_str()), (Some("2栋"), Some("open")));
        let iid = issue["id"].as_i64().unwrap();
        let (_, v) = json_of(get(&resident, "/api/v1/stewards/issues").await.unwrap()).await;
        assert!(v["issues"].as_array().unwrap().iter().any(|i| i["id"] == iid), "{backend}: the steward sees it");
        let status = format!("/api/v1/stewards/issues/{iid}/status");
        assert_eq!(post(&foreign_desk, &fd_csrf, &status, json!({"status": "forwarded"})).await.unwrap().status(), 404);
        assert_eq!(post(&resident, &r_csrf, &status, json!({"status": "closed"})).await.unwrap().status(), 403);
        // Forwarding makes a real service case (issue 14): its item is a choice the desk makes,
        // never a default, and the issue and the case name each other.
        let (st, v) = json_of(post(&desk, &d_csrf, &status, json!({"status": "forwarded"})).await.unwrap()).await;
        assert_eq!((st, v["field"].as_str()), (422, Some("item")), "{backend}: {v}");
        let (st, v) =
            json_of(post(&desk, &d_csrf, &status, json!({"status": "forwarded", "item": "PS-001"})).await.unwrap())
                .await;
        assert_eq!((st, v["status"].as_str()), (200, Some("forwarded")), "{backend}: {v}");
        let cid = v["case_id"].as_i64().expect("the issue keeps its case's number");
        let (st, c) = json_of(get(&desk, &format!("/api/v1/cases/{cid}")).await.unwrap()).await;
        assert_eq!(st, 200, "{backend}: {c}");
        let c = if c["case"].is_object() { c["case"].clone() } else { c };
        assert_eq!((c["item_code"].as_str(), c["building"].as_str()), (Some("PS-001"), Some("2栋")), "{backend}: {c}");
        assert!(c["description"].as_str().unwrap().contains("2栋屋顶漏水"), "{backend}: {c}");
        let case_page = get(&desk, &format!("/cases/{cid}")).await.unwrap().text().await.unwrap();
        assert!(
            case_page.contains("由楼栋管家反映的问题转办") && case_page.contains(&format!("/stewards#issue-{iid}")),
            "{backend}: the case names its issue"
        );
        let desk_page = get(&desk, "/stewards").await.unwrap().text().await.unwrap();
        assert!(desk_page.contains(&format!("href=\"/cases/{cid}\"")), "{backend}: the issue links its case");
        let (_, v) = json_of(get(&resident, "/api/v1/stewards/issues").await.unwrap()).await;
        assert!(v["issues"].as_array().unwrap().iter().all(|i| i["id"] != iid), "{backend}: no longer open");
        // The steward's page shows their area's issues and the open service-project calls.
        let page = get(&resident, "/stewards").await.unwrap().text().await.unwrap();
        assert!(page.contains("1栋单元门门禁损坏") && page.contains("href=\"/pb/"), "{backend}");

        // Scope: another community's records answer 404; its lists leave ours out.
        for path in [
            format!("/api/v1/deliberation/topics/{tid}"),
            format!("/api/v1/deliberation/meetings/{m51}"),
            format!("/deliberation/topics/{tid}"),
            format!("/deliberation/meetings/{m51}"),
        ] {
            assert_eq!(get(&foreign, &path).await.unwrap().status(), 404, "{backend} {path}");
        }
        let r = post(&foreign, &f_csrf, &format!("/api/v1/deliberation/meetings/{m51}/resolutions"), vote(30, 0, 0))
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let (_, v) = json_of(get(&foreign, "/api/v1/deliberation/topics").await.unwrap()).await;
        assert!(v["topics"].as_array().unwrap().iter().all(|t| t["community_code"] == "340705403"));
        let (_, v) = json_of(get(&foreign, "/api/v1/stewards").await.unwrap()).await;
        assert!(v["stewards"].as_array().unwrap().iter().all(|t| t["community_code"] == "340705403"));
        // Residents cannot convene meetings.
        let r = post(&resident, &r_csrf, "/api/v1/deliberation/meetings", assembly("x")).await.unwrap();
        assert_eq!(r.status(), 403);

        // Pages without JavaScript: a bad form comes back 422 with the error beside the field; a good one redirects.
        let form = |c: &reqwest::Client, csrf: &str, path: &str, pairs: &[(&str, &str)]| {
            let mut body: Vec<String> =
                pairs.iter().map(|(k, v)| format!("{k}={}", web::pages::urlencode(v))).collect();
            body.push(format!("csrf={csrf}"));
            c.post(format!("{base}{path}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.join("&"))
                .send()
        };
        let r = form(
            &admin,
            &a_csrf,
            "/deliberation/meetings",
            &[("kind", "assembly"), ("title", "秋季"), ("held_on", "昨天")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"meeting-held_on-error\""), "{backend}");
        assert!(html.contains("value=\"秋季\""), "{backend}: what was typed is kept");
        let r = form(
            &admin,
            &a_csrf,
            "/deliberation/meetings",
            &[
                ("kind", "council"),
                ("title", "页面召集"),
                ("held_on", "2026-01-10"),
                ("base_count", "9"),
                ("topics", &mine["id"].to_string()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}: a closed topic cannot be put on an agenda");
        let meetings_before = rows(&s.db, "delib_meetings").await;
        let r = form(
            &admin,
            &a_csrf,
            "/deliberation/meetings",
            &[("kind", "council"), ("title", "页面召集"), ("held_on", "2026-01-10"), ("topics", "第一项")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}: an agenda item that is not a topic id is not dropped");
        assert!(r.text().await.unwrap().contains("议程中有无效的议题编号"), "{backend}: the error is the agenda's");
        assert_eq!(rows(&s.db, "delib_meetings").await, meetings_before, "{backend}: nothing written");
        let r = form(
            &admin,
            &a_csrf,
            "/deliberation/meetings",
            &[("kind", "council"), ("title", "页面召集"), ("held_on", "2026-01-10"), ("base_count", "9")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let r = form(&resident, &r_csrf, "/deliberation/topics", &[("title", "页面议题"), ("important", "on")])
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let topic_page = r.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
        let html = get(&resident, &topic_page).await.unwrap().text().await.unwrap();
        assert!(html.contains("页面议题") && html.contains("涉及全体居民利益的重要问题"));
        let r = form(&admin, &a_csrf, &format!("{topic_page}/close"), &[("note", "居委会决定")]).await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("居民会议"), "{backend}: the page says why");

        // The public record: no log-in, outcomes and counts, no residents' names.
        let r = reqwest::get(format!("{base}/communities/340705402/record")).await.unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("改造方案（赞成{}）", pres / 2 + 1)) && html.contains("小区改造方案"),
            "{backend}"
        );
        assert!(html.contains("通过停车位划线方案"), "{backend}: the demo's 居民会议");
        for private in ["张三丰", "刘洋", "赞成，但要先公示方案"] {
            assert!(!html.contains(private), "{backend}: the public record shows {private}");
        }
        let v: Value =
            reqwest::get(format!("{base}/api/v1/communities/340705402/record")).await.unwrap().json().await.unwrap();
        let m = v["meetings"].as_array().unwrap().iter().find(|m| m["id"] == m50).unwrap().clone();
        assert_eq!(m["validly_held"], false);
        assert_eq!(reqwest::get(format!("{base}/communities/999999999/record")).await.unwrap().status(), 404);

        assert!(matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }));
    }
}
