//! The hash-chained audit log. Every write appends one entry inside the same
//! transaction: who, what, which entity, when, and a digest of the change.
//! Every action appends through [`record`]; the case writer's group commit
//! alone builds its entries as statements ([`append_statements`]), because it
//! sends a whole batch as one multi-statement call.
//! Hash version 2 (every entry since migration 0020) covers every column:
//! hash = SHA-256(JSON [prev_hash, seq, at, actor, action, entity, entity_id,
//! community_code, district_code, digest, 2]), null kept apart from "".
//! Version 1 entries (written before) verify as they were written:
//! SHA-256(prev_hash | seq | at | actor | action | entity | entity_id | community | digest),
//! which left `district_code` out; once a version 2 entry appears, no version 1 may follow.
//! An anchor (`SEQ:HASH`, [`anchor`]) kept outside the database catches what a
//! chain alone cannot: newest entries deleted and the head rewritten to match.
//! A single-row head (`audit_head`) is updated first, which serialises
//! appenders on PostgreSQL (row lock) as BEGIN IMMEDIATE does on SQLite.

use crate::{Db, Result, Tx, clock};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::atomic::{AtomicU64, Ordering};

/// Whose records an entry belongs to: a community (with its district), a
/// district's own (`community` None) or the city's (both None).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope<'a> {
    pub community: Option<&'a str>,
    pub district: Option<&'a str>,
}

impl<'a> Scope<'a> {
    /// The city's own records: list versions, departments' applications, the structure.
    pub const CITY: Scope<'static> = Scope { community: None, district: None };

    /// A district's own records (or the city's, for None).
    pub fn district(district: Option<&'a str>) -> Scope<'a> {
        Scope { community: None, district }
    }
}

/// `(community, district)`, the usual scope of a community's write.
impl<'a, C: AsRef<str> + ?Sized, D: AsRef<str> + ?Sized> From<(&'a C, &'a D)> for Scope<'a> {
    fn from((c, d): (&'a C, &'a D)) -> Scope<'a> {
        Scope { community: Some(c.as_ref()), district: Some(d.as_ref()) }
    }
}

/// `(community or None, district)`: a community's or its district's own books.
impl<'a> From<(Option<&'a str>, &'a str)> for Scope<'a> {
    fn from((community, district): (Option<&'a str>, &'a str)) -> Scope<'a> {
        Scope { community, district: Some(district) }
    }
}

/// `(community, district)`, either possibly None (an account's home).
impl<'a> From<(Option<&'a str>, Option<&'a str>)> for Scope<'a> {
    fn from((community, district): (Option<&'a str>, Option<&'a str>)) -> Scope<'a> {
        Scope { community, district }
    }
}

/// What an audit entry records about one write.
pub(crate) struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub community_code: Option<&'a str>,
    pub district_code: Option<&'a str>,
    /// The change, as JSON; only its digest is stored. Never put a full ID number here.
    pub change: serde_json::Value,
}

pub fn digest(v: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(v.to_string().as_bytes()))
}

#[allow(clippy::too_many_arguments)]
fn link(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    community: &str,
    digest: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, actor, action, entity, entity_id, community, digest] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// The hash version new entries are written under.
pub const HASH_VERSION: i64 = 2;

/// Version 2: every column, as a JSON array (so no two entries share an encoding).
fn link_v2(prev: &str, seq: i64, at: &str, e: &Entry<'_>, digest: &str) -> String {
    let content = serde_json::json!([
        prev,
        seq,
        at,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.community_code,
        e.district_code,
        digest,
        HASH_VERSION
    ]);
    hex::encode(Sha256::digest(content.to_string().as_bytes()))
}

/// The hash an entry should carry after `prev`, under its own version (None: an unknown version).
pub fn hash_of(r: &AuditRow, prev: &str) -> Option<String> {
    match r.hash_version {
        1 => Some(link(
            prev,
            r.seq,
            &r.at,
            &r.actor,
            &r.action,
            &r.entity,
            &r.entity_id,
            r.community_code.as_deref().unwrap_or(""),
            &r.digest,
        )),
        2 => {
            let e = Entry {
                actor: &r.actor,
                action: &r.action,
                entity: &r.entity,
                entity_id: &r.entity_id,
                community_code: r.community_code.as_deref(),
                district_code: r.district_code.as_deref(),
                change: serde_json::Value::Null,
            };
            Some(link_v2(prev, r.seq, &r.at, &e, &r.digest))
        }
        _ => None,
    }
}

/// How many appends this process has begun outside the case writer (which
/// builds its entries as statements, [`append_statements`]). The writer
/// remembers it with the heads it read and reads them again once it has moved,
/// rather than write a batch chained on a head that has since moved on: such a
/// batch clashes on `audit_log.seq` and rolls back.
static APPENDS: AtomicU64 = AtomicU64::new(0);

pub(crate) fn appends() -> u64 {
    APPENDS.load(Ordering::SeqCst)
}

async fn append(tx: &mut Tx, e: Entry<'_>) -> Result<i64> {
    APPENDS.fetch_add(1, Ordering::SeqCst);
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev: String = head.try_get("last_hash")?;
    let at = clock::now_text();
    let d = digest(&e.change);
    let hash = link_v2(&prev, seq, &at, &e, &d);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, community_code, district_code, digest, prev_hash, hash, hash_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(seq)
    .bind(&at)
    .bind(e.actor)
    .bind(e.action)
    .bind(e.entity)
    .bind(e.entity_id)
    .bind(e.community_code.map(str::to_string))
    .bind(e.district_code.map(str::to_string))
    .bind(&d)
    .bind(&prev)
    .bind(&hash)
    .bind(HASH_VERSION)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
    Ok(seq)
}

/// Where the next entries go: the head moved on by `n` (its lock held for
/// the rest of the transaction), and the hash the first new entry chains to.
#[derive(Clone)]
pub(crate) struct Reserved {
    first_seq: i64,
    prev_hash: String,
}

impl Reserved {
    /// Where entries go if nobody else appends first. Whoever relies on it
    /// must let a clash on `audit_log.seq` (its primary key) roll back.
    pub fn after(last_seq: i64, last_hash: String) -> Reserved {
        Reserved { first_seq: last_seq + 1, prev_hash: last_hash }
    }
}

/// Reserves `n` places for a batch of entries (the group commit of case
/// intake): the head moves on by `n` first, so the batch holds the same lock
/// a single append would. Its row goes to [`reserved`].
pub(crate) fn reserve_statement(dialect: crate::Dialect, n: usize) -> crate::sql::Sql {
    let mut q = crate::sql::Sql::new(dialect, "UPDATE audit_head SET seq = seq + ");
    q.bind(n as i64).push(" WHERE id = 1 RETURNING seq, last_hash");
    q
}

pub(crate) fn reserved(row: &sqlx::any::AnyRow, n: usize) -> Result<Reserved> {
    let last: i64 = row.try_get(0)?;
    Ok(Reserved { first_seq: last - n as i64 + 1, prev_hash: row.try_get(1)? })
}

/// The statements that write `entries` into reserved places: one multi-row
/// insert and the head set to the last of them (returned, to chain on).
pub(crate) fn append_statements(
    dialect: crate::Dialect,
    r: Reserved,
    entries: &[Entry<'_>],
) -> (Vec<crate::sql::Sql>, (i64, String)) {
    let mut prev = r.prev_hash;
    let at = clock::now_text();
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let seq = r.first_seq + i as i64;
        let d = digest(&e.change);
        let hash = link_v2(&prev, seq, &at, e, &d);
        rows.push((seq, e, d, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    let mut out = Vec::new();
    for chunk in rows.chunks(500) {
        let mut q = crate::sql::Sql::new(
            dialect,
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, community_code, district_code, digest, prev_hash, hash, hash_version)",
        );
        q.values(chunk, |(seq, e, d, p, h)| {
            vec![
                (*seq).into(),
                at.as_str().into(),
                e.actor.into(),
                e.action.into(),
                e.entity.into(),
                e.entity_id.into(),
                e.community_code.map(str::to_string).into(),
                e.district_code.map(str::to_string).into(),
                d.as_str().into(),
                p.as_str().into(),
                h.as_str().into(),
                HASH_VERSION.into(),
            ]
        });
        out.push(q);
    }
    let last = r.first_seq + entries.len() as i64 - 1;
    let mut head = crate::sql::Sql::new(dialect, "UPDATE audit_head SET seq = ");
    head.bind(last).push(", last_hash = ").bind(prev.as_str()).push(" WHERE id = 1");
    out.push(head);
    (out, (last, prev))
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub community_code: Option<String>,
    pub district_code: Option<String>,
    pub digest: String,
    pub prev_hash: String,
    pub hash: String,
    /// 1: written before migration 0020 (district_code outside the hash); 2: every column hashed.
    pub hash_version: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact { entries: i64 },
    Broken { seq: i64, reason: String },
}

/// Walk the chain from the start; report the first broken link.
pub async fn verify(db: &Db) -> Result<Verdict> {
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    let mut after = 0i64;
    let mut newest_version = 1;
    loop {
        let rows: Vec<AuditRow> = sqlx::query_as("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000")
            .bind(after)
            .fetch_all(&db.pool)
            .await?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            if r.seq != expected_seq {
                return Ok(Verdict::Broken { seq: expected_seq, reason: format!("entry {expected_seq} is missing") });
            }
            if r.prev_hash != prev {
                return Ok(Verdict::Broken {
                    seq: r.seq,
                    reason: "prev_hash does not match the previous entry".into(),
                });
            }
            if r.hash_version < newest_version {
                return Ok(Verdict::Broken {
                    seq: r.seq,
                    reason: format!("hash version {} after version {newest_version}", r.hash_version),
                });
            }
            newest_version = r.hash_version;
            if hash_of(&r, &prev).as_deref() != Some(r.hash.as_str()) {
                return Ok(Verdict::Broken { seq: r.seq, reason: "hash does not match the entry's contents".into() });
            }
            prev = r.hash;
            after = r.seq;
            expected_seq += 1;
        }
    }
    let head: String = sqlx::query_scalar("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(&db.pool).await?;
    if head != prev {
        return Ok(Verdict::Broken {
            seq: expected_seq,
            reason: "the head does not point at the last entry (entries removed?)".into(),
        });
    }
    Ok(Verdict::Intact { entries: expected_seq - 1 })
}

/// The head of the chain as an anchor: its sequence number and hash. Kept
/// outside the database (printed, mailed, published), it lets
/// [`verify_anchor`] notice newest entries deleted and the head rewritten.
pub async fn anchor(db: &Db) -> Result<(i64, String)> {
    Ok(sqlx::query_as("SELECT seq, last_hash FROM audit_head WHERE id = 1").fetch_one(&db.pool).await?)
}

/// `SEQ:HASH` as [`anchor`] prints it.
pub fn parse_anchor(s: &str) -> Option<(i64, String)> {
    let (seq, hash) = s.trim().split_once(':')?;
    let hash = hash.trim().to_ascii_lowercase();
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some((seq.trim().parse().ok()?, hash))
}

/// Verify the chain, and that it still holds the anchored entry `seq` with
/// hash `hash` (the chain links every later entry to it).
pub async fn verify_anchor(db: &Db, seq: i64, hash: &str) -> Result<Verdict> {
    let verdict = verify(db).await?;
    if !matches!(verdict, Verdict::Intact { .. }) {
        return Ok(verdict);
    }
    if seq == 0 {
        return Ok(if hash == "0".repeat(64) {
            verdict
        } else {
            Verdict::Broken { seq, reason: "no such anchor".into() }
        });
    }
    let stored: Option<String> =
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1").bind(seq).fetch_optional(&db.pool).await?;
    Ok(match stored {
        Some(h) if h == hash => verdict,
        Some(_) => Verdict::Broken { seq, reason: "the anchored entry was rewritten".into() },
        None => Verdict::Broken { seq, reason: "the anchored entry is gone (entries removed?)".into() },
    })
}

/// Newest entries first, optionally within one community or district.
pub async fn recent(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM audit_log WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) \
         AND seq < $3 ORDER BY seq DESC LIMIT $4",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// The audit entry of one write, appended inside the caller's transaction
/// (which the caller commits with the write): `actor` did `action` to
/// `entity` number or code `id`, in `scope` (e.g. `(community, district)`,
/// see [`Scope`]); only the digest of `change` is kept. Every action's entry
/// goes through here.
pub async fn record<'a>(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    entity: &str,
    id: impl std::fmt::Display,
    scope: impl Into<Scope<'a>>,
    change: serde_json::Value,
) -> Result<()> {
    let scope = scope.into();
    append(
        tx,
        Entry {
            actor,
            action,
            entity,
            entity_id: &id.to_string(),
            community_code: scope.community,
            district_code: scope.district,
            change,
        },
    )
    .await?;
    Ok(())
}
