//! Editing the facilities registry one facility at a time (issue 16): add, move, close — each in
//! one transaction with its audit entry, each refusal naming its field and writing nothing.

use super::{Facility, NewFacility, Rejected};
use crate::audit::{Scope, record as audit_write};
use crate::error::bad;
use crate::{Db, Result, StoreError};
use serde_json::json;

/// Every facility of the registry, closed ones too (for the planner's list and the export).
pub async fn registry(db: &Db) -> Result<Vec<Facility>> {
    Ok(sqlx::query_as(
        "SELECT id, type_code, name, lon, lat, capacity, opening_hours, owner, former_street_office, created_at,
                closed_on FROM circle_facilities ORDER BY type_code, name",
    )
    .fetch_all(&db.pool)
    .await?)
}

pub async fn facility(db: &Db, id: i64) -> Result<Facility> {
    sqlx::query_as(
        "SELECT id, type_code, name, lon, lat, capacity, opening_hours, owner, former_street_office, created_at,
                closed_on FROM circle_facilities WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

/// Adds one facility with the import's checks (type in the catalogue, name free for the type, a
/// position on the network when one is given); audited as `circle.add_facility`.
pub async fn add(
    db: &Db,
    actor: &str,
    row: &NewFacility,
    network: Option<&::circle::Graph>,
    max_snap_m: f64,
) -> Result<std::result::Result<Facility, Vec<Rejected>>> {
    match super::insert_facilities(db, actor, "circle.add_facility", std::slice::from_ref(row), network, max_snap_m)
        .await?
    {
        Err(r) => Ok(Err(r)),
        Ok(_) => {
            let id: i64 = sqlx::query_scalar(
                "SELECT id FROM circle_facilities WHERE name = $1 AND type_code IN
                   (SELECT code FROM circle_facility_types WHERE code = $2 OR name = $2)",
            )
            .bind(row.name.trim())
            .bind(row.type_text.trim())
            .fetch_one(&db.pool)
            .await?;
            Ok(Ok(facility(db, id).await?))
        }
    }
}

/// Moves a facility to a new WGS 84 position (on the network when one is given).
pub async fn relocate(
    db: &Db,
    actor: &str,
    id: i64,
    lon: f64,
    lat: f64,
    network: Option<&::circle::Graph>,
    max_snap_m: f64,
) -> Result<Facility> {
    let f = facility(db, id).await?;
    if f.closed_on.is_some() {
        return Err(bad("id", "设施已关闭，不能移动", "the facility is closed and cannot be moved"));
    }
    let placed = match network {
        Some(g) => ::circle::Locator::new(g).locate(g, lon, lat, max_snap_m).map(|_| ()),
        None if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 => Ok(()),
        None => Err(::circle::Error::NotDegrees { lon, lat }),
    };
    if let Err(e) = placed {
        return Err(StoreError::invalid("lon", e.msg()));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE circle_facilities SET lon = $1, lat = $2 WHERE id = $3")
        .bind(lon)
        .bind(lat)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "circle.move_facility",
        "circle_facility",
        id,
        Scope::CITY,
        json!({ "name": f.name, "from": [f.lon, f.lat], "to": [lon, lat] }),
    )
    .await?;
    tx.commit().await?;
    facility(db, id).await
}

/// Closes a facility from a date (ISO, `YYYY-MM-DD`): it stays in the registry but no longer
/// counts from that day. Closing twice is refused.
pub async fn close(db: &Db, actor: &str, id: i64, on: &str, reason: &str) -> Result<Facility> {
    let f = facility(db, id).await?;
    if f.closed_on.is_some() {
        return Err(bad("id", "设施已关闭", "the facility is already closed"));
    }
    let on = on.trim();
    if time::Date::parse(on, &time::format_description::well_known::Iso8601::DATE).is_err() {
        return Err(bad("closed_on", "关闭日期应为 年-月-日", "the closing date must be YYYY-MM-DD"));
    }
    if reason.trim().is_empty() {
        return Err(bad("reason", "请说明关闭原因", "say why it closes"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE circle_facilities SET closed_on = $1 WHERE id = $2")
        .bind(on)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "circle.close_facility",
        "circle_facility",
        id,
        Scope::CITY,
        json!({ "name": f.name, "closed_on": on, "reason": reason.trim() }),
    )
    .await?;
    tx.commit().await?;
    facility(db, id).await
}
