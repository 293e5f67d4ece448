//! The 2881890 hotline end to end on both databases: the operator finds the
//! caller by phone, takes a hotline case and dispatches it; wrong providers
//! are refused with nothing written; only the chosen provider sees and acts
//! on its dispatch; decline, re-dispatch, accept, arrival and completion move
//! the case to resolved, each step leaving its notice in the outbox; the
//! performance figures follow from a known scenario.

mod common;
use common::*;
use serde_json::{Value, json};
use store::providers::{self as pv, NewProvider};

async fn count(s: &Server, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
}

async fn counts(s: &Server) -> [i64; 5] {
    [
        count(s, "dispatches").await,
        count(s, "outbox").await,
        count(s, "audit_log").await,
        count(s, "case_history").await,
        count(s, "cases").await,
    ]
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn provider_id(s: &Server, name: &str) -> i64 {
    pv::list(&s.db, None).await.unwrap().into_iter().find(|p| p.name == name).unwrap().id
}

#[tokio::test]
async fn hotline_case_dispatched_and_completed_by_a_provider() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let (prov, p_csrf) = login(&s, "provider").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{base}{path}")).header("x-csrf-token", csrf).json(&body).send()
        };
        let form = |c: &reqwest::Client, path: &str, body: String| {
            c.post(format!("{base}{path}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
        };

        // A resident of 天井湖 calls; the operator types the number.
        let rows = store::residents::list(
            &s.db,
            &store::residents::Filter { community: Some("340705402".into()), ..Default::default() },
        )
        .await
        .unwrap()
        .rows;
        let who = rows.iter().find(|r| !r.phone.is_empty()).expect("a resident with a phone").clone();
        let page = desk.get(format!("{base}/hotline?phone={}", who.phone)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{backend}");
        let html = page.text().await.unwrap();
        assert!(html.contains(&who.name) && html.contains("autofocus"), "{backend}: the caller is found");
        let v: Value = desk
            .get(format!("{base}/api/v1/hotline/caller?phone={}", who.phone))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(v["residents"].as_array().unwrap().iter().any(|r| r["id"] == who.id), "{backend}");

        // A malformed resident id is the form's error (422), never a case without its resident.
        let before = count(&s, "cases").await;
        let body = format!("csrf={d_csrf}&item=HR-005&description=x&caller_phone={}&resident_id=abc", who.phone);
        let r = form(&desk, "/hotline/cases", body).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let html = r.text().await.unwrap();
        assert!(html.contains("居民编号格式不正确") || html.contains("malformed resident_id"), "{backend}: {html}");
        assert_eq!(count(&s, "cases").await, before, "{backend}: nothing written");

        // Quick create from the console: a hotline case, routed to the housekeeping providers.
        let body = format!(
            "csrf={d_csrf}&item=HR-005&description={}&building={}&address=&caller_name={}&caller_phone={}&resident_id={}",
            enc("厨房保洁"),
            enc(&who.building),
            enc(&who.name),
            who.phone,
            who.id
        );
        let r = form(&desk, "/hotline/cases", body).await.unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/hotline?phone="));
        let v: Value = desk
            .get(format!("{base}/api/v1/hotline/caller?phone={}", who.phone))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let case = v["cases"].as_array().unwrap()[0].clone();
        let case_id = case["id"].as_i64().unwrap();
        assert_eq!(case["channel"], "hotline", "{backend}");
        assert_eq!(case["status"], "routed");
        assert_eq!(case["lead_queue"], "provider:家政服务商");
        assert_eq!(case["resident_id"], who.id);

        // Wrong type, another district, inactive: refused, nothing written.
        let other_district: String =
            sqlx::query_scalar("SELECT code FROM districts WHERE code <> '340705' ORDER BY code LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        let market = |name: &str, district: &str, org: &str| NewProvider {
            name: name.into(),
            kind: "market".into(),
            provider_type: "家政服务商".into(),
            credit_code: rules::gb32100::compose(&format!("91340705{org}")).unwrap(),
            phone: "0562-5880000".into(),
            district_code: district.into(),
            price_list: json!({ "HR-005": 3000 }),
        };
        let far = pv::add(&s.db, "test", market("外区家政公司", &other_district, "MA2T0000A")).await.unwrap();
        let idle = pv::add(&s.db, "test", market("停业家政公司", "340705", "MA2T0001B")).await.unwrap();
        pv::set_active(&s.db, "test", idle.id, false).await.unwrap();
        // A bad credit code is refused at registration.
        let mut bad = market("校验位错误公司", "340705", "MA2T0002C");
        bad.credit_code.replace_range(17.., if bad.credit_code.ends_with('0') { "1" } else { "0" });
        let e = pv::add(&s.db, "test", bad).await.unwrap_err();
        assert!(e.to_string().contains("credit_code"), "{backend}: {e}");
        let plumber = provider_id(&s, "铜陵市水电通维修服务有限公司").await;
        let housekeeping = provider_id(&s, "铜陵市安居家政服务有限公司").await;
        // Logged in before counting: a log-in is itself audited.
        let (yh, yh_csrf) = login(&s, "frontdesk_yh").await;
        let before = counts(&s).await;
        for pid in [plumber, far.id, idle.id] {
            let r = post(&desk, &d_csrf, &format!("/api/v1/cases/{case_id}/dispatch"), json!({ "provider_id": pid }))
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{backend}: provider {pid}");
            assert_eq!(r.json::<Value>().await.unwrap()["field"], "provider_id");
        }
        // Another community's operator cannot reach the case.
        let r =
            post(&yh, &yh_csrf, &format!("/api/v1/cases/{case_id}/dispatch"), json!({ "provider_id": housekeeping }))
                .await
                .unwrap();
        assert_eq!(r.status(), 404, "{backend}");
        assert_eq!(counts(&s).await, before, "{backend}: nothing written on a refusal");

        // Dispatch through the console's form (PRG), to the right provider.
        let r = form(
            &desk,
            &format!("/cases/{case_id}/dispatch"),
            format!("csrf={d_csrf}&provider_id={housekeeping}&note="),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let mine: Value = prov.get(format!("{base}/api/v1/dispatches")).send().await.unwrap().json().await.unwrap();
        let d = mine["dispatches"].as_array().unwrap().iter().find(|d| d["case_id"] == case_id).unwrap().clone();
        let did = d["id"].as_i64().unwrap();
        assert_eq!(d["status"], "offered");
        assert_eq!(d["price_fen"], 3500, "{backend}: the provider's price list");
        // One live dispatch per case.
        let r =
            post(&desk, &d_csrf, &format!("/api/v1/cases/{case_id}/dispatch"), json!({ "provider_id": housekeeping }))
                .await
                .unwrap();
        assert_eq!(r.status(), 422, "{backend}");

        // Another company's worker neither sees nor accepts it.
        store::users::add(
            &s.db,
            "test",
            store::users::NewUser {
                username: "plumber",
                display_name: "水电通师傅",
                password: PASSWORD,
                role: store::users::Role::Provider,
                community_code: Some("340705402"),
                district_code: None,
                department: None,
            },
        )
        .await
        .unwrap();
        pv::link_user(&s.db, "test", "plumber", plumber).await.unwrap();
        let (other, o_csrf) = login(&s, "plumber").await;
        let theirs: Value = other.get(format!("{base}/api/v1/dispatches")).send().await.unwrap().json().await.unwrap();
        assert!(theirs["dispatches"].as_array().unwrap().iter().all(|d| d["id"] != did), "{backend}");
        let before = counts(&s).await;
        for action in ["accept", "arrive"] {
            let r = post(&other, &o_csrf, &format!("/api/v1/dispatches/{did}/{action}"), json!({})).await.unwrap();
            assert_eq!(r.status(), 404, "{backend} {action}");
        }
        let r =
            post(&other, &o_csrf, &format!("/api/v1/dispatches/{did}/decline"), json!({"reason": "x"})).await.unwrap();
        assert_eq!(r.status(), 404, "{backend}");
        // A refusal needs its reason; completion needs an arrival.
        let r =
            post(&prov, &p_csrf, &format!("/api/v1/dispatches/{did}/decline"), json!({"reason": " "})).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "reason");
        let r = post(&prov, &p_csrf, &format!("/api/v1/dispatches/{did}/complete"), json!({"summary": "好了"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(counts(&s).await, before, "{backend}: nothing written on a refusal");

        // Declined: the staff hear of it, the case waits for another dispatch.
        let r = post(&prov, &p_csrf, &format!("/api/v1/dispatches/{did}/decline"), json!({"reason": "人手不足"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "declined");
        let c: Value = desk.get(format!("{base}/api/v1/cases/{case_id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(c["case"]["status"], "routed", "{backend}");
        let d2: Value =
            post(&desk, &d_csrf, &format!("/api/v1/cases/{case_id}/dispatch"), json!({ "provider_id": housekeeping }))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        let did2 = d2["id"].as_i64().unwrap();

        // Accepted on the provider's page (PRG), then arrival and completion.
        let page = prov.get(format!("{base}/provider")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("dispatch-{did2}")), "{backend}");
        let r = form(&prov, &format!("/provider/dispatches/{did2}/accept"), format!("csrf={p_csrf}")).await.unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let r = post(&prov, &p_csrf, &format!("/api/v1/dispatches/{did2}/arrive"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let c: Value = desk.get(format!("{base}/api/v1/cases/{case_id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(c["case"]["status"], "in_progress", "{backend}");
        let r =
            post(&prov, &p_csrf, &format!("/api/v1/dispatches/{did2}/complete"), json!({"summary": ""})).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let r = post(
            &prov,
            &p_csrf,
            &format!("/api/v1/dispatches/{did2}/complete"),
            json!({"summary": "厨房油烟机、灶台已清洁", "price_fen": 4000}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let done: Value = r.json().await.unwrap();
        assert_eq!(done["status"], "completed");
        assert_eq!(done["price_fen"], 4000);
        let c: Value = desk.get(format!("{base}/api/v1/cases/{case_id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(c["case"]["status"], "resolved", "{backend}");
        let kinds: Vec<&str> =
            c["history"].as_array().unwrap().iter().map(|r| r["event"]["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["accept", "route", "arrive", "resolve"], "{backend}");

        // Every step left its notice: the acknowledgement of the case (resident), offer ×2
        // (provider), decline (staff), accept, arrive, the case resolved and the work completed (resident).
        let out: Value = desk.get(format!("{base}/api/v1/outbox")).send().await.unwrap().json().await.unwrap();
        let ours: Vec<&Value> = out["outbox"].as_array().unwrap().iter().filter(|m| m["case_id"] == case_id).collect();
        let kinds: Vec<&str> = ours.iter().rev().map(|m| m["recipient_kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["resident", "provider", "staff", "provider", "resident", "resident", "resident", "resident"],
            "{backend}"
        );
        // Each has its template kind: the provider's offers and the decline are dispatch notices.
        let templates: Vec<&str> = ours.iter().rev().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(
            templates,
            [
                "case_ack",
                "dispatch",
                "dispatch",
                "dispatch",
                "case_update",
                "case_update",
                "case_update",
                "case_update"
            ],
            "{backend}"
        );
        assert!(
            ours.iter().filter(|m| m["recipient_kind"] == "resident").all(|m| m["recipient"] == who.phone.as_str())
        );
        assert!(ours.iter().all(|m| m["delivered_at"].is_null()), "{backend}: nothing delivered");
        assert_eq!(
            yh.get(format!("{base}/api/v1/outbox")).send().await.unwrap().json::<Value>().await.unwrap()["outbox"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["case_id"] == case_id)
                .count(),
            0,
            "{backend}: another community sees none of it"
        );
        assert_eq!(desk.get(format!("{base}/outbox")).send().await.unwrap().status(), 200);
        for action in ["dispatch.offer", "dispatch.decline", "dispatch.accept", "dispatch.arrive", "dispatch.complete"]
        {
            let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = $1")
                .bind(action)
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
            assert!(n >= 1, "{backend}: {action} audited");
        }

        // Performance of a known scenario: the resident rates the work 2 (a complaint).
        let rate = store::cases::NewEvent {
            event: "rate".into(),
            overall: Some("2".into()),
            speed: Some("3".into()),
            attitude: Some("4".into()),
            ..Default::default()
        };
        store::cases::apply(&s.db, "test", cases::Role::Resident, case_id, rate).await.unwrap();
        // Fix the clock of this provider's accepted dispatches: 10 and 30 minutes to accept, 2 and 4 hours to finish.
        let accepted: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM dispatches WHERE provider_id = $1 AND accepted_at IS NOT NULL ORDER BY id",
        )
        .bind(housekeeping)
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(accepted.len(), 2, "{backend}: the demo's and ours");
        for (id, (acc, done)) in accepted.iter().zip([("08:30", "12:30"), ("08:10", "10:10")]) {
            sqlx::query("UPDATE dispatches SET offered_at = $1, accepted_at = $2, completed_at = $3 WHERE id = $4")
                .bind("2026-01-05T08:00:00Z")
                .bind(format!("2026-01-05T{acc}:00Z"))
                .bind(format!("2026-01-05T{done}:00Z"))
                .bind(id)
                .execute(&s.db.pool)
                .await
                .unwrap();
        }
        let (civil, _) = login(&s, "civil").await;
        let perf: Value =
            civil.get(format!("{base}/api/v1/providers/performance")).send().await.unwrap().json().await.unwrap();
        let row =
            perf["providers"].as_array().unwrap().iter().find(|r| r["provider"]["id"] == housekeeping).unwrap().clone();
        // The demo: one completed, one declined, one re-offered; ours: one declined, one completed.
        assert_eq!((row["offered"].as_i64(), row["accepted"].as_i64()), (Some(5), Some(2)), "{backend}: {row}");
        assert_eq!((row["declined"].as_i64(), row["completed"].as_i64()), (Some(2), Some(2)), "{backend}");
        assert_eq!(row["avg_accept_minutes"].as_f64(), Some(20.0), "{backend}");
        assert_eq!(row["median_accept_minutes"].as_f64(), Some(20.0), "{backend}");
        assert_eq!(row["avg_completion_hours"].as_f64(), Some(3.0), "{backend}");
        assert_eq!((row["satisfaction"].as_f64(), row["ratings"].as_i64()), (Some(2.0), Some(1)), "{backend}");
        assert_eq!(row["complaints"], 1, "{backend}");
        assert_eq!(desk.get(format!("{base}/api/v1/providers/performance")).send().await.unwrap().status(), 403);
        let (district, _) = login(&s, "district").await;
        let page = district.get(format!("{base}/providers/performance")).send().await.unwrap();
        assert_eq!(page.status(), 200, "{backend}");
        assert!(page.text().await.unwrap().contains("铜陵市安居家政服务有限公司"));
    }
}

#[tokio::test]
async fn provider_registry_checks_its_input() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (admin, csrf) = login(&s, "admin").await;
        let post = |body: Value| {
            admin.post(format!("{base}/api/v1/providers")).header("x-csrf-token", &csrf).json(&body).send()
        };
        let before = counts(&s).await;
        let good = rules::gb32100::compose("91340705MA2U0000D").unwrap();
        for (body, field) in [
            (
                json!({"name": "甲", "kind": "market", "provider_type": "家政服务商", "phone": "0562-1234567"}),
                "credit_code",
            ),
            (
                json!({"name": "乙", "kind": "market", "provider_type": "不存在", "credit_code": good, "phone": "0562-1234567"}),
                "provider_type",
            ),
            (
                json!({"name": "丙", "kind": "public_welfare", "provider_type": "志愿服务队", "phone": "0562-1234567", "price_list": {"HR-006": 100}}),
                "price_list",
            ),
            (
                json!({"name": "丁", "kind": "market", "provider_type": "家政服务商", "credit_code": good, "phone": "0562-1234567", "price_list": {"HR-001": 100}}),
                "price_list",
            ),
            (json!({"name": "戊", "kind": "other", "provider_type": "家政服务商", "phone": "0562-1234567"}), "kind"),
        ] {
            let r = post(body).await.unwrap();
            assert_eq!(r.status(), 422, "{backend} {field}");
            assert_eq!(r.json::<Value>().await.unwrap()["field"], field, "{backend}");
        }
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");
        // The community admin registers for their own district, whatever the body says.
        let r = post(json!({"name": "铜陵市洁净家政有限公司", "kind": "market", "provider_type": "家政服务商", "credit_code": good,
                            "phone": "0562-1234567", "district_code": "340706", "price_list": "HR-004=11000, HR-005=3000"}))
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["district_code"], "340705");
        assert_eq!(p["price_list"], r#"{"HR-004":11000,"HR-005":3000}"#);
        let list: Value = admin.get(format!("{base}/api/v1/providers")).send().await.unwrap().json().await.unwrap();
        assert!(list["providers"].as_array().unwrap().len() >= 6, "{backend}");
        assert_eq!(admin.get(format!("{base}/providers")).send().await.unwrap().status(), 200);

        // The demo: the resident's completed call shows among their own notifications,
        // and the console lists their open case with its live dispatch.
        let (resident, _) = login(&s, "resident").await;
        let mine = resident.get(format!("{base}/me/notifications")).send().await.unwrap();
        assert_eq!(mine.status(), 200, "{backend}");
        assert!(mine.text().await.unwrap().contains("已完成服务"), "{backend}");
        let phone = store::hotline::user_phone(&s.db, "resident").await.unwrap().unwrap();
        let (desk, _) = login(&s, "frontdesk").await;
        let html = desk.get(format!("{base}/hotline?phone={phone}")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("铜陵市安居家政服务有限公司") && html.contains("待接单"), "{backend}");
    }
}

#[tokio::test]
async fn a_community_case_goes_only_to_providers_of_its_kind() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (desk, csrf) = login(&s, "frontdesk").await;
        let post = |path: String, body: Value| {
            desk.post(format!("{base}{path}")).header("x-csrf-token", &csrf).json(&body).send()
        };
        // A residence registration (人口服务, handled by the community) is nobody's housekeeping job.
        let c: Value = post(
            "/api/v1/cases".into(),
            json!({ "item": "FM-001", "caller_name": "居民丁", "id_number": id_number(44) }),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let id = c["id"].as_i64().unwrap();
        let housekeeping = provider_id(&s, "铜陵市安居家政服务有限公司").await;
        let before = counts(&s).await;
        let r = post(format!("/api/v1/cases/{id}/dispatch"), json!({ "provider_id": housekeeping })).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "provider_id");
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");
        let case = store::cases::case(&s.db, id).await.unwrap();
        assert!(pv::candidates(&s.db, &case).await.unwrap().is_empty(), "{backend}: none offered on the console");
    }
}
