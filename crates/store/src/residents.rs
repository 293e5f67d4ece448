//! The residents registry. ID numbers are validated (GB 11643), sealed at
//! rest, indexed blind, and shown masked; an unmasked read is audited.

use crate::audit;
use crate::sql::Sql;
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use rules::gb11643::CitizenId;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a view may show of a resident: never the full ID number.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Resident {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub group_id: Option<i64>,
    pub name: String,
    pub id_masked: String,
    pub birth_date: String,
    pub sex: String,
    pub household: String,
    pub building: String,
    pub address: String,
    pub phone: String,
    pub hukou: i64,
    pub moved_in: Option<String>,
    pub created_at: String,
    /// Rules §6.5: the guardian who consented to registering a resident under 14.
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    /// The day the consent was recorded.
    pub guardian_consent_on: Option<String>,
}

const COLUMNS: &str = "id, community_code, district_code, group_id, name, id_masked, birth_date, sex, household, building, address, phone, hukou, moved_in, created_at, guardian_name, guardian_relation, guardian_consent_on";

/// A resident as typed or imported: raw text, validated by [`validate`].
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ResidentInput {
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub household: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    /// "是"/"否", "yes"/"no", "1"/"0", "true"/"false".
    #[serde(default)]
    pub hukou: String,
    #[serde(default)]
    pub moved_in: String,
    /// The residents' group by name (居民小组).
    #[serde(default)]
    pub group: String,
    /// Rules §6.5: for a resident under 14, the guardian who consents, and how related.
    #[serde(default)]
    pub guardian_name: String,
    #[serde(default)]
    pub guardian_relation: String,
}

/// A checked resident, ready to store.
#[derive(Clone)]
pub struct Valid {
    pub name: String,
    pub id: CitizenId,
    pub household: String,
    pub building: String,
    pub address: String,
    pub phone: String,
    pub hukou: bool,
    pub moved_in: Option<String>,
    pub group: String,
    /// The consenting guardian (name, relation) of a resident under 14 (rules §6.5); None for others.
    pub guardian: Option<(String, String)>,
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "1" | "true" | "本地" => Some(true),
        "否" | "n" | "no" | "0" | "false" | "外地" | "" => Some(false),
        _ => None,
    }
}

/// Check one input; the first problem found, with its field.
pub fn validate(r: &ResidentInput) -> std::result::Result<Valid, (String, Msg)> {
    let today = clock::today();
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(("name".into(), Msg::new("请填写姓名（不超过50字）", "name is required (at most 50 characters)")));
    }
    // Rules T1–T3 (rules::text): what the registry shows and exports is text people can read.
    for (field, value) in
        [("name", &r.name), ("household", &r.household), ("building", &r.building), ("address", &r.address)]
    {
        rules::text::check(value).map_err(|m| (field.to_string(), m))?;
    }
    let raw = r.id_number.trim();
    let id = if raw.len() == 15 { CitizenId::from_legacy15(raw, today) } else { CitizenId::parse(raw, today) }
        .map_err(|m| ("id_number".to_string(), m))?;
    let phone = r.phone.trim();
    if !phone.is_empty()
        && !(phone.len() >= 7 && phone.len() <= 20 && phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+'))
    {
        return Err(("phone".into(), Msg::new("电话号码格式错误", "phone number is malformed")));
    }
    let hukou = parse_bool(&r.hukou)
        .ok_or_else(|| ("hukou".to_string(), Msg::new("户籍应填“是”或“否”", "hukou must be yes or no")))?;
    let moved_in = match r.moved_in.trim() {
        "" => None,
        s => {
            let d = clock::parse_date(s).ok_or_else(|| {
                ("moved_in".to_string(), Msg::new("迁入日期格式应为YYYY-MM-DD", "moved-in date must be YYYY-MM-DD"))
            })?;
            if d > today || d < id.birth_date {
                return Err(("moved_in".into(), Msg::new("迁入日期不合理", "moved-in date is impossible")));
            }
            Some(d.to_string())
        }
    };
    rules::minors::check_guardian(id.birth_date, today, &r.guardian_name, &r.guardian_relation)
        .map_err(|(f, m)| (f.to_string(), m))?;
    let guardian = rules::minors::under_14(id.birth_date, today)
        .then(|| (r.guardian_name.trim().to_string(), r.guardian_relation.trim().to_string()));
    Ok(Valid {
        guardian,
        name: name.to_string(),
        id,
        household: r.household.trim().to_string(),
        building: r.building.trim().to_string(),
        address: r.address.trim().to_string(),
        phone: phone.to_string(),
        hukou,
        moved_in,
        group: r.group.trim().to_string(),
    })
}

/// Filters for the registry list. `after` pages by id (keyset), so page N
/// costs the same as page 1 even at 740,000 rows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    pub community: Option<String>,
    pub district: Option<String>,
    /// A name prefix, a phone number, or a full ID number (see [`search_full_id`]).
    pub q: Option<String>,
    /// Exactly this phone number (the hotline's look-up; never read as an ID number).
    pub phone: Option<String>,
    pub building: Option<String>,
    pub hukou: Option<i64>,
    /// Only residents born on or before this day (YYYY-MM-DD): set by the web's
    /// privacy policy to leave out residents under 14 (rules §6.5), never by a client.
    #[serde(skip)]
    pub born_on_or_before: Option<String>,
    pub after: Option<i64>,
    pub limit: Option<i64>,
}

pub const COUNT_CAP: i64 = 10_000;

pub struct Page {
    pub rows: Vec<Resident>,
    /// Exact up to [`COUNT_CAP`]; beyond it, `total_capped` is set and the UI says "10000+".
    pub total: i64,
    pub total_capped: bool,
    pub next_after: Option<i64>,
}

fn push_where(qb: &mut Sql, db: &Db, f: &Filter) {
    qb.push(" WHERE 1 = 1");
    if let Some(c) = &f.community {
        qb.push(" AND community_code = ").bind(c.clone());
    }
    if let Some(d) = &f.district {
        qb.push(" AND district_code = ").bind(d.clone());
    }
    if let Some(b) = f.building.as_ref().filter(|b| !b.is_empty()) {
        qb.push(" AND building = ").bind(b.clone());
    }
    if let Some(h) = f.hukou {
        qb.push(" AND hukou = ").bind(h);
    }
    if let Some(p) = &f.phone {
        qb.push(" AND phone = ").bind(p.clone());
    }
    if let Some(b) = &f.born_on_or_before {
        qb.push(" AND birth_date <= ").bind(b.clone());
    }
    if let Some(q) = f.q.as_ref().map(|q| q.trim()).filter(|q| !q.is_empty()) {
        if let Some(id) = full_id(q) {
            qb.push(" AND id_index = ").bind(db.seal.index(&id));
        } else if q.chars().all(|c| c.is_ascii_digit() || c == '-') {
            qb.push(" AND phone = ").bind(q.to_string());
        } else {
            // A range instead of LIKE, so the (community, name) index serves it on both databases.
            qb.push(" AND name >= ").bind(q.to_string());
            qb.push(" AND name < ").bind(format!("{q}\u{10FFFF}"));
        }
    }
}

/// The query as a full citizen ID number (valid, `x` as `X`), if it is one:
/// such a search confirms a number, so it is limited and audited ([`search_full_id`]).
pub fn full_id(q: &str) -> Option<String> {
    let upper = q.trim().to_ascii_uppercase();
    CitizenId::parse(&upper, clock::today()).is_ok().then_some(upper)
}

/// A search whose `q` is a full ID number, by `actor` in `scope`: counted
/// against `per_day` (None: no limit) and audited with the residents it
/// found (never the number). Past the limit nothing is searched, the refusal
/// is audited, and the answer is [`StoreError::Limited`].
pub async fn search_full_id(
    db: &Db,
    actor: &str,
    scope: audit::Scope<'_>,
    per_day: Option<i64>,
    f: &Filter,
) -> Result<Page> {
    let mut tx = db.begin().await?;
    let hits = crate::limits::hit(&mut tx, &format!("full_id_search:{actor}"), &clock::today().to_string()).await?;
    if per_day.is_some_and(|cap| hits > cap) {
        audit::record(
            &mut tx,
            actor,
            "resident.search_full_id_refused",
            "residents",
            "-",
            scope,
            json!({ "hits": hits }),
        )
        .await?;
        tx.commit().await?;
        return Err(StoreError::Limited(Msg::new(
            "今日按完整身份证号查询的次数已用完",
            "you have used today's searches by full ID number",
        )));
    }
    let page = list(db, f).await?;
    let found: Vec<String> = page.rows.iter().map(|r| r.id.to_string()).collect();
    let entity_id = if found.is_empty() { "-".to_string() } else { found.join(",") };
    audit::record(
        &mut tx,
        actor,
        "resident.search_full_id",
        "resident",
        entity_id,
        scope,
        json!({ "found": found.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(page)
}

pub async fn list(db: &Db, f: &Filter) -> Result<Page> {
    let limit = f.limit.unwrap_or(50).clamp(1, 500);
    // Counting a whole district (≈740,000 rows) on every page view costs more than the
    // page; past the cap the number is a lower bound, like a search engine's.
    let mut count = Sql::new(db.dialect, "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM residents");
    push_where(&mut count, db, f);
    count.push(&format!(" LIMIT {}) capped", COUNT_CAP + 1));
    let counted: i64 = count.query_scalar().fetch_one(&db.pool).await?;
    let (total, total_capped) = if counted > COUNT_CAP { (COUNT_CAP, true) } else { (counted, false) };
    let mut qb = Sql::new(db.dialect, format!("SELECT {COLUMNS} FROM residents"));
    push_where(&mut qb, db, f);
    qb.push(" AND id > ").bind(f.after.unwrap_or(0));
    qb.push(" ORDER BY id LIMIT ").bind(limit + 1);
    let mut rows: Vec<Resident> = qb.query_as().fetch_all(&db.pool).await?;
    let next_after = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(Page { rows, total, total_capped, next_after })
}

pub async fn get(db: &Db, id: i64) -> Result<Resident> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM residents WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Read the full ID number; the read itself is audited (rules §6.4).
pub async fn reveal(db: &Db, actor: &str, id: i64) -> Result<String> {
    let r = get(db, id).await?;
    let sealed: String =
        sqlx::query_scalar("SELECT id_sealed FROM residents WHERE id = $1").bind(id).fetch_one(&db.pool).await?;
    let plain =
        db.seal.open(&sealed).ok_or_else(|| StoreError::Config("the seal key does not open this record".into()))?;
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        actor,
        "resident.reveal_id",
        "resident",
        id,
        (&r.community_code, &r.district_code),
        json!({ "revealed": "id_number" }),
    )
    .await?;
    tx.commit().await?;
    Ok(plain)
}

/// Audit an export of the registry: who (`actor`), which scope (the entry's
/// community and district: the filter's), which format and how many rows —
/// the entity is `residents.<format>` and its id the number of rows, so the
/// audit page shows them.
pub async fn record_export(db: &Db, actor: &str, f: &Filter, format: &str, rows: usize) -> Result<()> {
    let scope = audit::Scope { community: f.community.as_deref(), district: f.district.as_deref() };
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        actor,
        "residents.export",
        &format!("residents.{format}"),
        rows,
        scope,
        json!({ "rows": rows }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub use crate::residents_import::{ImportReport, ImportRun, ReasonCount, Rejected, import, import_run};

/// Add one resident (a form or API call).
pub async fn add(db: &Db, actor: &str, actor_id: i64, community: &str, input: ResidentInput) -> Result<Resident> {
    let v = validate(&input).map_err(|(f, m)| StoreError::invalid(&f, m))?;
    let v_index = v.id.as_str().to_string();
    let report = import(db, actor, actor_id, community, "form", vec![(1, Ok(v))], |_| {}).await?;
    if let Some(r) = report.rejected.first() {
        return Err(StoreError::invalid(&r.field, Msg::new(r.zh.clone(), r.en.clone())));
    }
    if report.inserted == 0 {
        return Err(StoreError::invalid(
            "id_number",
            Msg::new("该居民已在本社区登记", "this resident is already registered here"),
        ));
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM residents WHERE id_index = $1")
        .bind(db.seal.index(v_index.as_str()))
        .fetch_one(&db.pool)
        .await?;
    get(db, id).await
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM residents").fetch_one(&db.pool).await?)
}

/// Blind indexes and ids of a community's first residents (demo ballots, tests).
pub async fn first_indexes(db: &Db, community: &str, limit: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, id_index FROM residents WHERE community_code = $1 ORDER BY id LIMIT $2")
        .bind(community)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?)
}
