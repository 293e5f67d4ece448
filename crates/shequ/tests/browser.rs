//! Browser tests in headless Chromium (Debian's chromium + chromedriver):
//! a front-desk worker logs in, imports a residents file with a bad row,
//! sees the row's error, registers a resident with a bad ID number and sees
//! the message beside the field, and switches the language. Screenshots go
//! to target/screenshots/ to be looked at.

mod common;
use common::*;
use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

async fn browser() -> Option<(fantoccini::Client, Driver)> {
    let driver = std::env::var("CHROMEDRIVER")
        .ok()
        .or_else(|| Some("/usr/bin/chromedriver".into()))
        .filter(|p| std::path::Path::new(p).exists());
    let chromium = std::env::var("CHROMIUM")
        .ok()
        .or_else(|| Some("/usr/bin/chromium".into()))
        .filter(|p| std::path::Path::new(p).exists());
    let (Some(driver), Some(chromium)) = (driver, chromium) else {
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
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("could not connect to chromedriver");
}

async fn shot(c: &fantoccini::Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
}

#[tokio::test]
async fn front_desk_imports_a_file_with_a_bad_row_and_switches_language() {
    let Some((c, _driver)) = browser().await else { return };
    let (backend, url) = backends().await.remove(0);
    let s = start(backend, &url).await;

    // The public home page opens in Chinese.
    eprintln!("browser connected");
    c.goto(&s.base).await.unwrap();
    eprintln!("home loaded");
    let html = c.source().await.unwrap();
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("社区公共服务中心"));
    shot(&c, "home-zh").await;

    // Log in as the front desk of 天井湖.
    c.goto(&format!("{}/login?next=/residents", s.base)).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("frontdesk").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::Css("a[href='/residents/import']"))
        .await
        .unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/residents"));

    // Import a file whose second data row (line 3) has a wrong check digit.
    let dir = std::env::temp_dir().join(format!("shequ-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("居民导入.csv");
    std::fs::write(
        &file,
        format!("姓名,身份证号,电话,户籍,楼栋\n赵一,{},13900001111,是,5栋\n钱二,110105194912310021,13900002222,否,6栋\n孙三,{},13900003333,是,6栋\n", id_number(31), id_number(32)),
    )
    .unwrap();
    c.goto(&format!("{}/residents/import", s.base)).await.unwrap();
    c.find(Locator::Id("file")).await.unwrap().send_keys(&file.display().to_string()).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    let table =
        c.wait().at_most(std::time::Duration::from_secs(20)).for_element(Locator::Id("rejected")).await.unwrap();
    let text = table.text().await.unwrap();
    assert!(text.contains('3') && text.contains("校验位"), "the rejected row shows its line and reason: {text}");
    let page = c.source().await.unwrap();
    assert!(page.contains("导入结果"));
    shot(&c, "import-result-zh").await;

    // Switch to English: the same page, in English.
    c.find(Locator::LinkText("English")).await.unwrap().click().await.unwrap();
    c.wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::XPath("//h1[text()='Import result']"))
        .await
        .unwrap();
    let text = c.find(Locator::Id("rejected")).await.unwrap().text().await.unwrap();
    assert!(text.contains("check character"), "{text}");
    shot(&c, "import-result-en").await;

    // A bad ID number typed at the counter: the form comes back with the message beside the field.
    c.goto(&format!("{}/residents/new", s.base)).await.unwrap();
    c.find(Locator::Id("name")).await.unwrap().send_keys("Test").await.unwrap();
    c.find(Locator::Id("id_number")).await.unwrap().send_keys("110105194912310021").await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    let err = c
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::Id("id_number-error"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(err.contains("check character"), "{err}");
    shot(&c, "resident-form-error-en").await;
    let before = store::residents::count(&s.db).await.unwrap();
    assert_eq!(before, 23 * 5 + 2, "nothing half-written: only the two good imported rows were added");

    c.close().await.unwrap();
}
