//! The hotline's triage queue (待分派): Open311 clients may locate a request
//! by an address alone (GeoReport v2's `address_string`). The registry places
//! it when the address names exactly one community — by the community's name,
//! or by a street and number that residents of one community live at. A
//! request it cannot place waits here until a hotline operator routes it to a
//! community by hand, which makes it an ordinary case; the queue has its own
//! time limit ([`TRIAGE_HOURS`]).

use crate::Capped;
use crate::cases::{Case, NewCase};
use crate::error::bad;
use crate::{Db, Result, StoreError, audit, clock};
use serde_json::json;
use std::collections::BTreeSet;

/// How long a request may wait in the triage queue before it is overdue.
pub const TRIAGE_HOURS: i64 = 4;

/// A request waiting to be routed (or routed: `case_id`).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Triage {
    pub id: i64,
    pub client: String,
    pub service_code: String,
    pub address: String,
    pub received_at: String,
    pub due_at: String,
    pub routed_by: Option<String>,
    pub routed_at: Option<String>,
    pub case_id: Option<i64>,
}

/// The street suffix and number of an address, up to and including 号
/// ("路229号" of "铜官区北京路229号4栋"): enough to find the registry addresses
/// on the same number of a street of that kind. None when the text names no number.
fn street_number(text: &str) -> Option<&str> {
    let end = text.find('号')? + '号'.len_utf8();
    let before = text[..end - '号'.len_utf8()].trim_end_matches(|c: char| c.is_ascii_digit());
    if before.len() + '号'.len_utf8() == end {
        return None;
    }
    let suffix = before.chars().last().filter(|c| matches!(c, '路' | '街' | '巷' | '道' | '弄' | '里'))?;
    Some(&text[before.len() - suffix.len_utf8()..end])
}

/// The one community an address names, if exactly one: a community's name in
/// the text, else the street and number of residents' addresses in the registry.
pub async fn place(db: &Db, text: &str) -> Result<Option<String>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let communities: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM communities").fetch_all(&db.pool).await?;
    let named: BTreeSet<&String> =
        communities.iter().filter(|(_, n)| text.contains(n.as_str())).map(|(c, _)| c).collect();
    if named.len() == 1 {
        return Ok(named.into_iter().next().cloned());
    }
    let Some(key) = street_number(text) else { return Ok(None) };
    // Registry addresses with the same suffix and number whose street and
    // number (up to and including its first 号) the text holds whole
    // ("北京路229号", not only "路229号"): the communities they are in, two
    // at most, since two already leave it to an operator.
    let find = if db.dialect == crate::Dialect::Sqlite { "instr" } else { "strpos" };
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT community_code FROM residents WHERE address LIKE $1 \
         AND {find}($2, substr(address, 1, {find}(address, '号'))) > 0 LIMIT 2"
    )))
    .bind(format!("%{key}%"))
    .bind(text)
    .fetch_all(&db.pool)
    .await?;
    Ok(if found.len() == 1 { found.into_iter().next() } else { None })
}

/// Put a request the registry could not place into the triage queue.
pub async fn queue(db: &Db, client: &str, service_code: &str, n: &NewCase) -> Result<Triage> {
    let now = time::OffsetDateTime::now_utc();
    let due = clock::text(now + time::Duration::hours(TRIAGE_HOURS));
    let request = serde_json::to_string(n).map_err(|e| StoreError::Config(format!("triage request: {e}")))?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO open311_triage (client, service_code, address, request, received_at, due_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(client)
    .bind(service_code)
    .bind(&n.address)
    .bind(&request)
    .bind(clock::text(now))
    .bind(&due)
    .fetch_one(&mut *tx)
    .await?;
    let change = json!({ "service_code": service_code, "address": n.address });
    audit::record(
        &mut tx,
        &format!("open311:{client}"),
        "open311.triage.queue",
        "open311_triage",
        id,
        audit::Scope::CITY,
        change,
    )
    .await?;
    tx.commit().await?;
    one(db, id).await
}

pub async fn one(db: &Db, id: i64) -> Result<Triage> {
    sqlx::query_as("SELECT id, client, service_code, address, received_at, due_at, routed_by, routed_at, case_id FROM open311_triage WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The requests waiting to be routed, the most urgent first.
pub async fn waiting(db: &Db) -> Result<Capped<Triage>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, client, service_code, address, received_at, due_at, routed_by, routed_at, case_id \
         FROM open311_triage WHERE routed_at IS NULL ORDER BY due_at, id{}",
        crate::capped::limit(500)
    )))
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 500))
}

/// Route a waiting request to a community: it becomes a case there, taken by
/// the operator. The request is claimed first, so that two operators cannot
/// both make a case of it; if the case is refused, the claim is let go.
pub async fn route(db: &Db, actor: &str, id: i64, community: &str) -> Result<Case> {
    let request: Option<(String, String)> = sqlx::query_as("SELECT request, client FROM open311_triage WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let (request, client) = request.ok_or(StoreError::NotFound)?;
    let n: NewCase =
        serde_json::from_str(&request).map_err(|e| StoreError::Config(format!("triage request {id}: {e}")))?;
    let claimed =
        sqlx::query("UPDATE open311_triage SET routed_by = $1, routed_at = $2 WHERE id = $3 AND routed_at IS NULL")
            .bind(actor)
            .bind(clock::now_text())
            .bind(id)
            .execute(&db.pool)
            .await?
            .rows_affected();
    if claimed == 0 {
        return Err(bad("triage", "该请求已由其他话务员分派", "another operator has already routed this request"));
    }
    let case = match crate::cases::create(db, &format!("open311:{client}"), cases::Role::System, community, n).await {
        Ok(c) => c,
        Err(e) => {
            sqlx::query("UPDATE open311_triage SET routed_by = NULL, routed_at = NULL WHERE id = $1")
                .bind(id)
                .execute(&db.pool)
                .await?;
            return Err(e);
        }
    };
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE open311_triage SET case_id = $1 WHERE id = $2")
        .bind(case.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let change = json!({ "case": case.id, "community": community });
    audit::record(
        &mut tx,
        actor,
        "open311.triage.route",
        "open311_triage",
        id,
        (&case.community_code, &case.district_code),
        change,
    )
    .await?;
    tx.commit().await?;
    Ok(case)
}

/// The token handed back for a queued request: `q` + its id and a keyed
/// check, like a case's token, so it cannot be guessed.
pub fn token_for(db: &Db, id: i64) -> String {
    let mac = db.seal.index(&format!("open311-triage:{id}"));
    format!("q{id}-{}", mac.get(..16).unwrap_or(&mac))
}

/// The queued request a token stands for.
pub async fn token_triage(db: &Db, token: &str) -> Result<Triage> {
    let id = token
        .strip_prefix('q')
        .and_then(|t| t.split_once('-'))
        .and_then(|(id, _)| id.parse::<i64>().ok())
        .ok_or(StoreError::NotFound)?;
    if token_for(db, id) != token {
        return Err(StoreError::NotFound);
    }
    one(db, id).await
}

#[cfg(test)]
mod tests {
    use super::street_number;

    #[test]
    fn the_street_and_number_of_an_address() {
        assert_eq!(street_number("铜官区北京路229号4栋"), Some("路229号"));
        assert_eq!(street_number("北京路229号"), Some("路229号"));
        assert_eq!(street_number("长江西路"), None);
        assert_eq!(street_number("229号"), None);
        assert_eq!(street_number("北京路号"), None);
        assert_eq!(street_number("号"), None);
    }
}
