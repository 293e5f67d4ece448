//! The demo's living circle: no street data of Tongling is available offline, so a street grid
//! is generated over the illustrative service areas (a lattice with some blocks merged, every
//! name marked 示例), with each big community's service center placed at its area's center
//! (illustrative positions, also marked 示例). The residents registry's buildings are set out
//! in each community's service area on a sunflower spiral (positions invented, flagged
//! illustrative), and coverage is computed on the grid and stored.

use anyhow::{Result, anyhow};
use rules::division::BIG_COMMUNITIES;
use store::Db;

/// The generated network's name, as the pages show it.
pub const DEMO_NETWORK: &str = "示例路网（铜陵城区，程序生成，非真实街道）";

/// A lattice `spacing_m` apart covering the 23 service areas, with one edge in seven left out
/// (a fixed pattern) so that not every block is a square.
pub fn street_grid(spacing_m: f64) -> circle::Graph {
    let areas = super::open311::areas();
    let pad = 0.012;
    let lat0 = areas.iter().map(|a| a.1).fold(f64::MAX, f64::min) - pad;
    let lat1 = areas.iter().map(|a| a.1).fold(f64::MIN, f64::max) + pad;
    let lon0 = areas.iter().map(|a| a.2).fold(f64::MAX, f64::min) - pad;
    let lon1 = areas.iter().map(|a| a.2).fold(f64::MIN, f64::max) + pad;
    let dlat = (spacing_m / circle::EARTH_RADIUS_M).to_degrees();
    let dlon = dlat / ((lat0 + lat1) / 2.0).to_radians().cos();
    let (rows, cols) = (((lat1 - lat0) / dlat) as usize + 1, ((lon1 - lon0) / dlon) as usize + 1);
    let id = |r: usize, c: usize| (r * cols + c) as u32;
    let (mut lon, mut lat) = (Vec::new(), Vec::new());
    for r in 0..rows {
        for c in 0..cols {
            lat.push(lat0 + r as f64 * dlat);
            lon.push(lon0 + c as f64 * dlon);
        }
    }
    let (mut u, mut v, mut m) = (Vec::new(), Vec::new(), Vec::new());
    let mut k = 0u32;
    let mut edge = |a: u32, b: u32| {
        k += 1;
        if k % 7 != 3 {
            u.push(a);
            v.push(b);
            m.push(circle::haversine_m(lon[a as usize], lat[a as usize], lon[b as usize], lat[b as usize]));
        }
    };
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols {
                edge(id(r, c), id(r, c + 1));
            }
            if r + 1 < rows {
                edge(id(r, c), id(r + 1, c));
            }
        }
    }
    let mut order: Vec<usize> = (0..u.len()).collect();
    order.sort_by_key(|&i| (u[i], v[i]));
    let ids = (1..=(rows * cols) as i64).collect();
    circle::Graph::from_parts(
        ids,
        lon,
        lat,
        order.iter().map(|&i| u[i]).collect(),
        order.iter().map(|&i| v[i]).collect(),
        order.iter().map(|&i| m[i]).collect(),
    )
    .expect("a lattice is a consistent graph")
}

pub async fn load(db: &Db, spacing_m: f64) -> Result<()> {
    let g = street_grid(spacing_m);
    store::circle::import_network(db, "demo", DEMO_NETWORK, "程序生成（示例）", &g, &[], |_| {})
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let names: std::collections::HashMap<&str, &str> = BIG_COMMUNITIES.iter().map(|c| (c.code, c.name)).collect();
    let rows: Vec<store::circle::NewFacility> = super::open311::areas()
        .iter()
        .enumerate()
        .map(|(k, (code, lat, lon, _))| store::circle::NewFacility {
            line: k + 1,
            type_text: "service_station".into(),
            name: format!("{}公共服务中心（示例位置）", names.get(code).copied().unwrap_or(code)),
            lon: *lon,
            lat: *lat,
            opening_hours: "8:30-17:30（示例）".into(),
            ..Default::default()
        })
        .collect();
    if let Err(rejected) =
        store::circle::import_facilities(db, "demo", &rows, Some(&g), 500.0).await.map_err(|e| anyhow!("{e}"))?
    {
        return Err(anyhow!("demo facilities refused: {rejected:?}"));
    }
    place_buildings(db).await?;
    store::circle::homes::compute_coverage(db, "demo", DEMO_NETWORK).await.map_err(|e| anyhow!("{e}"))?;
    Ok(())
}

/// Each community's registry buildings on a sunflower spiral filling 90% of its service area
/// (an even spread with no two buildings on the same spot; invented, so flagged illustrative).
async fn place_buildings(db: &Db) -> Result<()> {
    let areas = super::open311::areas();
    let buildings = store::circle::homes::registry_buildings(db).await.map_err(|e| anyhow!("{e}"))?;
    let mut rows = Vec::new();
    for (code, lat, lon, radius) in &areas {
        let mine: Vec<_> = buildings.iter().filter(|b| b.community_code == *code).collect();
        let n = mine.len().max(1) as f64;
        for (k, b) in mine.iter().enumerate() {
            let r = 0.9 * *radius as f64 * ((k as f64 + 0.5) / n).sqrt();
            let a = k as f64 * 2.399_963_229_728_653;
            let dlat = (r * a.sin() / circle::EARTH_RADIUS_M).to_degrees();
            let dlon = (r * a.cos() / circle::EARTH_RADIUS_M).to_degrees() / lat.to_radians().cos();
            rows.push(store::circle::homes::BuildingAt {
                line: rows.len() + 1,
                community: code.to_string(),
                building: b.building.clone(),
                lon: lon + dlon,
                lat: lat + dlat,
            });
        }
    }
    match store::circle::homes::place_buildings(db, "demo", &rows, "示例位置（程序生成）", true)
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        Ok(_) => Ok(()),
        Err(rejected) => Err(anyhow!("demo buildings refused: {rejected:?}")),
    }
}
