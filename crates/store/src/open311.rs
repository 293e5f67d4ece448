//! Open311 GeoReport v2 clients and tokens. A client posts requests with an
//! `api_key` issued here; only the key's SHA-256 is stored, so the key is
//! shown once, when it is issued. A posted request hands back a token that
//! later resolves to its case.

use crate::audit::record as audit_write;
use crate::cases::Case;
use crate::error::bad;
use crate::sql::Sql;
use crate::{Db, Result, StoreError, clock};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Client {
    pub id: i64,
    pub name: String,
    #[serde(skip)]
    pub key_hash: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.trim().as_bytes()))
}

/// Issues a client and its key (32 random bytes, hex). The audit entry names
/// the client, never the key.
pub async fn add_client(db: &Db, actor: &str, name: &str) -> Result<(Client, String)> {
    let key = hex::encode(rand::random::<[u8; 32]>());
    let c = add_client_with_key(db, actor, name, &key).await?;
    Ok((c, key))
}

/// Issues a client with a key chosen by the caller (the demo's well-known key).
pub async fn add_client_with_key(db: &Db, actor: &str, name: &str, key: &str) -> Result<Client> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(bad("name", "请填写1至80字的客户端名称", "a client name of 1 to 80 characters is required"));
    }
    if key.trim().len() < 32 {
        return Err(bad("key", "密钥太短", "the key is too short"));
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM open311_clients WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        return Err(bad("name", "该客户端名称已存在", "a client of that name exists"));
    }
    let mut tx = db.begin().await?;
    let c: Client = sqlx::query_as(
        "INSERT INTO open311_clients (name, key_hash, created_at, revoked_at) VALUES ($1, $2, $3, NULL) RETURNING *",
    )
    .bind(name)
    .bind(hash(key))
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "open311.client.add", "open311_client", c.id, ("", ""), json!({ "name": c.name }))
        .await?;
    tx.commit().await?;
    Ok(c)
}

/// Revokes a client's key; its requests stay.
pub async fn revoke_client(db: &Db, actor: &str, name: &str) -> Result<Client> {
    let mut tx = db.begin().await?;
    let c: Client =
        sqlx::query_as("UPDATE open311_clients SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL RETURNING *")
            .bind(clock::now_text())
            .bind(name.trim())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
    audit_write(&mut tx, actor, "open311.client.revoke", "open311_client", c.id, ("", ""), json!({ "name": c.name }))
        .await?;
    tx.commit().await?;
    db.sessions.forget_all();
    Ok(c)
}

/// The client holding this key, unless it is unknown or revoked.
pub async fn client_for_key(db: &Db, key: &str) -> Result<Option<Client>> {
    if key.trim().is_empty() {
        return Ok(None);
    }
    let h = hash(key);
    if let Some(c) = db.sessions.client(&h) {
        return Ok(Some(c));
    }
    let c: Option<Client> = sqlx::query_as("SELECT * FROM open311_clients WHERE key_hash = $1 AND revoked_at IS NULL")
        .bind(&h)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(c) = &c {
        db.sessions.remember_client(h, c.clone());
    }
    Ok(c)
}

/// The token for a posted case: its id and a keyed check, so a token needs
/// no write of its own (the case's intake transaction is the only one) and
/// cannot be made up for a case by guessing.
pub fn token_for(db: &Db, case_id: i64) -> String {
    let mac = db.seal.index(&format!("open311-token:{case_id}"));
    format!("{case_id}-{}", mac.get(..16).unwrap_or(&mac))
}

/// The case a token stands for.
pub async fn token_case(db: &Db, token: &str) -> Result<Case> {
    let id = token.split_once('-').and_then(|(id, _)| id.parse::<i64>().ok()).ok_or(StoreError::NotFound)?;
    if token_for(db, id) != token {
        return Err(StoreError::NotFound);
    }
    crate::cases::case(db, id).await
}

/// `GET requests`: ids override every other filter; otherwise a window of
/// `created_at` (UTC RFC 3339 text, which sorts as time), codes and open/closed.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub community: Option<String>,
    pub ids: Vec<i64>,
    pub service_codes: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// None: both; Some(true): open only; Some(false): closed only.
    pub open: Option<bool>,
    pub limit: i64,
}

const CLOSED: &str = "('closed', 'rejected')";

pub async fn requests(db: &Db, f: &Filter) -> Result<Vec<Case>> {
    let mut q = Sql::new(db.dialect, "SELECT * FROM cases WHERE 1 = 1");
    if let Some(c) = &f.community {
        q.push(" AND community_code = ").bind(c.as_str());
    }
    let list = |q: &mut Sql, col: &str, vals: Vec<crate::sql::Val>| {
        q.push(&format!(" AND {col} IN ("));
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(v);
        }
        q.push(")");
    };
    if !f.ids.is_empty() {
        list(&mut q, "id", f.ids.iter().map(|i| (*i).into()).collect());
    } else {
        if !f.service_codes.is_empty() {
            list(&mut q, "item_code", f.service_codes.iter().map(|c| c.as_str().into()).collect());
        }
        if let Some(from) = &f.from {
            q.push(" AND created_at >= ").bind(from.as_str());
        }
        if let Some(to) = &f.to {
            q.push(" AND created_at <= ").bind(to.as_str());
        }
        match f.open {
            Some(true) => q.push(&format!(" AND status NOT IN {CLOSED}")),
            Some(false) => q.push(&format!(" AND status IN {CLOSED}")),
            None => &mut q,
        };
    }
    q.push(" ORDER BY id DESC LIMIT ").bind(f.limit.clamp(1, 1000));
    Ok(q.query_as().fetch_all(&db.pool).await?)
}
