//! The city's structure: districts, big communities, their three bodies,
//! residents' groups, the functions register and resident units (驻区单位).

use crate::audit;
use crate::{Db, Result, StoreError, clock};
use rules::committee::{self, Post};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct District {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub successor: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Community {
    pub code: String,
    pub district_code: String,
    pub former_district_code: Option<String>,
    pub name: String,
    pub formed_on: String,
    pub illustrative: i64,
    pub center_address: String,
    pub center_phone: String,
    pub center_hours: String,
    /// The center's address, phone and hours and the founding date are invented (0022).
    #[sqlx(default)]
    pub details_illustrative: i64,
    /// The code was not seen in a source (rules §4).
    #[sqlx(default)]
    pub code_illustrative: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Body {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub kind: String,
    pub name: String,
    pub term_start: Option<String>,
    pub term_end: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub body_id: i64,
    pub name: String,
    pub post: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ResidentGroup {
    pub id: i64,
    pub community_code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Function {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub direction: String,
    pub receiver: String,
    pub effective_on: String,
    pub source: String,
    /// Date, receiving department and attribution invented for the demo (0022).
    #[sqlx(default)]
    pub illustrative: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub name: String,
    pub kind: String,
    pub uscc: String,
    pub party_org: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub created_at: String,
}

/// Whether the database holds invented data (the demo's): a community whose
/// name, details or code the demo made up. Staff pages then say that the
/// people in it — residents, callers, their numbers and requests — are invented too.
pub async fn holds_invented_data(db: &Db) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM communities WHERE illustrative = 1 OR details_illustrative = 1 OR code_illustrative = 1",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

pub async fn districts(db: &Db) -> Result<Vec<District>> {
    Ok(sqlx::query_as("SELECT * FROM districts ORDER BY valid_to IS NOT NULL, code").fetch_all(&db.pool).await?)
}

pub async fn communities(db: &Db, district: Option<&str>) -> Result<Vec<Community>> {
    Ok(sqlx::query_as("SELECT * FROM communities WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) ORDER BY code")
        .bind(district.map(str::to_string))
        .fetch_all(&db.pool)
        .await?)
}

pub async fn community(db: &Db, code: &str) -> Result<Community> {
    sqlx::query_as("SELECT * FROM communities WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn bodies(db: &Db, community: &str) -> Result<Vec<(Body, Vec<Member>)>> {
    let bodies: Vec<Body> = sqlx::query_as("SELECT * FROM bodies WHERE community_code = $1 ORDER BY id")
        .bind(community)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::new();
    for b in bodies {
        let members: Vec<Member> =
            sqlx::query_as("SELECT id, body_id, name, post FROM body_members WHERE body_id = $1 ORDER BY id")
                .bind(b.id)
                .fetch_all(&db.pool)
                .await?;
        out.push((b, members));
    }
    Ok(out)
}

pub async fn groups(db: &Db, community: &str) -> Result<Vec<ResidentGroup>> {
    Ok(sqlx::query_as("SELECT id, community_code, name FROM resident_groups WHERE community_code = $1 ORDER BY id")
        .bind(community)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn functions(db: &Db) -> Result<Vec<Function>> {
    Ok(sqlx::query_as("SELECT * FROM functions ORDER BY direction, id").fetch_all(&db.pool).await?)
}

pub async fn units(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Unit>> {
    crate::sql::scoped(db, "SELECT * FROM units WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY community_code, id", community, district).await
}

/// Input for a new resident unit; validated here, once, for every caller.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewUnit {
    pub community_code: String,
    pub name: String,
    pub kind: String,
    pub uscc: String,
    #[serde(default)]
    pub party_org: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
}

pub async fn add_unit(db: &Db, actor: &str, u: NewUnit) -> Result<Unit> {
    use rules::Msg;
    if u.name.trim().is_empty() {
        return Err(StoreError::invalid("name", Msg::new("请填写单位名称", "the unit's name is required")));
    }
    if u.kind.trim().is_empty() {
        return Err(StoreError::invalid("kind", Msg::new("请选择单位类型", "the unit's type is required")));
    }
    let uscc = rules::gb32100::validate(&u.uscc).map_err(|m| StoreError::invalid("uscc", m))?;
    let c = community(db, &u.community_code)
        .await
        .map_err(|_| StoreError::invalid("community_code", Msg::new("社区不存在", "no such community")))?;
    let mut tx = db.begin().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM units WHERE uscc = $1").bind(&uscc).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(StoreError::invalid(
            "uscc",
            Msg::new("该统一社会信用代码已登记", "this unified social credit code is already registered"),
        ));
    }
    let unit: Unit = sqlx::query_as(
        "INSERT INTO units (community_code, district_code, name, kind, uscc, party_org, contact_name, contact_phone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(u.name.trim())
    .bind(u.kind.trim())
    .bind(&uscc)
    .bind(u.party_org.trim())
    .bind(u.contact_name.trim())
    .bind(u.contact_phone.trim())
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, "unit.add", "unit", unit.id, (&c.code, &c.district_code), json!(unit)).await?;
    tx.commit().await?;
    Ok(unit)
}

/// Replace a residents' committee's roster, checked against 居组法 Art 7–8.
pub async fn set_committee(
    db: &Db,
    actor: &str,
    community_code: &str,
    elected: &str,
    members: &[(String, Post)],
) -> Result<()> {
    use rules::Msg;
    let posts: Vec<Post> = members.iter().map(|m| m.1).collect();
    committee::check_roster_size(&posts).map_err(|m| StoreError::invalid("members", m))?;
    let elected_on = clock::parse_date(elected).ok_or_else(|| {
        StoreError::invalid("elected", Msg::new("选举日期格式应为YYYY-MM-DD", "election date must be YYYY-MM-DD"))
    })?;
    let c = community(db, community_code).await?;
    let mut tx = db.begin().await?;
    write_committee(&mut tx, actor, &c, elected_on, members, "committee.set").await?;
    tx.commit().await?;
    Ok(())
}

/// Write a residents' committee's roster and term inside the caller's
/// transaction, with its audit entry (`action`): [`set_committee`] and an
/// election's result (`crate::elections::seat`) share it. The roster is
/// checked against 居组法 Art 7 again here.
pub(crate) async fn write_committee(
    tx: &mut crate::Tx,
    actor: &str,
    c: &Community,
    elected_on: time::Date,
    members: &[(String, Post)],
    action: &str,
) -> Result<i64> {
    let posts: Vec<Post> = members.iter().map(|m| m.1).collect();
    committee::check_roster_size(&posts).map_err(|m| StoreError::invalid("members", m))?;
    let elected = elected_on.to_string();
    let body_id: i64 = sqlx::query_scalar(
        "INSERT INTO bodies (community_code, district_code, kind, name, term_start, term_end) VALUES ($1, $2, 'residents_committee', $3, $4, $5) \
         ON CONFLICT (community_code, kind) DO UPDATE SET term_start = excluded.term_start, term_end = excluded.term_end RETURNING id",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(format!("{}居民委员会", c.name.trim_end_matches("社区")))
    .bind(elected_on.to_string())
    .bind(committee::term_end(elected_on).to_string())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM body_members WHERE body_id = $1").bind(body_id).execute(&mut **tx).await?;
    for (name, post) in members {
        sqlx::query(
            "INSERT INTO body_members (body_id, community_code, district_code, name, post) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(body_id)
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(name)
        .bind(post.zh())
        .execute(&mut **tx)
        .await?;
    }
    audit::record(
        tx,
        actor,
        action,
        "body",
        body_id,
        (&c.code, &c.district_code),
        json!({ "elected": elected, "members": members.iter().map(|m| (m.0.clone(), m.1.zh())).collect::<Vec<_>>() }),
    )
    .await?;
    Ok(body_id)
}

/// Residents per community, counted live.
pub async fn resident_counts(db: &Db) -> Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT community_code, CAST(COUNT(*) AS BIGINT) FROM residents GROUP BY community_code")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().collect())
}

pub async fn unit_count(db: &Db, community: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM units WHERE community_code = $1")
        .bind(community)
        .fetch_one(&db.pool)
        .await?)
}

/// Replace the members of a community's party working committee or service
/// center (free-text posts; the residents' committee goes through
/// [`set_committee`], which enforces 居组法 Art 7–8).
pub async fn set_body_members(
    db: &Db,
    actor: &str,
    community_code: &str,
    kind: &str,
    members: &[(String, String)],
) -> Result<()> {
    use rules::Msg;
    if !matches!(kind, "party_committee" | "service_center") {
        return Err(StoreError::invalid("kind", Msg::new("机构类型无效", "unknown body kind")));
    }
    if members.iter().any(|(n, p)| n.trim().is_empty() || p.trim().is_empty()) {
        return Err(StoreError::invalid(
            "members",
            Msg::new("成员姓名和职务不能为空", "each member needs a name and a post"),
        ));
    }
    let c = community(db, community_code).await?;
    let mut tx = db.begin().await?;
    let body_id: i64 = sqlx::query_scalar("SELECT id FROM bodies WHERE community_code = $1 AND kind = $2")
        .bind(&c.code)
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    sqlx::query("DELETE FROM body_members WHERE body_id = $1").bind(body_id).execute(&mut *tx).await?;
    for (name, post) in members {
        sqlx::query(
            "INSERT INTO body_members (body_id, community_code, district_code, name, post) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(body_id)
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(name.trim())
        .bind(post.trim())
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        actor,
        "body.set_members",
        "body",
        body_id,
        (&c.code, &c.district_code),
        json!({ "kind": kind, "members": members }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Community names by code, for lists that show where a row belongs.
pub async fn community_names(db: &Db) -> Result<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM communities").fetch_all(&db.pool).await?;
    Ok(rows.into_iter().collect())
}

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

type Area = (String, Option<f64>, Option<f64>, Option<i64>);

/// Sets a community's service area: a circle around its center.
pub async fn set_area(db: &Db, actor: &str, code: &str, lat: f64, lon: f64, radius_m: i64) -> Result<()> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(crate::error::bad("center_lat", "经纬度无效", "latitude/longitude invalid"));
    }
    if !(50..=50_000).contains(&radius_m) {
        return Err(crate::error::bad("radius_m", "半径应为50至50000米", "the radius must be 50 to 50,000 m"));
    }
    let c = community(db, code).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE communities SET center_lat = $1, center_lon = $2, radius_m = $3 WHERE code = $4")
        .bind(lat)
        .bind(lon)
        .bind(radius_m)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        actor,
        "community.area",
        "community",
        &c.code,
        (&c.code, &c.district_code),
        json!({ "lat": lat, "lon": lon, "radius_m": radius_m }),
    )
    .await?;
    tx.commit().await?;
    db.cases.forget_places();
    Ok(())
}

/// The community whose circle contains the point; the nearest center wins
/// where circles overlap.
pub async fn locate(db: &Db, lat: f64, lon: f64) -> Result<Option<String>> {
    let rows: Vec<Area> = sqlx::query_as(
        "SELECT code, center_lat, center_lon, radius_m FROM communities WHERE center_lat IS NOT NULL ORDER BY code",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, la, lo, r)| {
            let d = distance_m((lat, lon), (la?, lo?));
            (d <= r? as f64).then_some((d, code))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, code)| code))
}

/// Whether the point lies in the community's circle; a community without a
/// center set contains every point.
/// (Read through the intake's cache of community areas: case intake asks this on every request.)
pub async fn contains(db: &Db, code: &str, lat: f64, lon: f64) -> Result<bool> {
    let (_, area) = crate::cases::place_of(db, code).await?;
    Ok(area.is_none_or(|(la, lo, r)| distance_m((lat, lon), (la, lo)) <= r))
}
