//! Delivering notifications in headless Chromium, on SQLite and then
//! PostgreSQL (issue 19): the community's front desk opts a resident's number
//! out of every notice (PIPL consent, rules §6); the city edits the dispatch
//! template, is refused a parameter the kind does not have, and previews the
//! text as the SMS will read; the community admin sees a dead letter with its
//! last error and sends it again. Every step asserts the Chinese wording.
//! Screenshots at 1366 and 390 px go to target/screenshots/.

mod common;
use common::*;
#[path = "common/chrome.rs"]
mod chrome;
use chrome::*;

/// A screenshot of the whole page at `width` px (desktop 1366, phone 390).
async fn shot_at(c: &fantoccini::Client, name: &str, width: u32) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    c.set_window_size(width, 900).await.unwrap();
    let h = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap();
    let h = h.as_u64().unwrap_or(900).clamp(900, 5000) as u32;
    c.set_window_size(width, h + 140).await.unwrap();
    std::fs::write(dir.join(format!("{name}-{width}.png")), c.screenshot().await.unwrap()).unwrap();
    c.set_window_size(1280, 900).await.unwrap();
}

async fn shots(c: &fantoccini::Client, name: &str) {
    shot_at(c, name, 1366).await;
    shot_at(c, name, 390).await;
}

/// A dead letter in 天井湖's outbox: every attempt failed at the gateway.
async fn dead_letter(s: &Server) -> i64 {
    let mut tx = s.db.begin().await.unwrap();
    let to = store::outbox::To { kind: "resident", recipient: "13900000002", channel: "sms" };
    let zh = "您的诉求已受理，编号第7号（示例）。";
    let id = store::outbox::notify(&mut tx, ("340705402", "340705"), None, to, zh, "Registered as no. 7 (example).")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("UPDATE outbox SET status = 'dead', attempts = 8, last_error = $2 WHERE id = $1")
        .bind(id)
        .bind("网关拒绝 / gateway answered 503 Service Unavailable: down")
        .execute(&s.db.pool)
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn opt_out_template_preview_and_a_dead_letter_retried() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        begin_walk(&c, backend).await;

        // The front desk records a resident's opt-out, and how it was given.
        log_in(&c, &base, "frontdesk").await;
        let nav = text(&c, "#menu").await;
        assert!(nav.contains("通知"), "{backend}: the nav links the notification pages: {nav}");
        open(&c, &format!("{base}/notify/prefs"), "#prefs-resident").await;
        let tabs = text(&c, "#notify-tabs").await;
        assert!(tabs.contains("发件箱") && tabs.contains("接收渠道与同意") && tabs.contains("通知模板"), "{tabs}");
        fill(&c, "resident-subject", "13900000001").await;
        choose(&c, "resident-opted_out", "1").await;
        choose(&c, "resident-consent_how", "hotline").await;
        submit_then(&c, "#prefs-resident", "#prefs").await;
        let list = text(&c, "#prefs").await;
        assert!(
            list.contains("139****0001") && list.contains("已退订") && list.contains("热线电话"),
            "{backend}: {list}"
        );
        assert!(!list.contains("13900000001"), "{backend}: the number is masked");
        let out: i64 = sqlx::query_scalar("SELECT opted_out FROM notify_prefs WHERE subject = '13900000001'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(out, 1, "{backend}");
        shots(&c, "notify-prefs").await;

        // The city edits the dispatch template: a parameter the kind lacks is refused.
        log_in(&c, &base, "civil").await;
        open(&c, &format!("{base}/notify/templates"), "#template-dispatch").await;
        // What the page says, leaving out the English templates' own text.
        let js = "const m = document.querySelector('main').cloneNode(true);
                  m.querySelectorAll('textarea[name=en]').forEach(t => t.remove());
                  return m.innerText";
        let page = c.execute(js, vec![]).await.unwrap().as_str().unwrap_or("").to_string();
        for kind in ["受理回执", "办理进展", "派单通知", "督办通知", "年检提醒", "{正文}", "{社区}"]
        {
            assert!(page.contains(kind), "{backend}: {kind} listed");
        }
        for english in ["dispatch", "escalation", "inspection", "{body}", "{community}"] {
            assert!(!page.contains(english), "{backend}: no {english} on the Chinese page");
        }
        fill(&c, "dispatch-zh", "{社区}派单提醒：{正文}{小区}").await;
        fill(&c, "dispatch-en", "{community} dispatch: {body}").await;
        submit_then(&c, "form[action='/notify/templates/dispatch']", ".field-error").await;
        assert_eq!(status(&c).await, 422, "{backend}");
        assert!(text(&c, ".field-error").await.contains("小区"), "{backend}");
        fill(&c, "dispatch-zh", "{社区}派单提醒：{正文}").await;
        submit_then(&c, "form[action='/notify/templates/dispatch']", "#preview-sms").await;
        let sms = text(&c, "#preview-sms").await;
        assert!(sms.starts_with("【五松社区】五松社区派单提醒：新派单#88"), "{backend}: {sms}");
        let page = text(&c, "main").await.replace(&text(&c, ".invented-note").await, "");
        assert!(page.contains("模板预览") && page.contains("派单通知") && page.contains("条短信"), "{backend}");
        assert!(page.contains("示例"), "{backend}: the example is marked");
        shots(&c, "notify-template-preview").await;

        // The community admin retries a dead letter.
        let id = dead_letter(&s).await;
        log_in(&c, &base, "admin").await;
        open(&c, &format!("{base}/outbox"), "#dead-letters").await;
        let dead = text(&c, "#dead-letter-list").await;
        assert!(
            dead.contains("投递失败") && dead.contains("网关拒绝") && dead.contains("重新发送"),
            "{backend}: {dead}"
        );
        assert!(!dead.contains("gateway answered"), "{backend}: the Chinese half of the error");
        let all = text(&c, "#outbox").await;
        assert!(
            all.contains("派单通知") && all.contains("受理回执") && all.contains("年检提醒"),
            "{backend}: kinds named"
        );
        shots(&c, "notify-dead-letter").await;
        submit_then(&c, &format!("#dead-letter-list form[action='/outbox/{id}/retry']"), "#outbox").await;
        let st: String =
            sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1").bind(id).fetch_one(&s.db.pool).await.unwrap();
        assert_eq!(st, "queued", "{backend}");
        assert!(c.find(fantoccini::Locator::Css("#dead-letters")).await.is_err(), "{backend}: none left");
        assert!(text(&c, "#outbox").await.contains("待发送"), "{backend}");
    }
}
