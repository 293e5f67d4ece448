//! Files handed in with a case (photos of a broken light, a scanned
//! certificate): stored with their SHA-256, which is checked on every read.

use super::Case;
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The largest file a case takes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// At most this many files per case.
const MAX_FILES: i64 = 10;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub added_by: String,
    pub added_at: String,
}

pub async fn attach(db: &Db, actor: &str, c: &Case, name: &str, bytes: &[u8]) -> Result<Attachment> {
    if bytes.is_empty() {
        return Err(bad("file", "请选择文件", "choose a file"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(bad("file", "文件不能超过5MB", "a file may be at most 5 MB"));
    }
    let Some(mime) = crate::files::sniff(bytes) else {
        return Err(bad("file", "只接受JPEG、PNG图片或PDF文件", "only JPEG or PNG images and PDF files are taken"));
    };
    let name: String = name.trim().chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(120).collect();
    let name = if name.is_empty() { "file".to_string() } else { name };
    let sha = hex::encode(Sha256::digest(bytes));
    let mut tx = db.begin().await?;
    let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM case_attachments WHERE case_id = $1")
        .bind(c.id)
        .fetch_one(&mut *tx)
        .await?;
    if n >= MAX_FILES {
        return Err(bad("file", "每个案件最多10个附件", "at most 10 files per case"));
    }
    let a: Attachment = sqlx::query_as(
        "INSERT INTO case_attachments (case_id, community_code, district_code, name, mime, size, sha256, content, added_by, added_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, case_id, name, mime, size, sha256, added_by, added_at",
    )
    .bind(c.id)
    .bind(&c.community_code)
    .bind(&c.district_code)
    .bind(&name)
    .bind(mime)
    .bind(bytes.len() as i64)
    .bind(&sha)
    .bind(bytes.to_vec())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "case.attach",
        "case",
        c.id,
        (&c.community_code, &c.district_code),
        json!({ "attachment": a.id, "sha256": sha, "size": a.size, "mime": mime }),
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}

pub async fn attachments(db: &Db, case_id: i64) -> Result<Vec<Attachment>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, name, mime, size, sha256, added_by, added_at FROM case_attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?)
}

/// A file and its bytes; a file whose bytes no longer match their checksum is refused.
pub async fn attachment(db: &Db, case_id: i64, id: i64) -> Result<(Attachment, Vec<u8>)> {
    let a: Attachment = sqlx::query_as(
        "SELECT id, case_id, name, mime, size, sha256, added_by, added_at FROM case_attachments WHERE id = $1 AND case_id = $2",
    )
    .bind(id)
    .bind(case_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    let bytes: Vec<u8> =
        sqlx::query_scalar("SELECT content FROM case_attachments WHERE id = $1").bind(id).fetch_one(&db.pool).await?;
    if hex::encode(Sha256::digest(&bytes)) != a.sha256 {
        return Err(StoreError::Config(format!("attachment {id} of case {case_id} fails its checksum")));
    }
    Ok((a, bytes))
}
