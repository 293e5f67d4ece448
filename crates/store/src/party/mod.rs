//! Party building with resident units (大党工委, 共驻共建), persisted: the
//! committee's seats over time, units' representatives at meetings, co-building
//! agreements with their commitments and fulfilment, yearly evaluations,
//! cadre promotion reviews, the one-vote veto and the figures. The rules are
//! the `rules::party` engine's; every write is one transaction with its audit
//! entry. Liaison officers (role `unit_liaison`) are bound to their unit in
//! `party_liaisons`.
//!
//! Inputs arrive as text (forms and JSON alike) and are checked whole: every
//! field error at once ([`StoreError::Fields`]), then the rules that need the
//! database (one field each).

mod agreements;
mod figures;
mod reviews;
mod vetoes;

pub use agreements::*;
pub use figures::*;
pub use reviews::*;
pub use vetoes::*;

use crate::Capped;
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use rules::party::{self as engine, Period};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

words! {
    /// A committee member is full-time (the community's own) or part-time (from a unit).
    pub enum Membership, "membership" {
        FullTime => "full_time",
        PartTime => "part_time",
    }
}

words! {
    /// A seat's post on the committee.
    pub enum Post, "committee post" {
        Secretary => "secretary",
        DeputySecretary => "deputy_secretary",
        Member => "member",
    }
}

impl Post {
    pub fn name(self) -> Msg {
        match self {
            Post::Secretary => Msg::new("书记", "secretary"),
            Post::DeputySecretary => Msg::new("副书记", "deputy secretary"),
            Post::Member => Msg::new("委员", "member"),
        }
    }
}

/// Every field error of one input, gathered before anything is written.
#[derive(Default)]
pub(crate) struct Check(Vec<(String, Msg)>);

impl Check {
    pub(crate) fn add(&mut self, field: &str, msg: Msg) {
        self.0.push((field.to_string(), msg));
    }

    /// A required text of at most `max` characters.
    pub(crate) fn text(&mut self, field: &str, s: &str, max: usize, zh: &str, en: &str) -> String {
        let t = s.trim();
        if t.is_empty() {
            self.add(field, Msg::new(zh, en));
        } else if t.chars().count() > max {
            self.add(field, Msg::new(format!("不能超过{max}字"), format!("at most {max} characters")));
        }
        t.to_string()
    }

    pub(crate) fn date(&mut self, field: &str, s: &str) -> Option<Date> {
        let d = clock::parse_date(s);
        if d.is_none() {
            self.add(field, Msg::new("请填写日期，格式为年-月-日（如2026-01-31）", "date must be YYYY-MM-DD"));
        }
        d
    }

    /// A record's id (a whole number).
    pub(crate) fn id(&mut self, field: &str, s: &str, zh: &str, en: &str) -> Option<i64> {
        let v = s.trim().parse().ok();
        if v.is_none() {
            self.add(field, Msg::new(zh, en));
        }
        v
    }

    pub(crate) fn word<W: Word>(&mut self, field: &str, s: &str, zh: &str, en: &str) -> Option<W> {
        let v = W::from_word(s.trim()).ok();
        if v.is_none() {
            self.add(field, Msg::new(zh, en));
        }
        v
    }

    /// A period from two fields, its end not before its start.
    pub(crate) fn period(&mut self, from: &str, to: &str, a: &str, b: &str) -> Option<Period> {
        let (f, t) = (self.date(from, a), self.date(to, b));
        match Period::new(f?, t?) {
            Ok(p) => Some(p),
            Err(m) => {
                self.add(to, m);
                None
            }
        }
    }

    pub(crate) fn done(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(StoreError::Fields(self.0)) }
    }
}

/// A rule's refusal as the field's error.
pub(crate) fn refused(field: &str, m: Msg) -> StoreError {
    StoreError::invalid(field, m)
}

pub(crate) fn date_of(s: &str) -> Result<Date> {
    clock::parse_date(s).ok_or_else(|| StoreError::Config(format!("party: bad stored date {s}")))
}

// ----- units and their liaison officers ----------------------------------------------

/// A resident unit of `community`; another community's or a missing one is the field's error
/// (the same answer for both, so nothing is learnt of other communities' units).
pub async fn unit_of(db: &Db, field: &str, community: &str, id: i64) -> Result<crate::structure::Unit> {
    let u: Option<crate::structure::Unit> =
        sqlx::query_as("SELECT * FROM units WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    match u {
        Some(u) if u.community_code == community => Ok(u),
        _ => Err(bad(field, "本社区没有该驻区单位", "no such resident unit in this community")),
    }
}

pub async fn unit(db: &Db, id: i64) -> Result<crate::structure::Unit> {
    sqlx::query_as("SELECT * FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The unit a liaison officer's log-in acts for, if it is bound to one.
pub async fn liaison_unit(db: &Db, username: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT unit_id FROM party_liaisons WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewLiaison {
    #[serde(default)]
    pub username: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Liaison {
    pub username: String,
    pub unit_id: i64,
    pub display_name: String,
    pub unit_name: String,
}

/// Bind a liaison officer's log-in (role `unit_liaison`, of the same community) to a unit of `community`.
pub async fn bind_liaison(db: &Db, actor: &str, community: &str, n: NewLiaison) -> Result<Liaison> {
    let mut c = Check::default();
    let username = c.text("username", &n.username, 64, "请填写联络员账号", "the liaison's username is required");
    let unit_id = c.id("unit_id", n.unit_id.as_deref().unwrap_or(""), "请选择驻区单位", "choose a resident unit");
    c.done()?;
    let unit = unit_of(db, "unit_id", community, unit_id.unwrap_or_default()).await?;
    let user: Option<(String, Option<String>, String)> =
        sqlx::query_as("SELECT role, community_code, display_name FROM users WHERE username = $1")
            .bind(&username)
            .fetch_optional(&db.pool)
            .await?;
    let display_name = match user {
        Some((role, Some(uc), name)) if role == crate::users::Role::UnitLiaison.as_str() && uc == community => name,
        _ => {
            return Err(bad(
                "username",
                "本社区没有该驻区单位联络员账号",
                "no resident-unit liaison account of that name in this community",
            ));
        }
    };
    if liaison_unit(db, &username).await?.is_some() {
        return Err(bad("username", "该账号已是某驻区单位的联络员", "this account is already a unit's liaison"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO party_liaisons (username, unit_id) VALUES ($1, $2)")
        .bind(&username)
        .bind(unit.id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "party.liaison.bind",
        "unit",
        unit.id,
        (&unit.community_code, &unit.district_code),
        json!({ "username": username }),
    )
    .await?;
    tx.commit().await?;
    Ok(Liaison { username, unit_id: unit.id, display_name, unit_name: unit.name })
}

pub async fn liaisons(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Liaison>> {
    crate::sql::scoped(
        db,
        "SELECT l.username, l.unit_id, us.display_name, u.name AS unit_name FROM party_liaisons l \
         JOIN units u ON u.id = l.unit_id JOIN users us ON us.username = l.username \
         WHERE (CAST($1 AS TEXT) IS NULL OR u.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR u.district_code = $2) \
         ORDER BY u.id, l.username",
        community,
        district,
    )
    .await
}

// ----- seats on the big party working committee ---------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Seat {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub person: String,
    /// The unit of a part-time member; `None` for a full-time member.
    pub unit_id: Option<i64>,
    pub membership: Membership,
    pub post: Post,
    pub term_from: String,
    pub term_to: String,
    /// The appointment's document reference.
    pub appointment_ref: String,
    pub created_by: String,
    pub created_at: String,
    /// The last day held, when the seat was left before its term ended.
    pub ended_on: Option<String>,
    pub end_note: String,
    pub unit_name: Option<String>,
}

impl Seat {
    /// The days the seat is (or was) held: its term, cut short by its end.
    pub fn held(&self) -> Result<Period> {
        let to = date_of(self.ended_on.as_deref().unwrap_or(&self.term_to))?;
        Ok(Period { from: date_of(&self.term_from)?, to })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewSeat {
    #[serde(default)]
    pub person: String,
    /// Empty for a full-time member.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
    /// secretary | deputy_secretary | member
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub term_from: String,
    #[serde(default)]
    pub term_to: String,
    #[serde(default)]
    pub appointment_ref: String,
}

const SEATS: &str = "SELECT s.*, u.name AS unit_name FROM party_seats s LEFT JOIN units u ON u.id = s.unit_id";

/// Seat a member on `community`'s committee; a unit holds one seat at a time (rule P1).
pub async fn seat(db: &Db, actor: &str, community: &str, district: &str, n: NewSeat) -> Result<Seat> {
    let mut c = Check::default();
    let person = c.text("person", &n.person, 50, "请填写委员姓名", "the member's name is required");
    let unit_text = n.unit_id.as_deref().map(str::trim).unwrap_or("");
    let unit_id = if unit_text.is_empty() {
        None
    } else {
        c.id("unit_id", unit_text, "请选择驻区单位", "choose a resident unit")
    };
    let post: Option<Post> = c.word("post", &n.post, "请选择职务", "choose a post");
    let term = c.period("term_from", "term_to", &n.term_from, &n.term_to);
    let reference = c.text(
        "appointment_ref",
        &n.appointment_ref,
        100,
        "请填写任职文件文号",
        "the appointment's reference is required",
    );
    c.done()?;
    let (Some(post), Some(term)) = (post, term) else { return Err(bad("post", "输入有误", "invalid input")) };
    let unit = match unit_id {
        Some(id) => Some(unit_of(db, "unit_id", community, id).await?),
        None => None,
    };
    let mut tx = db.begin().await?;
    if let Some(u) = &unit {
        let held: Vec<(String, String)> =
            sqlx::query_as("SELECT term_from, COALESCE(ended_on, term_to) FROM party_seats WHERE unit_id = $1")
                .bind(u.id)
                .fetch_all(&mut *tx)
                .await?;
        let held =
            held.iter().map(|(a, b)| Ok(Period { from: date_of(a)?, to: date_of(b)? })).collect::<Result<Vec<_>>>()?;
        engine::p1_unit_seated_once(&u.name, &held, term).map_err(|m| refused("unit_id", m))?;
    }
    let membership = if unit.is_some() { Membership::PartTime } else { Membership::FullTime };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_seats (community_code, district_code, person, unit_id, membership, post, term_from, term_to, appointment_ref, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(community)
    .bind(district)
    .bind(&person)
    .bind(unit.as_ref().map(|u| u.id))
    .bind(membership.word())
    .bind(post.word())
    .bind(term.from.to_string())
    .bind(term.to.to_string())
    .bind(&reference)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "party.seat",
        "party_seat",
        id,
        (community, district),
        json!({ "person": person, "unit": unit.as_ref().map(|u| u.id), "post": post, "term": [term.from.to_string(), term.to.to_string()], "ref": reference }),
    )
    .await?;
    tx.commit().await?;
    seat_by_id(db, id).await
}

pub async fn seat_by_id(db: &Db, id: i64) -> Result<Seat> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SEATS} WHERE s.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The committee's seats over time in scope (latest term first).
pub async fn seats(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Seat>> {
    crate::sql::scoped(
        db,
        "SELECT s.*, u.name AS unit_name FROM party_seats s LEFT JOIN units u ON u.id = s.unit_id \
         WHERE (CAST($1 AS TEXT) IS NULL OR s.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR s.district_code = $2) \
         ORDER BY s.community_code, s.term_to DESC, s.id",
        community,
        district,
    )
    .await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndSeat {
    /// The last day the seat is held.
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub note: String,
}

/// A member leaves the committee before the term ends (the caller checked the seat's scope).
pub async fn end_seat(db: &Db, actor: &str, id: i64, n: EndSeat) -> Result<Seat> {
    let s = seat_by_id(db, id).await?;
    let mut c = Check::default();
    let on = c.date("ended_on", &n.ended_on);
    let note = c.text("note", &n.note, 200, "请说明离任原因", "say why the member leaves");
    if let (Some(d), Ok(p)) = (on, s.held())
        && !p.contains(d)
    {
        c.add(
            "ended_on",
            Msg::new(
                format!("离任日期应在任期{}至{}之内", p.from, p.to),
                format!("the end must fall in the term {} to {}", p.from, p.to),
            ),
        );
    }
    c.done()?;
    if s.ended_on.is_some() {
        return Err(bad("ended_on", "该委员已离任", "this member has already left"));
    }
    let on = on.map(|d| d.to_string()).unwrap_or_default();
    let mut tx = db.begin().await?;
    let changed = sqlx::query("UPDATE party_seats SET ended_on = $1, end_note = $2 WHERE id = $3 AND ended_on IS NULL")
        .bind(&on)
        .bind(&note)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Err(bad("ended_on", "该委员已离任", "this member has already left"));
    }
    audit_write(
        &mut tx,
        actor,
        "party.seat.end",
        "party_seat",
        id,
        (&s.community_code, &s.district_code),
        json!({ "ended_on": on, "note": note }),
    )
    .await?;
    tx.commit().await?;
    seat_by_id(db, id).await
}

// ----- units' representatives at meetings (rules §1.17) -------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Representative {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    pub meeting_id: i64,
    pub person: String,
    pub created_by: String,
    pub created_at: String,
    pub unit_name: String,
    pub meeting_title: String,
    /// council | assembly
    pub meeting_kind: String,
    pub held_on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewRepresentative {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub meeting_id: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub person: String,
}

/// A unit's representative at one of its community's deliberation meetings (rule P7).
pub async fn add_representative(db: &Db, actor: &str, community: &str, n: NewRepresentative) -> Result<Representative> {
    let mut c = Check::default();
    let meeting = c.id("meeting_id", n.meeting_id.as_deref().unwrap_or(""), "请选择会议", "choose a meeting");
    let unit_id = c.id("unit_id", n.unit_id.as_deref().unwrap_or(""), "请选择驻区单位", "choose a resident unit");
    let person = c.text("person", &n.person, 50, "请填写代表姓名", "the representative's name is required");
    c.done()?;
    let unit = unit_of(db, "unit_id", community, unit_id.unwrap_or_default()).await?;
    let m: Option<(String, String)> =
        sqlx::query_as("SELECT community_code, district_code FROM delib_meetings WHERE id = $1")
            .bind(meeting.unwrap_or_default())
            .fetch_optional(&db.pool)
            .await?;
    let Some((mc, md)) = m.filter(|(mc, _)| mc == community) else {
        return Err(bad("meeting_id", "本社区没有该会议", "no such meeting in this community"));
    };
    engine::p7_representative_of_own_community(&unit.community_code, &mc).map_err(|m| refused("unit_id", m))?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_representatives (community_code, district_code, unit_id, meeting_id, person, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&mc)
    .bind(&md)
    .bind(unit.id)
    .bind(meeting)
    .bind(&person)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "party.representative",
        "party_representative",
        id,
        (&mc, &md),
        json!({ "unit": unit.id, "meeting": meeting, "person": person }),
    )
    .await?;
    tx.commit().await?;
    representatives(db, Some(&mc), None).await?.into_iter().find(|r| r.id == id).ok_or(StoreError::NotFound)
}

pub async fn representatives(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Representative>> {
    crate::sql::scoped(
        db,
        "SELECT r.*, u.name AS unit_name, m.title AS meeting_title, m.kind AS meeting_kind, m.held_on FROM party_representatives r \
         JOIN units u ON u.id = r.unit_id JOIN delib_meetings m ON m.id = r.meeting_id \
         WHERE (CAST($1 AS TEXT) IS NULL OR r.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR r.district_code = $2) \
         ORDER BY m.held_on DESC, r.id",
        community,
        district,
    )
    .await
}

// ----- reads shared by every party record ---------------------------------------------

/// Where a party record lives: its place in scope (`None`: any) and, for a
/// unit's liaison, its unit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Within<'a> {
    pub community: Option<&'a str>,
    pub district: Option<&'a str>,
    pub unit: Option<i64>,
}

/// One record by id: `select` is its query up to WHERE, the table aliased `alias`.
async fn by_id<T>(db: &Db, select: &str, alias: &str, id: i64) -> Result<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{select} WHERE {alias}.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The records within a scope, newest first by `order` (at most 1,000).
async fn within<T>(db: &Db, select: &str, alias: &str, order: &str, w: Within<'_>) -> Result<Capped<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{select} WHERE (CAST($1 AS TEXT) IS NULL OR {alias}.community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR {alias}.district_code = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR {alias}.unit_id = $3) ORDER BY {order}{}",
        crate::capped::limit(1000)
    )))
    .bind(w.community.map(str::to_string))
    .bind(w.district.map(str::to_string))
    .bind(w.unit)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 1000))
}
