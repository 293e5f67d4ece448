//! Open311 requests located by an address alone (GeoReport v2's
//! `address_string`), on both databases: placed by the residents registry, or
//! queued for the hotline to route by hand, followed by the client's token.

mod common;
use common::*;
#[allow(dead_code)] // the Open311 tests share these helpers; this file needs a few
#[path = "open311/support.rs"]
mod support;
use serde_json::{Value, json};
use support::*;

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn an_address_alone_is_placed_by_the_registry_or_routed_by_hand_at_the_hotline() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        // A street and number residents of one community live at: placed there.
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT community_code, address FROM residents ORDER BY id")
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
        let (home, address) = rows
            .iter()
            .find(|(c, a)| {
                let part = &a[..a.find('号').unwrap() + '号'.len_utf8()];
                rows.iter().all(|(c2, a2)| c2 == c || !a2.contains(part))
            })
            .cloned()
            .expect("an address only one community has");
        let text = format!("铜陵市{address}");
        assert_eq!(store::triage::place(&s.db, &text).await.unwrap().as_deref(), Some(home.as_str()), "{backend}");
        let (st, resp) =
            post(&s, "json", &keyed(&s, &format!("service_code=PS-001&address_string={}", enc(&text)))).await;
        assert_eq!(st, 200, "{backend} {resp}");
        let placed = json_of(&resp)[0].clone();
        assert!(placed["service_notice"].as_str().unwrap().contains("已按地址定位"), "{placed}");
        let id = placed["service_request_id"].as_str().unwrap();
        let community: String = sqlx::query_scalar("SELECT community_code FROM cases WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(community, home, "{backend}");
        // A community's name in the text places it too.
        assert_eq!(store::triage::place(&s.db, "天井湖社区 某处").await.unwrap().as_deref(), Some("340705402"));

        // An address the registry cannot place: the hotline's triage queue, followed by token.
        let cases_before = counts(&s).await;
        let body = keyed(&s, &format!("service_code=PS-001&address_string={}&phone=13900000000", enc("月球背面")));
        let (st, resp) = post(&s, "json", &body).await;
        assert_eq!(st, 200, "{backend} {resp}");
        let queued = json_of(&resp)[0].clone();
        assert!(queued["service_request_id"].is_null(), "{queued}");
        assert!(queued["service_notice"].as_str().unwrap().contains("人工分派"), "{queued}");
        let token = queued["token"].as_str().unwrap().to_string();
        assert_eq!(counts(&s).await.0, cases_before.0, "{backend}: no case yet");
        let (st, _, got) = fetch(format!("{}/open311/v2/tokens/{token}.json", s.base)).await;
        assert_eq!(st, 200);
        assert!(json_of(&got)[0]["service_request_id"].is_null(), "{got}");
        let (st, _, _) = fetch(format!("{}/open311/v2/tokens/q1-0000000000000000.json", s.base)).await;
        assert_eq!(st, 404, "{backend}: a made-up token");

        // The operator sees it waiting, no caller shown; routes into their own community only.
        let (desk, csrf) = login(&s, "frontdesk").await;
        let queued_counts = counts(&s).await;
        let waiting: Value =
            desk.get(format!("{}/api/v1/hotline/triage", s.base)).send().await.unwrap().json().await.unwrap();
        let q = &waiting["waiting"][0];
        assert_eq!(q["address"], "月球背面", "{waiting}");
        assert!(!waiting.to_string().contains("13900000000"), "{backend}: no caller in the queue");
        let page = desk.get(format!("{}/hotline/triage", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("月球背面") && page.contains("待分派"), "{backend}");
        let route = |community: &str| {
            desk.post(format!("{}/api/v1/hotline/triage/{}/route", s.base, q["id"]))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "community": community }))
                .send()
        };
        let r = route("").await.unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "community");
        assert_eq!(route("340705403").await.unwrap().status(), 403, "{backend}: another community");
        assert_eq!(counts(&s).await, queued_counts, "{backend}: refusals write nothing");
        let r = route("340705402").await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let case: Value = r.json().await.unwrap();
        assert_eq!(case["community_code"], "340705402");
        assert_eq!(case["channel"], "open311");
        let r = route("340705402").await.unwrap();
        assert_eq!(r.status(), 422, "{backend}: routed once");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "triage");
        let (_, _, got) = fetch(format!("{}/open311/v2/tokens/{token}.json", s.base)).await;
        assert_eq!(json_of(&got)[0]["service_request_id"], case["id"].to_string().as_str(), "{got}");
        let waiting: Value =
            desk.get(format!("{}/api/v1/hotline/triage", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(waiting["waiting"].as_array().unwrap().len(), 0);
        let verdict = store::audit::verify(&s.db).await.unwrap();
        assert!(matches!(verdict, store::audit::Verdict::Intact { .. }), "{backend}: {verdict:?}");

        // Only the end of the street's name: not placed ("京路229号" is not "北京路229号").
        let part = &address[..address.find('号').unwrap() + '号'.len_utf8()];
        let shorter: String = part.chars().skip(1).collect();
        assert_eq!(store::triage::place(&s.db, &shorter).await.unwrap(), None, "{backend}: {shorter}");
        // The same street and number in a second community: left to an operator.
        sqlx::query(
            "UPDATE residents SET address = $1 WHERE id = (SELECT MIN(id) FROM residents WHERE community_code <> $2)",
        )
        .bind(part)
        .bind(&home)
        .execute(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(store::triage::place(&s.db, &text).await.unwrap(), None, "{backend}: two communities");
    }
}
