//! Issue 14: a success message after each action, on both databases. Every page form that
//! succeeds redirects with `?done=<code>` and the page it lands on says that code's message, in
//! Chinese or English; an unknown code says nothing (issue 12 point 7). One walk over the
//! actions of four roles: hotline, dispatch, the provider's answers, stewards, deliberation.

mod common;
use common::*;
use serde_json::Value;

fn enc(s: &str) -> String {
    web::pages::urlencode(s)
}

/// Post a page form; it must answer 303 to a page carrying `done=<code>`, and that page must say
/// `says` in the flash at its top. Returns where it went.
async fn acted(s: &Server, c: &reqwest::Client, path: &str, body: String, code: &str, says: &str) -> String {
    let r = c
        .post(format!("{}{path}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let to = r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(status, 303, "{}: {path}: {}", s.backend, r.text().await.unwrap_or_default());
    assert!(to.contains(&format!("done={code}")), "{}: {path} went to {to}", s.backend);
    let html = c.get(format!("{}{to}", s.base)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"id="done""#) && html.contains(says), "{}: {to} does not say {says}", s.backend);
    to
}

#[tokio::test]
async fn each_action_says_what_it_did_in_the_readers_language() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let (prov, p_csrf) = login(&s, "provider").await;
        let (resident, r_csrf) = login(&s, "resident").await;
        let (admin, a_csrf) = login(&s, "admin").await;

        // The hotline takes a call for a resident of 天井湖 and dispatches it.
        let rows = store::residents::list(
            &s.db,
            &store::residents::Filter { community: Some("340705402".into()), ..Default::default() },
        )
        .await
        .unwrap()
        .rows;
        let who = rows.iter().find(|r| !r.phone.is_empty()).expect("a resident with a phone").clone();
        let body = format!(
            "csrf={d_csrf}&item=HR-005&description={}&building={}&address=&caller_name={}&caller_phone={}&resident_id={}",
            enc("厨房保洁"),
            enc(&who.building),
            enc(&who.name),
            who.phone,
            who.id
        );
        acted(&s, &desk, "/hotline/cases", body, "hotline", "热线诉求已登记并分派").await;
        let v: Value = desk
            .get(format!("{}/api/v1/hotline/caller?phone={}", s.base, who.phone))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let case_id = v["cases"][0]["id"].as_i64().unwrap();
        let housekeeping = store::providers::list(&s.db, None)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.name == "铜陵市安居家政服务有限公司")
            .unwrap()
            .id;
        let body = format!("csrf={d_csrf}&provider_id={housekeeping}&note=");
        acted(&s, &desk, &format!("/cases/{case_id}/dispatch"), body, "dispatched", "已派单给服务商").await;

        // The provider's worker accepts and arrives; each answer says so on the dispatch list.
        let mine: Value = prov.get(format!("{}/api/v1/dispatches", s.base)).send().await.unwrap().json().await.unwrap();
        let did = mine["dispatches"].as_array().unwrap().iter().find(|d| d["case_id"] == case_id).unwrap()["id"]
            .as_i64()
            .unwrap();
        let path = |step: &str| format!("/provider/dispatches/{did}/{step}");
        let to = acted(&s, &prov, &path("accept"), format!("csrf={p_csrf}"), "accepted", "已接单").await;
        assert!(to.ends_with(&format!("#dispatch-{did}")), "{backend}: the fragment stays last: {to}");
        acted(&s, &prov, &path("arrive"), format!("csrf={p_csrf}"), "arrived", "已登记到场").await;

        // A resident volunteers as a steward, the community admin approves, the steward raises an issue.
        let body = format!("csrf={r_csrf}&area={}", enc("2栋"));
        acted(&s, &resident, "/stewards", body, "volunteer", "报名已提交").await;
        let sid: i64 = sqlx::query_scalar("SELECT MAX(id) FROM stewards").fetch_one(&s.db.pool).await.unwrap();
        let body = format!("csrf={a_csrf}&decision=approve");
        acted(&s, &admin, &format!("/stewards/{sid}/decide"), body, "decide", "决定已保存").await;
        let body = format!("csrf={r_csrf}&title={}&steward_id={sid}", enc("2栋屋顶漏水"));
        acted(&s, &resident, "/stewards/issues", body, "issue", "问题已提交").await;

        // A resident raises a topic for deliberation.
        let body = format!("csrf={r_csrf}&title={}&important=on", enc("楼道照明"));
        let to = acted(&s, &resident, "/deliberation/topics", body, "topic", "议题已提交").await;

        // The same message in English for an English reader.
        resident.get(format!("{}/lang?to=en&back=/", s.base)).send().await.unwrap();
        let html = resident.get(format!("{}{to}", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("The topic is raised."), "{backend}: English");

        // Only codes make messages: text in the address is never echoed, and no code says nothing.
        let page = to.split('?').next().unwrap();
        let lie = enc("您的账号已冻结");
        for q in [format!("?done={lie}"), String::new()] {
            let html = resident.get(format!("{}{page}{q}", s.base)).send().await.unwrap().text().await.unwrap();
            assert!(!html.contains(r#"id="done""#) && !html.contains("您的账号已冻结"), "{backend}: {q}");
        }
    }
}
