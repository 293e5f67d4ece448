//! Nomination (rules §2.6, §2.7, §2.10), stored: the election committee's
//! members, joint nominations with their signers from the published roll (or a
//! residents' group nominating as a body), and the open nomination (海选) whose
//! count per post gives the formal candidates. The rules are the engine's
//! ([`election::nomination`]); nominations close when the candidates are published (§2.9).

use super::{Election, ElectionStatus, not_preparing, posts, voter_count};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, Tx, clock};
use election::nomination::{Nomination, NominationBook, Nominator};
use serde::Serialize;
use serde_json::json;
use time::Date;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommitteeMember {
    pub name: String,
    /// The day the member left the election committee, and why (`candidate`: §2.10).
    pub left_on: Option<String>,
    pub left_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NominationRow {
    pub id: i64,
    pub post: String,
    pub candidate: String,
    /// voters | group
    pub by_kind: String,
    pub group_name: String,
    pub signers: i64,
}

/// One post's 海选 count (§2.7): voters who took part of all voters, and votes per name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OpenCount {
    pub post: String,
    pub took_part: i64,
    pub voters: i64,
    /// JSON: [[name, votes], …]
    pub votes: String,
}

/// Who makes a joint nomination as the action read it (§2.6).
#[derive(Debug, Clone)]
pub enum By {
    /// Voters on the published roll, by name.
    Voters(Vec<String>),
    /// A residents' group of the community, as a body.
    Group(String),
}

pub async fn committee(db: &Db, election_id: i64) -> Result<Vec<CommitteeMember>> {
    Ok(sqlx::query_as(
        "SELECT name, left_on, left_reason FROM election_committee_members WHERE election_id = $1 ORDER BY id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn nominations(db: &Db, election_id: i64) -> Result<Vec<NominationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, post, candidate, by_kind, group_name, signers FROM election_nominations WHERE election_id = $1 ORDER BY id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn open_counts(db: &Db, election_id: i64) -> Result<Vec<OpenCount>> {
    Ok(sqlx::query_as(
        "SELECT post, took_part, voters, votes FROM election_open_nominations WHERE election_id = $1 ORDER BY id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

fn preparing_unpublished(e: &Election) -> Result<()> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    if e.candidates_published.is_some() {
        return Err(bad(
            "candidates",
            "正式候选人名单已公布，提名已截止（规则2.9）",
            "the formal candidates are published: nomination is closed (rule 2.9)",
        ));
    }
    Ok(())
}

/// Add members to the election committee (before the candidates are published).
pub async fn add_members(db: &Db, actor: &str, e: &Election, names: &[String]) -> Result<Vec<CommitteeMember>> {
    preparing_unpublished(e)?;
    let mut tx = db.begin().await?;
    for name in names {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM election_committee_members WHERE election_id = $1 AND name = $2")
                .bind(e.id)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(bad("names", format!("“{name}”已是选举委员会成员"), format!("{name} is already a member")));
        }
        sqlx::query(
            "INSERT INTO election_committee_members (election_id, name, added_by, added_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(e.id)
        .bind(name)
        .bind(actor)
        .bind(clock::now_text())
        .execute(&mut *tx)
        .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "election.committee",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "added": names }),
    )
    .await?;
    tx.commit().await?;
    committee(db, e.id).await
}

/// §2.10, inside the transaction that publishes the candidates: every serving
/// member named a formal candidate leaves the committee that day. Returns who left.
pub(crate) async fn candidates_leave_committee(
    tx: &mut Tx,
    e: &Election,
    lists: &[(String, Vec<String>)],
    published_on: Date,
) -> Result<Vec<String>> {
    let serving: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM election_committee_members WHERE election_id = $1 AND left_on IS NULL ORDER BY id",
    )
    .bind(e.id)
    .fetch_all(&mut **tx)
    .await?;
    let candidates: Vec<String> = lists.iter().flat_map(|(_, names)| names.iter().cloned()).collect();
    let (_, leave) = election::nomination::committee_after_candidacy(&serving, &candidates);
    for name in &leave {
        sqlx::query(
            "UPDATE election_committee_members SET left_on = $1, left_reason = 'candidate' WHERE election_id = $2 AND name = $3",
        )
        .bind(published_on.to_string())
        .bind(e.id)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    }
    Ok(leave)
}

pub(crate) async fn insert_open_count(tx: &mut Tx, actor: &str, e: &Election, o: &OpenCount) -> Result<()> {
    sqlx::query(
        "INSERT INTO election_open_nominations (election_id, post, took_part, voters, votes, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id)
    .bind(&o.post)
    .bind(o.took_part)
    .bind(o.voters)
    .bind(&o.votes)
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// §2.6: a joint nomination, checked by the engine against every nomination
/// already accepted (signers, and no voter nominating more than the post's seats).
pub async fn nominate(
    db: &Db,
    actor: &str,
    e: &Election,
    post: &str,
    candidate: &str,
    by: &By,
) -> Result<NominationRow> {
    preparing_unpublished(e)?;
    if e.roll_published.is_none() {
        return Err(bad(
            "signers",
            "选民名单公布后才能提名：联名人须为登记选民",
            "nominations follow the published roll: signers are registered voters",
        ));
    }
    let seats = posts(db, e.id).await?;
    let mut book = NominationBook::new(seats.iter().map(|p| (p.post.clone(), u32::try_from(p.seats).unwrap_or(0))));
    let rs = election::Ruleset::default();
    let signer_rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT nomination_id, voter_id FROM election_nomination_signers WHERE election_id = $1 ORDER BY nomination_id, id",
    )
    .bind(e.id)
    .fetch_all(&db.pool)
    .await?;
    for n in nominations(db, e.id).await? {
        let by = if n.by_kind == "group" {
            Nominator::Group(n.group_name.clone())
        } else {
            Nominator::Voters(signer_rows.iter().filter(|(id, _)| *id == n.id).map(|(_, v)| v.to_string()).collect())
        };
        // Accepted once; replayed to know each voter's nominations so far.
        let _ = book.add(
            &election::Ruleset { nomination_min_voters: 0, ..rs.clone() },
            Nomination { post: n.post, candidate: n.candidate, by },
        );
    }
    let (nominator, voter_ids, group) = match by {
        By::Voters(names) => {
            let mut ids = Vec::with_capacity(names.len());
            let mut unknown = Vec::new();
            for name in names {
                let found: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM election_voters WHERE election_id = $1 AND name = $2 AND struck_on IS NULL",
                )
                .bind(e.id)
                .bind(name)
                .fetch_all(&db.pool)
                .await?;
                match found.as_slice() {
                    [id] => ids.push(*id),
                    _ => unknown.push(name.clone()),
                }
            }
            if !unknown.is_empty() {
                return Err(bad(
                    "signers",
                    format!("联名人须为选民名单上可唯一确认的选民：{}", unknown.join("、")),
                    format!("signers must be voters on the roll, each found once: {}", unknown.join(", ")),
                ));
            }
            (Nominator::Voters(ids.iter().map(i64::to_string).collect()), ids, String::new())
        }
        By::Group(g) => {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM resident_groups WHERE community_code = $1 AND name = $2")
                    .bind(&e.community_code)
                    .bind(g)
                    .fetch_optional(&db.pool)
                    .await?;
            if found.is_none() {
                return Err(bad("group", format!("本社区没有居民小组“{g}”"), format!("no residents' group {g} here")));
            }
            (Nominator::Group(g.clone()), Vec::new(), g.clone())
        }
    };
    book.add(&rs, Nomination { post: post.to_string(), candidate: candidate.to_string(), by: nominator })
        .map_err(|m| StoreError::invalid("signers", m))?;
    let mut distinct = voter_ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let kind = if group.is_empty() { "voters" } else { "group" };
    let mut tx = db.begin().await?;
    let row: NominationRow = sqlx::query_as(
        "INSERT INTO election_nominations (election_id, post, candidate, by_kind, group_name, signers, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, post, candidate, by_kind, group_name, signers",
    )
    .bind(e.id)
    .bind(post)
    .bind(candidate)
    .bind(kind)
    .bind(&group)
    .bind(distinct.len() as i64)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    for v in &distinct {
        sqlx::query(
            "INSERT INTO election_nomination_signers (nomination_id, election_id, voter_id) VALUES ($1, $2, $3)",
        )
        .bind(row.id)
        .bind(e.id)
        .bind(*v)
        .execute(&mut *tx)
        .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "election.nominate",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "post": post, "candidate": candidate, "by": kind, "group": group, "signers": distinct.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// §2.7: the open nomination's count per post gives the formal candidates
/// (valid only with more than half of the voters taking part), published on
/// `published_on` with the count, in one transaction.
pub async fn open_nomination(
    db: &Db,
    actor: &str,
    e: &Election,
    took_part: u64,
    votes: &[(String, Vec<(String, u64)>)],
    published_on: Date,
) -> Result<Vec<(String, Vec<String>)>> {
    preparing_unpublished(e)?;
    let voters = u64::try_from(voter_count(db, e.id).await?).unwrap_or(0);
    if e.roll_published.is_none() || took_part > voters {
        return Err(bad(
            "took_part",
            format!("参加海选的人数不能多于登记选民{voters}人"),
            format!("no more can take part than the {voters} registered voters"),
        ));
    }
    let rs = election::Ruleset::default();
    let mut lists = Vec::new();
    let mut counts = Vec::new();
    for p in posts(db, e.id).await? {
        let seats = u32::try_from(p.seats).unwrap_or(0);
        let given = votes.iter().find(|(post, _)| *post == p.post).map(|(_, v)| v.as_slice()).unwrap_or(&[]);
        let names = election::nomination::open_nomination(&rs, &p.post, seats, voters, took_part, given)
            .map_err(|m| StoreError::invalid("took_part", m))?;
        election::nomination::check_list_size(&rs, &p.post, seats, names.len(), false)
            .map_err(|m| StoreError::invalid("votes", m))?;
        counts.push(OpenCount {
            post: p.post.clone(),
            took_part: took_part as i64,
            voters: voters as i64,
            votes: serde_json::to_string(given).unwrap_or_default(),
        });
        lists.push((p.post, names));
    }
    super::publish_candidates(db, actor, e, &lists, &[], published_on, &counts).await?;
    Ok(lists)
}
