//! The 390 px walk of every role's day (issue 14), on both databases: each role logs in and opens
//! every page of its menu at 390 px (a phone) and at 1366 px (a laptop); no page is wider than
//! the screen, and at 390 px the menu folds behind 菜单. A screenshot of each page at 390 px is
//! written to `target/screenshots/narrow-<role>-<page>.png` to be looked at.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use chrome::*;
use common::*;
use fantoccini::Locator;

/// Who walks: the demo's user for each role of the issue (the hotline is the front desk's).
const ROLES: &[&str] =
    &["resident", "frontdesk", "backoffice", "admin", "district", "finance", "civil", "provider", "org", "unit"];

/// The public pages anyone opens without logging in.
const PUBLIC: &[&str] =
    &["/", "/functions", "/dashboard", "/service/league", "/lists", "/open-data", "/communities/340705402", "/login"];

/// Document width and window width, in CSS pixels.
async fn widths(c: &fantoccini::Client) -> (i64, i64) {
    let w = c.execute("return [document.documentElement.scrollWidth, window.innerWidth]", vec![]).await.unwrap();
    (w[0].as_i64().unwrap(), w[1].as_i64().unwrap())
}

/// A screenshot of the whole page as a phone shows it.
async fn phone_shot(c: &fantoccini::Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let h = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap();
    let h = h.as_u64().unwrap_or(900).clamp(900, 3000) as u32;
    c.set_window_size(390, h + 140).await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
    c.set_window_size(390, 900).await.unwrap();
}

/// Open `path` at both widths and check that it fits; at 390 px take its picture.
/// A page too wide is noted in `wide` (every one is reported at the end, not just the first).
async fn fits(
    c: &fantoccini::Client,
    base: &str,
    backend: &str,
    who: &str,
    path: &str,
    shots: bool,
    wide: &mut Vec<String>,
) {
    for w in [1366, 390] {
        eprintln!("{backend} {who} {path} at {w} px");
        c.set_window_size(w, 900).await.unwrap();
        open(c, &format!("{base}{path}"), "main").await;
        let (page, screen) = widths(c).await;
        if page > screen {
            wide.push(format!("{backend} {who} {path}: {page} px wide on a {screen} px screen"));
        }
        // Chinese first: the page's language is zh-CN.
        let lang = c.execute("return document.documentElement.lang", vec![]).await.unwrap();
        assert_eq!(lang, serde_json::json!("zh-CN"), "{backend} {who} {path}");
    }
    if shots {
        let name: String =
            path.trim_matches('/').chars().map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' }).collect();
        phone_shot(c, &format!("narrow-{who}-{}", if name.is_empty() { "home" } else { &name })).await;
    }
}

#[tokio::test]
async fn every_roles_pages_fit_a_phone_and_a_laptop() {
    let Some((c, _driver)) = browser().await else { return };
    let mut wide = Vec::new();
    for (i, (backend, url)) in backends().await.into_iter().enumerate() {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();
        // Pictures once (the first database); the widths on both.
        let shots = i == 0;
        for p in PUBLIC {
            fits(&c, &base, backend, "public", p, shots, &mut wide).await;
        }
        for who in ROLES {
            c.set_window_size(1366, 900).await.unwrap();
            let _ = c.delete_all_cookies().await;
            log_in(&c, &base, who).await;
            // Every page of this role's menu.
            let links: Vec<String> = {
                let mut out = Vec::new();
                for a in c.find_all(Locator::Css("#menu a[href^='/']")).await.unwrap() {
                    let href = a.attr("href").await.unwrap().unwrap_or_default();
                    if !href.starts_with("/lang") && !out.contains(&href) {
                        out.push(href);
                    }
                }
                out
            };
            assert!(links.len() >= 5, "{backend} {who}: a menu of {links:?}");
            for p in &links {
                fits(&c, &base, backend, who, p, shots, &mut wide).await;
            }
            // At 390 px the menu is folded behind 菜单, and opens without a script.
            c.set_window_size(390, 900).await.unwrap();
            open(&c, &format!("{base}/"), "main").await;
            let shown = "return getComputedStyle(document.getElementById('menu')).display !== 'none'";
            assert_eq!(c.execute(shown, vec![]).await.unwrap(), serde_json::json!(false), "{backend} {who}: folded");
            let button = c.find(Locator::Css("label.menu-button")).await.unwrap();
            assert_eq!(button.text().await.unwrap(), "菜单");
            button.click().await.unwrap();
            assert_eq!(c.execute(shown, vec![]).await.unwrap(), serde_json::json!(true), "{backend} {who}: opened");
            let (page, screen) = widths(&c).await;
            assert!(page <= screen, "{backend} {who}: the open menu is {page} px on {screen} px");
        }
    }
    c.close().await.unwrap();
    assert!(wide.is_empty(), "pages wider than the screen:\n{}", wide.join("\n"));
}
