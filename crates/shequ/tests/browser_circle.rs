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
