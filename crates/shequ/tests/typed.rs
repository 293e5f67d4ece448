//! Typed values at the store/web boundary: a malformed form value or JSON
//! body answers 422 naming its field and writes nothing (never an empty
//! default input that fails later as something else); statuses and channels
//! come back as the same words as before.

mod common;
use common::*;
use serde_json::{Value, json};

async fn counts(s: &Server) -> (i64, i64, i64) {
    let n = |t: &str| {
        let q = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}");
        let pool = s.db.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(q)).fetch_one(&pool).await.unwrap() }
    };
    (n("cases").await, n("case_history").await, n("audit_log").await)
}

#[tokio::test]
async fn a_malformed_value_answers_422_naming_its_field_and_writes_nothing() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        let (desk, csrf) = login(&s, "frontdesk").await;
        let before = counts(&s).await;

        // JSON bodies: a value of the wrong type is named by its path.
        for (body, field) in [
            (json!({"item": "PS-001", "caller_name": "x", "lat": "north"}), "lat"),
            (json!({"item": "PS-001", "caller_name": "x", "resident_id": "seven"}), "resident_id"),
            (json!({"item": ["PS-001"], "caller_name": "x"}), "item"),
            (json!("not an object"), "body"),
        ] {
            let r = desk
                .post(format!("{base}/api/v1/cases"))
                .header("x-csrf-token", &csrf)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{backend} {field}");
            assert_eq!(r.headers()["content-type"], "application/problem+json");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["field"], field, "{backend}: {v}");
        }
        // Text that is no JSON at all.
        let r = desk
            .post(format!("{base}/api/v1/cases"))
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json")
            .body("{\"item\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "body", "{backend}");

        // A form: a latitude that is no number is the latitude's fault, not an
        // "unknown item" of an emptied case.
        let r = desk
            .post(format!("{base}/cases"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("item=PS-001&caller_name=x&lat=north&lon=117.8&csrf={csrf}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let html = r.text().await.unwrap();
        assert!(html.contains("lat的取值格式不正确"), "{backend}: the page names the field");
        assert!(!html.contains("未知的服务事项"), "{backend}: not reported as an unknown item");

        // A case event form with a field of the wrong shape.
        let c: Value = desk
            .post(format!("{base}/api/v1/cases"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"item": "PS-002", "caller_name": "x"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = c["id"].as_i64().unwrap();
        // The one case above is all that was written.
        let after_one = counts(&s).await;
        assert_eq!(after_one.0, before.0 + 1, "{backend}: only the valid case is written");
        let r = desk
            .post(format!("{base}/api/v1/cases/{id}/events"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"event": 42}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "event", "{backend}");
        assert_eq!(counts(&s).await, after_one, "{backend}: nothing written by the refused requests");

        // Typed statuses and channels read back as the same words.
        assert_eq!(c["status"], "routed", "{backend}");
        assert_eq!(c["channel"], "counter", "{backend}");
        let v: Value = desk.get(format!("{base}/api/v1/cases/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["case"]["status"], "routed", "{backend}");
        assert_eq!(v["case"]["channel"], "counter", "{backend}");
    }
}

#[tokio::test]
async fn a_catalogue_item_with_malformed_questions_is_refused_and_the_catalogue_stays_readable() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let n_before = store::cases::items(&s.db).await.unwrap().len();
        let bad_items = [
            (json!([{"label": "no key"}]), "questions"),
            (json!([{"key": "k", "kind": "colour"}]), "questions"),
            (json!({"key": "k"}), "questions"),
        ];
        for (questions, field) in bad_items {
            let r = store::cases::add_item(
                &s.db,
                "test",
                store::cases::NewItem {
                    code: "TY-001".into(),
                    name: "测试".into(),
                    category: "测试".into(),
                    unit_kind: "community".into(),
                    unit_name: "社区".into(),
                    limit_days: 2,
                    questions,
                    ..Default::default()
                },
            )
            .await;
            match r {
                Err(store::StoreError::Invalid { field: f, .. }) => assert_eq!(f, field, "{backend}"),
                other => panic!("{backend}: {other:?}"),
            }
        }
        let r = store::cases::add_item(
            &s.db,
            "test",
            store::cases::NewItem {
                code: "TY-002".into(),
                name: "测试".into(),
                category: "测试".into(),
                unit_kind: "community".into(),
                unit_name: "社区".into(),
                limit_days: 2,
                channels: vec!["fax".into()],
                ..Default::default()
            },
        )
        .await;
        assert!(
            matches!(r, Err(store::StoreError::Invalid { ref field, .. }) if field == "channels"),
            "{backend}: {r:?}"
        );
        let items = store::cases::items(&s.db).await.unwrap();
        assert_eq!(items.len(), n_before, "{backend}: nothing added");
        // The catalogue's questions are typed once read.
        assert!(items.iter().any(|i| !i.questions.is_empty()), "{backend}");
        assert!(items.iter().all(|i| i.takes(store::cases::Channel::Counter)), "{backend}");
    }
}
