//! Direct elections of residents' committees (rules §1.1, §1.3–§1.5, §2),
//! stored: an election per community, its posts and seats, the published
//! voter roll ([`roll`]), the formal candidates, each ballot box with its
//! tally sheet, and the counted round ([`count`]) whose winners become the
//! committee's roster. Every rule is the `election` engine's; each user
//! action is one transaction with its audit entry.

pub mod count;
pub mod filing;
pub mod nomination;
pub mod objections;
pub mod polling;
pub mod roll;
mod roll_sql;
pub mod rounds;

use crate::Capped;
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::structure::Community;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use election::calendar::Calendar;
use rules::Msg;
use rules::committee::Post;
use serde::Serialize;
use serde_json::json;
use time::Date;

pub use count::{count, seat};
pub use roll::{RollReport, publish_roll, publish_roll_with};
pub use rounds::{Round, RoundStatus};

words! {
    /// Where an election stands: prepared (roll, candidates, boxes), its round counted, its committee seated.
    pub enum ElectionStatus, "election status" {
        Preparing => "preparing",
        Counted => "counted",
        Seated => "seated",
    }
}

words! {
    /// §1.5: who votes.
    pub enum ElectionMode, "election mode" {
        DirectAllVoters => "direct_all_voters",
        HouseholdRepresentatives => "household_representatives",
        GroupRepresentatives => "group_representatives",
    }
}

words! {
    /// §2.12: a polling station or a mobile ballot box.
    pub enum BoxKind, "ballot box kind" {
        Station => "station",
        Mobile => "mobile",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Election {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub mode: ElectionMode,
    pub election_day: String,
    pub roll_published: Option<String>,
    pub candidates_published: Option<String>,
    pub status: ElectionStatus,
    /// Demo data: shown with a 示例 mark.
    pub illustrative: i64,
    pub created_by: String,
    pub created_at: String,
}

impl Election {
    pub fn day(&self) -> Option<Date> {
        clock::parse_date(&self.election_day)
    }

    /// The dates the election committee recorded, for the engine's calendar.
    pub fn calendar(&self) -> Calendar {
        Calendar {
            election_day: self.day(),
            voter_list_published: self.roll_published.as_deref().and_then(clock::parse_date),
            candidates_published: self.candidates_published.as_deref().and_then(clock::parse_date),
        }
    }

    /// §2.3 and §2.9: every gap still unmet (empty: polling is open).
    pub fn locked(&self) -> Vec<Msg> {
        election::calendar::polling_unlocked(&election::Ruleset::default(), &self.calendar()).err().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PostSeats {
    pub post: String,
    pub seats: i64,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Candidate {
    pub post: String,
    pub name: String,
    pub position: i64,
}

/// A published roll line: a name and a residents' group, nothing else (rules §6).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RollLine {
    pub name: String,
    #[serde(rename = "group")]
    pub group_name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BallotBox {
    pub id: i64,
    pub election_id: i64,
    pub name: String,
    pub kind: BoxKind,
    pub issued: i64,
    pub returned: i64,
    pub entered_by: String,
    pub entered_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SheetLine {
    pub box_id: i64,
    pub post: String,
    /// candidate | write_in | invalid | blank
    pub line: String,
    pub name: String,
    pub votes: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ResultRow {
    pub election_id: i64,
    pub round: String,
    pub registered_voters: i64,
    pub ballots_issued: i64,
    pub ballots_returned: i64,
    pub round_valid: i64,
    /// The engine's outcome as JSON (per post: votes, elected, run-off, unfilled).
    pub outcome: String,
    pub counted_by: String,
    pub counted_at: String,
    pub seated_at: Option<String>,
}

/// A new election as the action checked it: mode, day and seats (§1.1 by the engine).
#[derive(Debug, Clone)]
pub struct ElectionSpec {
    pub mode: ElectionMode,
    pub election_day: Date,
    pub seats: Vec<(Post, u32)>,
}

/// A box's tally sheet as the action checked it (§2.15, §2.16 by the engine).
#[derive(Debug, Clone)]
pub struct BoxEntry {
    pub name: String,
    pub kind: BoxKind,
    pub issued: u64,
    pub returned: u64,
    pub posts: Vec<election::sheet::PostSheet>,
}

fn not_preparing() -> StoreError {
    bad(
        "status",
        "本次选举已计票，不能再修改选民名单、候选人或计票单",
        "this election is counted: its roll, candidates and tally sheets no longer change",
    )
}

pub async fn election(db: &Db, id: i64) -> Result<Election> {
    sqlx::query_as("SELECT * FROM elections WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Elections in scope, newest first.
pub async fn elections(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Election>> {
    crate::capped::scoped(
        db,
        "SELECT * FROM elections WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY election_day DESC, id DESC",
        500,
        community,
        district,
    )
    .await
}

pub async fn posts(db: &Db, election_id: i64) -> Result<Vec<PostSeats>> {
    Ok(sqlx::query_as("SELECT post, seats, position FROM election_posts WHERE election_id = $1 ORDER BY position")
        .bind(election_id)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn candidates(db: &Db, election_id: i64) -> Result<Vec<Candidate>> {
    Ok(sqlx::query_as(
        "SELECT c.post, c.name, c.position FROM election_candidates c JOIN election_posts p ON p.election_id = c.election_id AND p.post = c.post \
         WHERE c.election_id = $1 ORDER BY p.position, c.position",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The published roll: names and residents' groups only, by group then name.
pub async fn roll_lines(db: &Db, election_id: i64) -> Result<Vec<RollLine>> {
    Ok(sqlx::query_as(
        "SELECT name, group_name FROM election_voters WHERE election_id = $1 AND struck_on IS NULL ORDER BY group_name, name, id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn voter_count(db: &Db, election_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM election_voters WHERE election_id = $1 AND struck_on IS NULL",
    )
    .bind(election_id)
    .fetch_one(&db.pool)
    .await?)
}

pub async fn boxes(db: &Db, election_id: i64) -> Result<Vec<BallotBox>> {
    Ok(sqlx::query_as("SELECT * FROM election_boxes WHERE election_id = $1 ORDER BY id")
        .bind(election_id)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn sheet_lines(db: &Db, election_id: i64) -> Result<Vec<SheetLine>> {
    Ok(sqlx::query_as(
        "SELECT box_id, post, line, name, votes FROM election_sheet_lines WHERE election_id = $1 ORDER BY box_id, id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn result(db: &Db, election_id: i64) -> Result<Option<ResultRow>> {
    Ok(sqlx::query_as(
        "SELECT election_id, round, registered_voters, ballots_issued, ballots_returned, round_valid, outcome, counted_by, counted_at, seated_at \
         FROM election_results WHERE election_id = $1",
    )
    .bind(election_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// Open an election in a community (the action checked the seats, §1.1).
pub async fn create(db: &Db, actor: &str, c: &Community, spec: &ElectionSpec, illustrative: bool) -> Result<Election> {
    let mut tx = db.begin().await?;
    let open: Option<i64> =
        sqlx::query_scalar("SELECT id FROM elections WHERE community_code = $1 AND status = 'preparing' LIMIT 1")
            .bind(&c.code)
            .fetch_optional(&mut *tx)
            .await?;
    if open.is_some() {
        return Err(bad(
            "election_day",
            "本社区已有一场正在筹备的选举",
            "this community already has an election in preparation",
        ));
    }
    let e: Election = sqlx::query_as(
        "INSERT INTO elections (community_code, district_code, mode, election_day, status, illustrative, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 'preparing', $5, $6, $7) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(spec.mode.word())
    .bind(spec.election_day.to_string())
    .bind(i64::from(illustrative))
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    for (i, (post, seats)) in spec.seats.iter().enumerate() {
        sqlx::query("INSERT INTO election_posts (election_id, post, seats, position) VALUES ($1, $2, $3, $4)")
            .bind(e.id)
            .bind(post.zh())
            .bind(i64::from(*seats))
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
    }
    let seats: Vec<(&str, u32)> = spec.seats.iter().map(|(p, n)| (p.zh(), *n)).collect();
    audit_write(
        &mut tx,
        actor,
        "election.create",
        "election",
        e.id,
        (&c.code, &c.district_code),
        json!({ "mode": e.mode, "election_day": e.election_day, "seats": seats }),
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

/// §2.8–§2.9: record the formal candidates per post (the action checked each
/// list's size by the engine), published on `published_on`. A published list
/// does not change (§2.9: only through a recorded procedure, not built yet).
/// `elsewhere` names the candidates who do not live in the community (§2.21).
pub async fn set_candidates(
    db: &Db,
    actor: &str,
    e: &Election,
    lists: &[(String, Vec<String>)],
    elsewhere: &[String],
    published_on: Date,
) -> Result<()> {
    publish_candidates(db, actor, e, lists, elsewhere, published_on, &[]).await
}

/// [`set_candidates`], with the 海选 count per post that gave the lists (§2.7)
/// stored in the same transaction; election-committee members named formal
/// candidates leave the committee in it too (§2.10).
pub(crate) async fn publish_candidates(
    db: &Db,
    actor: &str,
    e: &Election,
    lists: &[(String, Vec<String>)],
    elsewhere: &[String],
    published_on: Date,
    open: &[nomination::OpenCount],
) -> Result<()> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    election::nomination::may_change_list(e.candidates_published.is_some(), None)
        .map_err(|m| StoreError::invalid("candidates", m))?;
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE elections SET candidates_published = $1 WHERE id = $2 AND candidates_published IS NULL AND status = 'preparing'",
    )
    .bind(published_on.to_string())
    .bind(e.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(StoreError::invalid(
            "candidates",
            election::nomination::may_change_list(true, None).err().unwrap_or_else(|| Msg::new("", "")),
        ));
    }
    for (post, names) in lists {
        for (i, name) in names.iter().enumerate() {
            sqlx::query(
                "INSERT INTO election_candidates (election_id, post, name, position, lives_here) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(e.id)
            .bind(post)
            .bind(name)
            .bind(i as i64)
            .bind(i64::from(!elsewhere.contains(name)))
            .execute(&mut *tx)
            .await?;
        }
    }
    for o in open {
        nomination::insert_open_count(&mut tx, actor, e, o).await?;
    }
    let left = nomination::candidates_leave_committee(&mut tx, e, lists, published_on).await?;
    audit_write(
        &mut tx,
        actor,
        "election.candidates",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "published_on": published_on.to_string(), "candidates": lists, "open_nomination": open, "left_committee": left }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A box's tally sheet entered at the counting desk (the action checked it by the engine).
pub async fn enter_box(db: &Db, actor: &str, e: &Election, b: &BoxEntry) -> Result<BallotBox> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    insert_box(db, actor, e, Ballot::First, b).await
}

/// Which round's ballot a box belongs to: the first round's tables, or a later round's (§2.17, §2.18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ballot {
    First,
    Later(i64),
}

/// Store a box's tally sheet, once per box name in its round, while that round is open.
pub(crate) async fn insert_box(db: &Db, actor: &str, e: &Election, at: Ballot, b: &BoxEntry) -> Result<BallotBox> {
    let too_big = || bad("issued", "票数超出范围", "more ballots than can be stored");
    let (issued, returned) =
        (i64::try_from(b.issued).map_err(|_| too_big())?, i64::try_from(b.returned).map_err(|_| too_big())?);
    let candidates = match at {
        Ballot::First => candidates(db, e.id).await?,
        Ballot::Later(r) => rounds::round_candidates(db, r).await?,
    };
    let (boxes, lines, key, key_val) = match at {
        Ballot::First => ("election_boxes", "election_sheet_lines", "election_id", e.id),
        Ballot::Later(r) => ("election_round_boxes", "election_round_lines", "round_id", r),
    };
    let mut tx = db.begin().await?;
    let mut q = crate::sql::Sql::new(db.dialect, format!("SELECT id FROM {boxes} WHERE {key} = "));
    q.bind(key_val).push(" AND name = ").bind(b.name.as_str());
    let taken: Option<i64> = q.query_scalar().fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(bad("name", "该票箱的计票单已录入", "this box's tally sheet is already entered"));
    }
    let open = match at {
        Ballot::First => sqlx::query_scalar("SELECT status FROM elections WHERE id = $1")
            .bind(e.id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some_and(|s: String| s == "preparing"),
        Ballot::Later(r) => sqlx::query_scalar("SELECT status FROM election_rounds WHERE id = $1")
            .bind(r)
            .fetch_optional(&mut *tx)
            .await?
            .is_some_and(|s: String| s == "polling"),
    };
    if !open {
        return Err(not_preparing());
    }
    polling::check_box_recorded(&mut tx, e, &b.name, b.kind).await?;
    let mut q = crate::sql::Sql::new(db.dialect, format!("INSERT INTO {boxes} ("));
    if let Ballot::Later(_) = at {
        q.push("round_id, ");
    }
    q.push("election_id, name, kind, issued, returned, entered_by, entered_at) VALUES (");
    if let Ballot::Later(r) = at {
        q.bind(r).push(", ");
    }
    q.bind(e.id).push(", ").bind(b.name.as_str()).push(", ").bind(b.kind.word()).push(", ");
    q.bind(issued).push(", ").bind(returned).push(", ").bind(actor).push(", ").bind(clock::now_text());
    q.push(") RETURNING id, election_id, name, kind, issued, returned, entered_by, entered_at");
    let bx: BallotBox = q.query_as().fetch_one(&mut *tx).await?;
    let mut q =
        crate::sql::Sql::new(db.dialect, format!("INSERT INTO {lines} (box_id, {key}, post, line, name, votes)"));
    let mut rows: Vec<(String, &'static str, String, u64)> = Vec::new();
    for p in &b.posts {
        for (name, v) in &p.votes {
            rows.push((p.post.clone(), "candidate", name.clone(), *v));
        }
        rows.push((p.post.clone(), "invalid", String::new(), p.invalid));
        rows.push((p.post.clone(), "blank", String::new(), p.blank));
    }
    if !rows.is_empty() {
        q.values(&rows, |(post, line, name, v)| {
            let line = if *line == "candidate" && !candidates.iter().any(|c| &c.post == post && &c.name == name) {
                "write_in"
            } else {
                line
            };
            vec![
                bx.id.into(),
                key_val.into(),
                post.as_str().into(),
                line.into(),
                name.as_str().into(),
                i64::try_from(*v).unwrap_or(i64::MAX).into(),
            ]
        });
        q.query().execute(&mut *tx).await?;
    }
    let round = match at {
        Ballot::First => None,
        Ballot::Later(r) => Some(r),
    };
    audit_write(
        &mut tx,
        actor,
        "election.box",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "round": round, "box": bx.name, "kind": bx.kind, "issued": issued, "returned": returned, "posts": b.posts }),
    )
    .await?;
    tx.commit().await?;
    Ok(bx)
}
