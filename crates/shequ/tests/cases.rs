//! The one-stop service center end to end on both databases: the front desk
//! takes a case at the counter, it is routed to the item's queue, the back
//! office starts and resolves it, and the stored history replays; illegal
//! transitions, foreign cases and bad input are refused with nothing written.

mod common;
use common::*;
use serde_json::{Value, json};

async fn counts(s: &Server) -> (i64, i64, i64) {
    let c: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases").fetch_one(&s.db.pool).await.unwrap();
    let h: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM case_history").fetch_one(&s.db.pool).await.unwrap();
    let a: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").fetch_one(&s.db.pool).await.unwrap();
    (c, h, a)
}

#[tokio::test]
async fn counter_case_routed_worked_and_replayed() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let (back, b_csrf) = login(&s, "backoffice").await;
        let (foreign, f_csrf) = login(&s, "frontdesk_yh").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{base}{path}")).header("x-csrf-token", csrf).json(&body).send()
        };

        // The catalogue is seeded and public.
        let items: Value =
            client().get(format!("{base}/api/v1/service-items")).send().await.unwrap().json().await.unwrap();
        assert!(items["items"].as_array().unwrap().len() >= 40, "{backend}: at least 40 service items");

        // A community item goes to the community's own team.
        let r = post(
            &desk,
            &d_csrf,
            "/api/v1/cases",
            json!({"item": "PS-001", "caller_name": "张阿姨", "caller_phone": "13800000000", "building": "3栋", "description": "楼道灯不亮"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let c: Value = r.json().await.unwrap();
        let id = c["id"].as_i64().unwrap();
        assert_eq!(c["status"], "routed");
        assert_eq!(c["lead_queue"], "community:340705402");
        assert_eq!(c["channel"], "counter");

        // A department item goes to that department's queue.
        let d: Value = post(
            &desk,
            &d_csrf,
            "/api/v1/cases",
            json!({"item": "SA-001", "caller_name": "李某", "id_number": id_number(41)}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(d["lead_queue"], "department:区民政局", "{backend}");

        // A second report for the same building is flagged as a probable duplicate.
        let dup: Value = post(
            &desk,
            &d_csrf,
            "/api/v1/cases",
            json!({"item": "PS-001", "caller_name": "王师傅", "building": "3栋"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(dup["duplicates"], format!("[{id}]"), "{backend}");

        // Illegal: resolving a case nobody started.
        let r = post(
            &back,
            &b_csrf,
            &format!("/api/v1/cases/{id}/events"),
            json!({"event": "resolve", "reason": "修好了"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], "event");
        assert!(e.to_string().contains("resolve"), "{e}");

        // The back office sees it in its queue, starts and resolves it.
        let q: Value = back
            .get(format!("{base}/api/v1/cases?queue=community:340705402"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let listed = q["cases"].as_array().unwrap();
        assert!(listed.iter().any(|v| v["id"] == id));
        assert!(listed.iter().all(|v| v["lead_queue"] == "community:340705402"));
        let mine = listed.iter().find(|v| v["id"] == id).unwrap();
        assert!(mine["deadline"].is_string() && mine["overdue"] == false, "{mine}");
        let r = post(&back, &b_csrf, &format!("/api/v1/cases/{id}/events"), json!({"event": "start"})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        // A resolution needs its summary.
        let r = post(&back, &b_csrf, &format!("/api/v1/cases/{id}/events"), json!({"event": "resolve"})).await.unwrap();
        assert_eq!(r.status(), 422);
        let r = post(
            &back,
            &b_csrf,
            &format!("/api/v1/cases/{id}/events"),
            json!({"event": "resolve", "reason": "已更换灯泡"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "resolved");

        let v: Value = back.get(format!("{base}/api/v1/cases/{id}")).send().await.unwrap().json().await.unwrap();
        let kinds: Vec<&str> =
            v["history"].as_array().unwrap().iter().map(|r| r["event"]["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["accept", "route", "start", "resolve"], "{backend}");
        let st = store::cases::state(&s.db, id).await.unwrap();
        assert_eq!(st.status, cases::state::Status::Resolved);
        assert_eq!(st.seq, 3);

        // Another community's front desk cannot see or touch it.
        let r = foreign.get(format!("{base}/api/v1/cases/{id}")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let r = post(&foreign, &f_csrf, &format!("/api/v1/cases/{id}/events"), json!({"event": "start_callback"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let r = foreign.get(format!("{base}/cases/{id}")).send().await.unwrap();
        assert_eq!(r.status(), 404);

        // Pages: the case page shows the timeline; the counter form redirects to the new case.
        let html = back.get(format!("{base}/cases/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("case-history") && html.contains("已更换灯泡"));
        let form = format!(
            "item=HR-001&caller_name={}&caller_phone=13900000000&building=5%E6%A0%8B&description=&csrf={d_csrf}",
            web::pages::urlencode("赵先生")
        );
        let r = desk
            .post(format!("{base}/cases"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let list = desk.get(format!("{base}/cases")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("case-list") && list.contains("赵先生"));
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_written() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let post = |body: Value| {
            desk.post(format!("{base}/api/v1/cases")).header("x-csrf-token", d_csrf.clone()).json(&body).send()
        };
        let before = counts(&s).await;
        for (body, field) in [
            (json!({"item": "NOPE-1", "caller_name": "x"}), "item"),
            (json!({"item": "PS-001"}), "caller_name"),
            (json!({"item": "PS-001", "caller_name": "x", "caller_phone": "abc"}), "caller_phone"),
            (json!({"item": "PS-001", "caller_name": "x", "channel": "fax"}), "channel"),
            (json!({"item": "PS-001", "caller_name": "x", "lat": 95.0, "lon": 1.0}), "lat"),
        ] {
            let r = post(body).await.unwrap();
            assert_eq!(r.status(), 422, "{backend} {field}");
            assert_eq!(r.json::<Value>().await.unwrap()["field"], field, "{backend}");
        }
        // A bad form at the counter comes back 422 with the error beside the field.
        let r = desk
            .post(format!("{base}/cases"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("item=PS-001&caller_name=&csrf={d_csrf}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");

        // An unknown event on a real case is refused, nothing appended.
        let c: Value = post(json!({"item": "PS-002", "caller_name": "x"})).await.unwrap().json().await.unwrap();
        let id = c["id"].as_i64().unwrap();
        let before = counts(&s).await;
        let r = desk
            .post(format!("{base}/api/v1/cases/{id}/events"))
            .header("x-csrf-token", d_csrf.clone())
            .json(&json!({"event": "teleport"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        // The front desk may not start work: the engine names the event.
        let r = desk
            .post(format!("{base}/api/v1/cases/{id}/events"))
            .header("x-csrf-token", d_csrf.clone())
            .json(&json!({"event": "start"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], "event");
        assert!(e.to_string().contains("start"), "{e}");
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");
    }
}

#[tokio::test]
async fn open311_refuses_bad_posts_writing_nothing_and_reads_a_good_one_back_in_scope() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let c = client();
        let r = c.get(format!("{base}/open311/v2/services.json")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let services: Value = r.json().await.unwrap();
        let arr = services.as_array().expect("a top-level array");
        assert!(arr.len() >= 40 && arr.iter().any(|s| s["service_code"] == "PS-001"), "{backend}");

        let d: Value =
            c.get(format!("{base}/open311/v2/services/HR-001.json")).send().await.unwrap().json().await.unwrap();
        assert_eq!(d["service_code"], "HR-001");
        assert_eq!(d["attributes"][1]["datatype"], "singlevaluelist");
        let r = c.get(format!("{base}/open311/v2/services/NOPE.json")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let r = c.get(format!("{base}/open311/v2/services.json?jurisdiction_id=999999999")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert!(r.json::<Value>().await.unwrap()[0]["description"].is_string());

        let form = |body: &str| {
            c.post(format!("{base}/open311/v2/requests.json"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("api_key={}&{body}", s.open311_key))
                .send()
        };
        let before = counts(&s).await;
        for (body, status) in [
            ("service_code=PS-002&lat=31.5&long=118.5", 400),
            ("jurisdiction_id=999999999&service_code=PS-002&lat=30.9&long=117.8", 404),
            ("jurisdiction_id=340705402&lat=30.9&long=117.8", 400),
            ("jurisdiction_id=340705402&service_code=NOPE&lat=30.9&long=117.8", 400),
            ("jurisdiction_id=340705402&service_code=PS-002&lat=north&long=117.8", 400),
            ("jurisdiction_id=340705402&service_code=PS-002&lat=30.9", 400),
            ("jurisdiction_id=340705402&service_code=PS-002", 400),
        ] {
            let r = form(body).await.unwrap();
            assert_eq!(r.status(), status, "{backend} {body}");
            assert_eq!(r.json::<Value>().await.unwrap()[0]["code"], status);
        }
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");

        let r = form("jurisdiction_id=340705402&service_code=PS-002&lat=30.93&long=117.81&description=%E5%9E%83%E5%9C%BE&attribute[urgency]=%E7%B4%A7%E6%80%A5")
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let v: Value = r.json().await.unwrap();
        let id = v[0]["service_request_id"].as_str().unwrap().to_string();
        let got: Value =
            c.get(format!("{base}/open311/v2/requests/{id}.json")).send().await.unwrap().json().await.unwrap();
        assert_eq!(got[0]["status"], "open");
        assert_eq!(got[0]["service_code"], "PS-002");
        assert_eq!(got[0]["agency_responsible"], "天井湖社区");
        assert!(got[0]["expected_datetime"].is_string());
        let row = store::cases::case(&s.db, id.parse().unwrap()).await.unwrap();
        assert_eq!(row.channel, store::cases::Channel::Open311);
        assert!(row.answers.contains("urgency"));
        let r = c.get(format!("{base}/open311/v2/requests/{id}.json?jurisdiction_id=340705403")).send().await.unwrap();
        assert_eq!(r.status(), 404);
    }
}

#[tokio::test]
async fn items_are_taken_only_where_the_community_adopted_them() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let (other, o_csrf) = login(&s, "frontdesk_yh").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{base}{path}")).header("x-csrf-token", csrf).json(&body).send()
        };
        let all: Vec<String> = store::cases::items(&s.db).await.unwrap().into_iter().map(|i| i.code).collect();
        let but_one: Vec<&String> = all.iter().filter(|c| *c != "PS-001").collect();
        // An unknown item is refused and changes nothing.
        let r = post(&admin, &a_csrf, "/api/v1/service/adopted", json!({ "items": ["NOPE"] })).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(store::cases::adopted(&s.db, "340705402").await.unwrap().len(), all.len());
        // The front desk cannot change adoption.
        let r = post(&desk, &d_csrf, "/api/v1/service/adopted", json!({ "items": but_one })).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
        // 天井湖 withdraws PS-001: its counter refuses it, 映湖's still takes it.
        let r = post(&admin, &a_csrf, "/api/v1/service/adopted", json!({ "items": but_one })).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let case = json!({ "item": "PS-001", "caller_name": "居民甲", "building": "1栋" });
        let before = counts(&s).await;
        let r = post(&desk, &d_csrf, "/api/v1/cases", case.clone()).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["field"], "item", "{v}");
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");
        let r = post(&other, &o_csrf, "/api/v1/cases", case.clone()).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        // The page shows the catalogue with the withdrawn item unticked.
        let page = admin.get(format!("{base}/service/items")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"value="PS-001" aria-label"#) && page.contains("保存开通事项"), "{backend}");
        // Adopted again, it is taken again.
        let r = post(&admin, &a_csrf, "/api/v1/service/adopted", json!({ "items": all })).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let r = post(&desk, &d_csrf, "/api/v1/cases", case).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
    }
}

#[tokio::test]
async fn attachments_are_checked_and_duplicates_linked() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (desk, csrf) = login(&s, "frontdesk").await;
        let post =
            |body: Value| desk.post(format!("{base}/api/v1/cases")).header("x-csrf-token", &csrf).json(&body).send();
        let case = json!({ "item": "PS-001", "caller_name": "居民丙", "building": "88栋" });
        let first: Value = post(case.clone()).await.unwrap().json().await.unwrap();
        let second: Value = post(case).await.unwrap().json().await.unwrap();
        let (a, b) = (first["id"].as_i64().unwrap(), second["id"].as_i64().unwrap());
        // Same item, same building, within 7 days: flagged at intake.
        let dups: Vec<i64> = serde_json::from_str(second["duplicates"].as_str().unwrap()).unwrap();
        assert!(dups.contains(&a), "{backend}: {second}");
        let link = |id: i64, original: Value| {
            desk.post(format!("{base}/api/v1/cases/{id}/link"))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "original": original }))
                .send()
        };
        assert_eq!(link(b, json!(b)).await.unwrap().status(), 422, "{backend}: not to itself");
        assert_eq!(link(a, json!(b)).await.unwrap().status(), 422, "{backend}: only to an earlier case");
        let r = link(b, json!(a)).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert_eq!(store::cases::case(&s.db, b).await.unwrap().linked_to, Some(a));

        // Files: a PNG is kept with its SHA-256; a text file or one over 5 MB is refused.
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let form =
                reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            desk.post(format!("{base}/api/v1/cases/{a}/attachments"))
                .header("x-csrf-token", &csrf)
                .multipart(form)
                .send()
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[7u8; 100]);
        let r = upload("灯.png", png.clone()).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let att: Value = r.json().await.unwrap();
        let audit_before: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").fetch_one(&s.db.pool).await.unwrap();
        for (name, bytes) in [
            ("a.txt", b"hello".to_vec()),
            ("big.png", {
                let mut v = png.clone();
                v.resize(5 * 1024 * 1024 + 1, 0);
                v
            }),
        ] {
            let r = upload(name, bytes).await.unwrap();
            assert!(r.status() == 422 || r.status() == 413, "{backend} {name}: {}", r.status());
        }
        let audit_after: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").fetch_one(&s.db.pool).await.unwrap();
        assert_eq!(audit_before, audit_after, "{backend}: nothing written");
        assert_eq!(store::cases::attachments(&s.db, a).await.unwrap().len(), 1);
        let got = desk.get(format!("{base}/cases/{a}/attachments/{}", att["id"])).send().await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.unwrap().to_vec(), png, "{backend}: the same bytes back");
        // Another community's front desk cannot read it.
        let (other, _) = login(&s, "frontdesk_yh").await;
        let r = other.get(format!("{base}/cases/{a}/attachments/{}", att["id"])).send().await.unwrap();
        assert_eq!(r.status(), 404, "{backend}");
    }
}

/// A queue's open cases come most urgent first, then those waiting for
/// materials (clock stopped, no deadline), and the pages follow on without a
/// gap or a repeat.
#[tokio::test]
async fn queue_pages_run_by_deadline_then_stopped_clocks() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let mut ids = Vec::new();
        for i in 0..3 {
            let n = store::cases::NewCase {
                item: "PS-001".into(),
                caller_name: format!("居民{i}"),
                building: format!("{}栋", 20 + i),
                ..Default::default()
            };
            ids.push(store::cases::create(&s.db, "test", cases::Role::FrontDesk, "340705402", n).await.unwrap().id);
        }
        for (event, reason) in [("start", ""), ("return_for_materials", "身份证复印件")] {
            let n = store::cases::NewEvent { event: event.into(), reason: reason.into(), ..Default::default() };
            store::cases::apply(&s.db, "test", cases::Role::Handler, ids[0], n).await.unwrap();
        }
        let queue = "community:340705402";
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let f = store::cases::ListFilter {
                community: Some("340705402".into()),
                district: None,
                queue: Some(queue.into()),
                status: Some("open".into()),
                offset,
                limit: 7,
            };
            let page = store::cases::list(&s.db, &f).await.unwrap();
            paged.extend(page.cases.iter().map(|c| c.case.id));
            if !page.more {
                break;
            }
            offset += 7;
        }
        let open = "('accepted', 'routed', 'in_progress', 'returned_for_materials')";
        let expected: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM cases WHERE community_code = '340705402' AND (lead_queue = '{queue}' \
             OR (status IN {open} AND co_handlers LIKE '%\"{queue}\"%')) AND status IN {open} \
             ORDER BY CASE WHEN deadline_at IS NULL THEN 1 ELSE 0 END, deadline_at, id"
        )))
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(paged, expected, "{backend}: pages in deadline order, stopped clocks last");
        assert_eq!(paged.last(), Some(&ids[0]), "{backend}: the case waiting for materials comes last");
    }
}

/// A writer that has not seen a group (another process's, or this one's after
/// a restart) reads its recent cases from the database: a case of the
/// duplicate rule's window is flagged, an older one at the same building not.
#[tokio::test]
async fn a_writer_new_to_a_group_reads_the_windows_cases_from_the_database() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let new = || store::cases::NewCase {
            item: "PS-001".into(),
            channel: "counter".into(),
            caller_name: "居民丁".into(),
            building: "99栋".into(),
            ..Default::default()
        };
        let (role, here) = (cases::Role::FrontDesk, "340705402");
        let eight_days_ago = time::OffsetDateTime::now_utc() - time::Duration::days(8);
        let old = store::cases::create_at(&s.db, "test", role, here, new(), eight_days_ago).await.unwrap();
        let recent = store::cases::create(&s.db, "test", role, here, new()).await.unwrap();
        // A second handle on the database: a case writer of its own, nothing in its memory.
        let other = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
        let c = store::cases::create(&other, "test", role, here, new()).await.unwrap();
        let flagged: Vec<i64> = serde_json::from_str(&c.duplicates).unwrap();
        assert_eq!(flagged, vec![recent.id], "{backend}: not the case of {} ({})", old.id, old.created_at);
    }
}
