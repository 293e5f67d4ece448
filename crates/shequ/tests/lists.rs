//! The four lists and community access approval end to end through the API,
//! on both databases: an assistance task without funding is rejected with
//! its rule cited (rules §3.3, 费随事转), with funding it waits for the city,
//! the city approves and the task reaches the community (with its funding
//! posted), only city civil affairs may decide, a community refuses work
//! without approval and the refusal counts against the department, and bad
//! input is refused by field with nothing written.

mod common;
use common::*;
use serde_json::{Value, json};

fn assistance(funding: Option<&str>) -> Value {
    let mut v = json!({
        "department": "铜官区民政局",
        "kind": "work_task",
        "title": "协助做好优抚救济工作",
        "description": "入户核查优抚对象情况",
        "legal_basis": "居组法 Art 3",
        "claimed_entry": "AS-004",
        "targets": "340705402",
        "duration_days": "365",
        "community_as_principal": false,
        "duty_holder": "government",
    });
    if let Some(f) = funding {
        v["funding_yuan"] = json!(f);
        v["funding_basis"] = json!("per_community_per_year");
        v["paying_department"] = json!("铜陵市民政局");
    }
    v
}

async fn count(s: &Server, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn access_application_from_filing_to_community_task() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, d_csrf) = login(&s, "district").await;
        let (civil, c_csrf) = login(&s, "civil").await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", csrf).json(&body).send()
        };

        // The lists are public.
        let r = client().get(format!("{}/api/v1/lists", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let lists: Value = r.json().await.unwrap();
        assert_eq!(lists["lists"].as_array().unwrap().len(), 4, "{backend}");
        let r = client().get(format!("{}/lists/assistance?from=1&to=1", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert!(r.text().await.unwrap().contains("协助做好优抚救济工作"));
        let r = client().get(format!("{}/lists/assistance/export.xlsx", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert!(r.bytes().await.unwrap().starts_with(b"PK"), "{backend}: an XLSX is a zip");

        // Assistance work without funding: rejected, citing 费随事转.
        let r = post(&district, &d_csrf, "/api/v1/access", assistance(None)).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let f: Value = r.json().await.unwrap();
        assert_eq!(f["application"]["status"], "rejected", "{backend}: {f}");
        let check = f["report"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "assistance_funding")
            .cloned()
            .expect("funding check");
        assert_eq!(check["outcome"], "fail", "{backend}");
        assert!(!check["rule"]["id"].as_str().unwrap().is_empty());
        assert!(!check["msg"]["zh"].as_str().unwrap().is_empty());
        // The page shows the report with the rule.
        let rejected_id = f["application"]["id"].as_i64().unwrap();
        let page = district.get(format!("{}/access/{rejected_id}", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(check["rule"]["id"].as_str().unwrap()), "{backend}");

        // With funding at the standard: pending the city's review.
        let f: Value =
            post(&district, &d_csrf, "/api/v1/access", assistance(Some("10000"))).await.unwrap().json().await.unwrap();
        assert_eq!(f["application"]["status"], "pending", "{backend}: {f}");
        let id = f["application"]["id"].as_i64().unwrap();

        // Nobody but city civil affairs may decide.
        for (c, t) in [(&district, &d_csrf), (&admin, &a_csrf)] {
            let r = post(c, t, &format!("/api/v1/access/{id}/decide"), json!({"decision": "approve", "number": "X-1"}))
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{backend}");
        }
        assert_eq!(count(&s, "access_approvals").await, 0, "{backend}");
        // An approval needs its number.
        let r = post(&civil, &c_csrf, &format!("/api/v1/access/{id}/decide"), json!({"decision": "approve"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "number");

        let r = post(
            &civil,
            &c_csrf,
            &format!("/api/v1/access/{id}/decide"),
            json!({"decision": "approve", "number": "铜社准〔2026〕1号"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let d: Value = r.json().await.unwrap();
        assert_eq!(d["application"]["status"], "approved", "{backend}");
        assert_eq!(d["tasks"].as_array().unwrap().len(), 1, "{backend}");
        assert_eq!(d["funding"]["transfers"][0]["community"], "340705402", "{backend}");
        assert_eq!(d["allocation_errors"].as_array().unwrap().len(), 0, "{backend}: {d}");
        assert_eq!(d["allocations"].as_array().unwrap().len(), 1, "{backend}: {d}");

        // The community sees the authorised task; it cannot refuse it.
        let t: Value = admin.get(format!("{}/api/v1/tasks", s.base)).send().await.unwrap().json().await.unwrap();
        let tasks = t["tasks"].as_array().unwrap();
        let approved = tasks.iter().find(|t| t["task"]["approval_number"] == "铜社准〔2026〕1号").expect("task");
        assert_eq!(approved["refusable"], false, "{backend}");
        let tid = approved["task"]["id"].as_i64().unwrap();
        let r = post(&admin, &a_csrf, &format!("/api/v1/tasks/{tid}/refuse"), json!({})).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        // Another community does not see it.
        let (other, _) = login(&s, "admin_yh").await;
        let t: Value = other.get(format!("{}/api/v1/tasks", s.base)).send().await.unwrap().json().await.unwrap();
        assert!(t["tasks"].as_array().unwrap().iter().all(|t| t["task"]["community_code"] == "340705403"));
        let html = admin.get(format!("{}/tasks", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("铜社准〔2026〕1号"), "{backend}");
    }
}

#[tokio::test]
async fn a_community_refuses_unapproved_work_and_it_counts() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, d_csrf) = login(&s, "district").await;
        let (desk, k_csrf) = login(&s, "frontdesk").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", csrf).json(&body).send()
        };
        let pushed: Value = post(
            &district,
            &d_csrf,
            "/api/v1/tasks",
            json!({"community": "340705402", "department": "铜官区城管局", "title": "上报辖区违建台账"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let tid = pushed["id"].as_i64().unwrap();
        let t: Value = desk.get(format!("{}/api/v1/tasks", s.base)).send().await.unwrap().json().await.unwrap();
        let row = t["tasks"].as_array().unwrap().iter().find(|t| t["task"]["id"] == tid).cloned().unwrap();
        assert_eq!(row["refusable"], true, "{backend}");
        let r =
            post(&desk, &k_csrf, &format!("/api/v1/tasks/{tid}/refuse"), json!({"note": "未经准入"})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], "refused");
        assert_eq!(v["refusal_reason"], "no_approval");
        // Twice: refused.
        let r = post(&desk, &k_csrf, &format!("/api/v1/tasks/{tid}/refuse"), json!({})).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        // The district sees the refusal counted against the department.
        let a: Value = district.get(format!("{}/api/v1/access", s.base)).send().await.unwrap().json().await.unwrap();
        let dept = a["departments"].as_array().unwrap().iter().find(|d| d["department"] == "铜官区城管局").cloned();
        assert_eq!(dept.expect("department counted")["refused_pushes"], 1, "{backend}");
        // The demo's unapproved push can be refused from the page too (one click).
        let demo: Value = desk.get(format!("{}/api/v1/tasks", s.base)).send().await.unwrap().json().await.unwrap();
        let demo_id = demo["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["refusable"] == true)
            .map(|t| t["task"]["id"].as_i64().unwrap())
            .expect("the demo's unapproved push");
        let r = desk
            .post(format!("{}/tasks/{demo_id}/refuse", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={k_csrf}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        assert_eq!(count(&s, "task_refusals").await, 2, "{backend}");
    }
}

#[tokio::test]
async fn bad_applications_name_the_field_and_write_nothing() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, d_csrf) = login(&s, "district").await;
        let before = (count(&s, "access_applications").await, count(&s, "audit_log").await);
        let post = |body: Value| {
            district.post(format!("{}/api/v1/access", s.base)).header("x-csrf-token", &d_csrf).json(&body).send()
        };
        let mut unknown = assistance(Some("10000"));
        unknown["claimed_entry"] = json!("AS-999");
        let mut cents = assistance(Some("10000.005"));
        cents["funding_yuan"] = json!("10000.005");
        let mut fen = assistance(Some("10000"));
        fen["funding_yuan"] = json!("1000000分");
        let mut no_payer = assistance(Some("10000"));
        no_payer["paying_department"] = json!("");
        let mut outside = assistance(Some("10000"));
        outside["targets"] = json!("340706001");
        let mut stray = assistance(Some("10000"));
        stray["funding_fen"] = json!(1_000_000);
        for (body, field) in [
            (unknown, "claimed_entry"),
            (cents, "funding_yuan"),
            (fen, "funding_yuan"),
            (no_payer, "paying_department"),
            (outside, "targets"),
            (stray, "body"),
            (json!({"kind": "nonsense", "title": "x"}), "kind"),
        ] {
            let r = post(body).await.unwrap();
            assert_eq!(r.status(), 422, "{backend} {field}");
            assert_eq!(r.headers()["content-type"], "application/problem+json");
            assert_eq!(r.json::<Value>().await.unwrap()["field"], field, "{backend}");
        }
        // Malformed JSON.
        let r = district
            .post(format!("{}/api/v1/access", s.base))
            .header("x-csrf-token", &d_csrf)
            .header("content-type", "application/json")
            .body("{\"title\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "body");
        assert_eq!(before, (count(&s, "access_applications").await, count(&s, "audit_log").await), "{backend}");
    }
}
