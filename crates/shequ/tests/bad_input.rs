//! Bad input an attacker with a log-in tries (issue 12, point 11): each is
//! refused with 4xx naming its field and writes nothing. On SQLite and PostgreSQL.

mod common;
use common::*;
use serde_json::{Value, json};

async fn count(s: &Server, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
}

fn fields(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_approval_ballot_carries_no_points() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (resident, r_csrf) = login(&s, "resident").await;
        let (_, call) =
            s.post_json(&admin, &a_csrf, "/api/v1/pb/calls", json!({"title": "赞成票征集", "budget": "100000"})).await;
        let id = call["id"].as_i64().unwrap();
        let mut pids = Vec::new();
        for (t, cost) in [("助餐点", "60000"), ("步道", "50000")] {
            let (_, p) = s
                .post_json(
                    &resident,
                    &r_csrf,
                    &format!("/api/v1/pb/calls/{id}/projects"),
                    json!({"title": t, "cost": cost}),
                )
                .await;
            pids.push(p["id"].as_i64().unwrap());
        }
        // Proposals close, both projects pass review, voting opens.
        let (st, v) = s.post_json(&admin, &a_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        for pid in &pids {
            let review = json!({"decision": "approve", "score": "80"});
            let (st, v) = s.post_json(&admin, &a_csrf, &format!("/api/v1/pb/projects/{pid}/review"), review).await;
            assert_eq!(st, 200, "{backend}: {v}");
        }
        let (st, v) = s.post_json(&admin, &a_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({})).await;
        assert_eq!((st, v["call"]["phase"].as_str()), (200, Some("voting")), "{backend}: {v}");
        let before = count(&s, "pb_ballot_items").await;
        let ballot = json!({"choices": [{"project_id": pids[0], "points": 50}, {"project_id": pids[1]}]});
        let (st, e) = s.post_json(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/ballots"), ballot).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("points")), "{backend}: {e}");
        assert_eq!(count(&s, "pb_ballot_items").await, before, "{backend}: nothing stored");
        // The same ballot without points is taken, one point each.
        let ballot = json!({"choices": [{"project_id": pids[0]}, {"project_id": pids[1], "points": 1}]});
        let (st, e) = s.post_json(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/ballots"), ballot).await;
        assert_eq!(st, 200, "{backend}: {e}");
        let most: i64 = sqlx::query_scalar("SELECT CAST(MAX(points) AS BIGINT) FROM pb_ballot_items")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert!(most <= 1 || backend == "none", "{backend}: approval items carry one point");
    }
}

#[tokio::test]
async fn a_residents_own_request_carries_only_their_own_name_and_phone() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (resident, r_csrf) = login(&s, "resident").await;
        let before = count(&s, "cases").await;
        let body =
            json!({"item": "PS-001", "caller_name": "邻居王某", "caller_phone": "13900001111", "building": "5栋"});
        let (st, e) = s.post_json(&resident, &r_csrf, "/api/v1/me/cases", body).await;
        assert_eq!(st, 422, "{backend}: {e}");
        assert_eq!(fields(&e), ["caller_name", "caller_phone"], "{backend}: every field at once");
        assert_eq!(count(&s, "cases").await, before, "{backend}: nothing written");
        // Without them (or with their own), the case carries the registered name and phone.
        let (st, c) =
            s.post_json(&resident, &r_csrf, "/api/v1/me/cases", json!({"item": "PS-001", "building": "5栋"})).await;
        assert_eq!(st, 200, "{backend}: {c}");
        let user: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE username = 'resident'").fetch_one(&s.db.pool).await.unwrap();
        let (_, name, phone) = store::cases::linked_resident(&s.db, user).await.unwrap();
        assert_eq!(
            (c["caller_name"].as_str(), c["caller_phone"].as_str()),
            (Some(name.as_str()), Some(phone.as_str()))
        );
        let own = json!({"item": "PS-001", "caller_name": name, "caller_phone": phone, "building": "5栋"});
        assert_eq!(s.post_json(&resident, &r_csrf, "/api/v1/me/cases", own).await.0, 200, "{backend}");
    }
}

#[tokio::test]
async fn a_claim_key_reused_for_another_claim_is_refused_like_an_allocation() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (desk, f_csrf) = login(&s, "frontdesk").await;
        let claim = json!({"payee": "文具店", "amount": "100.50", "purpose": "办公用品", "key": "claim-k1"});
        let (st, first) = s.post_json(&desk, &f_csrf, "/api/v1/finance/claims", claim.clone()).await;
        assert_eq!(st, 200, "{backend}: {first}");
        // The same request again: the same claim, nothing new.
        let (st, again) = s.post_json(&desk, &f_csrf, "/api/v1/finance/claims", claim).await;
        assert_eq!((st, &again["id"]), (200, &first["id"]), "{backend}");
        let before = count(&s, "fin_claims").await;
        let other = json!({"payee": "文具店", "amount": "9000", "purpose": "办公用品", "key": "claim-k1"});
        let (st, e) = s.post_json(&desk, &f_csrf, "/api/v1/finance/claims", other).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("key")), "{backend}: {e}");
        assert_eq!(count(&s, "fin_claims").await, before, "{backend}");
        // Allocations answer the same way.
        let (fin, d_csrf) = login(&s, "finance").await;
        let alloc = json!({"community": "340705402", "amount": "10", "key": "alloc-k1"});
        assert_eq!(s.post_json(&fin, &d_csrf, "/api/v1/finance/allocations", alloc).await.0, 200, "{backend}");
        let alloc = json!({"community": "340705402", "amount": "11", "key": "alloc-k1"});
        assert_eq!(s.post_json(&fin, &d_csrf, "/api/v1/finance/allocations", alloc).await.0, 422, "{backend}");
    }
}

#[tokio::test]
async fn nul_zero_width_and_bidi_overrides_are_refused_in_names_and_titles() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, f_csrf) = login(&s, "frontdesk").await;
        let seq0 = count(&s, "audit_log").await;
        for bad in ["王\u{0}明", "\u{200B}", "\u{200B}\u{FEFF}", "项目\u{202E}txt.exe", "\u{2066}名称\u{2069}"] {
            // JSON: a call's title, a resident's name, a meeting's title, a claim's payee.
            for (c, csrf, path, body, field) in [
                (&admin, &a_csrf, "/api/v1/pb/calls", json!({"title": bad, "budget": "100"}), "title"),
                (&desk, &f_csrf, "/api/v1/residents", json!({"name": bad, "id_number": id_number(7)}), "name"),
                (
                    &admin,
                    &a_csrf,
                    "/api/v1/deliberation/meetings",
                    json!({"kind": "council", "title": bad, "held_on": "2025-10-01", "base_count": "5"}),
                    "title",
                ),
                (
                    &desk,
                    &f_csrf,
                    "/api/v1/finance/claims",
                    json!({"payee": bad, "amount": "5", "purpose": "y"}),
                    "payee",
                ),
            ] {
                let (st, e) = s.post_json(c, csrf, path, body).await;
                assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{backend}: {path} {bad:?} → {e}");
            }
            // A page's form, and Open311's form body.
            let form = format!("name={}&id_number={}&csrf={f_csrf}", web::http::urlencode(bad), id_number(8));
            let r = desk
                .post(format!("{}/residents", s.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{backend}: page form {bad:?}");
            let form = format!(
                "api_key={}&service_code=PS-001&description={}&address_string=x",
                s.open311_key,
                web::http::urlencode(bad)
            );
            let r = client()
                .post(format!("{}/open311/v2/requests.json", s.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 400, "{backend}: Open311 {bad:?}");
            assert!(r.text().await.unwrap().contains("description"), "{backend}");
        }
        // Nothing was written: not a single audit entry.
        assert_eq!(count(&s, "audit_log").await, seq0, "{backend}");
        // Text that only looks unusual is taken.
        let (st, e) = s
            .post_json(
                &admin,
                &a_csrf,
                "/api/v1/pb/calls",
                json!({"title": "👨\u{200D}👩\u{200D}👧 家庭活动", "budget": "100"}),
            )
            .await;
        assert_eq!(st, 200, "{backend}: {e}");
    }
}

#[tokio::test]
async fn meeting_dates_lie_between_1990_and_a_year_ahead() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let before = count(&s, "delib_meetings").await;
        let ahead = (store::clock::today() + time::Duration::days(400)).to_string();
        for day in ["0000-01-01", "1989-12-31", "9999-12-31", ahead.as_str()] {
            let body = json!({"kind": "council", "title": "议事会", "held_on": day, "base_count": "5"});
            let (st, e) = s.post_json(&admin, &a_csrf, "/api/v1/deliberation/meetings", body).await;
            assert_eq!((st, e["field"].as_str()), (422, Some("held_on")), "{backend}: {day} → {e}");
        }
        assert_eq!(count(&s, "delib_meetings").await, before, "{backend}");
        let next_month = (store::clock::today() + time::Duration::days(30)).to_string();
        let body = json!({"kind": "council", "title": "议事会", "held_on": next_month, "base_count": "5"});
        assert_eq!(s.post_json(&admin, &a_csrf, "/api/v1/deliberation/meetings", body).await.0, 200, "{backend}");
    }
}

#[tokio::test]
async fn only_ended_periods_close_and_only_the_city_reopens_with_a_reason() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (fin, d_csrf) = login(&s, "finance").await;
        let (city, c_csrf) = login(&s, "civil").await;
        let today = store::clock::today();
        let this_month = format!("{}-{:02}", today.year(), today.month() as u8);
        let before = count(&s, "fin_closings").await;
        for period in ["9999-12", this_month.as_str(), &today.year().to_string()] {
            let (st, e) = s
                .post_json(
                    &fin,
                    &d_csrf,
                    "/api/v1/finance/closings",
                    json!({"community": "340705402", "period": period}),
                )
                .await;
            assert_eq!((st, e["field"].as_str()), (422, Some("period")), "{backend}: {period} → {e}");
        }
        assert_eq!(count(&s, "fin_closings").await, before, "{backend}");
        // Last year closes; then nothing can be booked into it.
        let last_year = (today.year() - 1).to_string();
        let close = json!({"community": "340705402", "period": format!("{last_year}-12")});
        assert_eq!(s.post_json(&fin, &d_csrf, "/api/v1/finance/closings", close).await.0, 200, "{backend}");
        let late = json!({"community": "340705402", "amount": "10", "date": format!("{last_year}-12-20")});
        assert_eq!(s.post_json(&fin, &d_csrf, "/api/v1/finance/allocations", late.clone()).await.0, 422, "{backend}");

        // The district cannot reopen; the city cannot without a reason.
        let reopen = json!({"district": "340705", "community": "340705402", "period": format!("{last_year}-12")});
        let (st, _) = s.post_json(&fin, &d_csrf, "/api/v1/finance/reopenings", reopen.clone()).await;
        assert_eq!(st, 403, "{backend}");
        let (st, e) = s.post_json(&city, &c_csrf, "/api/v1/finance/reopenings", reopen.clone()).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("reason")), "{backend}: {e}");
        let mut open_month = reopen.clone();
        open_month["period"] = json!(this_month);
        open_month["reason"] = json!("补记遗漏的拨款凭证");
        let (st, e) = s.post_json(&city, &c_csrf, "/api/v1/finance/reopenings", open_month).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("period")), "{backend}: not closed → {e}");
        assert_eq!(count(&s, "fin_closings").await, before + 1, "{backend}");

        // With a reason: reopened, audited, and the books take the late entry.
        let mut reopen = reopen;
        reopen["reason"] = json!("补记遗漏的拨款凭证");
        let (st, v) = s.post_json(&city, &c_csrf, "/api/v1/finance/reopenings", reopen).await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert_eq!(v["closed_through"], format!("{last_year}-11-30"), "{backend}");
        let actor: String =
            sqlx::query_scalar("SELECT actor FROM audit_log WHERE action = 'finance.reopen' ORDER BY seq DESC LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert!(actor.starts_with("civil#"), "{backend}: {actor}");
        let reason: String = sqlx::query_scalar("SELECT reason FROM fin_closings WHERE reopened = 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(reason, "补记遗漏的拨款凭证", "{backend}");
        assert_eq!(s.post_json(&fin, &d_csrf, "/api/v1/finance/allocations", late).await.0, 200, "{backend}");
        // The reopening survives a restart (the ledger is rebuilt from the database).
        let db2 = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
        let again = store::finance::fund_balances(&db2, "340705402", "340705").await.unwrap();
        assert!(!again.is_empty(), "{backend}");
        assert!(matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }));
    }
}

#[tokio::test]
async fn a_bad_path_or_query_value_is_a_problem_like_every_api_error() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (c, _) = login(&s, "frontdesk").await;
        for (path, field) in [("/api/v1/residents/abc", "path"), ("/api/v1/residents?limit=many", "query")] {
            let r = c.get(format!("{}{path}", s.base)).send().await.unwrap();
            assert_eq!(r.status(), 400, "{backend}: {path}");
            assert_eq!(r.headers()["content-type"], "application/problem+json", "{backend}: {path}");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["field"], field, "{backend}: {v}");
            assert!(!v["errors"][0]["zh"].as_str().unwrap().is_empty(), "{backend}");
        }
    }
}
