//! Browser tests of the one-stop service center and the 2881890 hotline in
//! headless Chromium (the harness in common/chrome.rs), each walk run against
//! the demo server on SQLite and again on PostgreSQL: a walk-in at the
//! counter, a resident's online request worked by the back office and rated,
//! a hotline call dispatched to a provider who completes it, and the
//! statistics pages. Screenshots (of the last backend walked) go to
//! target/screenshots/.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use chrome::*;
use common::*;
use fantoccini::Locator;

const COMMUNITY_QUEUE: &str = "community:340705402";

async fn case_count(s: &Server) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&s.db.pool).await.unwrap()
}

/// The counter intake form on /cases, opened (it is folded away until used).
async fn open_counter_form(c: &fantoccini::Client, base: &str) {
    open(c, &format!("{base}/cases"), "form[action='/cases']").await;
    let open_now =
        c.execute("return document.querySelector('form[action=\"/cases\"]').closest('details').open", vec![]);
    if open_now.await.unwrap() != serde_json::json!(true) {
        c.find(Locator::Css("details > summary")).await.unwrap().click().await.unwrap();
    }
    wait_css(c, "#case-caller_name").await;
}

/// The event form of a case page whose hidden `event` is `name`.
fn event_form(name: &str) -> String {
    format!("form:has(input[name='event'][value='{name}'])")
}

#[tokio::test]
async fn a_walk_in_is_taken_at_the_counter_and_routed_and_a_nameless_one_is_refused() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();

        // The front desk takes a walk-in's report of a dark stairwell.
        log_in(&c, &base, "frontdesk").await;
        open_counter_form(&c, &base).await;
        shot(&c, "cases-counter-form").await;
        choose(&c, "case-item", "PS-001").await;
        fill(&c, "case-caller_name", "浏览器来访人").await;
        fill(&c, "case-caller_phone", "13912345678").await;
        fill(&c, "case-building", "7栋").await;
        fill(&c, "case-description", "7栋2单元楼道灯不亮").await;
        let flash = submit_then(&c, "form[action='/cases']", "div.flash.ok").await.text().await.unwrap();
        assert!(flash.contains("已受理并分派"), "{flash}");
        let case_path = path(&c).await;
        let id: i64 = case_path.strip_prefix("/cases/").and_then(|x| x.parse().ok()).expect(&case_path);
        let state = text(&c, "main p span.tag").await;
        assert_eq!(state, "已分派", "routed at once");
        let page = c.source().await.unwrap();
        assert!(page.contains("浏览器来访人") && page.contains("7栋2单元楼道灯不亮"), "the case shows what was asked");
        assert!(page.contains("社区工作人员"), "a community item goes to the community's back office");
        let lead = store::cases::case(&s.db, id).await.unwrap().lead_queue;
        assert_eq!(lead.as_deref(), Some(COMMUNITY_QUEUE));
        shot(&c, "case-counter-routed").await;

        // A form without the caller's name: the message beside the field, 422, nothing written.
        let before = case_count(&s).await;
        open_counter_form(&c, &base).await;
        choose(&c, "case-item", "PS-001").await;
        fill(&c, "case-building", "8栋").await;
        fill(&c, "case-description", "没有姓名的报修").await;
        let err = submit_then(&c, "form[action='/cases']", "#case-caller_name-error").await.text().await.unwrap();
        assert!(err.contains("请填写来访人或来电人姓名"), "{err}");
        assert_eq!(status(&c).await, 422);
        assert_eq!(
            c.find(Locator::Id("case-description")).await.unwrap().prop("value").await.unwrap().as_deref(),
            Some("没有姓名的报修"),
            "what was typed comes back"
        );
        assert_eq!(case_count(&s).await, before, "nothing is created");
        shot(&c, "cases-counter-name-missing").await;

        // The back office finds it in the community's queue.
        log_in(&c, &base, "backoffice").await;
        let queue = format!("{base}/cases?status=open&queue={}", COMMUNITY_QUEUE.replace(':', "%3A"));
        let list = open(&c, &queue, "#case-list").await.text().await.unwrap();
        assert!(list.contains("浏览器来访人") && list.contains("已分派"), "{list}");
        c.find(Locator::Css(&format!("#case-list a[href='/cases/{id}']"))).await.expect("the case is in the queue");
        shot(&c, "cases-backoffice-queue").await;
    }
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_resident_asks_online_the_back_office_resolves_and_the_resident_rates() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();

        // The demo resident asks online; the name comes from their registration.
        log_in(&c, &base, "resident").await;
        open(&c, &format!("{base}/me/cases"), "form[action='/me/cases']").await;
        shot(&c, "me-cases-form").await;
        choose(&c, "case-item", "PS-001").await;
        fill(&c, "case-building", "5栋").await;
        fill(&c, "case-description", "5栋3单元楼道灯坏了").await;
        submit_then(&c, "form[action='/me/cases']", "div.flash.ok").await;
        let my_path = path(&c).await;
        let id: i64 = my_path.strip_prefix("/me/cases/").and_then(|x| x.parse().ok()).expect(&my_path);
        assert_eq!(text(&c, "main p span.tag").await, "已分派");
        let history = text(&c, "#case-history").await;
        assert!(history.contains("受理") && history.contains("社区工作人员"), "{history}");
        let case = store::cases::case(&s.db, id).await.unwrap();
        assert_eq!(
            (store::typed::Word::word(case.channel), case.lead_queue.as_deref()),
            ("web", Some(COMMUNITY_QUEUE))
        );

        // The back office starts it, then resolves it with a summary.
        log_in(&c, &base, "backoffice").await;
        open(&c, &format!("{base}/cases/{id}"), "#case-history").await;
        let start_btn = c.find(Locator::Css(&format!("{} button", event_form("start")))).await.unwrap();
        assert_eq!(start_btn.text().await.unwrap(), "开始办理");
        click_then(&c, start_btn, "div.flash.ok").await;
        assert_eq!(text(&c, "main p span.tag").await, "办理中");
        let resolve = format!("{} input[name='reason']", event_form("resolve"));
        c.find(Locator::Css(&resolve)).await.unwrap().send_keys("已更换楼道灯泡两只").await.unwrap();
        submit_then(&c, &event_form("resolve"), "div.flash.ok").await;
        assert_eq!(text(&c, "main p span.tag").await, "已办结");
        assert!(text(&c, "#case-history").await.contains("已更换楼道灯泡两只"));
        shot(&c, "case-backoffice-resolved").await;

        // The resident sees it resolved and rates it.
        log_in(&c, &base, "resident").await;
        let list = open(&c, &format!("{base}/me/cases"), "#my-cases").await.text().await.unwrap();
        assert!(list.contains("待评价"), "{list}");
        let rate = format!("form[action='/me/cases/{id}/rate']");
        open(&c, &format!("{base}/me/cases/{id}"), &rate).await;
        assert_eq!(text(&c, "main p span.tag").await, "已办结");
        assert!(c.source().await.unwrap().contains("请评价本次服务"));
        shot(&c, "me-case-rate-form").await;
        for n in ["overall", "speed", "attitude"] {
            let sel = c.find(Locator::Css(&format!("{rate} select[name='{n}']"))).await.unwrap();
            sel.select_by_value("5").await.unwrap();
        }
        c.find(Locator::Css(&format!("{rate} input[name='reason']")))
            .await
            .unwrap()
            .send_keys("修得很快")
            .await
            .unwrap();
        let flash = submit_then(&c, &rate, "div.flash.ok").await.text().await.unwrap();
        assert!(flash.contains("感谢您的评价"), "{flash}");
        let history = text(&c, "#case-history").await;
        assert!(history.contains("满意度评价") && history.contains("总体 5/5, 速度 5/5, 态度 5/5"), "{history}");
        assert!(history.contains("修得很快"), "{history}");
        assert!(c.find(Locator::Css(&rate)).await.is_err(), "rated once only");
        assert_eq!(text(&c, "main p span.tag").await, "已结案", "satisfied: closed");
        assert_eq!(store::cases::case(&s.db, id).await.unwrap().rating, Some(5));
        shot(&c, "me-case-rated").await;
    }
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_hotline_call_is_dispatched_and_the_provider_completes_it() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();
        let phone =
            store::hotline::user_phone(&s.db, "resident").await.unwrap().expect("the demo resident has a phone");
        let name: String = sqlx::query_scalar(
            "SELECT r.name FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.username = 'resident'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();

        // The operator types the caller's number into the focused box and presses Enter.
        log_in(&c, &base, "frontdesk").await;
        open(&c, &format!("{base}/hotline"), "#phone").await;
        let focused = c.active_element().await.unwrap();
        assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("phone"), "the number box has the focus");
        focused.send_keys(&format!("{phone}\u{E007}")).await.unwrap();
        let who = wait_css(&c, "#caller-residents").await.text().await.unwrap();
        assert!(who.contains(&name), "{who}");
        assert!(c.current_url().await.unwrap().query().unwrap_or("").contains(&phone));
        let open_cases: Vec<_> = c.find_all(Locator::Css("div.case-open")).await.unwrap();
        assert!(!open_cases.is_empty(), "the demo caller has open cases");
        assert!(c.source().await.unwrap().contains("家庭保洁"), "the demo's waiting cleaning case is listed");
        shot(&c, "hotline-caller-found").await;

        // A quick case: the caller's name and building are filled in already.
        assert_eq!(
            c.find(Locator::Id("case-caller_name")).await.unwrap().prop("value").await.unwrap().as_deref(),
            Some(name.as_str())
        );
        choose(&c, "case-item", "HR-004").await;
        fill(&c, "case-description", "热线：厨房油烟机清洗").await;
        submit_then(&c, "#hotline-case", "#caller-residents").await;
        // (htmx follows the redirect but drops its #case-N, so the number comes from the database.)
        let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM cases").fetch_one(&s.db.pool).await.unwrap();
        assert_eq!(store::cases::case(&s.db, id).await.unwrap().description, "热线：厨房油烟机清洗");
        let card = format!("#case-{id}");
        let text_now = text(&c, &card).await;
        assert!(text_now.contains("家电清洗") && text_now.contains("已分派"), "{text_now}");
        assert_eq!(store::cases::case(&s.db, id).await.unwrap().lead_queue.as_deref(), Some("provider:家政服务商"));
        shot(&c, "hotline-quick-case").await;

        // Dispatch to the housekeeping company (the demo `provider` log-in).
        let select = format!("provider-{id}");
        let options = text(&c, &format!("#{select}")).await;
        assert!(options.contains("铜陵市安居家政服务有限公司"), "{options}");
        let company = store::providers::of_user(&s.db, "provider").await.unwrap().unwrap();
        choose(&c, &select, &company.id.to_string()).await;
        c.find(Locator::Css(&format!("{card} input[name='note']")))
            .await
            .unwrap()
            .send_keys("请上午联系")
            .await
            .unwrap();
        submit_then(&c, &format!("form[action='/cases/{id}/dispatch']"), &card).await;
        let line = text(&c, &card).await;
        assert!(line.contains("派单：铜陵市安居家政服务有限公司") && line.contains("待接单"), "{line}");
        shot(&c, "hotline-dispatched").await;

        // The provider accepts, arrives, completes.
        log_in(&c, &base, "provider").await;
        open(&c, &format!("{base}/provider"), "div.dispatch").await;
        let mine = format!("//div[contains(@class,'dispatch')][.//p[contains(., '热线：厨房油烟机清洗')]]");
        let d = wait_xpath(&c, &mine).await.attr("id").await.unwrap().expect("dispatch id");
        let d = format!("#{d}");
        assert!(text(&c, &d).await.contains("待接单"));
        shot(&c, "provider-offered").await;
        submit_then(&c, &format!("{d} form[action$='/accept']"), &format!("{d} form[action$='/arrive']")).await;
        assert!(text(&c, &d).await.contains("已接单"));
        submit_then(&c, &format!("{d} form[action$='/arrive']"), &format!("{d} form[action$='/complete']")).await;
        assert!(text(&c, &d).await.contains("已到场"));
        c.find(Locator::Css(&format!("{d} input[name='summary']")))
            .await
            .unwrap()
            .send_keys("已清洗油烟机一台")
            .await
            .unwrap();
        submit_then(&c, &format!("{d} form[action$='/complete']"), &d).await;
        let done = text(&c, &d).await;
        assert!(done.contains("已完成"), "{done}");
        assert!(c.find(Locator::Css(&format!("{d} form"))).await.is_err(), "nothing left to do");
        shot(&c, "provider-completed").await;

        // The front desk sees the case resolved with the provider's summary.
        log_in(&c, &base, "frontdesk").await;
        open(&c, &format!("{base}/cases/{id}"), "#case-history").await;
        assert_eq!(text(&c, "main p span.tag").await, "已办结");
        let history = text(&c, "#case-history").await;
        assert!(history.contains("已清洗油烟机一台") && history.contains("服务商"), "{history}");
        shot(&c, "case-hotline-resolved").await;
        open(&c, &format!("{base}/hotline?phone={phone}"), &card).await;
        assert!(text(&c, &card).await.contains("已办结"));
        shot(&c, "hotline-after").await;
    }
    c.close().await.unwrap();
}

#[tokio::test]
async fn the_public_league_table_and_the_staff_statistics_show() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();

        // Public, without logging in.
        let league = open(&c, &format!("{base}/service/league"), "#league").await;
        let rows = league.find_all(Locator::Css("tbody tr")).await.unwrap();
        assert!(!rows.is_empty(), "the demo's units are ranked");
        let first = rows[0].text().await.unwrap();
        assert!(first.starts_with('1'), "{first}");
        let cards = c.find_all(Locator::Css("div.grid.cards div.card")).await.unwrap();
        assert_eq!(cards.len(), 8, "the counters");
        let counters = text(&c, "div.grid.cards").await;
        assert!(counters.contains("受理案件") && counters.contains("热线已解决"), "{counters}");
        assert!(c.find(Locator::Css("span.who")).await.is_err(), "nobody is logged in");
        shot(&c, "service-league").await;

        // The front desk's figures with the charts.
        log_in(&c, &base, "frontdesk").await;
        open(&c, &format!("{base}/service/stats"), "figure svg").await;
        let charts = c.find_all(Locator::Css("figure svg[role='img']")).await.unwrap();
        assert_eq!(charts.len(), 3, "by channel, by status, by category");
        let labels = text(&c, "main").await;
        assert!(labels.contains("按渠道") && labels.contains("按类别") && labels.contains("热线"), "{labels}");
        shot(&c, "service-stats").await;
    }
    c.close().await.unwrap();
}

/// Phones (issue 14): at 390 px no page is wider than the screen (the
/// counter's item list was 490 px), and the menu folds behind 菜单, opened
/// without JavaScript (a label for a checkbox).
#[tokio::test]
async fn pages_fit_a_phone_and_the_menu_folds() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();
        for (user, paths) in [
            ("frontdesk", &["/cases/new", "/cases", "/hotline", "/residents", "/"][..]),
            ("admin", &["/tasks", "/pb", "/deliberation", "/stewards", "/finance", "/communities/340705402"][..]),
            ("district", &["/access", "/lists", "/providers"][..]),
            ("civil", &["/outbox", "/dashboard", "/functions"][..]),
        ] {
            c.set_window_size(1280, 900).await.unwrap();
            log_in(&c, &base, user).await;
            c.set_window_size(390, 900).await.unwrap();
            for p in paths {
                open(&c, &format!("{base}{p}"), "main").await;
                let w = c
                    .execute("return [document.documentElement.scrollWidth, window.innerWidth]", vec![])
                    .await
                    .unwrap();
                let (page, screen) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
                assert!(page <= screen, "{backend} {user} {p}: {page} px wide on a {screen} px screen");
            }
        }
        // The menu: hidden until 菜单 is pressed.
        open(&c, &format!("{base}/cases"), "main").await;
        let shown = "return getComputedStyle(document.getElementById('menu')).display !== 'none'";
        assert_eq!(c.execute(shown, vec![]).await.unwrap(), serde_json::json!(false), "{backend}: folded");
        let button = c.find(Locator::Css("label.menu-button")).await.unwrap();
        assert_eq!(button.text().await.unwrap(), "菜单");
        button.click().await.unwrap();
        assert_eq!(c.execute(shown, vec![]).await.unwrap(), serde_json::json!(true), "{backend}: opened");
        shot(&c, "phone-menu-open").await;
        c.set_window_size(1280, 900).await.unwrap();
        assert!(c.find(Locator::Css("label.menu-button")).await.unwrap().is_displayed().await.unwrap() == false);
    }
    c.close().await.unwrap();
}
