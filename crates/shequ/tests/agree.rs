//! Things that disagree (issue 14), on both databases: each place that states
//! a fact states the same fact as the others — the resident's notice and the
//! case page give the same last day; a case's history holds its dispatches and
//! each escalation it shows; a provider reads case numbers; the list page says
//! which version is in force; no quarter that has not begun is disclosed.

mod common;
use common::*;
use serde_json::{Value, json};

async fn text(c: &reqwest::Client, s: &Server, path: &str) -> String {
    let r = c.get(format!("{}{path}", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

/// The case page's timeline (`<ol id="case-history">`).
fn history(html: &str) -> &str {
    let a = html.find("id=\"case-history\"").expect("a history");
    let b = html[a..].find("</ol>").map(|b| a + b).unwrap_or(html.len());
    &html[a..b]
}

#[tokio::test]
async fn the_notice_and_the_case_page_give_the_same_last_day() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (desk, _) = login(&s, "frontdesk").await;
        let notes: Vec<(i64, String)> = sqlx::query_as(
            "SELECT o.case_id, o.body_zh FROM outbox o JOIN cases c ON c.id = o.case_id \
             WHERE o.body_zh LIKE '%办理期限至%' AND c.community_code = '340705402' AND c.deadline_at IS NOT NULL \
             AND c.status IN ('accepted', 'routed', 'in_progress') ORDER BY o.case_id LIMIT 5",
        )
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
        assert!(!notes.is_empty(), "{backend}: the demo tells residents their deadlines");
        for (id, body) in notes {
            let day = body.split("办理期限至").nth(1).unwrap().trim_end_matches('。');
            let page = text(&desk, &s, &format!("/cases/{id}")).await;
            assert!(page.contains(&format!("期限 {day}")), "{backend}: case {id}: the notice says {day}");
        }
    }
}

#[tokio::test]
async fn a_case_history_holds_its_dispatches_and_each_escalation_it_shows() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (desk, _) = login(&s, "frontdesk").await;
        let (done, declined): (i64, i64) = sqlx::query_as(
            "SELECT MIN(CASE WHEN status = 'completed' THEN case_id END), MIN(CASE WHEN status = 'declined' THEN case_id END) \
             FROM dispatches",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        let provider: String =
            sqlx::query_scalar("SELECT name FROM providers WHERE id = (SELECT MIN(provider_id) FROM dispatches)")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        let page = text(&desk, &s, &format!("/cases/{done}")).await;
        let h = history(&page);
        for step in ["受理", "派单", "服务商接单", "到场", "办结", provider.as_str()] {
            assert!(h.contains(step), "{backend}: case {done}'s history has {step}: {h}");
        }
        // In time order: the offer before the acceptance before the arrival.
        let at = |w: &str| h.find(w).unwrap();
        assert!(at("派单") < at("服务商接单") && at("服务商接单") < at("到场"), "{backend}: {h}");
        let page = text(&desk, &s, &format!("/cases/{declined}")).await;
        assert!(history(&page).contains("服务商拒单"), "{backend}: a refusal is in the history");

        // A case a month overdue shows its escalation level, and its history
        // holds a dated step for each level, no more.
        let month_ago = time::OffsetDateTime::now_utc() - time::Duration::days(30);
        let n = store::cases::NewCase { item: "PS-001".into(), caller_name: "居民乙".into(), ..Default::default() };
        let c =
            store::cases::create_at(&s.db, "test", cases::Role::FrontDesk, "340705402", n, month_ago).await.unwrap();
        let page = text(&desk, &s, &format!("/cases/{}", c.id)).await;
        let i = page.find("已督办升级 ").unwrap_or_else(|| panic!("{backend}: a month overdue is escalated"));
        let level: usize = page[i + "已督办升级 ".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap();
        let h = history(&page);
        for k in 1..=level {
            assert!(h.contains(&format!("督办升级（第{k}级）")), "{backend}: level {k}: {h}");
        }
        assert!(!h.contains(&format!("督办升级（第{}级）", level + 1)), "{backend}: {h}");
    }
}

#[tokio::test]
async fn a_provider_reads_case_numbers() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (prov, _) = login(&s, "provider").await;
        let pairs: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, case_id FROM dispatches ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
        assert!(pairs.iter().any(|(d, c)| d != c), "{backend}: dispatch and case numbers differ in the demo");
        let page = text(&prov, &s, "/provider").await;
        for (d, c) in pairs {
            assert!(page.contains(&format!("案件第{c}号")), "{backend}: case {c} (dispatch {d})");
            assert!(!page.contains(&format!("派单 {d} ")), "{backend}: no dispatch number");
        }
    }
}

#[tokio::test]
async fn the_list_page_says_which_version_is_in_force() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (civil, csrf) = login(&s, "civil").await;
        let post = |path: String, body: Value| {
            civil.post(format!("{}{path}", s.base)).header("x-csrf-token", &csrf).json(&body).send()
        };
        let d: Value = post("/api/v1/lists/assistance/drafts".into(), json!({})).await.unwrap().json().await.unwrap();
        let v = d["row"]["version"].as_i64().unwrap();
        let base = format!("/api/v1/lists/assistance/drafts/{v}");
        assert_eq!(post(format!("{base}/review"), json!({})).await.unwrap().status(), 200, "{backend}");
        let next_year = store::clock::today().year() + 1;
        let effective = format!("{next_year}-01-01");
        let r = post(format!("{base}/publish"), json!({ "effective": effective })).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");

        let page = text(&client(), &s, "/lists/assistance").await;
        let (newer, older) = (page.find(&format!("版本 {v}")).unwrap(), page.find("版本 1 ").unwrap());
        assert!(newer < older, "{backend}: newest first");
        let between = &page[newer..older];
        assert!(between.contains(&format!("尚未施行，自{effective}起施行")), "{backend}: {between}");
        assert!(page[older..].contains("现行有效"), "{backend}: version 1 is still in force");
        assert_eq!(page.matches("现行有效").count(), 1, "{backend}");
    }
}

#[tokio::test]
async fn no_quarter_that_has_not_begun_is_disclosed() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (y, q) = store::finance::current_quarter();
        let (ny, nq) = if q == 4 { (y + 1, 1) } else { (y, q + 1) };
        let page = text(&client(), &s, "/communities/340705402/finance").await;
        assert!(!page.contains(&format!("year={ny}&amp;quarter={nq}")), "{backend}: no link to the next quarter");
        assert!(
            page.contains(&format!("year={}", if q == 1 { y - 1 } else { y })),
            "{backend}: the last one is linked"
        );
        for path in [
            format!("/communities/340705402/finance?year={ny}&quarter={nq}"),
            format!("/api/v1/communities/340705402/finance?year={ny}&quarter={nq}"),
        ] {
            let r = client().get(format!("{}{path}", s.base)).send().await.unwrap();
            assert_eq!(r.status(), 422, "{backend}: {path}");
            assert!(r.text().await.unwrap().contains("该季度尚未开始"), "{backend}: {path}");
        }
    }
}

/// The counter asks for the applicant's ID number where the item's materials include an
/// identity card (rule I1, GB 11643), keeps it masked and links the registered resident it
/// names; a location must be a place of the community (rule I2). Every error comes at once,
/// beside its field, on the page too.
#[tokio::test]
async fn the_counter_checks_the_id_number_and_the_place() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, csrf) = login(&s, "frontdesk").await;
        let id = id_number(777);
        let r = admin
            .post(format!("{}/api/v1/residents", s.base))
            .header("x-csrf-token", &a_csrf)
            .json(&json!({ "name": "柯示例", "id_number": id, "phone": "13800000777", "building": "3栋", "address": "3栋202" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}: {}", r.text().await.unwrap());
        let take = |body: Value| {
            let (desk, csrf, base) = (desk.clone(), csrf.clone(), s.base.clone());
            async move {
                let r =
                    desk.post(format!("{base}/api/v1/cases")).header("x-csrf-token", &csrf).json(&body).send().await;
                let r = r.unwrap();
                (r.status().as_u16(), r.json::<Value>().await.unwrap())
            }
        };
        // No number for 低保, and the far side of the moon: both said at once.
        let (st, v) = take(json!({"item": "SA-001", "caller_name": "柯某", "address": "月球背面"})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"id_number") && fields.contains(&"address"), "{backend}: {v}");
        let said = v.to_string();
        assert!(said.contains("规则I1") && said.contains("规则I2"), "{backend}: {v}");
        // A number whose check character is wrong.
        let mut wrong = id.clone();
        wrong.replace_range(17.., if id.ends_with('1') { "2" } else { "1" });
        let (st, v) = take(json!({"item": "SA-001", "caller_name": "柯某", "id_number": wrong})).await;
        assert_eq!((st, v["field"].as_str()), (422, Some("id_number")), "{backend}: {v}");
        // An item without an identity card needs no number; an address of the community passes.
        let (st, v) = take(json!({"item": "PS-001", "caller_name": "柯某", "address": "天井湖路3号"})).await;
        assert_eq!(st, 200, "{backend}: {v}");
        // The right number: the case links the registered resident and keeps only the masked number.
        let (st, v) =
            take(json!({"item": "SA-001", "caller_name": "柯某", "id_number": id.to_lowercase(), "building": "3栋"}))
                .await;
        assert_eq!(st, 200, "{backend}: {v}");
        assert!(v["resident_id"].as_i64().is_some(), "{backend}: the registered resident is linked: {v}");
        assert!(!v.to_string().contains(&id), "{backend}: the full number is not kept: {v}");
        let answers: Value = serde_json::from_str(v["answers"].as_str().unwrap()).unwrap();
        assert_eq!(answers["id_number"].as_str(), Some(rules::gb11643::mask(&id).as_str()), "{backend}");
        let page = text(&desk, &s, &format!("/cases/{}", v["id"])).await;
        assert!(page.contains("申请人身份证号（部分隐去）") && !page.contains(&id), "{backend}");
        // The page's form: the errors come back beside the form, not on an error-only page.
        let r = desk
            .post(format!("{}/cases", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={csrf}&full=1&item=SA-001&caller_name={}&address={}",
                web::pages::urlencode("柯某"),
                web::pages::urlencode("月球背面")
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let html = r.text().await.unwrap();
        assert!(html.contains("申请人身份证号 *") && html.contains("规则I1") && html.contains("规则I2"), "{backend}");
    }
}

/// A urlencoded form post, as a browser without JavaScript sends it.
async fn form(c: &reqwest::Client, s: &Server, csrf: &str, path: &str, pairs: &[(&str, &str)]) -> (u16, String) {
    let mut body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", web::pages::urlencode(v))).collect();
    body.push(format!("csrf={csrf}"));
    let r = c
        .post(format!("{}{path}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.join("&"))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Closing, reversal, transfers between funds, reopening and the second-approval threshold
/// each have their form for their role (not only the API); what cannot be undone asks for a
/// confirmation; each answers with what it did.
#[tokio::test]
async fn the_books_have_a_form_for_each_role() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (finance, f_csrf) = login(&s, "finance").await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (civil, c_csrf) = login(&s, "civil").await;
        let page = text(&finance, &s, "/finance").await;
        for f in ["closing-form", "reversal-form", "settings-form"] {
            assert!(page.contains(&format!("id=\"{f}\"")), "{backend}: finance has {f}");
        }
        assert!(!page.contains("id=\"reopen-form\""), "{backend}");
        assert!(text(&admin, &s, "/finance").await.contains("id=\"transfer-form\""), "{backend}");
        assert!(text(&civil, &s, "/finance").await.contains("id=\"reopen-form\""), "{backend}");

        // The threshold.
        let (st, html) = form(&finance, &s, &f_csrf, "/finance/settings", &[("second_approval", "8000")]).await;
        assert_eq!(st, 200, "{backend}: {html}");
        assert!(html.contains("已保存：超过 8000.00 元的报账须区财政审批"), "{backend}");
        assert_eq!(store::finance::second_approval_fen(&s.db, "340705").await.unwrap(), 800_000);

        // Closing last December: refused unconfirmed, done confirmed.
        let period = format!("{}-12", store::finance::current_quarter().0 - 1);
        let close = [("community", "340705402"), ("period", period.as_str())];
        let (st, html) = form(&finance, &s, &f_csrf, "/finance/closings", &close).await;
        assert_eq!(st, 422, "{backend}");
        assert!(html.contains("此操作不可撤销，请勾选确认后再提交"), "{backend}");
        let mut confirmed = close.to_vec();
        confirmed.push(("confirm", "1"));
        let (st, html) = form(&finance, &s, &f_csrf, "/finance/closings", &confirmed).await;
        assert_eq!(st, 200, "{backend}");
        assert!(html.contains("已结账，账簿结至"), "{backend}");
        // The city reopens it, with a reason.
        let reopen =
            [("district", "340705"), ("community", "340705402"), ("period", period.as_str()), ("reason", "补记漏账")];
        let (st, html) = form(&civil, &s, &c_csrf, "/finance/reopenings", &reopen).await;
        assert_eq!(st, 200, "{backend}");
        assert!(html.contains("已重新开账"), "{backend}");

        // A transfer between the community's funds, by its head.
        let (st, html) = form(
            &admin,
            &s,
            &a_csrf,
            "/finance/transfers",
            &[("from", "operating"), ("to", "service_purchase"), ("amount", "1.00"), ("memo", "调剂（测试）")],
        )
        .await;
        assert_eq!(st, 200, "{backend}: {html}");
        assert!(html.contains("已调剂，记账凭证 #"), "{backend}");
        let tx: i64 = html
            .split("已调剂，记账凭证 #")
            .nth(1)
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap();
        // District finance reverses it: confirmed only.
        let tx_s = tx.to_string();
        let rev = [("transaction", tx_s.as_str()), ("memo", "调剂有误")];
        let (st, _) = form(&finance, &s, &f_csrf, "/finance/reversals", &rev).await;
        assert_eq!(st, 422, "{backend}");
        let mut confirmed = rev.to_vec();
        confirmed.push(("confirm", "1"));
        let (st, html) = form(&finance, &s, &f_csrf, "/finance/reversals", &confirmed).await;
        assert_eq!(st, 200, "{backend}: {html}");
        assert!(html.contains(&format!("#{tx} 已冲销，冲销凭证 #")), "{backend}");

        // The head's own claim says who approves it; approving asks for a confirmation.
        let page = text(&admin, &s, "/finance").await;
        if page.contains("own-claim") {
            assert!(page.contains("本人提交的报账"), "{backend}");
        }
        let claim: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(id) FROM fin_claims WHERE status = 'pending' AND community_code = '340705402' \
             AND filed_by <> (SELECT id FROM users WHERE username = 'admin')",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        if let Some(id) = claim {
            assert!(page.contains(&format!("id=\"approve-{id}\"")), "{backend}");
            let (st, _) = form(&admin, &s, &a_csrf, &format!("/finance/claims/{id}/approve"), &[]).await;
            assert_eq!(st, 422, "{backend}: not approved unconfirmed");
        }
    }
}
