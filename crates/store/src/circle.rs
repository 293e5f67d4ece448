//! The 15-minute living circle's stored data (issue 16, rules §7): walking networks imported
//! from OpenStreetMap, kept so the server needs no re-import, and the catalogue of levels and
//! facility types, seeded from `circle::catalogue` and editable.

use crate::audit::{Scope, record as audit_write};
use crate::error::bad;
use crate::sql::Sql;
use crate::{Db, Result, StoreError, clock};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

pub mod edit;
pub mod file;
pub mod homes;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Network {
    pub id: i64,
    pub name: String,
    pub source: String,
    pub node_count: i64,
    pub edge_count: i64,
    pub imported_by: String,
    pub imported_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Level {
    pub code: String,
    pub name: String,
    pub minutes: i64,
    pub walk_m: i64,
    pub range_text: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct FacilityType {
    pub code: String,
    pub name: String,
    pub level_code: String,
    pub radius_m: Option<i64>,
    pub source: String,
}

/// Rows per insert statement (at most 10 values each: well under both databases' parameter limits).
const BATCH: usize = 500;

/// A place farther than this from every walking-graph node is stored without a node.
pub const PLACE_SNAP_M: f64 = 500.0;

/// Stores a walking graph under `name` — nodes, edges, and the extract's buildings and amenities
/// placed on their nearest node within [`PLACE_SNAP_M`] — in one transaction with its audit
/// entry: an import that fails leaves nothing behind. `progress(rows)` after each batch (the
/// total is nodes + edges + places). A name in use is refused (field `name`).
pub async fn import_network(
    db: &Db,
    actor: &str,
    name: &str,
    source: &str,
    g: &::circle::Graph,
    places: &[::circle::Place],
    mut progress: impl FnMut(usize),
) -> Result<Network> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(bad("name", "路网名称应为 1–100 个字符", "the network's name must be 1–100 characters"));
    }
    if g.node_count() == 0 {
        return Err(bad("file", "没有可导入的步行路网", "there is no walking graph to import"));
    }
    let mut tx = db.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM circle_networks WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(bad("name", "该路网名称已存在", "a network of this name exists"));
    }
    let now = clock::now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO circle_networks (name, source, node_count, edge_count, imported_by, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(source)
    .bind(g.node_count() as i64)
    .bind(g.edge_count() as i64)
    .bind(actor)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let nodes: Vec<usize> = (0..g.node_count()).collect();
    for chunk in nodes.chunks(BATCH) {
        let mut q = Sql::new(db.dialect, "INSERT INTO circle_nodes (network_id, idx, osm_id, lon, lat)");
        q.values(chunk, |&i| {
            vec![id.into(), (i as i64).into(), g.ids[i].into(), Some(g.lon[i]).into(), Some(g.lat[i]).into()]
        });
        q.into_query().execute(&mut *tx).await?;
        progress(chunk.len());
    }
    let edges: Vec<usize> = (0..g.edge_count()).collect();
    for chunk in edges.chunks(BATCH) {
        let mut q = Sql::new(db.dialect, "INSERT INTO circle_edges (network_id, u, v, length_m)");
        q.values(chunk, |&k| {
            vec![id.into(), i64::from(g.edge_u[k]).into(), i64::from(g.edge_v[k]).into(), Some(g.edge_m[k]).into()]
        });
        q.into_query().execute(&mut *tx).await?;
        progress(chunk.len());
    }
    let loc = ::circle::Locator::new(g);
    for chunk in places.chunks(BATCH) {
        let mut q = Sql::new(
            db.dialect,
            "INSERT INTO circle_places (network_id, osm_type, osm_id, building, amenity, name, lon, lat, node_idx, snap_m)",
        );
        q.values(chunk, |p| {
            let snap = loc.nearest(p.lon, p.lat, PLACE_SNAP_M).and_then(|i| {
                let d = ::circle::haversine_m(p.lon, p.lat, g.lon[i as usize], g.lat[i as usize]);
                (d <= PLACE_SNAP_M).then_some((i64::from(i), d))
            });
            vec![
                id.into(),
                (if p.way { "way" } else { "node" }).into(),
                p.id.into(),
                p.building.clone().into(),
                p.amenity.clone().into(),
                p.name.clone().into(),
                Some(p.lon).into(),
                Some(p.lat).into(),
                snap.map(|s| s.0).into(),
                snap.map(|s| s.1).into(),
            ]
        });
        q.into_query().execute(&mut *tx).await?;
        progress(chunk.len());
    }
    seed_catalogue_in(&mut tx, actor).await?;
    audit_write(
        &mut tx,
        actor,
        "circle.import_network",
        "circle_network",
        id,
        Scope::CITY,
        json!({ "name": name, "source": source, "nodes": g.node_count(), "edges": g.edge_count(), "places": places.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Network {
        id,
        name: name.to_string(),
        source: source.to_string(),
        node_count: g.node_count() as i64,
        edge_count: g.edge_count() as i64,
        imported_by: actor.to_string(),
        imported_at: now,
    })
}

/// A network's buildings (ways and nodes tagged `building`) and amenities, as stored.
pub async fn place_counts(db: &Db, network_id: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN building IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN amenity IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM circle_places WHERE network_id = $1",
    )
    .bind(network_id)
    .fetch_one(&db.pool)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

pub async fn networks(db: &Db) -> Result<Vec<Network>> {
    Ok(sqlx::query_as(
        "SELECT id, name, source, node_count, edge_count, imported_by, imported_at FROM circle_networks ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// A stored network and its graph, ready for the engine.
pub async fn load_network(db: &Db, name: &str) -> Result<Option<(Network, ::circle::Graph)>> {
    let net: Option<Network> = sqlx::query_as(
        "SELECT id, name, source, node_count, edge_count, imported_by, imported_at FROM circle_networks WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(&db.pool)
    .await?;
    let Some(net) = net else { return Ok(None) };
    let rows = sqlx::query("SELECT osm_id, lon, lat FROM circle_nodes WHERE network_id = $1 ORDER BY idx")
        .bind(net.id)
        .fetch_all(&db.pool)
        .await?;
    let (mut ids, mut lon, mut lat) = (Vec::new(), Vec::new(), Vec::new());
    for r in rows {
        ids.push(r.try_get::<i64, _>(0)?);
        lon.push(r.try_get::<f64, _>(1)?);
        lat.push(r.try_get::<f64, _>(2)?);
    }
    let rows = sqlx::query("SELECT u, v, length_m FROM circle_edges WHERE network_id = $1 ORDER BY u, v")
        .bind(net.id)
        .fetch_all(&db.pool)
        .await?;
    let (mut u, mut v, mut m) = (Vec::new(), Vec::new(), Vec::new());
    let index =
        |x: i64| u32::try_from(x).map_err(|_| StoreError::Config(format!("network {name}: bad node index {x}")));
    for r in rows {
        u.push(index(r.try_get::<i64, _>(0)?)?);
        v.push(index(r.try_get::<i64, _>(1)?)?);
        m.push(r.try_get::<f64, _>(2)?);
    }
    let g = ::circle::Graph::from_parts(ids, lon, lat, u, v, m)
        .ok_or_else(|| StoreError::Config(format!("the stored network {name} is inconsistent")))?;
    Ok(Some((net, g)))
}

/// Inserts the default levels and facility types (rules §7) where their codes are missing;
/// edited rows stay as they are. Audited when it adds anything.
async fn seed_catalogue_in(tx: &mut crate::Tx, actor: &str) -> Result<()> {
    let mut added = 0;
    for (k, l) in ::circle::catalogue::LEVELS.iter().enumerate() {
        added += sqlx::query(
            "INSERT INTO circle_levels (code, name, minutes, walk_m, range_text, source, sort)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING",
        )
        .bind(l.code)
        .bind(l.name)
        .bind(i64::from(l.minutes))
        .bind(i64::from(l.walk_m))
        .bind(l.range)
        .bind(l.source)
        .bind(k as i64)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    for (k, t) in ::circle::catalogue::TYPES.iter().enumerate() {
        added += sqlx::query(
            "INSERT INTO circle_facility_types (code, name, level_code, radius_m, source, sort)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING",
        )
        .bind(t.code)
        .bind(t.name)
        .bind(t.level)
        .bind(t.radius_m.map(i64::from))
        .bind(t.source)
        .bind(k as i64)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    if added > 0 {
        audit_write(
            tx,
            actor,
            "circle.seed_catalogue",
            "circle_levels",
            "GB 50180-2018",
            Scope::CITY,
            json!({ "rows": added }),
        )
        .await?;
    }
    Ok(())
}

/// Seeds the catalogue (see [`seed_catalogue_in`]) in its own transaction.
pub async fn seed_catalogue(db: &Db, actor: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    seed_catalogue_in(&mut tx, actor).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn levels(db: &Db) -> Result<Vec<Level>> {
    Ok(sqlx::query_as("SELECT code, name, minutes, walk_m, range_text, source FROM circle_levels ORDER BY sort, code")
        .fetch_all(&db.pool)
        .await?)
}

pub async fn facility_types(db: &Db) -> Result<Vec<FacilityType>> {
    Ok(sqlx::query_as("SELECT code, name, level_code, radius_m, source FROM circle_facility_types ORDER BY sort, code")
        .fetch_all(&db.pool)
        .await?)
}

/// A planner's local standard: a level's walking distance and where the number comes from.
pub async fn set_level_distance(db: &Db, actor: &str, code: &str, walk_m: i64, source: &str) -> Result<Level> {
    if !(50..=5000).contains(&walk_m) {
        return Err(bad("walk_m", "步行距离应在 50–5000 米之间", "the walking distance must be 50–5000 m"));
    }
    if source.trim().is_empty() {
        return Err(bad("source", "请注明距离的出处（国标或地方标准）", "say where the distance comes from"));
    }
    let mut tx = db.begin().await?;
    let n = sqlx::query("UPDATE circle_levels SET walk_m = $1, source = $2 WHERE code = $3")
        .bind(walk_m)
        .bind(source.trim())
        .bind(code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(bad("code", "没有这个生活圈层级", "no such living-circle level"));
    }
    audit_write(
        &mut tx,
        actor,
        "circle.set_level_distance",
        "circle_level",
        code,
        Scope::CITY,
        json!({ "walk_m": walk_m, "source": source.trim() }),
    )
    .await?;
    tx.commit().await?;
    levels(db).await?.into_iter().find(|l| l.code == code).ok_or(StoreError::NotFound)
}

/// A facility of the registry.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Facility {
    pub id: i64,
    pub type_code: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub capacity: Option<i64>,
    pub opening_hours: String,
    pub owner: String,
    pub former_street_office: i64,
    pub created_at: String,
    /// The date it closed (it no longer counts from that day).
    pub closed_on: Option<String>,
}

/// One row of a facilities file, as read; `line` numbers it for the rejections.
#[derive(Debug, Clone, Default)]
pub struct NewFacility {
    pub line: usize,
    /// A catalogue code (`kindergarten`) or name (`幼儿园`).
    pub type_text: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub capacity: Option<i64>,
    pub opening_hours: String,
    pub owner: String,
    pub former_street_office: bool,
}

/// A row refused, with the field and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    pub line: usize,
    pub field: String,
    pub msg: rules::Msg,
}

/// Imports facilities all or nothing: every row is checked — its type in the catalogue (by code
/// or name), a name not used by another facility of the type, and a position the engine accepts
/// (WGS 84 degrees, not swapped, and within `max_snap_m` of the network when one is given) — and
/// if any row is refused nothing is written and every refusal is returned. Else one transaction
/// with its audit entry; the number of facilities added.
pub async fn import_facilities(
    db: &Db,
    actor: &str,
    rows: &[NewFacility],
    network: Option<&::circle::Graph>,
    max_snap_m: f64,
) -> Result<std::result::Result<usize, Vec<Rejected>>> {
    insert_facilities(db, actor, "circle.import_facilities", rows, network, max_snap_m).await
}

/// [`import_facilities`]'s checks and insert, audited under `action`.
async fn insert_facilities(
    db: &Db,
    actor: &str,
    action: &str,
    rows: &[NewFacility],
    network: Option<&::circle::Graph>,
    max_snap_m: f64,
) -> Result<std::result::Result<usize, Vec<Rejected>>> {
    seed_catalogue(db, actor).await?;
    let types = facility_types(db).await?;
    let taken: Vec<(String, String)> =
        sqlx::query_as("SELECT type_code, name FROM circle_facilities").fetch_all(&db.pool).await?;
    let loc = network.map(|g| (g, ::circle::Locator::new(g)));
    let mut seen = std::collections::HashSet::new();
    let mut rejected = Vec::new();
    let mut codes = Vec::new();
    for r in rows {
        let mut refuse = |field: &str, zh: String, en: String| {
            rejected.push(Rejected { line: r.line, field: field.into(), msg: rules::Msg::new(zh, en) })
        };
        let t = r.type_text.trim();
        let code = types.iter().find(|x| x.code == t || x.name == t).map(|x| x.code.clone());
        if code.is_none() {
            refuse(
                "type",
                format!("设施类型「{t}」不在目录中"),
                format!("facility type {t:?} is not in the catalogue"),
            );
        }
        let name = r.name.trim();
        if name.is_empty() {
            refuse("name", "名称为空".into(), "the name is empty".into());
        } else if let Some(c) = &code
            && (taken.iter().any(|(tc, n)| tc == c && n == name) || !seen.insert((c.clone(), name.to_string())))
        {
            refuse(
                "name",
                format!("同类设施「{name}」已登记"),
                format!("a facility of this type named {name:?} exists"),
            );
        }
        let placed = match &loc {
            Some((g, l)) => l.locate(g, r.lon, r.lat, max_snap_m).map(|_| ()),
            None if r.lon.is_finite() && r.lat.is_finite() && r.lon.abs() <= 180.0 && r.lat.abs() <= 90.0 => Ok(()),
            None => Err(::circle::Error::NotDegrees { lon: r.lon, lat: r.lat }),
        };
        if let Err(e) = placed {
            let m = e.msg();
            refuse("lon,lat", m.zh, m.en);
        }
        if r.capacity.is_some_and(|c| c < 0) {
            refuse("capacity", "容量不能为负数".into(), "the capacity cannot be negative".into());
        }
        codes.push(code.unwrap_or_default());
    }
    if !rejected.is_empty() {
        return Ok(Err(rejected));
    }
    let mut tx = db.begin().await?;
    let now = clock::now_text();
    for (chunk, codes) in rows.chunks(BATCH).zip(codes.chunks(BATCH)) {
        let mut q = Sql::new(
            db.dialect,
            "INSERT INTO circle_facilities (type_code, name, lon, lat, capacity, opening_hours, owner, former_street_office, created_at)",
        );
        let pairs: Vec<(&NewFacility, &String)> = chunk.iter().zip(codes).collect();
        q.values(&pairs, |(r, code)| {
            vec![
                code.as_str().into(),
                r.name.trim().into(),
                Some(r.lon).into(),
                Some(r.lat).into(),
                r.capacity.into(),
                r.opening_hours.trim().into(),
                r.owner.trim().into(),
                i64::from(r.former_street_office).into(),
                now.as_str().into(),
            ]
        });
        q.into_query().execute(&mut *tx).await?;
    }
    audit_write(
        &mut tx,
        actor,
        action,
        "circle_facilities",
        rows.len(),
        Scope::CITY,
        json!({ "rows": rows.len(), "names": rows.iter().take(20).map(|r| r.name.trim()).collect::<Vec<_>>() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(rows.len()))
}

/// The registry's facilities open today, and the venues resident units open to residents
/// under co-building agreements in force today that are placed on the map
/// (their `id` is the commitment's, negated; `owner` names the unit).
pub async fn facilities(db: &Db) -> Result<Vec<Facility>> {
    let mut all: Vec<Facility> = sqlx::query_as(
        "SELECT id, type_code, name, lon, lat, capacity, opening_hours, owner, former_street_office, created_at, closed_on
         FROM circle_facilities WHERE closed_on IS NULL OR closed_on > $1 ORDER BY type_code, name",
    )
    .bind(crate::clock::today().to_string())
    .fetch_all(&db.pool)
    .await?;
    let today = crate::clock::today().to_string();
    let venues: Vec<Facility> = sqlx::query_as(
        "SELECT -c.id AS id, c.venue_type AS type_code, c.description AS name, c.venue_lon AS lon, c.venue_lat AS lat,
                CAST(NULL AS BIGINT) AS capacity, c.schedule AS opening_hours, u.name || '（共驻共建）' AS owner,
                CAST(0 AS BIGINT) AS former_street_office, a.signed_on AS created_at,
                CAST(NULL AS TEXT) AS closed_on
         FROM party_commitments c JOIN party_agreements a ON a.id = c.agreement_id JOIN units u ON u.id = c.unit_id
         WHERE c.kind = 'venue' AND c.venue_type IS NOT NULL AND c.venue_lon IS NOT NULL AND c.venue_lat IS NOT NULL
           AND a.period_from <= $1 AND a.period_to >= $1
         ORDER BY c.venue_type, c.description",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    all.extend(venues);
    Ok(all)
}
