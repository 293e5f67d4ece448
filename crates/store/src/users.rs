//! Users, roles with their scope, and log-in sessions.

use crate::audit;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rules::Msg;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The roles of shequ. Each is scoped: community roles to one community,
/// district roles to one district, city roles to the whole city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    FrontDesk,
    BackOffice,
    CommunityAdmin,
    DistrictDepartment,
    CityCivilAffairs,
    Auditor,
    Organisation,
    Provider,
    SystemAdmin,
    /// A resident unit's liaison officer (驻区单位联络员), bound to its unit in `party_liaisons`.
    UnitLiaison,
}

pub enum ScopeLevel {
    Community,
    District,
    City,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Resident,
        Role::FrontDesk,
        Role::BackOffice,
        Role::CommunityAdmin,
        Role::DistrictDepartment,
        Role::CityCivilAffairs,
        Role::Auditor,
        Role::Organisation,
        Role::Provider,
        Role::SystemAdmin,
        Role::UnitLiaison,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::FrontDesk => "front_desk",
            Role::BackOffice => "back_office",
            Role::CommunityAdmin => "community_admin",
            Role::DistrictDepartment => "district_department",
            Role::CityCivilAffairs => "city_civil_affairs",
            Role::Auditor => "auditor",
            Role::Organisation => "organisation",
            Role::Provider => "provider",
            Role::SystemAdmin => "system_admin",
            Role::UnitLiaison => "unit_liaison",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Resident => "居民",
            Role::FrontDesk => "前台受理",
            Role::BackOffice => "后台处置",
            Role::CommunityAdmin => "社区管理员",
            Role::DistrictDepartment => "区直部门",
            Role::CityCivilAffairs => "市民政",
            Role::Auditor => "审计",
            Role::Organisation => "社会组织",
            Role::Provider => "服务商",
            Role::SystemAdmin => "系统管理员",
            Role::UnitLiaison => "驻区单位联络员",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Role::Resident => "Resident",
            Role::FrontDesk => "Front desk",
            Role::BackOffice => "Back office",
            Role::CommunityAdmin => "Community admin",
            Role::DistrictDepartment => "District department",
            Role::CityCivilAffairs => "City civil affairs",
            Role::Auditor => "Auditor",
            Role::Organisation => "Social organisation",
            Role::Provider => "Service provider",
            Role::SystemAdmin => "System admin",
            Role::UnitLiaison => "Resident unit liaison",
        }
    }

    pub fn scope_level(self) -> ScopeLevel {
        match self {
            Role::Resident
            | Role::FrontDesk
            | Role::BackOffice
            | Role::CommunityAdmin
            | Role::Organisation
            | Role::Provider
            | Role::UnitLiaison => ScopeLevel::Community,
            Role::DistrictDepartment => ScopeLevel::District,
            Role::CityCivilAffairs | Role::Auditor | Role::SystemAdmin => ScopeLevel::City,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub community_code: Option<String>,
    pub district_code: Option<String>,
    /// A department account's department (铜官区财政局); `None` for everyone else.
    pub department: Option<String>,
    pub created_at: String,
}

impl UserRow {
    /// The user's role; `None` for a role string this build does not know
    /// (such a user is refused, see [`accept`]).
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

/// The user's role, or a refusal: a user whose stored role this build does
/// not know is not let in (never taken for a resident), and the refusal is audited.
pub async fn accept(db: &Db, u: &UserRow) -> Result<Role> {
    if let Some(r) = u.role() {
        return Ok(r);
    }
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &format!("{}#{}", u.username, u.id),
        "user.refused_unknown_role",
        "user",
        u.id,
        (u.community_code.as_deref(), u.district_code.as_deref()),
        serde_json::json!({ "role": u.role }),
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(user = %u.username, role = %u.role, "refused: unknown role");
    Err(StoreError::invalid(
        "role",
        Msg::new("账号角色无效，请联系系统管理员", "the account's role is unknown; ask the system administrator"),
    ))
}

/// The password's Argon2 hash; a failure to hash is an error, never an empty hash.
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Config(format!("hashing a password: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub community_code: Option<&'a str>,
    pub district_code: Option<&'a str>,
    /// Required for a district department's account: which department it is.
    pub department: Option<&'a str>,
}

pub async fn add(db: &Db, actor: &str, u: NewUser<'_>) -> Result<UserRow> {
    if u.username.trim().is_empty() || u.username.len() > 64 {
        return Err(StoreError::invalid("username", Msg::new("用户名不能为空", "username is required")));
    }
    if u.password.chars().count() < 8 {
        return Err(StoreError::invalid("password", Msg::new("密码至少8位", "password needs at least 8 characters")));
    }
    let (community, district) = match u.role.scope_level() {
        ScopeLevel::Community => {
            let code = u.community_code.ok_or_else(|| {
                StoreError::invalid("community", Msg::new("此角色须指定所属社区", "this role needs a community"))
            })?;
            let c = crate::structure::community(db, code)
                .await
                .map_err(|_| StoreError::invalid("community", Msg::new("社区不存在", "no such community")))?;
            (Some(c.code), Some(c.district_code))
        }
        ScopeLevel::District => {
            let d = u.district_code.ok_or_else(|| {
                StoreError::invalid("district", Msg::new("此角色须指定所属区", "this role needs a district"))
            })?;
            (None, Some(d.to_string()))
        }
        ScopeLevel::City => (None, None),
    };
    let department = u.department.map(str::trim).filter(|d| !d.is_empty());
    if u.role == Role::DistrictDepartment && department.is_none() {
        return Err(StoreError::invalid(
            "department",
            Msg::new("区直部门账号须指定所属部门", "a department's account needs its department"),
        ));
    }
    let mut tx = db.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(u.username)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(StoreError::invalid("username", Msg::new("用户名已存在", "username is taken")));
    }
    let row: UserRow = sqlx::query_as(
        "INSERT INTO users (username, display_name, password_hash, role, community_code, district_code, department, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(u.username.trim())
    .bind(u.display_name)
    .bind(hash_password(u.password)?)
    .bind(u.role.as_str())
    .bind(community.clone())
    .bind(district.clone())
    .bind(department)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        "user.add",
        "user",
        row.id,
        (community.as_deref(), district.as_deref()),
        serde_json::json!({ "username": row.username, "role": row.role, "department": row.department }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Say which department a department account is (accounts made before
/// departments were recorded have none, and may not file or move money
/// until they do). Audited; other roles are refused.
pub async fn set_department(db: &Db, actor: &str, username: &str, department: &str) -> Result<UserRow> {
    let department = department.trim();
    if department.is_empty() {
        return Err(bad("department", "请填写所属部门", "the department is required"));
    }
    let mut tx = db.begin().await?;
    let row: UserRow = sqlx::query_as("UPDATE users SET department = $1 WHERE username = $2 AND role = $3 RETURNING *")
        .bind(department)
        .bind(username)
        .bind(Role::DistrictDepartment.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| bad("username", "没有这个区直部门账号", "no district department account of that name"))?;
    audit::record(
        &mut tx,
        actor,
        "user.department",
        "user",
        row.id,
        (row.community_code.as_deref(), row.district_code.as_deref()),
        serde_json::json!({ "username": row.username, "department": row.department }),
    )
    .await?;
    tx.commit().await?;
    // Cached sessions carry the old row: drop them so the change holds at once on this node.
    db.sessions.forget_all();
    Ok(row)
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<UserRow>> {
    Ok(sqlx::query_as("SELECT * FROM users WHERE username = $1").bind(username).fetch_optional(&db.pool).await?)
}

pub async fn list(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<UserRow>> {
    crate::sql::scoped(db, "SELECT * FROM users WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY community_code, role, id", community, district).await
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session for a user who gave the right password: the cookie token
/// (only its hash is stored) and the CSRF token. The log-in is audited.
pub async fn open_session(db: &Db, u: &UserRow) -> Result<(String, String)> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let csrf = hex::encode(rand::random::<[u8; 16]>());
    let expires = (time::OffsetDateTime::now_utc() + time::Duration::hours(12))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(u.id)
        .bind(&csrf)
        .bind(expires)
        .execute(&mut *tx)
        .await?;
    let home = (u.community_code.as_deref(), u.district_code.as_deref());
    audit::record(&mut tx, &actor(u), "session.login", "user", u.id, home, serde_json::json!({})).await?;
    tx.commit().await?;
    Ok((token, csrf))
}

fn actor(u: &UserRow) -> String {
    format!("{}#{}", u.username, u.id)
}

/// Why a log-in was refused, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    /// A wrong password for an existing user.
    Password,
    /// No user of that name (the name typed is not recorded: it may be a password).
    UnknownUser,
    /// Too many failures: refused before the password was checked.
    Throttled,
}

/// Audit a refused log-in. The entry names the user when there is one, never
/// what was typed, and keeps only a digest of the client's address.
pub async fn record_login_refused(db: &Db, u: Option<&UserRow>, why: LoginRefusal, client: &str) -> Result<()> {
    let (action, actor_name) = match (why, u) {
        (LoginRefusal::Throttled, Some(u)) => ("session.login_throttled", actor(u)),
        (LoginRefusal::Throttled, None) => ("session.login_throttled", "anonymous".to_string()),
        (_, Some(u)) => ("session.login_failed", actor(u)),
        (_, None) => ("session.login_failed", "anonymous".to_string()),
    };
    let id = u.map(|u| u.id.to_string()).unwrap_or_else(|| "-".into());
    let home = u.map(|u| (u.community_code.as_deref(), u.district_code.as_deref())).unwrap_or((None, None));
    let mut tx = db.begin().await?;
    audit::record(&mut tx, &actor_name, action, "user", id, home, serde_json::json!({ "client": client })).await?;
    tx.commit().await?;
    Ok(())
}

/// Live sessions (and Open311 clients' keys) seen recently, so that a request
/// does not cost database round trips before its handler runs. An entry is
/// trusted for `SESSION_CACHE_TTL`; logging out removes it at once on this
/// node (another node of a PostgreSQL deployment notices within the TTL), and
/// revoking a key clears the client cache.
#[derive(Default)]
pub struct SessionCache {
    map: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, UserRow, String, String)>>,
    clients: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, crate::open311::Client)>>,
}

const SESSION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(10);

impl SessionCache {
    pub fn forget_all(&self) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub(crate) fn client(&self, key_hash: &str) -> Option<crate::open311::Client> {
        let m = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        m.get(key_hash).filter(|(t, _)| t.elapsed() < SESSION_CACHE_TTL).map(|(_, c)| c.clone())
    }

    pub(crate) fn remember_client(&self, key_hash: String, c: crate::open311::Client) {
        let mut m = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() > 10_000 {
            m.clear();
        }
        m.insert(key_hash, (std::time::Instant::now(), c));
    }
}

/// The user, their role and the CSRF token behind a session cookie, if it is
/// live. A user whose role is unknown is refused: the session is closed and
/// the refusal audited ([`accept`]). A database error is an error, never "logged out".
pub async fn session(db: &Db, token: &str) -> Result<Option<(UserRow, Role, String)>> {
    let hash = token_hash(token);
    let now = clock::now_text();
    if let Some((seen, u, csrf, expires)) = db.sessions.map.lock().unwrap_or_else(|e| e.into_inner()).get(&hash)
        && seen.elapsed() < SESSION_CACHE_TTL
        && *expires > now
        && let Some(role) = u.role()
    {
        return Ok(Some((u.clone(), role, csrf.clone())));
    }
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(&hash)
            .bind(&now)
            .fetch_optional(&db.pool)
            .await?;
    let Some((uid, csrf, expires)) = row else {
        return Ok(None);
    };
    let user: Option<UserRow> =
        sqlx::query_as("SELECT * FROM users WHERE id = $1").bind(uid).fetch_optional(&db.pool).await?;
    let Some(u) = user else {
        return Ok(None);
    };
    let role = match accept(db, &u).await {
        Ok(r) => r,
        Err(StoreError::Invalid { .. }) => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(&db.pool).await?;
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    {
        let mut m = db.sessions.map.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() > 50_000 {
            m.clear();
        }
        m.insert(hash, (std::time::Instant::now(), u.clone(), csrf.clone(), expires));
    }
    Ok(Some((u, role, csrf)))
}

/// End a session; the log-out is audited (a token that is no session ends nothing and records nothing).
pub async fn close_session(db: &Db, token: &str) -> Result<()> {
    let hash = token_hash(token);
    db.sessions.map.lock().unwrap_or_else(|e| e.into_inner()).remove(&hash);
    let mut tx = db.begin().await?;
    let who: Option<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.username, u.community_code, u.district_code FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(&mut *tx).await?;
    if let Some((id, username, community, district)) = who {
        let home = (community.as_deref(), district.as_deref());
        audit::record(&mut tx, &format!("{username}#{id}"), "session.logout", "user", id, home, serde_json::json!({}))
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
