//! Inserts for the fixed parts of a city's structure (demo and set-up).
//! Each takes the caller's transaction, so a whole seed is one action.

use crate::{Result, Tx};
use rules::division::{BigCommunity, District};

pub async fn district(tx: &mut Tx, d: &District) -> Result<()> {
    sqlx::query(
        "INSERT INTO districts (code, name, name_en, valid_from, valid_to, successor) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(d.code)
    .bind(d.name)
    .bind(d.name_en)
    .bind(d.valid_from.map(|x| x.to_string()))
    .bind(d.valid_to.map(|x| x.to_string()))
    .bind(d.successor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks what the demo invented (migration 0022), so pages show it as 示例:
/// every center's address, phone and hours and every founding date, the
/// codes not seen in a source, the functions register's dates and
/// departments, and the providers' phones and credit codes.
pub async fn mark_invented(db: &crate::Db) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE communities SET details_illustrative = 1").execute(&mut *tx).await?;
    // Every community's code is 示例 unless a source showed it (rules §4): also a community
    // the demo added beyond the 23 (`--scale city`), whose code no source gives.
    sqlx::query("UPDATE communities SET code_illustrative = 1").execute(&mut *tx).await?;
    for code in rules::division::VERIFIED_COMMUNITY_CODES {
        sqlx::query("UPDATE communities SET code_illustrative = 0 WHERE code = $1")
            .bind(*code)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE functions SET illustrative = 1").execute(&mut *tx).await?;
    sqlx::query("UPDATE providers SET illustrative = 1").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

pub struct Center {
    pub address: String,
    pub phone: String,
    pub hours: String,
}

pub async fn community(tx: &mut Tx, c: &BigCommunity, center: &Center) -> Result<()> {
    rules::division::check_district_era(c.code, c.formed.max(rules::division::BOUNDARY_CHANGE))
        .map_err(|m| crate::StoreError::invalid("code", m))?;
    sqlx::query(
        "INSERT INTO communities (code, district_code, former_district_code, name, formed_on, illustrative, center_address, center_phone, center_hours) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.code)
    .bind(c.district)
    .bind(c.former_district)
    .bind(c.name)
    .bind(c.formed.to_string())
    .bind(c.illustrative as i64)
    .bind(&center.address)
    .bind(&center.phone)
    .bind(&center.hours)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn body(tx: &mut Tx, c: &BigCommunity, kind: &str, name: &str) -> Result<()> {
    sqlx::query("INSERT INTO bodies (community_code, district_code, kind, name) VALUES ($1, $2, $3, $4)")
        .bind(c.code)
        .bind(c.district)
        .bind(kind)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn group(tx: &mut Tx, c: &BigCommunity, name: &str) -> Result<()> {
    sqlx::query("INSERT INTO resident_groups (community_code, district_code, name) VALUES ($1, $2, $3)")
        .bind(c.code)
        .bind(c.district)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// [name, name_en, direction (down|up), receiver, effective_on, source]
pub async fn function(tx: &mut Tx, f: [&str; 6]) -> Result<()> {
    sqlx::query("INSERT INTO functions (name, name_en, direction, receiver, effective_on, source) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(f[0])
        .bind(f[1])
        .bind(f[2])
        .bind(f[3])
        .bind(f[4])
        .bind(f[5])
        .execute(&mut **tx)
        .await?;
    Ok(())
}
