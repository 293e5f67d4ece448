//! Homes from the residents registry on the walking graph (issue 16, rules §7.3): where each
//! registry building stands, coverage per community and for the city computed on a stored network
//! and kept with the date and network it was computed on, and the buildings outside the standard —
//! buildings and counts, never people.

use super::Rejected;
use crate::audit::{Scope, record as audit_write};
use crate::error::bad;
use crate::sql::Sql;
use crate::{Db, Result, clock};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Rows per insert statement (at most 9 values each).
const BATCH: usize = 500;

/// A building farther than this from every walking-graph node is left unplaced (and counted so).
pub const HOME_SNAP_M: f64 = 500.0;

/// A registry building's position, as a file or the demo gives it.
#[derive(Debug, Clone, Default)]
pub struct BuildingAt {
    pub line: usize,
    /// A community's code or name.
    pub community: String,
    pub building: String,
    pub lon: f64,
    pub lat: f64,
}

/// A building of the residents registry: its households and residents, and where it stands
/// when it has been placed.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct RegistryBuilding {
    pub community_code: String,
    pub building: String,
    pub households: i64,
    pub residents: i64,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub illustrative: Option<i64>,
}

/// Places registry buildings (insert or move), all or nothing: each row names a community (code
/// or name) and a building of the residents registry there, at WGS 84 degrees. Every refused row
/// is returned and nothing is written; else one transaction with its audit entry.
pub async fn place_buildings(
    db: &Db,
    actor: &str,
    rows: &[BuildingAt],
    source: &str,
    illustrative: bool,
) -> Result<std::result::Result<usize, Vec<Rejected>>> {
    let communities: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM communities").fetch_all(&db.pool).await?;
    let known: Vec<(String, String)> =
        sqlx::query_as("SELECT DISTINCT community_code, building FROM residents").fetch_all(&db.pool).await?;
    let known: std::collections::HashSet<(String, String)> = known.into_iter().collect();
    let mut rejected = Vec::new();
    let mut codes = Vec::new();
    for r in rows {
        let mut refuse = |field: &str, zh: String, en: String| {
            rejected.push(Rejected { line: r.line, field: field.into(), msg: rules::Msg::new(zh, en) })
        };
        let c = r.community.trim();
        let code = communities.iter().find(|(code, name)| code == c || name == c).map(|x| x.0.clone());
        let b = r.building.trim();
        match &code {
            None => refuse("community", format!("没有社区「{c}」"), format!("no community {c:?}")),
            Some(code) if !known.contains(&(code.clone(), b.to_string())) => refuse(
                "building",
                format!("居民登记中该社区没有楼栋「{b}」"),
                format!("the residents registry has no building {b:?} in this community"),
            ),
            Some(_) => {}
        }
        if !(r.lon.is_finite() && r.lat.is_finite() && r.lon.abs() <= 180.0 && r.lat.abs() <= 90.0) {
            let m = ::circle::Error::NotDegrees { lon: r.lon, lat: r.lat }.msg();
            refuse("lon,lat", m.zh, m.en);
        }
        codes.push(code.unwrap_or_default());
    }
    if !rejected.is_empty() {
        return Ok(Err(rejected));
    }
    let mut tx = db.begin().await?;
    let now = clock::now_text();
    for (r, code) in rows.iter().zip(&codes) {
        sqlx::query("DELETE FROM circle_buildings WHERE community_code = $1 AND building = $2")
            .bind(code)
            .bind(r.building.trim())
            .execute(&mut *tx)
            .await?;
    }
    for (chunk, codes) in rows.chunks(BATCH).zip(codes.chunks(BATCH)) {
        let mut q = Sql::new(
            db.dialect,
            "INSERT INTO circle_buildings (community_code, building, lon, lat, source, illustrative, placed_by, placed_at)",
        );
        let pairs: Vec<(&BuildingAt, &String)> = chunk.iter().zip(codes).collect();
        q.values(&pairs, |(r, code)| {
            vec![
                code.as_str().into(),
                r.building.trim().into(),
                Some(r.lon).into(),
                Some(r.lat).into(),
                source.into(),
                i64::from(illustrative).into(),
                actor.into(),
                now.as_str().into(),
            ]
        });
        q.into_query().execute(&mut *tx).await?;
    }
    audit_write(
        &mut tx,
        actor,
        "circle.place_buildings",
        "circle_buildings",
        rows.len(),
        Scope::CITY,
        json!({ "rows": rows.len(), "source": source, "illustrative": illustrative }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(rows.len()))
}

/// Every building of the residents registry with its counts and, when placed, its position.
pub async fn registry_buildings(db: &Db) -> Result<Vec<RegistryBuilding>> {
    Ok(sqlx::query_as(
        // Counted first, then placed: one lookup per building, not per resident.
        "SELECT r.community_code, r.building, r.households, r.residents, b.lon, b.lat, b.illustrative
         FROM (SELECT community_code, building, COUNT(DISTINCT household) AS households, COUNT(*) AS residents
               FROM residents GROUP BY community_code, building) r
         LEFT JOIN circle_buildings b ON b.community_code = r.community_code AND b.building = r.building
         ORDER BY r.community_code, r.building",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// One computation of coverage.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Run {
    pub id: i64,
    pub network_id: i64,
    pub network_name: String,
    pub computed_on: String,
    pub computed_at: String,
    pub computed_by: String,
    pub buildings: i64,
    pub residents: i64,
    pub unplaced_buildings: i64,
    pub unplaced_residents: i64,
}

/// A community's coverage for one facility type.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Row {
    pub community_code: String,
    pub type_code: String,
    pub walk_m: i64,
    pub facilities: i64,
    pub residents: i64,
    pub covered: i64,
}

/// A building outside the standard for one facility type.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Gap {
    pub type_code: String,
    pub community_code: String,
    pub building: String,
    pub households: i64,
    pub residents: i64,
    pub lon: f64,
    pub lat: f64,
}

/// Computes coverage on the named network for every facility type of the catalogue over the
/// registry's placed buildings (rules §7.3, `circle::coverage` and `circle::by_group`), and stores
/// it — the run (date, network, placed and unplaced counts), each community's residents and
/// residents covered per type, and the buildings outside the standard — in one transaction with
/// its audit entry.
pub async fn compute_coverage(db: &Db, actor: &str, network: &str) -> Result<Run> {
    let (net, g) = super::load_network(db, network)
        .await?
        .ok_or_else(|| bad("network", format!("没有路网「{network}」"), format!("no network named {network:?}")))?;
    super::seed_catalogue(db, actor).await?;
    let loc = ::circle::Locator::new(&g);
    let buildings = registry_buildings(db).await?;
    let mut community_index: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let (mut homes, mut group, mut placed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut unplaced_b, mut unplaced_r) = (0i64, 0i64);
    for b in &buildings {
        let snap = match (b.lon, b.lat) {
            (Some(lon), Some(lat)) => loc.locate(&g, lon, lat, HOME_SNAP_M).ok(),
            _ => None,
        };
        let Some(s) = snap else {
            unplaced_b += 1;
            unplaced_r += b.residents;
            continue;
        };
        let k = *community_index.entry(b.community_code.clone()).or_insert_with(|| {
            names.push(b.community_code.clone());
            names.len() as u32 - 1
        });
        homes.push(::circle::Home { node: s.node, residents: u32::try_from(b.residents).unwrap_or(u32::MAX) });
        group.push(k);
        placed.push(b);
    }
    let levels = super::levels(db).await?;
    let facilities = super::facilities(db).await?;
    let mut rows: Vec<Row> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    for t in super::facility_types(db).await? {
        let Some(level) = levels.iter().find(|l| l.code == t.level_code) else { continue };
        let walk_m = t.radius_m.map_or(level.walk_m, |r| r.min(level.walk_m));
        let sources: Vec<u32> = facilities
            .iter()
            .filter(|f| f.type_code == t.code)
            .filter_map(|f| loc.locate(&g, f.lon, f.lat, HOME_SNAP_M).ok().map(|s| s.node))
            .collect();
        let c = ::circle::coverage(&g, &homes, &sources, walk_m as f64);
        for (k, (residents, covered)) in ::circle::by_group(&c, &homes, &group, names.len()).into_iter().enumerate() {
            rows.push(Row {
                community_code: names[k].clone(),
                type_code: t.code.clone(),
                walk_m,
                facilities: sources.len() as i64,
                residents: residents as i64,
                covered: covered as i64,
            });
        }
        for i in c.uncovered() {
            let b = placed[i];
            gaps.push(Gap {
                type_code: t.code.clone(),
                community_code: b.community_code.clone(),
                building: b.building.clone(),
                households: b.households,
                residents: b.residents,
                lon: b.lon.unwrap_or_default(),
                lat: b.lat.unwrap_or_default(),
            });
        }
    }
    let mut tx = db.begin().await?;
    let (now, today) = (clock::now_text(), clock::today().to_string());
    let residents: i64 = placed.iter().map(|b| b.residents).sum();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO circle_coverage_runs (network_id, computed_on, computed_at, computed_by, buildings, residents,
                                           unplaced_buildings, unplaced_residents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(net.id)
    .bind(&today)
    .bind(&now)
    .bind(actor)
    .bind(placed.len() as i64)
    .bind(residents)
    .bind(unplaced_b)
    .bind(unplaced_r)
    .fetch_one(&mut *tx)
    .await?;
    for chunk in rows.chunks(BATCH) {
        let mut q = Sql::new(
            db.dialect,
            "INSERT INTO circle_coverage (run_id, community_code, type_code, walk_m, facilities, residents, covered)",
        );
        q.values(chunk, |r| {
            vec![
                id.into(),
                r.community_code.as_str().into(),
                r.type_code.as_str().into(),
                r.walk_m.into(),
                r.facilities.into(),
                r.residents.into(),
                r.covered.into(),
            ]
        });
        q.into_query().execute(&mut *tx).await?;
    }
    for chunk in gaps.chunks(BATCH) {
        let mut q = Sql::new(
            db.dialect,
            "INSERT INTO circle_gaps (run_id, type_code, community_code, building, households, residents, lon, lat)",
        );
        q.values(chunk, |x| {
            vec![
                id.into(),
                x.type_code.as_str().into(),
                x.community_code.as_str().into(),
                x.building.as_str().into(),
                x.households.into(),
                x.residents.into(),
                Some(x.lon).into(),
                Some(x.lat).into(),
            ]
        });
        q.into_query().execute(&mut *tx).await?;
    }
    audit_write(
        &mut tx,
        actor,
        "circle.compute_coverage",
        "circle_coverage_run",
        id,
        Scope::CITY,
        json!({ "network": net.name, "buildings": placed.len(), "residents": residents,
                "unplaced_buildings": unplaced_b, "gaps": gaps.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Run {
        id,
        network_id: net.id,
        network_name: net.name,
        computed_on: today,
        computed_at: now,
        computed_by: actor.to_string(),
        buildings: placed.len() as i64,
        residents,
        unplaced_buildings: unplaced_b,
        unplaced_residents: unplaced_r,
    })
}

/// The most recent computation, if any.
pub async fn latest_run(db: &Db) -> Result<Option<Run>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.network_id, n.name AS network_name, r.computed_on, r.computed_at, r.computed_by, r.buildings,
                r.residents, r.unplaced_buildings, r.unplaced_residents
         FROM circle_coverage_runs r JOIN circle_networks n ON n.id = r.network_id ORDER BY r.id DESC LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?)
}

/// A run's coverage rows, of one community or all.
pub async fn rows(db: &Db, run: i64, community: Option<&str>) -> Result<Vec<Row>> {
    let mut q = Sql::new(
        db.dialect,
        "SELECT community_code, type_code, walk_m, facilities, residents, covered FROM circle_coverage WHERE run_id = ",
    );
    q.bind(run);
    if let Some(c) = community {
        q.push(" AND community_code = ").bind(c);
    }
    q.push(" ORDER BY community_code, type_code");
    Ok(q.query_as().fetch_all(&db.pool).await?)
}

/// A run's buildings outside the standard, of one community or all, of one type or all.
pub async fn gaps(db: &Db, run: i64, community: Option<&str>, type_code: Option<&str>) -> Result<Vec<Gap>> {
    // Conditions only for what is asked: `($2 = '' OR community_code = $2)` kept SQLite from
    // using the community's index, and a community's page read every gap of the city's run.
    let mut q = Sql::new(
        db.dialect,
        "SELECT type_code, community_code, building, households, residents, lon, lat FROM circle_gaps WHERE run_id = ",
    );
    q.bind(run);
    if let Some(c) = community {
        q.push(" AND community_code = ").bind(c);
    }
    if let Some(t) = type_code {
        q.push(" AND type_code = ").bind(t);
    }
    q.push(" ORDER BY community_code, building, type_code");
    Ok(q.query_as().fetch_all(&db.pool).await?)
}

/// Sums rows per facility type (the city's figure from its communities').
pub fn city(rows: &[Row]) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|x| x.type_code == r.type_code) {
            Some(x) => {
                x.residents += r.residents;
                x.covered += r.covered;
            }
            None => out.push(Row { community_code: String::new(), ..r.clone() }),
        }
    }
    out
}

/// A community's placed buildings: (building, lon, lat, illustrative).
pub async fn placed(db: &Db, community: &str) -> Result<Vec<(String, f64, f64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT building, lon, lat, illustrative FROM circle_buildings WHERE community_code = $1 ORDER BY building",
    )
    .bind(community)
    .fetch_all(&db.pool)
    .await?)
}

/// The street segments of a network whose first end lies in the box (lon0, lat0, lon1, lat1):
/// each as [lon, lat, lon, lat], for a map of one area without loading the whole graph.
pub async fn streets_in(db: &Db, network_id: i64, bbox: [f64; 4]) -> Result<Vec<[f64; 4]>> {
    let rows: Vec<(f64, f64, f64, f64)> = sqlx::query_as(
        "SELECT a.lon, a.lat, b.lon, b.lat FROM circle_nodes a
         JOIN circle_edges e ON e.network_id = a.network_id AND e.u = a.idx
         JOIN circle_nodes b ON b.network_id = e.network_id AND b.idx = e.v
         WHERE a.network_id = $1 AND a.lon >= $2 AND a.lat >= $3 AND a.lon <= $4 AND a.lat <= $5",
    )
    .bind(network_id)
    .bind(bbox[0])
    .bind(bbox[1])
    .bind(bbox[2])
    .bind(bbox[3])
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(a, b, c, d)| [a, b, c, d]).collect())
}
