//! The result announced on the spot, the ballots sealed in public, and the
//! result filed with the district, which records its receipt (rules §2.20).
//! The rules are the engine's ([`election::rounds::check_announce`],
//! [`election::rounds::check_filing`]); each step is one transaction with its audit entry.

use super::{Election, ElectionStatus};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use serde::Serialize;
use serde_json::json;
use time::Date;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Filing {
    pub election_id: i64,
    pub announced_on: String,
    pub sealed_on: String,
    /// Where and how the ballots were sealed (封存地点、封条编号 …).
    pub seal_note: String,
    pub announced_by: String,
    pub filed_on: Option<String>,
    pub filed_by: Option<String>,
    pub received_on: Option<String>,
    pub received_by: Option<String>,
    /// The district's receipt reference (备案号).
    pub reference: Option<String>,
}

pub async fn filing(db: &Db, election_id: i64) -> Result<Option<Filing>> {
    Ok(sqlx::query_as(
        "SELECT election_id, announced_on, sealed_on, seal_note, announced_by, filed_on, filed_by, received_on, received_by, reference \
         FROM election_filings WHERE election_id = $1",
    )
    .bind(election_id)
    .fetch_optional(&db.pool)
    .await?)
}

async fn audit(tx: &mut crate::Tx, actor: &str, e: &Election, what: &str, detail: serde_json::Value) -> Result<()> {
    audit_write(tx, actor, what, "election", e.id, (&e.community_code, &e.district_code), detail).await?;
    Ok(())
}

/// §2.20: announce the result and record the sealing, once the rounds are over
/// (no run-off or 另行选举 due).
pub async fn announce(
    db: &Db,
    actor: &str,
    e: &Election,
    announced_on: Date,
    sealed_on: Date,
    note: &str,
) -> Result<Filing> {
    if !matches!(e.status, ElectionStatus::Counted | ElectionStatus::Seated) {
        return Err(bad("status", "尚未计票，没有可公布的结果", "nothing is counted yet to announce"));
    }
    let next = super::rounds::next(db, e).await?.ok_or_else(|| bad("status", "尚未计票", "not counted yet"))?;
    election::rounds::check_announce(&next).map_err(|m| StoreError::invalid("round", m))?;
    if super::rounds::rounds(db, e.id).await?.iter().any(|r| r.status == super::RoundStatus::Polling) {
        return Err(bad("round", "还有一轮投票尚未计票", "a round is still open"));
    }
    let mut tx = db.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM election_filings WHERE election_id = $1")
        .bind(e.id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(bad("announced_on", "选举结果已公布", "the result is already announced"));
    }
    sqlx::query(
        "INSERT INTO election_filings (election_id, announced_on, sealed_on, seal_note, announced_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(e.id)
    .bind(announced_on.to_string())
    .bind(sealed_on.to_string())
    .bind(note)
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    let detail = json!({ "announced_on": announced_on.to_string(), "sealed_on": sealed_on.to_string(), "seal_note": note, "next": next });
    audit(&mut tx, actor, e, "election.announce", detail).await?;
    tx.commit().await?;
    filing(db, e.id).await?.ok_or(StoreError::NotFound)
}

/// §2.20: file the announced result with the district.
pub async fn file(db: &Db, actor: &str, e: &Election, filed_on: Date) -> Result<Filing> {
    let f = filing(db, e.id).await?;
    let day = |s: Option<&String>| s.and_then(|d| clock::parse_date(d));
    election::rounds::check_filing(
        day(f.as_ref().map(|f| &f.announced_on)),
        day(f.as_ref().map(|f| &f.sealed_on)),
        filed_on,
    )
    .map_err(|m| StoreError::invalid("filed_on", m))?;
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE election_filings SET filed_on = $1, filed_by = $2 WHERE election_id = $3 AND filed_on IS NULL",
    )
    .bind(filed_on.to_string())
    .bind(actor)
    .bind(e.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("filed_on", "选举结果已报区备案", "the result is already filed"));
    }
    audit(&mut tx, actor, e, "election.file", json!({ "filed_on": filed_on.to_string() })).await?;
    tx.commit().await?;
    filing(db, e.id).await?.ok_or(StoreError::NotFound)
}

/// The district records that it received the filing, with its reference.
pub async fn receive(db: &Db, actor: &str, e: &Election, received_on: Date, reference: &str) -> Result<Filing> {
    let f = filing(db, e.id).await?;
    let Some(filed) = f.as_ref().and_then(|f| f.filed_on.as_deref()).and_then(clock::parse_date) else {
        return Err(bad("received_on", "社区尚未报送备案", "the community has not filed the result yet"));
    };
    if received_on < filed {
        return Err(bad("received_on", "受理日期不能早于报送日期", "received cannot be before it was filed"));
    }
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE election_filings SET received_on = $1, received_by = $2, reference = $3 WHERE election_id = $4 AND received_on IS NULL",
    )
    .bind(received_on.to_string())
    .bind(actor)
    .bind(reference)
    .bind(e.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("received_on", "区已受理该备案", "the district has already received this filing"));
    }
    audit(
        &mut tx,
        actor,
        e,
        "election.filing.receive",
        json!({ "received_on": received_on.to_string(), "reference": reference }),
    )
    .await?;
    tx.commit().await?;
    filing(db, e.id).await?.ok_or(StoreError::NotFound)
}
