//! Every route against every role and a foreign scope. The expected answer
//! comes from the policy table itself; a route the table lacks cannot be
//! mounted (the router panics), so a new route without a policy fails here.

mod common;
use common::*;
use reqwest::Method;
use store::users::Role;
use web::policy::{Access, Kind, ROUTES};

fn concrete(path: &str, resident: i64, run: i64) -> String {
    path.replace("{code}", "340705402")
        .replace("{id}", &if path.contains("import") { run } else { resident }.to_string())
        .replace("{*file}", "shequ.css")
}

#[tokio::test]
async fn every_route_against_every_role() {
    let (backend, url) = backends().await.remove(0);
    let s = start(backend, &url).await;
    let resident = store::residents::list(
        &s.db,
        &store::residents::Filter { community: Some("340705402".into()), ..Default::default() },
    )
    .await
    .unwrap()
    .rows[0]
        .id;
    let run: i64 = sqlx::query_scalar("SELECT MIN(id) FROM import_runs WHERE community_code = '340705402'")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();

    // One user per role, all in 天井湖 / 铜官区 / the city.
    let mut users: Vec<(Option<Role>, Option<&str>)> = vec![(None, None)];
    for (u, _, role, scope) in shequ::demo::DEMO_USERS {
        // `district` (民政局) is a second district department: the role's full rights,
        // money included, are the finance bureau's (`finance`), see tests/scope.rs.
        if *scope == "340705403" || *u == "district" {
            continue;
        }
        users.push((Some(*role), Some(*u)));
    }
    assert_eq!(users.len(), Role::ALL.len() + 1, "every role has a demo user");

    let mut checked = 0;
    for (role, username) in &users {
        let session = match username {
            Some(u) => Some(login(&s, u).await),
            None => None,
        };
        for spec in ROUTES {
            let is_logout = spec.path == "/logout" || (spec.path == "/api/v1/session" && spec.method == "DELETE");
            // Logging out ends the session, so those routes get a session of their own.
            let (client, csrf) = match (&session, is_logout, username) {
                (Some(_), true, Some(u)) => {
                    let (c, t) = login(&s, u).await;
                    (c, Some(t))
                }
                (Some((c, t)), _, _) => (c.clone(), Some(t.clone())),
                (None, _, _) => (client(), None),
            };
            let method = Method::from_bytes(spec.method.as_bytes()).unwrap();
            let mut req = client.request(method, format!("{}{}", s.base, concrete(spec.path, resident, run)));
            if let Some(t) = &csrf {
                req = req.header("x-csrf-token", t);
            }
            if spec.method != "GET" && spec.kind == Kind::Api {
                req = req.header("content-type", "application/json").body("{}");
            }
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            // Open311 posts are public routes whose handler checks the client's
            // api_key (none is sent here) and answers 403 in the spec's own format.
            let open311_key = spec.path.starts_with("/open311/") && spec.method == "POST";
            let status = if open311_key && status == 403 {
                let body = resp.text().await.unwrap();
                assert!(body.contains("api_key") && body.contains("403"), "{} {body}", spec.path);
                200
            } else {
                status
            };
            let allowed = match (spec.access, role) {
                (Access::Public, _) => true,
                (_, None) => false,
                (Access::Authenticated, Some(_)) => true,
                (Access::Roles(rs), Some(r)) => rs.contains(r),
            };
            let what = format!("{} {} as {:?} → {status}", spec.method, spec.path, role);
            if allowed {
                assert!(status != 401 && status != 403, "should be allowed: {what}");
            } else if role.is_none() {
                let redirect_to_login = spec.kind == Kind::Page && spec.method == "GET" && status == 303;
                assert!(status == 401 || redirect_to_login, "should ask to log in: {what}");
            } else {
                assert_eq!(status, 403, "should be forbidden: {what}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ROUTES.len() * users.len());
}

#[tokio::test]
async fn a_foreign_scope_sees_nothing_of_ours() {
    let (backend, url) = backends().await.remove(0);
    let s = start(backend, &url).await;
    let ours = store::residents::list(
        &s.db,
        &store::residents::Filter { community: Some("340705402".into()), ..Default::default() },
    )
    .await
    .unwrap()
    .rows[0]
        .id;
    let run: i64 = sqlx::query_scalar("SELECT MIN(id) FROM import_runs WHERE community_code = '340705402'")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    for user in ["frontdesk_yh", "admin_yh"] {
        let (c, csrf) = login(&s, user).await;
        for path in [
            format!("/api/v1/residents/{ours}"),
            format!("/residents/{ours}"),
            format!("/api/v1/residents/import/{run}"),
        ] {
            let st = c.get(format!("{}{path}", s.base)).send().await.unwrap().status().as_u16();
            assert!(st == 404 || st == 403, "{user} GET {path} → {st}");
        }
        let st = c.get(format!("{}/api/v1/residents?community=340705402", s.base)).send().await.unwrap().status();
        assert_eq!(st, 403, "{user}");
        // Lists are always cut to the user's own community.
        let v: serde_json::Value =
            c.get(format!("{}/api/v1/residents", s.base)).send().await.unwrap().json().await.unwrap();
        assert!(v["residents"].as_array().unwrap().iter().all(|r| r["community_code"] == "340705403"), "{user}");
        let st = c
            .put(format!("{}/api/v1/communities/340705402/committee", s.base))
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({"elected": "2024-01-01", "members": []}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if user == "admin_yh" {
            assert_eq!(st, 403, "{user} may not set another community's committee");
        }
        let st = c
            .post(format!("{}/api/v1/residents/{ours}/reveal", s.base))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap()
            .status();
        assert!(st == 404 || st == 403, "{user} reveal → {st}");
    }
    // No audit entry recorded an unmasked read of our resident.
    let n: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'resident.reveal_id'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn routes_are_unique_and_the_router_mounts_them_all() {
    let mut seen = std::collections::HashSet::new();
    for r in ROUTES {
        assert!(seen.insert((r.method, r.path)), "duplicate route {} {}", r.method, r.path);
    }
}
