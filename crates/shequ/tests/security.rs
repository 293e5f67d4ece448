//! The web surface as an attacker sees it (issue 12): audited access, redirects,
//! headers, CSRF on log-in, exports that spreadsheets cannot execute. On SQLite
//! and PostgreSQL.

mod common;
use common::*;
use serde_json::json;

/// The newest audit entry with this action: (actor, entity, entity_id, community, district).
async fn last_entry(s: &Server, action: &str) -> Option<(String, String, String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT actor, entity, entity_id, community_code, district_code FROM audit_log WHERE action = $1 \
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(action)
    .fetch_optional(&s.db.pool)
    .await
    .unwrap()
}

async fn user_id(s: &Server, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(username).fetch_one(&s.db.pool).await.unwrap()
}

#[tokio::test]
async fn log_ins_log_outs_failures_and_exports_are_audited() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let district = user_id(&s, "district").await;
        let me = format!("district#{district}");

        // A log-in (API), with its home district.
        let (c, csrf) = login(&s, "district").await;
        let (actor, entity, id, _, d) = last_entry(&s, "session.login").await.expect("log-in audited");
        assert_eq!((actor.as_str(), entity.as_str(), id), (me.as_str(), "user", district.to_string()), "{backend}");
        assert_eq!(d.as_deref(), Some("340705"), "{backend}");

        // An export: who, which scope, how many rows.
        let r = c.get(format!("{}/residents/export?format=csv", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let lines = r.text().await.unwrap().lines().count() - 1;
        let (actor, entity, rows, c_code, d_code) = last_entry(&s, "residents.export").await.expect("export audited");
        assert_eq!((actor.as_str(), entity.as_str()), (me.as_str(), "residents.csv"), "{backend}");
        assert_eq!(rows, lines.to_string(), "{backend}");
        assert_eq!((c_code, d_code.as_deref()), (None, Some("340705")), "{backend}");
        let r = c.get(format!("{}/residents/export?format=xlsx&community=340705403", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let (_, entity, _, c_code, _) = last_entry(&s, "residents.export").await.unwrap();
        assert_eq!((entity.as_str(), c_code.as_deref()), ("residents.xlsx", Some("340705403")), "{backend}");

        // A log-out.
        let r = c.delete(format!("{}/api/v1/session", s.base)).header("x-csrf-token", &csrf).send().await.unwrap();
        assert_eq!(r.status(), 204, "{backend}");
        let (actor, ..) = last_entry(&s, "session.logout").await.expect("log-out audited");
        assert_eq!(actor, me, "{backend}");

        // A wrong password names the user; an unknown name records nothing of what was typed.
        for (username, actor) in [("district", me.as_str()), ("no-such-user-secret", "anonymous")] {
            let r = client()
                .post(format!("{}/api/v1/session", s.base))
                .json(&json!({ "username": username, "password": "wrong" }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{backend}");
            let (a, _, id, ..) = last_entry(&s, "session.login_failed").await.expect("failure audited");
            assert_eq!(a, actor, "{backend}");
            assert!(!id.contains("secret"), "{backend}");
        }
        let typed: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE actor LIKE '%secret%' OR entity_id LIKE '%secret%'")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(typed, 0, "{backend}");

        // The page's log-in form is audited like the API's.
        let page = client();
        let r = page
            .post(format!("{}/login", s.base))
            .form(&[("username", "civil"), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let (actor, ..) = last_entry(&s, "session.login").await.unwrap();
        assert!(actor.starts_with("civil#"), "{backend}");

        assert!(matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }));
    }
}

#[tokio::test]
async fn redirects_go_only_to_paths_on_this_site() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let location = |r: &reqwest::Response| {
            r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
        };
        let attacks = ["/%5Cevil.com", "//evil.com", "/%09/evil.com", "/%09evil", "https://x", "/%0d%0aSet-Cookie:%20x=1"];
        for back in attacks {
            let r = client().get(format!("{}/lang?to=en&back={back}", s.base)).send().await.unwrap();
            assert!(r.status().is_redirection(), "{backend}: {back}");
            assert_eq!(location(&r), "/", "{backend}: /lang?back={back}");
            let r = client()
                .post(format!("{}/login", s.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("username=civil&password={PASSWORD}&next={back}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303, "{backend}: {back}");
            assert_eq!(location(&r), "/", "{backend}: log-in next={back}");
            // The form carries it on only if it is local.
            let html = client().get(format!("{}/login?next={back}", s.base)).send().await.unwrap().text().await.unwrap();
            assert!(html.contains("name=\"next\" value=\"/\""), "{backend}: {back}");
        }
        // Paths on this site still work.
        let r = client().get(format!("{}/lang?to=en&back=/pb%3Fx%3D1", s.base)).send().await.unwrap();
        assert_eq!(location(&r), "/pb?x=1", "{backend}");
        let r = client()
            .post(format!("{}/login", s.base))
            .form(&[("username", "civil"), ("password", PASSWORD), ("next", "/residents?q=x")])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/residents?q=x", "{backend}");
    }
}
