//! Editing the lists (CityCivilAffairs only): a draft is a copy of the
//! version in force with the next version number; entries are added,
//! removed or replaced; the draft is reviewed and published with an
//! effective date. Every change goes through the `lists` engine's
//! `ListVersion` methods, so a published version is immutable (the engine
//! refuses, surfaced as `StoreError::Invalid`). Each change is one
//! transaction with its audit entry.

use super::{VersionRow, VersionStatus, bad, internal, kind_code, status_code};
use crate::audit;
use crate::{Db, Result, StoreError, clock};
use lists::{Entry, ListKind, ListVersion, ListsError};
use serde::Deserialize;
use serde_json::json;
use time::Date;

/// The engine's refusal as bad input (422), by field.
pub fn lists_error(e: ListsError) -> StoreError {
    match e {
        ListsError::Immutable { kind, version } => bad(
            "version",
            format!("{}第{version}版已发布，不可修改", kind.name().zh),
            format!("version {version} of the {} is published and immutable", kind.name().en),
        ),
        ListsError::NotReviewed { version, .. } => {
            bad("version", format!("第{version}版尚未审核，不能发布"), format!("version {version} is not reviewed"))
        }
        ListsError::DuplicateCode(c) => {
            bad("code", format!("编码{c}已存在"), format!("code {c} is already in the list"))
        }
        ListsError::NoSuchCode(c) => bad("code", format!("清单中没有编码{c}"), format!("no entry {c} in the list")),
        ListsError::Invalid { code, msg } => {
            bad("entries", format!("{code}：{}", msg.zh), format!("{code}: {}", msg.en))
        }
        ListsError::NoVersionInForce(k) => bad(
            "version",
            format!("{}没有现行版本", k.name().zh),
            format!("no version of the {} in force", k.name().en),
        ),
    }
}

pub use lists::entry::{EntryForm, RejectedEntry};

/// Parse and validate one entry for a list of `kind` with
/// `lists::entry::parse`; the first field error is returned.
pub fn parse_entry(kind: ListKind, f: &EntryForm) -> Result<Entry> {
    lists::entry::parse(kind, f).map_err(super::field_errors)
}

/// The published version in force today, else the newest published one.
fn current(rows: &[VersionRow], today: Date) -> Result<Option<ListVersion>> {
    let mut best: Option<ListVersion> = None;
    for r in rows.iter().filter(|r| r.status == VersionStatus::Published) {
        let v = r.parse()?;
        let key = |v: &ListVersion| {
            let eff = v.effective().unwrap_or(Date::MIN);
            (eff <= today, eff, v.version())
        };
        if best.as_ref().is_none_or(|b| key(&v) > key(b)) {
            best = Some(v);
        }
    }
    Ok(best)
}

/// Open a draft: a copy of the version in force with the next version
/// number. One open (draft or reviewed) version per list at a time.
pub async fn create_draft(db: &Db, actor: &str, kind: ListKind) -> Result<VersionRow> {
    let mut tx = db.begin().await?;
    let rows: Vec<VersionRow> = sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 ORDER BY version")
        .bind(kind_code(kind))
        .fetch_all(&mut *tx)
        .await?;
    if let Some(open) = rows.iter().find(|r| r.status != VersionStatus::Published) {
        return Err(bad(
            "version",
            format!("已有未发布的第{}版草稿", open.version),
            format!("version {} is already an open draft", open.version),
        ));
    }
    let next = rows.iter().map(|r| r.version).max().unwrap_or(0) + 1;
    let next_u32 = u32::try_from(next).map_err(internal)?;
    let v = match current(&rows, clock::today())? {
        Some(cur) => {
            let mut d = cur.next_draft();
            while d.version() < next_u32 {
                d = d.next_draft();
            }
            d
        }
        None => ListVersion::draft(kind, next_u32, ""),
    };
    let illustrative = rows.iter().any(|r| r.illustrative != 0);
    let row = super::insert_version(&mut tx, &v, illustrative).await?;
    audit::record(
        &mut tx,
        actor,
        "lists.draft.create",
        "list_version",
        row.id,
        audit::Scope::CITY,
        json!({ "kind": kind_code(kind), "version": next, "entries": v.entries().len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Drafts and reviewed versions of a list, newest first.
pub async fn drafts(db: &Db, kind: ListKind) -> Result<Vec<VersionRow>> {
    Ok(sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 AND status <> 'published' ORDER BY version DESC")
        .bind(kind_code(kind))
        .fetch_all(&db.pool)
        .await?)
}

/// A change to a version, applied through the engine.
#[derive(Debug, Clone)]
pub enum VersionEdit {
    Add(Entry),
    Remove(String),
    Replace(Entry),
    /// Add many (an import); all or nothing.
    AddAll(Vec<Entry>),
    Review,
    Publish(Date),
}

impl VersionEdit {
    fn action(&self) -> &'static str {
        match self {
            VersionEdit::Add(_) => "lists.entry.add",
            VersionEdit::Remove(_) => "lists.entry.remove",
            VersionEdit::Replace(_) => "lists.entry.replace",
            VersionEdit::AddAll(_) => "lists.entry.import",
            VersionEdit::Review => "lists.version.review",
            VersionEdit::Publish(_) => "lists.version.publish",
        }
    }
}

/// Apply one change to a version in one transaction with its audit entry.
/// A published version is refused by the engine (422, nothing written).
pub async fn edit_version(db: &Db, actor: &str, kind: ListKind, version: i64, edit: VersionEdit) -> Result<VersionRow> {
    let mut tx = db.begin().await?;
    let row: VersionRow = sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 AND version = $2")
        .bind(kind_code(kind))
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut v = row.parse()?;
    let change = match &edit {
        VersionEdit::Add(e) => {
            v.add(e.clone()).map_err(lists_error)?;
            json!({ "added": e })
        }
        VersionEdit::Remove(code) => json!({ "removed": v.remove(code.trim()).map_err(lists_error)? }),
        VersionEdit::Replace(e) => {
            let old = v.replace(e.clone()).map_err(lists_error)?;
            json!({ "old": old, "new": e })
        }
        VersionEdit::AddAll(es) => {
            for e in es {
                v.add(e.clone()).map_err(lists_error)?;
            }
            json!({ "imported": es.iter().map(|e| &e.code).collect::<Vec<_>>() })
        }
        VersionEdit::Review => {
            v.review(actor).map_err(lists_error)?;
            json!({ "reviewer": actor, "entries": v.entries().len() })
        }
        VersionEdit::Publish(d) => {
            v.publish(*d).map_err(lists_error)?;
            json!({ "effective": d.to_string() })
        }
    };
    let data = serde_json::to_string(&v).map_err(internal)?;
    let out: VersionRow = sqlx::query_as(
        "UPDATE list_versions SET status = $1, effective_on = $2, note = $3, data = $4 \
         WHERE id = $5 AND status <> 'published' RETURNING *",
    )
    .bind(status_code(&v))
    .bind(v.effective().map(|d| d.to_string()))
    .bind(v.note())
    .bind(&data)
    .bind(row.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| lists_error(ListsError::Immutable { kind, version: v.version() }))?;
    audit::record(
        &mut tx,
        actor,
        edit.action(),
        "list_version",
        row.id,
        audit::Scope::CITY,
        json!({ "kind": kind_code(kind), "version": version, "status": out.status, "change": change }),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    pub csrf: String,
    /// YYYY-MM-DD; empty: today.
    #[serde(default)]
    pub effective: String,
}

impl PublishForm {
    pub fn date(&self) -> Result<Date> {
        match self.effective.trim() {
            "" => Ok(clock::today()),
            s => clock::parse_date(s)
                .ok_or_else(|| bad("effective", "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub csrf: String,
}
