//! The living-circle map in headless Chromium (the harness in common/chrome.rs), on SQLite and
//! on PostgreSQL: with Helsinki's walking network and three facilities stored, a city planner
//! opens /circle and Leaflet draws the streets and the facilities from the page's own GeoJSON.
//! Screenshots: target/screenshots/circle-map.png, circle-shaded.png.

mod common;
use common::*;
#[path = "common/chrome.rs"]
mod chrome;
use chrome::*;
use std::path::PathBuf;

fn data_dir() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("SHEQU_OSM_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osm"),
            PathBuf::from("/work/shared/data/osm"),
        ],
    };
    let found = candidates.into_iter().find(|d| d.join("helsinki.osm.pbf").is_file());
    if found.is_none() {
        skip("OSM reference data (SHEQU_OSM_DIR)");
    }
    found
}

#[tokio::test]
async fn a_planner_sees_the_streets_and_facilities_drawn() {
    let Some(dir) = data_dir() else { return };
    let Some((c, _driver)) = browser().await else { return };
    let x = circle::Extract::from_pbf(&std::fs::read(dir.join("helsinki.osm.pbf")).unwrap(), 2).unwrap();
    let g = &x.graph;
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        store::circle::import_network(&s.db, "test", "赫尔辛基中心", "helsinki.osm.pbf", g, &x.places, |_| {})
            .await
            .unwrap();
        let rows: Vec<store::circle::NewFacility> = [100usize, 2000, 4000]
            .iter()
            .enumerate()
            .map(|(k, &i)| store::circle::NewFacility {
                line: k + 2,
                type_text: "社区卫生服务站".into(),
                name: format!("示例卫生服务站{k}"),
                lon: g.lon[i],
                lat: g.lat[i],
                ..Default::default()
            })
            .collect();
        store::circle::import_facilities(&s.db, "test", &rows, Some(g), 500.0).await.unwrap().unwrap();
        log_in(&c, &s.base, "civil").await;
        open(&c, &format!("{}/circle", s.base), "#circle-map.leaflet-container").await;
        // preferCanvas: streets and markers are drawn on a canvas in the overlay pane.
        wait_css(&c, "#circle-map .leaflet-overlay-pane canvas").await;
        let drawn = c
            .execute(
                "const m = document.querySelector('#circle-map .leaflet-overlay-pane canvas');
                 return m ? m.width * m.height : 0;",
                vec![],
            )
            .await
            .unwrap();
        assert!(drawn.as_u64().unwrap_or(0) > 0, "{backend}: no canvas drawn");
        let table = text(&c, "main").await;
        assert!(table.contains("示例卫生服务站2") && table.contains("社区卫生服务站"), "{backend}: {table}");
        shot(&c, "circle-map").await;
        // Shaded by walking distance to the demo's service stations.
        open(&c, &format!("{}/circle?type=service_station", s.base), "#circle-map .leaflet-overlay-pane canvas").await;
        assert!(text(&c, "main").await.contains("更远或不可达"), "{backend}");
        shot(&c, "circle-shaded").await;
    }
}

/// The page's width against the window's at this width, and a screenshot of the whole page
/// (target/screenshots/{name}-{width}.png).
async fn fits_and_shot(c: &fantoccini::Client, name: &str, width: u32) {
    c.set_window_size(width, 900).await.unwrap();
    let w = c.execute("return [document.documentElement.scrollWidth, window.innerWidth]", vec![]).await.unwrap();
    let (page, screen) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
    assert!(page <= screen, "{name}: {page} px wide on a {screen} px screen");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let h = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap();
    c.set_window_size(width, h.as_u64().unwrap_or(900).clamp(900, 4000) as u32 + 140).await.unwrap();
    std::fs::write(dir.join(format!("{name}-{width}.png")), c.screenshot().await.unwrap()).unwrap();
    c.set_window_size(1280, 900).await.unwrap();
}

/// The facilities registry, a community's coverage map and siting, as a city planner uses them on
/// the demo (its generated street grid, registry buildings placed, coverage computed): import a
/// file, add, move and close a facility, read a community's map with its table, propose sites
/// with coverage before and after — in Chinese, and no page wider than a 390 px phone.
/// Screenshots: target/screenshots/circle-{facilities,community,siting}-{1366,390}.png.
#[tokio::test]
async fn a_planner_keeps_the_registry_reads_a_community_map_and_sites_new_facilities() {
    let Some((c, _driver)) = browser().await else { return };
    use fantoccini::Locator;
    let dir = std::env::temp_dir().join(format!("shequ-browser-circle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("设施导入.csv");
    std::fs::write(&file, "类型,名称,经度,纬度,容量\n幼儿园,示例幼儿园（导入）,117.812,30.932,120\n").unwrap();
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        log_in(&c, &s.base, "civil").await;
        // Import a file: the facility is listed.
        open(&c, &format!("{}/circle/facilities", s.base), "form[action='/circle/facilities/import']").await;
        assert!(text(&c, "main").await.contains("生活圈设施登记"), "{backend}");
        c.find(Locator::Css("form[action='/circle/facilities/import'] input[type=file]"))
            .await
            .unwrap()
            .send_keys(&file.display().to_string())
            .await
            .unwrap();
        submit_then(&c, "form[action='/circle/facilities/import']", "form[action='/circle/facilities']").await;
        let t = text(&c, "main").await;
        assert!(t.contains("示例幼儿园（导入）") && t.contains("幼儿园"), "{backend}: imported");
        // Add one: a swapped pair first is refused by name, the form kept; then the right one.
        fill(&c, "add-name", "示例社区卫生服务中心").await;
        choose(&c, "add-type", "health_center").await;
        fill(&c, "add-lon", "30.93").await;
        fill(&c, "add-lat", "117.81").await;
        submit_then(&c, "form[action='/circle/facilities']", "form[action='/circle/facilities']").await;
        assert!(text(&c, "main").await.contains("写反"), "{backend}: swapped named");
        assert_eq!(status(&c).await, 422, "{backend}");
        fill(&c, "add-lon", "117.81").await;
        fill(&c, "add-lat", "30.93").await;
        submit_then(&c, "form[action='/circle/facilities']", "form[action='/circle/facilities']").await;
        let t = text(&c, "main").await;
        assert!(t.contains("示例社区卫生服务中心") && t.contains("社区卫生服务中心"), "{backend}: added");
        let id: i64 = sqlx::query_scalar("SELECT id FROM circle_facilities WHERE name = '示例社区卫生服务中心'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        // Move it, then close it (the forms fold under 移动或关闭).
        let row = format!("//tr[td[text()='示例社区卫生服务中心']]");
        c.find(Locator::XPath(&format!("{row}//summary"))).await.unwrap().click().await.unwrap();
        let mv = format!("form[action='/circle/facilities/{id}/move']");
        let lon = c.find(Locator::Css(&format!("{mv} input[name=lon]"))).await.unwrap();
        lon.clear().await.unwrap();
        lon.send_keys("117.811").await.unwrap();
        submit_then(&c, &mv, "form[action='/circle/facilities']").await;
        assert!(text(&c, "main").await.contains("117.811000"), "{backend}: moved");
        c.find(Locator::XPath(&format!("{row}//summary"))).await.unwrap().click().await.unwrap();
        let cl = format!("form[action='/circle/facilities/{id}/close']");
        let today = store::clock::today().to_string();
        c.execute(&format!("document.querySelector(\"{cl} input[name=closed_on]\").value = '{today}'"), vec![])
            .await
            .unwrap();
        c.find(Locator::Css(&format!("{cl} input[name=reason]"))).await.unwrap().send_keys("示例：改建").await.unwrap();
        submit_then(&c, &cl, "form[action='/circle/facilities']").await;
        assert!(text(&c, "main").await.contains(&format!("关闭于 {today}")), "{backend}: closed");
        fits_and_shot(&c, "circle-facilities", 1366).await;
        fits_and_shot(&c, "circle-facilities", 390).await;

        // A community's coverage: the map drawn, its shares, its buildings outside the standard listed.
        let page = format!("{}/circle/communities/340705402?type=kindergarten", s.base);
        open(&c, &page, "#circle-map .leaflet-overlay-pane canvas").await;
        let t = text(&c, "main").await;
        for want in [
            "天井湖社区",
            "十五分钟生活圈覆盖",
            "各类设施的步行覆盖",
            "达标比例",
            "未达标的楼栋",
            "只看：幼儿园",
            "示例",
            "图例",
        ] {
            assert!(t.contains(want), "{backend}: the community page lacks {want}");
        }
        let listed = c.find_all(Locator::Css(".circle-table tbody tr")).await.unwrap().len();
        assert!(listed > 0, "{backend}: buildings outside the standard listed beside the map");
        fits_and_shot(&c, "circle-community", 1366).await;
        fits_and_shot(&c, "circle-community", 390).await;

        // Siting: two new health centers among every street node, coverage before → after.
        open(&c, &format!("{}/circle/siting", s.base), "#type").await;
        choose(&c, "type", "health_center").await;
        fill(&c, "k", "2").await;
        choose(&c, "candidates", "nodes").await;
        submit_then(&c, "form[action='/circle/siting']", "main h2").await;
        let t = text(&c, "main").await;
        for want in ["新设施选址", "社区卫生服务中心", "覆盖居民", " → ", "新增覆盖居民", "1 − 1/e"]
        {
            assert!(t.contains(want), "{backend}: the siting page lacks {want}: {t}");
        }
        assert_eq!(c.find_all(Locator::Css("main table tbody tr")).await.unwrap().len(), 2, "{backend}");
        fits_and_shot(&c, "circle-siting", 1366).await;
        fits_and_shot(&c, "circle-siting", 390).await;
    }
}
