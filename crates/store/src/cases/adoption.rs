//! Which items of the city catalogue a community's service center takes
//! (事项清单 adopted per community). Intake refuses the others.

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use serde_json::json;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Adoption is re-read at most this often (another node may change it).
const TTL: Duration = Duration::from_secs(60);

/// The item codes a community has adopted (cached).
pub async fn adopted(db: &Db, community: &str) -> Result<BTreeSet<String>> {
    if let Some((t, set)) = db.cases.adopted.read().unwrap_or_else(|e| e.into_inner()).get(community)
        && t.elapsed() < TTL
    {
        return Ok(set.clone());
    }
    let rows: Vec<(String,)> = sqlx::query_as("SELECT item_code FROM community_items WHERE community_code = $1")
        .bind(community)
        .fetch_all(&db.pool)
        .await?;
    let set: BTreeSet<String> = rows.into_iter().map(|(c,)| c).collect();
    db.cases
        .adopted
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(community.to_string(), (Instant::now(), set.clone()));
    Ok(set)
}

/// Whether a community has adopted an item (from the cache, without copying it).
pub(crate) async fn is_adopted(db: &Db, community: &str, item: &str) -> Result<bool> {
    if let Some((t, set)) = db.cases.adopted.read().unwrap_or_else(|e| e.into_inner()).get(community)
        && t.elapsed() < TTL
    {
        return Ok(set.contains(item));
    }
    Ok(adopted(db, community).await?.contains(item))
}

/// Sets the community's adopted items to exactly `items`: one transaction,
/// one audit entry naming what was added and withdrawn.
pub async fn set_adopted(db: &Db, actor: &str, community: &str, items: &[String]) -> Result<BTreeSet<String>> {
    let catalogue: BTreeSet<String> = super::items(db).await?.into_iter().map(|i| i.code).collect();
    let want: BTreeSet<String> = items.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if let Some(unknown) = want.iter().find(|c| !catalogue.contains(*c)) {
        return Err(bad("items", format!("未知的服务事项：{unknown}"), format!("unknown service item: {unknown}")));
    }
    let district: String = sqlx::query_scalar("SELECT district_code FROM communities WHERE code = $1")
        .bind(community)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut tx = db.begin().await?;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT item_code FROM community_items WHERE community_code = $1")
        .bind(community)
        .fetch_all(&mut *tx)
        .await?;
    let have: BTreeSet<String> = rows.into_iter().map(|(c,)| c).collect();
    let added: Vec<&String> = want.difference(&have).collect();
    let withdrawn: Vec<&String> = have.difference(&want).collect();
    for code in &withdrawn {
        sqlx::query("DELETE FROM community_items WHERE community_code = $1 AND item_code = $2")
            .bind(community)
            .bind(code.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let now = clock::now_text();
    for code in &added {
        sqlx::query(
            "INSERT INTO community_items (community_code, district_code, item_code, adopted_at, adopted_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(community)
        .bind(&district)
        .bind(code.as_str())
        .bind(&now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "case.items.adopt",
        "community",
        0,
        (community, &district),
        json!({ "added": added, "withdrawn": withdrawn }),
    )
    .await?;
    tx.commit().await?;
    db.cases.adopted.write().unwrap_or_else(|e| e.into_inner()).remove(community);
    Ok(want)
}

/// Adopts every catalogue item in every community (set-up and demo).
pub async fn adopt_all(db: &Db) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO community_items (community_code, district_code, item_code, adopted_at, adopted_by) \
         SELECT c.code, c.district_code, i.code, $1, 'setup' FROM communities c CROSS JOIN service_items i \
         WHERE NOT EXISTS (SELECT 1 FROM community_items x WHERE x.community_code = c.code AND x.item_code = i.code)",
    )
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit_write(&mut tx, "setup", "case.items.adopt_all", "community", 0, ("", ""), json!({})).await?;
    tx.commit().await?;
    db.cases.adopted.write().unwrap_or_else(|e| e.into_inner()).clear();
    Ok(())
}

/// The catalogue items a community's service center takes, in catalogue order.
pub async fn offered(db: &Db, community: &str) -> Result<Vec<super::Item>> {
    let set = adopted(db, community).await?;
    Ok(super::items(db).await?.into_iter().filter(|i| set.contains(&i.code)).collect())
}
