//! The rounds after the first (rules §2.17 run-off, §2.18 另行选举): what the
//! engine's [`election::rounds::next_round`] calls for after the rounds counted
//! so far is the only round that can be opened; its posts and candidates are
//! the engine's (the tied names, or the first round's non-winners in vote
//! order), never typed in. Each round has its own boxes and tally sheets
//! (entered through the same code as the first round's) and its own count.

use super::count::{scenario_of, tallied};
use super::{Ballot, BallotBox, BoxEntry, Candidate, Election, ElectionStatus, PostSeats, SheetLine};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use election::rounds::{Counted, Next};
use election::scenario::RoundKind;
use election::tally::Outcome;
use serde::Serialize;
use serde_json::json;
use time::Date;

words! {
    /// A later round is open for polling (its boxes' sheets) until it is counted.
    pub enum RoundStatus, "round status" {
        Polling => "polling",
        Counted => "counted",
    }
}

words! {
    /// §2.17 a run-off among the tied, §2.18 a 另行选举 for unfilled seats,
    /// §2.14 the first round held again after it was invalid.
    pub enum LaterKind, "round kind" {
        Runoff => "runoff",
        Repeat => "repeat",
        Rerun => "rerun",
    }
}

/// A round after the first (numbered from 2).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Round {
    pub id: i64,
    pub election_id: i64,
    pub number: i64,
    pub kind: LaterKind,
    pub polling_day: String,
    pub status: RoundStatus,
    pub registered_voters: Option<i64>,
    pub ballots_issued: Option<i64>,
    pub ballots_returned: Option<i64>,
    pub round_valid: Option<i64>,
    /// The engine's outcome as JSON once counted.
    pub outcome: Option<String>,
    pub opened_by: String,
    pub opened_at: String,
    pub counted_by: Option<String>,
    pub counted_at: Option<String>,
}

impl Round {
    pub fn round_kind(&self) -> RoundKind {
        match self.kind {
            LaterKind::Runoff => RoundKind::Runoff,
            LaterKind::Repeat => RoundKind::Repeat,
            // A re-run is the first round held again, counted by its rules.
            LaterKind::Rerun => RoundKind::First,
        }
    }

    pub fn day(&self) -> Option<Date> {
        clock::parse_date(&self.polling_day)
    }

    pub fn counted(&self) -> Option<Outcome> {
        self.outcome.as_deref().and_then(|o| serde_json::from_str(o).ok())
    }
}

pub async fn rounds(db: &Db, election_id: i64) -> Result<Vec<Round>> {
    Ok(sqlx::query_as("SELECT * FROM election_rounds WHERE election_id = $1 ORDER BY number")
        .bind(election_id)
        .fetch_all(&db.pool)
        .await?)
}

/// Round `number` (2, 3, …) of an election.
pub async fn round(db: &Db, election_id: i64, number: i64) -> Result<Round> {
    sqlx::query_as("SELECT * FROM election_rounds WHERE election_id = $1 AND number = $2")
        .bind(election_id)
        .bind(number)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn round_posts(db: &Db, round_id: i64) -> Result<Vec<PostSeats>> {
    Ok(sqlx::query_as("SELECT post, seats, position FROM election_round_posts WHERE round_id = $1 ORDER BY position")
        .bind(round_id)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn round_candidates(db: &Db, round_id: i64) -> Result<Vec<Candidate>> {
    Ok(sqlx::query_as(
        "SELECT c.post, c.name, c.position FROM election_round_candidates c \
         JOIN election_round_posts p ON p.round_id = c.round_id AND p.post = c.post \
         WHERE c.round_id = $1 ORDER BY p.position, c.position",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn round_boxes(db: &Db, round_id: i64) -> Result<Vec<BallotBox>> {
    Ok(sqlx::query_as(
        "SELECT id, election_id, name, kind, issued, returned, entered_by, entered_at FROM election_round_boxes \
         WHERE round_id = $1 ORDER BY id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

async fn round_lines(db: &Db, round_id: i64) -> Result<Vec<SheetLine>> {
    Ok(sqlx::query_as(
        "SELECT box_id, post, line, name, votes FROM election_round_lines WHERE round_id = $1 ORDER BY box_id, id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

fn seats_of(posts: &[PostSeats]) -> Vec<(String, u32)> {
    posts.iter().map(|p| (p.post.clone(), u32::try_from(p.seats).unwrap_or(0))).collect()
}

/// Every counted later round with the seats on its ballot and its outcome.
pub(crate) async fn counted_outcomes(db: &Db, election_id: i64) -> Result<Vec<(Round, Vec<(String, u32)>, Outcome)>> {
    let mut out = Vec::new();
    for r in rounds(db, election_id).await? {
        if let Some(o) = r.counted() {
            let seats = seats_of(&round_posts(db, r.id).await?);
            out.push((r, seats, o));
        }
    }
    Ok(out)
}

/// What the procedure calls for after the rounds counted so far (None before the first count).
pub async fn next(db: &Db, e: &Election) -> Result<Option<Next>> {
    let Some(first) = super::result(db, e.id).await? else { return Ok(None) };
    let first: Outcome = serde_json::from_str(&first.outcome)
        .map_err(|err| StoreError::Config(format!("election {}: stored outcome unreadable: {err}", e.id)))?;
    let seats = seats_of(&super::posts(db, e.id).await?);
    let later = counted_outcomes(db, e.id).await?;
    let mut counted = vec![Counted { kind: RoundKind::First, seats: &seats, outcome: &first }];
    counted.extend(later.iter().map(|(r, s, o)| Counted { kind: r.round_kind(), seats: s, outcome: o }));
    election::rounds::next_round(&election::Ruleset::default(), &seats, &counted)
        .map(Some)
        .map_err(|m| StoreError::invalid("round", m))
}

/// Open the round the procedure calls for (§2.17, §2.18, §2.14), polled on `polling_day`.
/// Refused unless the first round is counted, no later round is still open,
/// and a run-off, a 另行选举 or a re-run is due. The first round's boxes and
/// sheets are never touched again: its ballots stay sealed.
pub async fn open_round(db: &Db, actor: &str, e: &Election, polling_day: Date) -> Result<Round> {
    if e.status != ElectionStatus::Counted {
        return Err(bad(
            "status",
            "只有已计票、尚未产生居委会的选举才能进行下一轮投票",
            "a next round follows a counted election whose committee is not seated",
        ));
    }
    let existing = rounds(db, e.id).await?;
    if existing.iter().any(|r| r.status == RoundStatus::Polling) {
        return Err(bad("round", "上一轮投票尚未计票", "the previous round is not counted yet"));
    }
    let next = next(db, e).await?.ok_or_else(|| bad("round", "尚未计票", "no round is counted yet"))?;
    let kind = match next.round_kind() {
        Some(RoundKind::Runoff) => LaterKind::Runoff,
        Some(RoundKind::Repeat) => LaterKind::Repeat,
        Some(RoundKind::First) => LaterKind::Rerun,
        _ => return Err(StoreError::invalid("round", next.msg())),
    };
    // §2.14: a re-run has every post with its seats and the published formal candidates.
    let posts: Vec<election::rounds::RoundPost> = if kind == LaterKind::Rerun {
        let (ps, cs) = tokio::try_join!(super::posts(db, e.id), super::candidates(db, e.id))?;
        ps.iter()
            .map(|p| election::rounds::RoundPost {
                post: p.post.clone(),
                seats: u32::try_from(p.seats).unwrap_or(0),
                candidates: cs.iter().filter(|c| c.post == p.post).map(|c| c.name.clone()).collect(),
            })
            .collect()
    } else {
        next.posts().to_vec()
    };
    let number = existing.last().map_or(2, |r| r.number + 1);
    let mut tx = db.begin().await?;
    let r: Round = sqlx::query_as(
        "INSERT INTO election_rounds (election_id, number, kind, polling_day, status, opened_by, opened_at) \
         VALUES ($1, $2, $3, $4, 'polling', $5, $6) RETURNING *",
    )
    .bind(e.id)
    .bind(number)
    .bind(kind.word())
    .bind(polling_day.to_string())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    for (i, p) in posts.iter().enumerate() {
        sqlx::query("INSERT INTO election_round_posts (round_id, post, seats, position) VALUES ($1, $2, $3, $4)")
            .bind(r.id)
            .bind(&p.post)
            .bind(i64::from(p.seats))
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        for (j, name) in p.candidates.iter().enumerate() {
            sqlx::query(
                "INSERT INTO election_round_candidates (round_id, post, name, position) VALUES ($1, $2, $3, $4)",
            )
            .bind(r.id)
            .bind(&p.post)
            .bind(name)
            .bind(j as i64)
            .execute(&mut *tx)
            .await?;
        }
    }
    audit_write(
        &mut tx,
        actor,
        "election.round.open",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "round": number, "kind": kind, "polling_day": r.polling_day, "posts": posts }),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

/// A later round's box at the counting desk (the action checked the sheet by the engine).
pub async fn enter_round_box(db: &Db, actor: &str, e: &Election, r: &Round, b: &BoxEntry) -> Result<BallotBox> {
    if r.status != RoundStatus::Polling {
        return Err(bad("status", "本轮已计票，不能再录入计票单", "this round is counted: no more tally sheets"));
    }
    super::insert_box(db, actor, e, Ballot::Later(r.id), b).await
}

/// Count a later round: its boxes opened together, the run-off's or 另行选举's rule (§2.17, §2.18).
pub async fn count_round(db: &Db, actor: &str, e: &Election, r: &Round) -> Result<Outcome> {
    if r.status != RoundStatus::Polling {
        return Err(bad("status", "本轮已计票", "this round is already counted"));
    }
    let (posts, cands, boxes, lines, voters) = tokio::try_join!(
        round_posts(db, r.id),
        round_candidates(db, r.id),
        round_boxes(db, r.id),
        round_lines(db, r.id),
        super::objections::turnout_base(db, e)
    )?;
    let (s, _) = scenario_of(r.round_kind(), voters, &posts, &cands, &boxes, &lines)?;
    let outcome = tallied(&s)?;
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE election_rounds SET status = 'counted', registered_voters = $1, ballots_issued = $2, ballots_returned = $3, \
         round_valid = $4, outcome = $5, counted_by = $6, counted_at = $7 WHERE id = $8 AND status = 'polling'",
    )
    .bind(i64::try_from(s.registered_voters).unwrap_or(i64::MAX))
    .bind(i64::try_from(s.ballots_issued).unwrap_or(i64::MAX))
    .bind(i64::try_from(s.ballots_returned).unwrap_or(i64::MAX))
    .bind(i64::from(outcome.round_valid))
    .bind(serde_json::to_string(&outcome).unwrap_or_default())
    .bind(actor)
    .bind(clock::now_text())
    .bind(r.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("status", "本轮已计票", "this round is already counted"));
    }
    audit_write(
        &mut tx,
        actor,
        "election.round.count",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "round": r.number, "kind": r.kind, "registered": s.registered_voters, "issued": s.ballots_issued, "returned": s.ballots_returned, "outcome": outcome }),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}
