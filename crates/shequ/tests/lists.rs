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
        // (the Chinese page cites rules.md's sections as 规则§…)
        let cited = check["rule"]["id"].as_str().unwrap().replace("rules ", "规则");
        assert!(page.contains(&cited), "{backend}: {cited}");

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

        // Approved until a day a year from now: the task stops being in force then (issue 14's burden).
        let expiry = (store::clock::today() + time::Duration::days(365)).to_string();
        let r = post(
            &civil,
            &c_csrf,
            &format!("/api/v1/access/{id}/decide"),
            json!({"decision": "approve", "number": "铜社准〔2026〕1号", "expires": expiry}),
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
        assert_eq!(approved["task"]["ended_at"], format!("{expiry}T23:59:59Z"), "{backend}: ends with its approval");
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
        // Without a reason and a confirmation the page refuses, beside the form (issue 14).
        let refuse = |body: String| {
            desk.post(format!("{}/tasks/{demo_id}/refuse", s.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
        };
        // (The demo holds one refusal of its own, a month old; this test's API refusal is the second.)
        let refusals = count(&s, "task_refusals").await;
        let r = refuse(format!("csrf={k_csrf}")).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写拒绝理由") && html.contains("请勾选确认"), "{backend}");
        let r = refuse(format!("csrf={k_csrf}&note={}&confirm=1", web::pages::urlencode("未经准入"))).await.unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        assert_eq!(r.headers()["location"], "/tasks?done=refused", "{backend}");
        assert_eq!(count(&s, "task_refusals").await, refusals + 1, "{backend}");
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
        // Every wrong field is named at once; the first is the problem's `field`.
        let mut two = assistance(Some("10000"));
        two["funding_yuan"] = json!("10000.005");
        two["paying_department"] = json!("");
        let p: Value = post(two).await.unwrap().json().await.unwrap();
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["funding_yuan", "paying_department"], "{backend}: {p}");
        assert_eq!(p["field"], "funding_yuan", "{backend}");
        // The page shows each beside its field.
        let r = district
            .post(format!("{}/access", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={d_csrf}&kind=work_task&title=t&description=d&legal_basis=l&claimed_entry=AS-004\
                 &targets=340705402&duration_days=365&funding_yuan=10000.005&paying_department="
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let html = r.text().await.unwrap();
        for id in ["funding_yuan-error", "paying_department-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{backend}: {id} in {html}");
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

/// City civil affairs drafts a new version of the assistance list (a copy of
/// the one in force), adds, replaces and removes entries, reviews and
/// publishes it; the public page shows the new entry and the diff lists the
/// change; nobody else may edit; a published version is immutable (422).
#[tokio::test]
async fn city_drafts_reviews_and_publishes_a_list_version() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (civil, c_csrf) = login(&s, "civil").await;
        let (district, d_csrf) = login(&s, "district").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", csrf).json(&body).send()
        };
        let entry = json!({
            "code": "AS-900", "title": "协助开展老年人能力评估", "legal_basis": "老年人权益保障法",
            "item_type": "work_task", "department": "铜陵市民政局",
            "standard_yuan": "3000", "funding_basis": "per_community_per_year", "paying_department": "铜陵市民政局",
        });

        // A non-city role may not open or edit a draft.
        let r = post(&district, &d_csrf, "/api/v1/lists/assistance/drafts", json!({})).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");

        let r = post(&civil, &c_csrf, "/api/v1/lists/assistance/drafts", json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let d: Value = r.json().await.unwrap();
        let v = d["row"]["version"].as_i64().unwrap();
        assert_eq!(v, 2, "{backend}: the next version number");
        assert_eq!(d["row"]["status"], "draft");
        let copied = d["entries"].as_array().unwrap().len();
        assert!(copied > 0, "{backend}: a copy of the version in force");
        // Only one open draft per list.
        let r = post(&civil, &c_csrf, "/api/v1/lists/assistance/drafts", json!({})).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");

        let base = format!("/api/v1/lists/assistance/drafts/{v}");
        let r = post(&district, &d_csrf, &format!("{base}/entries"), entry.clone()).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
        // Bad input names its field.
        let mut bad = entry.clone();
        bad["paying_department"] = json!("");
        let r = post(&civil, &c_csrf, &format!("{base}/entries"), bad).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "paying_department");
        // Every wrong field at once, in form order: the first is the problem's `field`.
        let mut two = entry.clone();
        two["title"] = json!("");
        two["paying_department"] = json!("");
        let p: Value = post(&civil, &c_csrf, &format!("{base}/entries"), two).await.unwrap().json().await.unwrap();
        assert_eq!(p["field"], "title", "{backend}: {p}");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["title", "paying_department"], "{backend}: {p}");
        // The draft page shows the entry form again, with what was typed and each error beside its field.
        let r = civil
            .post(format!("{}/lists/assistance/drafts/{v}/entries", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={c_csrf}&code=AS-950&title=&item_type=work_task&department=d&standard_yuan=1&paying_department="
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let html = r.text().await.unwrap();
        assert_eq!(html.matches("class=\"field-error\"").count(), 2, "{backend}: {html}");
        assert!(html.contains("value=\"AS-950\""), "{backend}: what was typed comes back");

        let r = post(&civil, &c_csrf, &format!("{base}/entries"), entry.clone()).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["entries"].as_array().unwrap().len(), copied + 1);
        let r = post(&civil, &c_csrf, &format!("{base}/entries"), entry.clone()).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}: duplicate code");
        let mut changed = entry.clone();
        changed["standard_yuan"] = json!("3500");
        let r = post(&civil, &c_csrf, &format!("{base}/entries/AS-900"), changed).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let r = post(&civil, &c_csrf, &format!("{base}/entries/AS-004/remove"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");

        // Publishing needs a review first.
        let r = post(&civil, &c_csrf, &format!("{base}/publish"), json!({})).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let r = post(&civil, &c_csrf, &format!("{base}/review"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let r = post(&civil, &c_csrf, &format!("{base}/publish"), json!({"effective": ""})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["row"]["status"], "published", "{backend}");

        // The public sees it in force, and the diff lists the change.
        let page = client().get(format!("{}/lists", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("协助开展老年人能力评估"), "{backend}");
        let diff: Value = client()
            .get(format!("{}/api/v1/lists/assistance?from=1&to={v}", s.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(diff["diff"]["added"][0]["code"], "AS-900", "{backend}: {diff}");
        assert_eq!(diff["diff"]["removed"][0]["code"], "AS-004", "{backend}");
        let page = client()
            .get(format!("{}/lists/assistance?from=1&to={v}", s.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("AS-900"), "{backend}");

        // A published version is immutable: nothing changes, 422.
        let audit_before = count(&s, "audit_log").await;
        for (path, body) in [
            (
                format!("{base}/entries"),
                json!({"code": "AS-901", "title": "x", "item_type": "work_task", "department": "d", "standard_yuan": "1", "paying_department": "p"}),
            ),
            (format!("{base}/entries/AS-900/remove"), json!({})),
            (format!("{base}/review"), json!({})),
            (format!("{base}/publish"), json!({})),
        ] {
            let r = post(&civil, &c_csrf, &path, body).await.unwrap();
            assert_eq!(r.status(), 422, "{backend}: {path}");
        }
        assert_eq!(count(&s, "audit_log").await, audit_before, "{backend}: nothing written");

        // The draft pages render for the city.
        let r = civil.get(format!("{}/lists/assistance/drafts/{v}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let r = civil.get(format!("{}/lists/assistance/drafts", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
    }
}

/// XLSX round trip: the export of a published version imports back into a
/// draft entry for entry; rows that are invalid or already in the draft are
/// listed with their reasons and nothing of theirs is added.
#[tokio::test]
async fn list_entries_round_trip_through_xlsx() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (civil, c_csrf) = login(&s, "civil").await;
        let post = |path: &str, body: Value| {
            civil.post(format!("{}{path}", s.base)).header("x-csrf-token", &c_csrf).json(&body).send()
        };
        let d: Value = post("/api/v1/lists/assistance/drafts", json!({})).await.unwrap().json().await.unwrap();
        let v = d["row"]["version"].as_i64().unwrap();
        let base = format!("/api/v1/lists/assistance/drafts/{v}");
        assert_eq!(post(&format!("{base}/entries/AS-004/remove"), json!({})).await.unwrap().status(), 200);

        // The published version 1, plus a row without funding and one without a title.
        let v1 = store::lists::version(&s.db, store::lists::parse_kind("assistance").unwrap(), 1).await.unwrap();
        let original = v1.parse().unwrap();
        let mut j = serde_json::to_value(&original).unwrap();
        let mut unfunded = j["entries"][0].clone();
        unfunded["code"] = json!("AS-BAD");
        unfunded["terms"]["standard_fen"] = json!(0);
        let mut untitled = j["entries"][0].clone();
        untitled["code"] = json!("AS-NT");
        untitled["title"] = json!("");
        j["entries"].as_array_mut().unwrap().extend([unfunded, untitled]);
        let edited = serde_json::from_value(j).unwrap();
        let bytes = store::lists::version_xlsx(&edited).unwrap();

        let r = civil
            .post(format!("{}{base}/import", s.base))
            .header("x-csrf-token", &c_csrf)
            .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let out: Value = r.json().await.unwrap();
        assert_eq!(out["imported"], json!(["AS-004"]), "{backend}: {out}");
        let rejected = out["rejected"].as_array().unwrap();
        let n = original.entries().len();
        assert_eq!(rejected.len(), n - 1 + 2, "{backend}: {out}");
        let reason = |code: &str| rejected.iter().find(|x| x["code"] == code).cloned().unwrap();
        assert_eq!(reason("AS-BAD")["field"], "standard_yuan", "{backend}");
        assert_eq!(reason("AS-NT")["field"], "title", "{backend}");
        assert_eq!(reason("AS-001")["field"], "code", "{backend}: already in the draft");
        assert!(reason("AS-BAD")["row"].as_u64().unwrap() > 3, "{backend}: spreadsheet row numbers");

        // The round trip is exact for what was imported.
        let d: Value = civil.get(format!("{}{base}", s.base)).send().await.unwrap().json().await.unwrap();
        let entries = d["entries"].as_array().unwrap();
        assert_eq!(entries.len(), n, "{backend}");
        let got = entries.iter().find(|e| e["code"] == "AS-004").unwrap();
        let want = serde_json::to_value(original.entries().iter().find(|e| e.code == "AS-004").unwrap()).unwrap();
        assert_eq!(got, &want, "{backend}");

        // Not a workbook: 422 by field, nothing written.
        let r = civil
            .post(format!("{}{base}/import", s.base))
            .header("x-csrf-token", &c_csrf)
            .body("not a workbook")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "file");
    }
}
