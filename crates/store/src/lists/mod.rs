//! The four lists (清单) and community access approval (社区准入): persists the
//! `lists` engine's data. List versions are stored as the engine's JSON; an
//! access application is parsed into a `lists::Application` by the engine
//! (`lists::application::parse`; list entries by `lists::entry`), checked by
//! `lists::check` against the lists in force, and its report stored; a city
//! civil-affairs reviewer approves (number, expiry) or rejects; approval
//! creates a task in each target community and, for funded assistance work,
//! the funding obligation (`lists::funding_obligation`) which is then posted
//! to each community's `assistance:ACC-<id>` fund through `finance::allocate`.
//! A community may refuse, in one click, a task without an approval in force
//! (`lists::may_refuse`); refusals are counted per department.

use crate::audit;
use crate::budgeting::yuan;
use crate::{Db, Result, StoreError, Tx, clock};
use lists::{
    Application, AssessmentHistory, AssessmentRecord, CheckConfig, CheckReport, DeptLevel, FieldError, GovLevel,
    ItemType, ListKind, ListVersion, ListsInForce, Targets, Verdict,
};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use time::Date;

mod applications;
mod burden;
mod exchange;
mod tasks;
mod versions;

pub use applications::*;
pub use burden::*;
pub use exchange::*;
pub use tasks::*;
pub use versions::*;

fn bad(field: &str, zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::invalid(field, Msg::new(zh, en))
}

/// The engine's field errors as bad input (422): the first one, which the
/// form shows beside its field.
fn field_errors(errs: Vec<FieldError>) -> StoreError {
    match errs.into_iter().next() {
        Some(FieldError { field, msg }) => StoreError::Invalid { field, msg },
        None => bad("input", "输入有误", "invalid input"),
    }
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Config(format!("lists data: {e}"))
}

pub fn kind_code(k: ListKind) -> &'static str {
    crate::typed::Word::word(k)
}

pub fn parse_kind(s: &str) -> Option<ListKind> {
    <ListKind as crate::typed::Word>::from_word(s).ok()
}

pub fn item_type_code(t: ItemType) -> String {
    crate::typed::Word::word(t).to_string()
}

fn parse_enum<T: serde::de::DeserializeOwned>(field: &str, s: &str, zh: &str, en: &str) -> Result<T> {
    serde_json::from_value(json!(s.trim())).map_err(|_| bad(field, zh, en))
}

// ----- list versions ------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    #[sqlx(try_from = "crate::typed::Text")]
    #[serde(with = "crate::typed::word")]
    pub kind: ListKind,
    pub version: i64,
    pub status: VersionStatus,
    pub effective_on: Option<String>,
    pub note: String,
    pub illustrative: i64,
    #[serde(skip)]
    pub data: String,
    pub created_at: String,
}

impl VersionRow {
    pub fn parse(&self) -> Result<ListVersion> {
        serde_json::from_str(&self.data).map_err(internal)
    }
}

crate::typed::words! {
    /// A list version's stage, as its row shows it (the engine's `lists::Status`
    /// carries the reviewer and the effective date besides).
    pub enum VersionStatus, "list version status" {
        Draft => "draft",
        Reviewed => "reviewed",
        Published => "published",
    }
}

fn status_code(v: &ListVersion) -> &'static str {
    crate::typed::Word::word(VersionStatus::of(v))
}

impl VersionStatus {
    pub fn of(v: &ListVersion) -> VersionStatus {
        match v.status() {
            lists::Status::Draft => VersionStatus::Draft,
            lists::Status::Reviewed { .. } => VersionStatus::Reviewed,
            lists::Status::Published { .. } => VersionStatus::Published,
        }
    }
}

/// Store a list version (the demo's or an import's). A published version is
/// never updated: storing the same kind and version again is refused.
pub async fn save_version(db: &Db, actor: &str, v: &ListVersion, illustrative: bool) -> Result<VersionRow> {
    let kind = kind_code(v.kind());
    let exists: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM list_versions WHERE kind = $1 AND version = $2")
            .bind(kind)
            .bind(i64::from(v.version()))
            .fetch_one(&db.pool)
            .await?;
    if exists > 0 {
        return Err(bad(
            "version",
            "该清单版本已存在，已发布的版本不可修改",
            "this list version exists; a published version is immutable",
        ));
    }
    let mut tx = db.begin().await?;
    let row = insert_version(&mut tx, v, illustrative).await?;
    audit::record(
        &mut tx,
        actor,
        "lists.version.save",
        "list_version",
        row.id,
        audit::Scope::CITY,
        json!({ "kind": kind, "version": v.version(), "status": row.status, "entries": v.entries().len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Insert a new version row holding the engine's `v` (its JSON, status,
/// effective date and note).
async fn insert_version(tx: &mut Tx, v: &ListVersion, illustrative: bool) -> Result<VersionRow> {
    let data = serde_json::to_string(v).map_err(internal)?;
    Ok(sqlx::query_as(
        "INSERT INTO list_versions (kind, version, status, effective_on, note, illustrative, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(kind_code(v.kind()))
    .bind(i64::from(v.version()))
    .bind(status_code(v))
    .bind(v.effective().map(|d| d.to_string()))
    .bind(v.note())
    .bind(i64::from(illustrative))
    .bind(&data)
    .bind(clock::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// The demo lists of `lists::demo` (illustrative), published.
pub async fn seed_demo(db: &Db) -> Result<()> {
    for v in lists::demo::demo_lists() {
        save_version(db, "demo", &v, true).await?;
    }
    Ok(())
}

pub async fn versions(db: &Db, kind: Option<ListKind>) -> Result<Vec<VersionRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM list_versions WHERE (CAST($1 AS TEXT) IS NULL OR kind = $1) ORDER BY kind, version DESC",
    )
    .bind(kind.map(kind_code))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn version(db: &Db, kind: ListKind, version: i64) -> Result<VersionRow> {
    sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 AND version = $2")
        .bind(kind_code(kind))
        .bind(version)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The four lists in force on `date`.
pub async fn in_force(db: &Db, date: Date) -> Result<ListsInForce> {
    let rows = versions(db, None).await?;
    let parsed = rows.iter().map(VersionRow::parse).collect::<Result<Vec<_>>>()?;
    ListsInForce::in_force(parsed.iter(), date, CheckConfig::default())
        .map_err(|_| bad("lists", "四张清单尚未全部发布，无法审核准入申请", "the four lists are not all published yet"))
}
