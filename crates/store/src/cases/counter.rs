//! What the counter's checks (`cases::intake`, rules I1 and I2) read from the
//! database: the places a community knows, and a registered resident by ID number.

use crate::{Db, Result};

/// The places `community` knows (rule I2): its name, its registry's buildings and its residents' groups.
pub async fn known_places(db: &Db, community: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> =
        sqlx::query_scalar("SELECT name FROM communities WHERE code = $1").bind(community).fetch_all(&db.pool).await?;
    out.extend(
        sqlx::query_scalar::<_, String>("SELECT name FROM resident_groups WHERE community_code = $1")
            .bind(community)
            .fetch_all(&db.pool)
            .await?,
    );
    out.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT DISTINCT building FROM residents WHERE community_code = $1 AND building <> '' LIMIT 2000",
        )
        .bind(community)
        .fetch_all(&db.pool)
        .await?,
    );
    Ok(out)
}

/// The registered resident of `community` with this (valid, upper-case) ID number, found
/// through the blind index (the number itself is never compared in the clear).
pub async fn resident_by_id_number(db: &Db, community: &str, id_number: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM residents WHERE id_index = $1 AND community_code = $2")
        .bind(db.seal.index(id_number))
        .bind(community)
        .fetch_optional(&db.pool)
        .await?)
}
