//! Keyboard-only use of the counter and hotline forms (issue 14, accessibility), in headless
//! Chromium against the demo server on SQLite and again on PostgreSQL: the focus moves by Tab
//! key presses (WebDriver key actions, no clicks), text is typed into the focused field, a
//! service item is picked with the arrow keys, and Enter submits. The pages' Chinese wording
//! is asserted on the way.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use chrome::*;
use common::*;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};

const TAB: char = '\u{E004}';
const ENTER: char = '\u{E007}';
const DOWN: char = '\u{E015}';

/// One key pressed and released, sent to whatever has the focus.
async fn press(c: &fantoccini::Client, key: char) {
    let a = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    c.perform_actions(a).await.unwrap();
}

/// Whether the focused element matches `css`.
async fn focused_is(c: &fantoccini::Client, css: &str) -> bool {
    let r =
        c.execute("return !!document.activeElement && document.activeElement.matches(arguments[0])", vec![css.into()]);
    r.await.unwrap() == serde_json::json!(true)
}

/// Press Tab until the element `css` has the focus (at most 80 presses).
async fn tab_to(c: &fantoccini::Client, css: &str) {
    for _ in 0..80 {
        if focused_is(c, css).await {
            return;
        }
        press(c, TAB).await;
    }
    panic!("Tab never reached {css}");
}

/// Type into the focused field.
async fn type_in(c: &fantoccini::Client, text: &str) {
    c.active_element().await.unwrap().send_keys(text).await.unwrap();
}

async fn value_of(c: &fantoccini::Client, css: &str) -> String {
    let r = c.execute("return document.querySelector(arguments[0]).value", vec![css.into()]).await.unwrap();
    r.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_counter_and_the_hotline_work_from_the_keyboard_alone() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();
        log_in(&c, &base, "frontdesk").await;

        // The counter's full form for a stairwell light: every field reached by Tab.
        open(&c, &format!("{base}/cases/new?item=PS-001"), "form[action='/cases']").await;
        let page = c.source().await.unwrap();
        assert!(page.contains("窗口受理") && page.contains("来访人姓名") && page.contains("诉求说明"), "{backend}");
        tab_to(&c, "#case-caller_name").await;
        type_in(&c, "键盘来访人").await;
        tab_to(&c, "#case-caller_phone").await;
        type_in(&c, "13900001111").await;
        tab_to(&c, "#case-building").await;
        type_in(&c, "6栋").await;
        tab_to(&c, "#case-description").await;
        type_in(&c, "键盘受理：6栋楼道灯不亮").await;
        tab_to(&c, "form[action='/cases'] button[type=submit]").await;
        press(&c, ENTER).await;
        let flash = wait_css(&c, "div.flash.ok").await.text().await.unwrap();
        assert!(flash.contains("已受理并分派"), "{backend}: {flash}");
        shot(&c, "keyboard-counter-taken").await;
        let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM cases").fetch_one(&s.db.pool).await.unwrap();
        let case = store::cases::case(&s.db, id).await.unwrap();
        assert_eq!((case.caller_name.as_str(), case.building.as_str()), ("键盘来访人", "6栋"), "{backend}");

        // The hotline: the number box has the focus; Enter looks the caller up.
        let phone = store::hotline::user_phone(&s.db, "resident").await.unwrap().expect("the demo resident's phone");
        open(&c, &format!("{base}/hotline"), "#phone").await;
        assert!(c.source().await.unwrap().contains("社区服务热线"), "{backend}");
        tab_to(&c, "#phone").await;
        type_in(&c, &phone).await;
        press(&c, ENTER).await;
        wait_css(&c, "#caller-residents").await;
        // The item list starts with no item; the arrow keys pick one.
        tab_to(&c, "#case-item").await;
        assert_eq!(value_of(&c, "#case-item").await, "", "{backend}: no silent default");
        for _ in 0..60 {
            if value_of(&c, "#case-item").await == "HR-004" {
                break;
            }
            press(&c, DOWN).await;
        }
        assert_eq!(value_of(&c, "#case-item").await, "HR-004", "{backend}: picked with the arrow keys");
        tab_to(&c, "#case-description").await;
        type_in(&c, "键盘热线：油烟机清洗").await;
        tab_to(&c, "#hotline-case button[type=submit]").await;
        let before: i64 = sqlx::query_scalar("SELECT MAX(id) FROM cases").fetch_one(&s.db.pool).await.unwrap();
        press(&c, ENTER).await;
        let mut taken = None;
        for _ in 0..50 {
            let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM cases").fetch_one(&s.db.pool).await.unwrap();
            if last > before {
                taken = Some(last);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let id = taken.unwrap_or_else(|| panic!("{backend}: the hotline case was not taken"));
        assert_eq!(store::cases::case(&s.db, id).await.unwrap().description, "键盘热线：油烟机清洗", "{backend}");
        wait_css(&c, &format!("#case-{id}")).await;
        shot(&c, "keyboard-hotline-taken").await;
    }
}
