//! Scope in one place (web::scope), on both databases: for every record kind a
//! handler takes by id or code, a principal of another community or district
//! whose role may use the route gets 404 on its page and API routes, as if the
//! record did not exist — 403 only for a community, whose public page anyone
//! may read. Only the district's finance bureau allocates and approves money;
//! an access application is filed in the name of the account's department,
//! whatever the request says; a user whose role is unknown is refused and the
//! refusal audited; a session lookup the database cannot answer is a 503.

mod common;
use common::*;
use serde_json::{Value, json};
use store::users::{NewUser, Role};

const OURS: &str = "340705402";

/// The first id of a table's rows in our community (or district); every kind must have one.
async fn first(s: &Server, table: &str, filter: &str) -> i64 {
    let sql = format!("SELECT MIN(id) FROM {table} WHERE {filter}");
    let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&s.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"));
    id.unwrap_or_else(|| panic!("{}: the demo has no {table} row where {filter}", s.backend))
}

async fn add_user(
    s: &Server,
    username: &str,
    role: Role,
    community: Option<&str>,
    district: Option<&str>,
    dept: Option<&str>,
) {
    store::users::add(
        &s.db,
        "test",
        NewUser {
            username,
            display_name: username,
            password: PASSWORD,
            role,
            community_code: community,
            district_code: district,
            department: dept,
        },
    )
    .await
    .unwrap();
}

async fn send(c: &reqwest::Client, csrf: &str, base: &str, method: &str, path: &str) -> (u16, String) {
    let url = format!("{base}{path}");
    let req = match method {
        "GET" => c.get(url),
        "PUT" => c.put(url).header("x-csrf-token", csrf).json(&json!({})),
        _ if path.starts_with("/api/") => c.post(url).header("x-csrf-token", csrf).json(&json!({})),
        // A page form with the fields the forms ask for, so that the handler (not the
        // form parser) answers.
        _ => c
            .post(url)
            .header("x-csrf-token", csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("reason=x&note=x&status=closed&decision=approve&number=x&elected=2024-01-01&members=&rating=3&title=x&description=x&body=x&text=x&event=comment&case_id=1&provider_id=1&present=1&cost=1&due_on=2030-01-01"),
    };
    let r = req.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_record_out_of_reach_answers_404_and_a_community_403() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        // Foreign principals: 映湖 (same district, other community) and another district's finance bureau.
        add_user(&s, "resident_yh", Role::Resident, Some("340705403"), None, None).await;
        add_user(&s, "provider_yh", Role::Provider, Some("340705403"), None, None).await;
        add_user(&s, "finance_x", Role::DistrictDepartment, None, Some("340706"), Some("义安区财政局")).await;
        let ours = format!("community_code = '{OURS}'");
        let case = first(&s, "cases", &ours).await;
        let resident = first(&s, "residents", &ours).await;
        let run = first(&s, "import_runs", &ours).await;
        let call = first(&s, "pb_calls", &ours).await;
        let project = first(&s, "pb_projects", &format!("{ours} AND selected = 1")).await;
        let topic = first(&s, "delib_topics", &ours).await;
        let meeting = first(&s, "delib_meetings", &ours).await;
        let claim = first(&s, "fin_claims", &ours).await;
        let tx = first(&s, "fin_transactions", &ours).await;
        let task = first(&s, "community_tasks", &ours).await;
        let dispatch = first(&s, "dispatches", &ours).await;
        let election = first(&s, "elections", &ours).await;

        // Records the demo has no row of here are made by our own community's staff.
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let made = |v: Value| v["id"].as_i64().unwrap_or_else(|| panic!("{backend}: {v}"));
        let p = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", csrf).json(&body).send()
        };
        let milestone = made(
            p(
                &admin,
                &a_csrf,
                &format!("/api/v1/pb/projects/{project}/milestones"),
                json!({"title": "开工", "due_on": "2030-01-01"}),
            )
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
        );
        let steward = first(&s, "stewards", &ours).await;
        let (district, di_csrf) = login(&s, "district").await;
        let filed: Value = p(
            &district,
            &di_csrf,
            "/api/v1/access",
            json!({
                "kind": "work_task", "title": "协助排查", "description": "入户排查", "legal_basis": "居组法 Art 3",
                "claimed_entry": "AS-004", "targets": OURS, "duration_days": "30",
                "community_as_principal": false, "duty_holder": "government",
            }),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let app = made(filed["application"].clone());
        let followup = first(&s, "delib_followups", &ours).await;
        let issue = first(&s, "steward_issues", &ours).await;
        let voucher = made(
            desk.post(format!("{}/api/v1/finance/claims/{claim}/vouchers?filename=receipt.pdf", s.base))
                .header("x-csrf-token", &d_csrf)
                .header("content-type", "application/pdf")
                .body(b"%PDF-1.4 receipt".to_vec())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap(),
        );

        // (who, method, path, expected)
        let routes: Vec<(&str, &str, String, u16)> = vec![
            // A community is public: 403, not 404.
            // Elections (the demo's finished one in 天井湖): another community's answers 404.
            ("frontdesk_yh", "GET", format!("/elections/{election}"), 404),
            ("resident_yh", "GET", format!("/api/v1/elections/{election}"), 404),
            ("resident_yh", "GET", format!("/api/v1/elections/{election}/roll"), 404),
            ("frontdesk_yh", "GET", format!("/elections/{election}/sheet"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/elections/{election}/boxes"), 404),
            ("admin_yh", "POST", format!("/api/v1/elections/{election}/roll"), 404),
            ("admin_yh", "PUT", format!("/api/v1/elections/{election}/candidates"), 404),
            ("admin_yh", "POST", format!("/elections/{election}/count"), 404),
            ("admin_yh", "POST", format!("/api/v1/elections/{election}/seat"), 404),
            // Residents and their imports.
            ("frontdesk_yh", "GET", format!("/residents/{resident}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/residents/{resident}"), 404),
            ("finance_x", "GET", format!("/api/v1/residents/{resident}"), 404),
            ("frontdesk_yh", "POST", format!("/residents/{resident}/reveal"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/residents/{resident}/reveal"), 404),
            ("frontdesk_yh", "GET", format!("/residents/import/{run}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/residents/import/{run}"), 404),
            // Cases.
            ("frontdesk_yh", "GET", format!("/cases/{case}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/cases/{case}"), 404),
            ("finance_x", "GET", format!("/api/v1/cases/{case}"), 404),
            ("frontdesk_yh", "POST", format!("/cases/{case}/events"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/cases/{case}/events"), 404),
            ("frontdesk_yh", "GET", format!("/cases/{case}/attachments/1"), 404),
            ("frontdesk_yh", "POST", format!("/cases/{case}/link"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/cases/{case}/link"), 404),
            ("frontdesk_yh", "POST", format!("/cases/{case}/dispatch"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/cases/{case}/dispatch"), 404),
            ("resident_yh", "GET", format!("/me/cases/{case}"), 404),
            ("resident_yh", "POST", format!("/me/cases/{case}/rate"), 404),
            // Dispatches: a provider's worker sees only their provider's.
            ("provider_yh", "POST", format!("/provider/dispatches/{dispatch}/accept"), 404),
            ("provider_yh", "POST", format!("/api/v1/dispatches/{dispatch}/accept"), 404),
            ("provider_yh", "POST", format!("/api/v1/dispatches/{dispatch}/complete"), 404),
            // Participatory budgeting: calls, projects, milestones.
            ("frontdesk_yh", "GET", format!("/pb/{call}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/pb/calls/{call}"), 404),
            ("frontdesk_yh", "POST", format!("/pb/{call}/projects"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/pb/calls/{call}/projects"), 404),
            ("admin_yh", "POST", format!("/pb/{call}/advance"), 404),
            ("admin_yh", "POST", format!("/api/v1/pb/calls/{call}/advance"), 404),
            ("resident_yh", "POST", format!("/api/v1/pb/calls/{call}/ballots"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/pb/calls/{call}/paper-ballots"), 404),
            ("frontdesk_yh", "GET", format!("/pb/projects/{project}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/pb/projects/{project}"), 404),
            ("admin_yh", "POST", format!("/api/v1/pb/projects/{project}/review"), 404),
            ("admin_yh", "POST", format!("/pb/projects/{project}/milestones"), 404),
            ("admin_yh", "POST", format!("/api/v1/pb/projects/{project}/milestones"), 404),
            ("resident_yh", "POST", format!("/api/v1/pb/projects/{project}/evaluations"), 404),
            ("admin_yh", "POST", format!("/pb/milestones/{milestone}/complete"), 404),
            ("admin_yh", "POST", format!("/api/v1/pb/milestones/{milestone}/complete"), 404),
            // Deliberation: topics, meetings, follow-ups.
            ("frontdesk_yh", "GET", format!("/deliberation/topics/{topic}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/deliberation/topics/{topic}"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/deliberation/topics/{topic}/comments"), 404),
            ("admin_yh", "POST", format!("/api/v1/deliberation/topics/{topic}/close"), 404),
            ("frontdesk_yh", "GET", format!("/deliberation/meetings/{meeting}"), 404),
            ("frontdesk_yh", "GET", format!("/api/v1/deliberation/meetings/{meeting}"), 404),
            ("admin_yh", "POST", format!("/api/v1/deliberation/meetings/{meeting}/attendance"), 404),
            ("admin_yh", "POST", format!("/api/v1/deliberation/meetings/{meeting}/minutes"), 404),
            ("admin_yh", "POST", format!("/deliberation/followups/{followup}/done"), 404),
            ("admin_yh", "POST", format!("/api/v1/deliberation/followups/{followup}/done"), 404),
            // Stewards and their issues.
            ("admin_yh", "POST", format!("/stewards/{steward}/decide"), 404),
            ("admin_yh", "POST", format!("/api/v1/stewards/{steward}/decide"), 404),
            ("frontdesk_yh", "POST", format!("/stewards/issues/{issue}/status"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/stewards/issues/{issue}/status"), 404),
            // Finance: claims, vouchers, transactions.
            ("frontdesk_yh", "GET", format!("/api/v1/finance/claims/{claim}"), 404),
            ("admin_yh", "POST", format!("/finance/claims/{claim}/approve"), 404),
            ("admin_yh", "POST", format!("/api/v1/finance/claims/{claim}/approve"), 404),
            ("admin_yh", "POST", format!("/api/v1/finance/claims/{claim}/reject"), 404),
            ("finance_x", "POST", format!("/api/v1/finance/claims/{claim}/approve"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/finance/claims/{claim}/vouchers"), 404),
            ("frontdesk_yh", "GET", format!("/finance/vouchers/{voucher}"), 404),
            ("finance_x", "POST", format!("/api/v1/finance/transactions/{tx}/reverse"), 404),
            // Access applications (a district's) and community tasks.
            ("finance_x", "GET", format!("/access/{app}"), 404),
            ("finance_x", "GET", format!("/api/v1/access/{app}"), 404),
            ("frontdesk_yh", "POST", format!("/tasks/{task}/refuse"), 404),
            ("frontdesk_yh", "POST", format!("/api/v1/tasks/{task}/refuse"), 404),
        ];
        let mut sessions = std::collections::HashMap::new();
        for who in ["admin_yh", "frontdesk_yh", "resident_yh", "provider_yh", "finance_x"] {
            sessions.insert(who, login(&s, who).await);
        }
        let mut wrong = Vec::new();
        for (who, method, path, expected) in &routes {
            let (c, csrf) = &sessions[who];
            let (st, body) = send(c, csrf, &s.base, method, path).await;
            if st != *expected {
                wrong.push(format!(
                    "{who} {method} {path} → {st} (want {expected}): {}",
                    body.chars().take(120).collect::<String>()
                ));
            }
        }
        assert!(wrong.is_empty(), "{backend}:\n{}", wrong.join("\n"));
        // The community's public page stays public.
        let (c, _) = &sessions["admin_yh"];
        assert_eq!(c.get(format!("{}/communities/{OURS}", s.base)).send().await.unwrap().status(), 200);
        // Nothing was written by any of it (their log-ins are audited, nothing else).
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE (actor LIKE 'admin_yh#%' OR actor LIKE 'frontdesk_yh#%' \
             OR actor LIKE 'resident_yh#%' OR actor LIKE 'provider_yh#%' OR actor LIKE 'finance_x#%') AND action <> 'session.login'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(n, 0, "{backend}: a foreign principal changed nothing");
    }
}

#[tokio::test]
async fn only_the_finance_bureau_allocates_and_approves() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (civil_affairs, c_csrf) = login(&s, "district").await; // 铜官区民政局
        let (finance, f_csrf) = login(&s, "finance").await; // 铜官区财政局
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let p = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", csrf).json(&body).send()
        };
        let alloc = json!({"community": OURS, "amount": "1000", "key": "scope-test"});
        let r = p(&civil_affairs, &c_csrf, "/api/v1/finance/allocations", alloc.clone()).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}: the civil affairs bureau does not allocate");
        let r = civil_affairs
            .post(format!("{}/finance/allocations", s.base))
            .header("x-csrf-token", &c_csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("community={OURS}&amount=1000&key=scope-page"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{backend}: nor from the page");
        let r = p(&civil_affairs, &c_csrf, "/api/v1/finance/closings", json!({"period": "2020-12"})).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}: nor closes periods");
        let r = p(&finance, &f_csrf, "/api/v1/finance/allocations", alloc).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}: the finance bureau allocates");
        // A community not there: the field is wrong (422); another district's: 403 (communities are public).
        let r = p(&finance, &f_csrf, "/api/v1/finance/allocations", json!({"community": "999999999", "amount": "1"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "community");

        // A large claim approved by the head waits for the district: only the finance bureau approves it.
        let r = p(
            &desk,
            &d_csrf,
            "/api/v1/finance/claims",
            json!({"payee": "某公司", "amount": "6000", "purpose": "维修"}),
        )
        .await
        .unwrap();
        let claim: Value = r.json().await.unwrap();
        let id = claim["id"].as_i64().unwrap_or_else(|| panic!("{backend}: {claim}"));
        let r = p(&admin, &a_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "head_approved", "{backend}");
        let r = p(&civil_affairs, &c_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}: the civil affairs bureau does not approve money");
        let r = p(&finance, &f_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "paid", "{backend}");

        // `shequ user department`: an account's department can be set afterwards (audited); only a
        // department account has one, and the change holds from its next request.
        let e = store::users::set_department(&s.db, "test", "admin", "铜官区财政局").await.unwrap_err();
        assert!(matches!(e, store::StoreError::Invalid { ref field, .. } if field == "username"), "{backend}: {e}");
        store::users::set_department(&s.db, "test", "district", "铜官区财政局").await.unwrap();
        let alloc = json!({"community": OURS, "amount": "1000", "key": "scope-test-2"});
        let r = p(&civil_affairs, &c_csrf, "/api/v1/finance/allocations", alloc).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}: now the finance bureau");
        // The page's fund field takes the fund's Chinese name as well as its code.
        let alloc = json!({"community": OURS, "fund": "购买服务", "amount": "10", "key": "scope-test-3"});
        let r = p(&civil_affairs, &c_csrf, "/api/v1/finance/allocations", alloc).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}: 购买服务 is service_purchase");
    }
}

#[tokio::test]
async fn an_access_application_is_filed_by_the_accounts_department() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, d_csrf) = login(&s, "district").await;
        let me: Value = district.get(format!("{}/api/v1/me", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(
            (me["role"].as_str(), me["department"].as_str()),
            (Some("district_department"), Some("铜官区民政局"))
        );
        // The request names the city's public security bureau: ignored, the account's department files.
        let r = district
            .post(format!("{}/api/v1/access", s.base))
            .header("x-csrf-token", &d_csrf)
            .json(&json!({
                "department": "铜陵市公安局", "kind": "work_task", "title": "协助排查", "description": "入户排查",
                "legal_basis": "居组法 Art 3", "claimed_entry": "AS-004", "targets": OURS, "duration_days": "30",
                "community_as_principal": false, "duty_holder": "government",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let f: Value = r.json().await.unwrap();
        let id = f["application"]["id"].as_i64().unwrap();
        assert_eq!(f["application"]["department"], "铜官区民政局", "{backend}: {f}");
        let dept: String = sqlx::query_scalar("SELECT department FROM access_applications WHERE id = $1")
            .bind(id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(dept, "铜官区民政局", "{backend}");
        // The form has no department to type; it shows the account's.
        let html = district.get(format!("{}/access", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("name=\"department\""), "{backend}: the access form asks for no department");
        assert!(html.contains("铜官区民政局"), "{backend}");
        // A department account needs its department.
        let e = store::users::add(
            &s.db,
            "test",
            NewUser {
                username: "nodept",
                display_name: "x（铜陵市公安局）",
                password: PASSWORD,
                role: Role::DistrictDepartment,
                community_code: None,
                district_code: Some("340705"),
                department: None,
            },
        )
        .await;
        assert!(matches!(e, Err(store::StoreError::Invalid { ref field, .. }) if field == "department"), "{backend}");
    }
}

#[tokio::test]
async fn an_unknown_role_is_refused_and_audited() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let refusals = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'user.refused_unknown_role'",
            )
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
        };
        // A live session whose user's role becomes one this build does not know: refused, not a resident.
        let (c, _) = login(&s, "resident").await;
        sqlx::query("UPDATE users SET role = 'mayor' WHERE username = 'resident'").execute(&s.db.pool).await.unwrap();
        s.db.sessions.forget_all();
        let r = c.get(format!("{}/api/v1/me", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 401, "{backend}: the session is not accepted");
        assert_eq!(refusals().await, 1, "{backend}");
        let r = c.get(format!("{}/me/cases", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{backend}: a resident's page asks to log in");
        // Logging in again: refused too, and audited.
        let r = client()
            .post(format!("{}/api/v1/session", s.base))
            .json(&json!({ "username": "resident", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{backend}");
        assert_eq!(refusals().await, 2, "{backend}");
    }
}

#[tokio::test]
async fn a_session_lookup_that_fails_is_a_503_not_logged_out() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (c, _) = login(&s, "admin").await;
        s.db.sessions.forget_all();
        sqlx::query("DROP TABLE sessions").execute(&s.db.pool).await.unwrap();
        let r = c.get(format!("{}/api/v1/me", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 503, "{backend}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "unavailable", "{backend}");
        assert!(!v["title"].as_str().unwrap().is_empty() && !v["detail"].as_str().unwrap().is_empty(), "{v}");
        let r = c.get(format!("{}/residents", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 503, "{backend}: a page too, not a redirect to log in");
    }
}
