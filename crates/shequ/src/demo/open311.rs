//! The demo's Open311 side: an illustrative service area for each of the 23
//! big communities (circles around Tongling's urban area, ≈30.93°N 117.81°E;
//! not real boundaries) and one client whose api_key is drawn at random for
//! each database and printed once, when the demo is loaded.

use anyhow::{Result, anyhow};
use rules::division::BIG_COMMUNITIES;
use store::Db;

pub const DEMO_OPEN311_CLIENT: &str = "demo-app";

const CENTER: (f64, f64) = (30.93, 117.81);
/// Grid step between community centers, in degrees (≈1.6 km both ways at 31°N).
const STEP: (f64, f64) = (0.0144, 0.0168);

/// (code, lat, lon, radius in metres): 天井湖 in the middle, the others on a
/// 5×5 grid around it, nearest cells first.
pub fn areas() -> Vec<(&'static str, f64, f64, i64)> {
    let mut cells: Vec<(i32, i32)> = (-2..=2).flat_map(|r| (-2..=2).map(move |c| (r, c))).collect();
    cells.sort_by_key(|(r, c)| (r * r + c * c, *r, *c));
    let mut codes: Vec<&str> = BIG_COMMUNITIES.iter().map(|c| c.code).collect();
    codes.sort_by_key(|c| *c != "340705402");
    codes
        .into_iter()
        .zip(cells)
        .enumerate()
        .map(|(i, (code, (r, c)))| {
            let radius = if i == 0 { 1200 } else { 800 + (i as i64 * 137) % 700 };
            (code, CENTER.0 + r as f64 * STEP.0, CENTER.1 + c as f64 * STEP.1, radius)
        })
        .collect()
}

/// The service areas and the demo client; answers the client's api_key (only its hash is kept).
pub async fn load(db: &Db) -> Result<String> {
    for (code, lat, lon, radius) in areas() {
        store::structure::set_area(db, "demo", code, lat, lon, radius).await.map_err(|e| anyhow!("{e}"))?;
    }
    let (_, key) = store::open311::add_client(db, "demo", DEMO_OPEN311_CLIENT).await.map_err(|e| anyhow!("{e}"))?;
    Ok(key)
}

/// The Open311 lines of the banner: the key when it was just drawn, else where to get one.
pub fn banner(key: Option<&str>) -> String {
    match key {
        Some(k) => format!(
            "Open311 (GeoReport v2, /open311/v2/discovery.json) demo client {DEMO_OPEN311_CLIENT}: api_key={k} (drawn for this database, shown once)\n"
        ),
        None => "Open311 (GeoReport v2, /open311/v2/discovery.json): the demo client's api_key was shown when the demo was loaded; issue another with `shequ open311 key add NAME`\n".to_string(),
    }
}
