//! The JSON API end to end, on SQLite and PostgreSQL.

mod common;
use common::*;
use serde_json::{Value, json};

async fn count_residents(s: &Server) -> i64 {
    store::residents::count(&s.db).await.expect("count")
}

#[tokio::test]
async fn the_registry_scopes_masks_checks_and_imports_residents() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (c, csrf) = login(&s, "frontdesk").await;

        // Scope: the front desk of 天井湖 sees only 天井湖.
        let v: Value = c.get(format!("{}/api/v1/residents", s.base)).send().await.unwrap().json().await.unwrap();
        let rows = v["residents"].as_array().unwrap();
        assert!(!rows.is_empty(), "{backend}");
        assert!(rows.iter().all(|r| r["community_code"] == "340705402"), "{backend}");
        // Masked, never in full.
        let masked = rows[0]["id_masked"].as_str().unwrap();
        assert!(masked.contains("********"), "{backend}");
        assert!(rows[0].get("id_number").is_none() && rows[0].get("id_sealed").is_none());
        // Asking for another community is refused.
        let r = c.get(format!("{}/api/v1/residents?community=340705403", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");

        // Bad input: a wrong check digit is a 422 problem naming the field; nothing written.
        let before = count_residents(&s).await;
        let mut bad = id_number(7);
        bad.replace_range(17.., if bad.ends_with('1') { "2" } else { "1" });
        let r = c
            .post(format!("{}/api/v1/residents", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "测试", "id_number": bad }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["field"], "id_number");
        assert!(p["errors"][0]["zh"].as_str().unwrap().contains("校验位"));
        assert!(p["errors"][0]["en"].as_str().unwrap().contains("check"));
        assert_eq!(count_residents(&s).await, before, "{backend}: nothing written");

        // Without the CSRF token a write is refused.
        let r = c
            .post(format!("{}/api/v1/residents", s.base))
            .json(&json!({ "name": "x", "id_number": id_number(8) }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{backend}");

        // A good resident goes in, masked; the full number is an audited read.
        let r = c
            .post(format!("{}/api/v1/residents", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "新居民", "id_number": id_number(9), "phone": "13800000000", "hukou": "是", "building": "3栋" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let created: Value = r.json().await.unwrap();
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["sex"], "M");
        let r: Value = c
            .post(format!("{}/api/v1/residents/{id}/reveal", s.base))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["id_number"], id_number(9));
        let audit = store::audit::recent(&s.db, None, None, None, 1).await.unwrap();
        assert_eq!(audit[0].action, "resident.reveal_id");
        // Registering the same person twice is refused.
        let r = c
            .post(format!("{}/api/v1/residents", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "新居民", "id_number": id_number(9) }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");

        // A worker of another community cannot see this resident: it looks missing.
        let (other, _) = login(&s, "frontdesk_yh").await;
        let r = other.get(format!("{}/api/v1/residents/{id}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{backend}");

        // Import: a bad row is reported with its line, good rows go in, re-import adds no one.
        let csv = format!(
            "姓名,身份证号,电话,户籍,楼栋\n甲,{},13900000001,是,1栋\n乙,110105194912310021,13900000002,否,2栋\n丙,{},13900000003,否,2栋\n",
            id_number(21),
            id_number(22)
        );
        let import = |c: reqwest::Client| {
            let csv = csv.clone();
            let url = format!("{}/api/v1/residents/import", s.base);
            let csrf = csrf.clone();
            async move {
                let form = reqwest::multipart::Form::new()
                    .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("r.csv"));
                let r = c.post(url).header("x-csrf-token", csrf).multipart(form).send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.json::<Value>().await.unwrap()
            }
        };
        let first = import(c.clone()).await;
        assert_eq!(first["inserted"], 2, "{backend}: {first}");
        assert_eq!(first["rejected"][0]["line"], 3);
        assert_eq!(first["rejected"][0]["field"], "id_number");
        let again = import(c.clone()).await;
        assert_eq!(again["inserted"], 0, "{backend}");
        assert_eq!(again["unchanged"], 2, "{backend}");

        // Search by full ID number goes through the blind index.
        let v: Value = c
            .get(format!("{}/api/v1/residents?q={}", s.base, id_number(21)))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["total"], 1, "{backend}");
        assert_eq!(v["residents"][0]["name"], "甲");
    }
}

#[tokio::test]
async fn units_and_committees_are_checked_and_an_edited_audit_row_breaks_the_chain() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let v: Value = reqwest::get(format!("{}/api/v1/communities", s.base)).await.unwrap().json().await.unwrap();
        assert_eq!(v["communities"].as_array().unwrap().len(), 23, "{backend}");
        let v: Value = reqwest::get(format!("{}/api/v1/districts", s.base)).await.unwrap().json().await.unwrap();
        assert!(v["districts"].as_array().unwrap().iter().any(|d| d["code"] == "340702" && d["successor"] == "340705"));

        let (admin, csrf) = login(&s, "admin").await;
        // USCC with a wrong check character: refused, naming the field.
        let r = admin
            .post(format!("{}/api/v1/units", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "community_code": "340705402", "name": "某公司", "kind": "非公企业", "uscc": "91350100M000100Y4Z" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "uscc");
        let r = admin
            .post(format!("{}/api/v1/units", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "community_code": "340705402", "name": "某公司", "kind": "非公企业", "uscc": "91350100M000100Y43" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        // Another community's units are out of reach.
        let r = admin
            .post(format!("{}/api/v1/units", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "community_code": "340705403", "name": "他社区", "kind": "非公企业", "uscc": "9131000063159284XQ" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{backend}");

        // The committee changes only through an election (rules §1.10): no route replaces its roster
        // (居组法 Art 7's 5–9 and the term are checked by tests/elections.rs).
        let r = admin
            .put(format!("{}/api/v1/communities/340705402/committee", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "elected": "2024-05-01", "members": [] }))
            .send()
            .await
            .unwrap();
        assert!(r.status() == 404 || r.status() == 405, "{backend}: {}", r.status());

        // The chain verifies, then breaks where a row is edited behind the server's back.
        assert!(matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }));
        let (auditor, _) = login(&s, "auditor").await;
        let v: Value =
            auditor.get(format!("{}/api/v1/audit/verify", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["intact"], true, "{backend}");
        sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").execute(&s.db.pool).await.unwrap();
        match store::audit::verify(&s.db).await.unwrap() {
            store::audit::Verdict::Broken { seq, .. } => assert_eq!(seq, 3, "{backend}"),
            other => panic!("{backend}: tampering not detected: {other:?}"),
        }
    }
}

#[tokio::test]
async fn concurrent_writes_keep_one_chain() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, csrf) = login(&s, "admin").await;
        let mut handles = Vec::new();
        for i in 0..24u32 {
            let c = admin.clone();
            let url = format!("{}/api/v1/units", s.base);
            let csrf = csrf.clone();
            handles.push(tokio::spawn(async move {
                let uscc = rules::gb32100::compose(&format!("91340705MA{:07}", 1000 + i)).unwrap();
                c.post(url)
                    .header("x-csrf-token", csrf)
                    .json(&json!({ "community_code": "340705402", "name": format!("并发单位{i}"), "kind": "非公企业", "uscc": uscc }))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }));
        }
        for h in handles {
            assert_eq!(h.await.unwrap(), 200, "{backend}");
        }
        match store::audit::verify(&s.db).await.unwrap() {
            store::audit::Verdict::Intact { .. } => {}
            other => panic!("{backend}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn health_metrics_and_dashboards_answer_and_openapi_documents_every_api_route() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        assert_eq!(reqwest::get(format!("{}/healthz", s.base)).await.unwrap().status(), 200, "{backend}");
        assert_eq!(reqwest::get(format!("{}/readyz", s.base)).await.unwrap().status(), 200, "{backend}");
        let m = reqwest::get(format!("{}/metrics", s.base)).await.unwrap().text().await.unwrap();
        assert!(m.contains("shequ_http_requests_total") && m.contains("shequ_residents"), "{backend}");
        // The city dashboard charts the burden live, for anyone.
        let dash = reqwest::get(format!("{}/dashboard", s.base)).await.unwrap().text().await.unwrap();
        assert!(
            dash.contains("<svg") && dash.contains("天井湖社区"),
            "{backend}: the demo's unapproved push shows on the dashboard"
        );
        let community = reqwest::get(format!("{}/communities/340705402", s.base)).await.unwrap().text().await.unwrap();
        assert!(community.contains("社区负担"), "{backend}");
        let doc: Value = reqwest::get(format!("{}/api/openapi.json", s.base)).await.unwrap().json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0", "{backend}");
        // The document and the routes stay in step: every API route is documented, nothing else.
        let mut documented = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
        let mut api: Vec<String> = web::routes::ROUTES
            .iter()
            .filter(|r| r.kind == web::policy::Kind::Api)
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        documented.sort();
        api.sort();
        assert_eq!(documented, api, "{backend}");
    }
}
