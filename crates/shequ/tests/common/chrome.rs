//! The headless-Chromium harness of the browser suites (include with
//! `#[path = "common/chrome.rs"] mod chrome;` next to `mod common;`): finds
//! CHROMEDRIVER/CHROMIUM (default /usr/bin/…), skips loudly without them
//! (recording the skip) and fails under CI, logs users in, waits for pages and
//! writes screenshots to target/screenshots/.
#![allow(dead_code)]

use crate::common::{PASSWORD, skip};
use fantoccini::{ClientBuilder, Locator, elements::Element};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn browser() -> Option<(fantoccini::Client, Driver)> {
    let found = |var: &str, default: &str| {
        std::env::var(var).ok().or_else(|| Some(default.into())).filter(|p| std::path::Path::new(p).exists())
    };
    let (Some(driver), Some(chromium)) =
        (found("CHROMEDRIVER", "/usr/bin/chromedriver"), found("CHROMIUM", "/usr/bin/chromium"))
    else {
        skip("Chromium and ChromeDriver (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    let guard = Driver(child);
    let profile = std::env::temp_dir().join(format!("shequ-chrome-{}-{port}", std::process::id()));
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.display())]
        }
    }))
    .unwrap();
    for _ in 0..50 {
        if let Ok(c) =
            ClientBuilder::native().capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await
        {
            return Some((c, guard));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not connect to chromedriver");
}

/// A screenshot of the whole page (the window grows to the page's height for it).
pub async fn shot(c: &fantoccini::Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let h = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap();
    let h = h.as_u64().unwrap_or(900).clamp(900, 4000) as u32;
    c.set_window_size(1280, h + 140).await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
    c.set_window_size(1280, 900).await.unwrap();
}

pub async fn wait_css(c: &fantoccini::Client, css: &str) -> Element {
    match c.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(e) => e,
        Err(e) => panic!("waiting for {css}: {e}\n{}", c.source().await.unwrap_or_default()),
    }
}

pub async fn wait_xpath(c: &fantoccini::Client, xpath: &str) -> Element {
    match c.wait().at_most(WAIT).for_element(Locator::XPath(xpath)).await {
        Ok(e) => e,
        Err(e) => panic!("waiting for {xpath}: {e}\n{}", c.source().await.unwrap_or_default()),
    }
}

/// Open a page and wait until the element `css` is on it.
pub async fn open(c: &fantoccini::Client, url: &str, css: &str) -> Element {
    c.goto(url).await.unwrap();
    wait_css(c, css).await
}

/// A fresh session per user: log out whoever was logged in, log in.
pub async fn log_in(c: &fantoccini::Client, base: &str, user: &str) {
    c.delete_all_cookies().await.unwrap();
    open(c, &format!("{base}/login"), "#username").await.send_keys(user).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_css(c, "span.who").await;
}

/// Click `button` and wait until the page that replaces this one shows `wait_for`.
pub async fn click_then(c: &fantoccini::Client, button: Element, wait_for: &str) -> Element {
    button.click().await.unwrap();
    for _ in 0..400 {
        if button.tag_name().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_css(c, wait_for).await
}

/// Submit the form `form` (a CSS selector) and wait for `wait_for` on the next page.
pub async fn submit_then(c: &fantoccini::Client, form: &str, wait_for: &str) -> Element {
    let button = match c.find(Locator::Css(&format!("{form} button[type=submit]"))).await {
        Ok(b) => b,
        Err(e) => panic!("no submit button in {form}: {e}\n{}", c.source().await.unwrap_or_default()),
    };
    click_then(c, button, wait_for).await
}

/// Type into a field by its id, replacing what is there.
pub async fn fill(c: &fantoccini::Client, id: &str, value: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("no #{id}: {e}"));
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

pub async fn choose(c: &fantoccini::Client, select_id: &str, value: &str) {
    c.find(Locator::Id(select_id)).await.unwrap().select_by_value(value).await.unwrap();
}

pub async fn text(c: &fantoccini::Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).text().await.unwrap()
}

/// The HTTP status of the page now shown: the last navigation or, as htmx
/// boosts links and forms, the last XHR/fetch (Resource Timing).
pub async fn status(c: &fantoccini::Client) -> u64 {
    let js = "const e = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')
                 .filter(r => r.initiatorType === 'xmlhttprequest' || r.initiatorType === 'fetch'));
              e.sort((a, b) => a.startTime - b.startTime);
              return e.length ? e[e.length - 1].responseStatus : 0;";
    c.execute(js, vec![]).await.unwrap().as_u64().unwrap_or(0)
}

/// The path of the page now shown.
pub async fn path(c: &fantoccini::Client) -> String {
    c.current_url().await.unwrap().path().to_string()
}

/// Start the walk on one backend's server: say which (the harness shows it if
/// the walk fails) and forget the cookies of the server before (cookies ignore
/// the port, so a session or language would otherwise carry over).
pub async fn begin_walk(c: &fantoccini::Client, backend: &str) {
    eprintln!("--- the walk on {backend} ---");
    // A fresh browser shows no page yet, and has no cookies to forget.
    let _ = c.delete_all_cookies().await;
}
