//! The count (rules §2.12, §2.14–§2.18) and the new committee (§1.1, §1.3):
//! every box's tally sheet laid out as its ballots ([`election::sheet::ballots`]),
//! opened together as one round ([`election::polling::round_from_boxes`]),
//! counted by [`election::tally`], and the winners written as the residents'
//! committee's roster ([`election::committee::roster_from_rounds`]) through the
//! same store code as every committee roster.

use super::{
    BallotBox, Candidate, Election, ElectionStatus, PostSeats, SheetLine, boxes, candidates, not_preparing, posts,
    sheet_lines,
};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use election::polling::{BoxCount, BoxSheet, round_from_boxes};
use election::scenario::{PostSpec, RoundKind, Scenario};
use election::sheet::PostSheet;
use election::tally::Outcome;
use rules::committee::Post;
use serde_json::json;

fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The round as the boxes' sheets give it, and each post's seats.
async fn round(db: &Db, e: &Election) -> Result<(Scenario, Vec<(Post, u32)>)> {
    let posts = posts(db, e.id).await?;
    let cands = candidates(db, e.id).await?;
    let voters = super::objections::turnout_base(db, e).await?;
    let boxes = boxes(db, e.id).await?;
    let lines = sheet_lines(db, e.id).await?;
    scenario_of(RoundKind::First, voters, &posts, &cands, &boxes, &lines)
}

/// Any round (the first, a run-off, a 另行选举) from its posts, candidates and boxes' sheets.
pub(crate) fn scenario_of(
    kind: RoundKind,
    voters: i64,
    posts: &[PostSeats],
    cands: &[Candidate],
    boxes: &[BallotBox],
    lines: &[SheetLine],
) -> Result<(Scenario, Vec<(Post, u32)>)> {
    if boxes.is_empty() {
        return Err(bad("boxes", "尚未录入任何票箱的计票单", "no box's tally sheet is entered yet"));
    }
    let specs: Vec<PostSpec> = posts
        .iter()
        .map(|p| PostSpec {
            post: p.post.clone(),
            seats: p.seats as u32,
            candidates: cands.iter().filter(|c| c.post == p.post).map(|c| c.name.clone()).collect(),
        })
        .collect();
    let mut sheets = Vec::with_capacity(boxes.len());
    for b in boxes {
        let of_box: Vec<_> = lines.iter().filter(|l| l.box_id == b.id).collect();
        let post_sheets: Vec<PostSheet> = posts
            .iter()
            .map(|p| {
                let mine = || of_box.iter().filter(|l| l.post == p.post);
                let sum = |kind: &str| mine().filter(|l| l.line == kind).map(|l| u(l.votes)).sum::<u64>();
                PostSheet {
                    post: p.post.clone(),
                    seats: p.seats as u32,
                    votes: mine()
                        .filter(|l| l.line == "candidate" || l.line == "write_in")
                        .map(|l| (l.name.clone(), u(l.votes)))
                        .collect(),
                    invalid: sum("invalid"),
                    blank: sum("blank"),
                }
            })
            .collect();
        let ballots =
            election::sheet::ballots(u(b.returned), &post_sheets).map_err(|m| StoreError::invalid("boxes", m))?;
        sheets.push(BoxSheet {
            count: BoxCount { name: b.name.clone(), issued: u(b.issued), returned: u(b.returned) },
            ballots,
        });
    }
    let scenario = round_from_boxes(kind, u(voters), specs, &sheets).map_err(|m| StoreError::invalid("boxes", m))?;
    let seats = posts.iter().filter_map(|p| Post::parse(&p.post).map(|post| (post, p.seats as u32))).collect();
    Ok((scenario, seats))
}

pub(crate) fn tallied(s: &Scenario) -> Result<Outcome> {
    election::tally(s, &election::Ruleset::default()).map_err(|r| StoreError::invalid("candidates", r.msg))
}

/// Count the round: polling must be open (§2.3, §2.9) and at least one box
/// entered. An invalid round (§2.14, §2.15) is recorded as counted and invalid.
pub async fn count(db: &Db, actor: &str, e: &Election) -> Result<Outcome> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    if let Some(m) = e.locked().into_iter().next() {
        return Err(StoreError::invalid("calendar", m));
    }
    let (s, _) = round(db, e).await?;
    let outcome = tallied(&s)?;
    let mut tx = db.begin().await?;
    let n = sqlx::query("UPDATE elections SET status = 'counted' WHERE id = $1 AND status = 'preparing'")
        .bind(e.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(not_preparing());
    }
    sqlx::query(
        "INSERT INTO election_results (election_id, round, registered_voters, ballots_issued, ballots_returned, round_valid, outcome, counted_by, counted_at) \
         VALUES ($1, 'first', $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.id)
    .bind(i64::try_from(s.registered_voters).unwrap_or(i64::MAX))
    .bind(i64::try_from(s.ballots_issued).unwrap_or(i64::MAX))
    .bind(i64::try_from(s.ballots_returned).unwrap_or(i64::MAX))
    .bind(i64::from(outcome.round_valid))
    .bind(serde_json::to_string(&outcome).unwrap_or_default())
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "election.count",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "registered": s.registered_voters, "issued": s.ballots_issued, "returned": s.ballots_returned, "outcome": outcome }),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Write the new residents' committee from the counted round (§1.1, §2.18:
/// only once every seat is filled; §1.3: the term runs from election day).
pub async fn seat(db: &Db, actor: &str, e: &Election) -> Result<Vec<(Post, String)>> {
    if e.status != ElectionStatus::Counted {
        return Err(bad(
            "status",
            "只有已计票且尚未产生居委会的选举才能据结果产生新一届居委会",
            "only a counted election whose committee is not yet seated can seat it",
        ));
    }
    let (s, seats) = round(db, e).await?;
    let first = tallied(&s)?;
    let later = super::rounds::counted_outcomes(db, e.id).await?;
    if super::rounds::rounds(db, e.id).await?.iter().any(|r| r.status == super::RoundStatus::Polling) {
        return Err(bad(
            "status",
            "还有一轮投票尚未计票，不能产生新一届居委会",
            "a later round is still open: the committee is seated after it is counted",
        ));
    }
    let mut all: Vec<&Outcome> = vec![&first];
    all.extend(later.iter().map(|(_, _, o)| o));
    let roster = election::committee::roster_from_rounds(&seats, &all).map_err(|m| StoreError::invalid("result", m))?;
    let day = e.day().ok_or_else(|| StoreError::Config(format!("election {}: bad election day", e.id)))?;
    let c = crate::structure::community(db, &e.community_code).await?;
    let members: Vec<(String, Post)> = roster.iter().map(|(p, n)| (n.clone(), *p)).collect();
    // §2.21: those elected who said they do not live in the community are at most the ruleset's share.
    let away: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT name FROM election_candidates WHERE election_id = $1 AND lives_here = 0")
            .bind(e.id)
            .fetch_all(&db.pool)
            .await?;
    let elsewhere: Vec<&String> = members.iter().map(|(n, _)| n).filter(|n| away.contains(n)).collect();
    election::committee::check_non_resident_share(
        &election::Ruleset::default(),
        members.len() as u64,
        elsewhere.len() as u64,
    )
    .map_err(|m| StoreError::invalid("result", m))?;
    let mut tx = db.begin().await?;
    let n = sqlx::query("UPDATE elections SET status = 'seated' WHERE id = $1 AND status = 'counted'")
        .bind(e.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(bad("status", "新一届居委会已产生", "the committee is already seated"));
    }
    sqlx::query("UPDATE election_results SET seated_at = $1 WHERE election_id = $2")
        .bind(clock::now_text())
        .bind(e.id)
        .execute(&mut *tx)
        .await?;
    let body = crate::structure::write_committee(&mut tx, actor, &c, day, &members, "election.seat").await?;
    for name in elsewhere {
        sqlx::query("UPDATE body_members SET lives_here = 0 WHERE body_id = $1 AND name = $2")
            .bind(body)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(roster)
}
