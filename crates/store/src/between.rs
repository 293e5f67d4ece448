//! Between elections (issue 15): the residents' committee changes only
//! through a 居民会议 decision — removal (撤换) after a recall motion at the
//! §2.22 thresholds, by-election (补选) with the non-resident share of §2.21
//! checked — and a 居民公约 takes effect once decided by the 居民会议 and filed
//! with the district (§1.12). Rules 1.6, 1.10 and 1.12 are `rules::between`'s, 2.21 and 2.22 the
//! election engine's (`election::committee`, shares from its `Ruleset`); each user
//! action is one transaction with its audit entry.

use crate::audit::record as audit_write;
use crate::deliberation::{self as dl, MeetingKind, count, date, flag, loose, text};
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use rules::between::{self as rb, Decision};
use rules::committee::{self, Post};
use serde::{Deserialize, Serialize};
use serde_json::json;

words! {
    /// A change of the committee between elections.
    pub enum ChangeKind, "committee change" {
        Removal => "removal",
        ByElection => "by_election",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Change {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub kind: ChangeKind,
    pub member_name: String,
    pub post: String,
    pub lives_here: i64,
    pub resolution_id: i64,
    pub motion_voters: i64,
    pub motion_households: i64,
    pub motion_groups: i64,
    pub reason: String,
    pub created_by: String,
    pub created_at: String,
}

/// A removal or by-election, as a form or JSON gives it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewChange {
    /// removal | by_election
    #[serde(default)]
    pub kind: String,
    /// The member removed, or the person by-elected.
    #[serde(default)]
    pub name: String,
    /// For a by-election: 主任 | 副主任 | 委员.
    #[serde(default)]
    pub post: String,
    /// For a by-election: whether the person lives in the community (rule 2.21).
    #[serde(default, deserialize_with = "loose")]
    pub lives_here: Option<String>,
    /// The passed resolution of the 居民会议 that decided it (rule 1.10).
    #[serde(default, deserialize_with = "loose")]
    pub resolution_id: Option<String>,
    /// For a removal: the recall motion's signers (rule 2.22): voters, households, residents' groups.
    #[serde(default, deserialize_with = "loose")]
    pub motion_voters: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub motion_households: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub motion_groups: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// The committee's members now: (name, post, lives here).
pub async fn roster(db: &Db, community: &str) -> Result<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT m.name, m.post, m.lives_here FROM body_members m JOIN bodies b ON b.id = m.body_id \
         WHERE b.community_code = $1 AND b.kind = 'residents_committee' ORDER BY m.id",
    )
    .bind(community)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(n, p, l)| (n, p, l != 0)).collect())
}

/// What a resolution id stands on, for rules 1.10 and 1.12; None when there is no such resolution.
async fn decision(db: &Db, community: &str, resolution: Option<i64>) -> Result<Option<Decision>> {
    let Some(id) = resolution else { return Ok(None) };
    let r = match dl::resolution(db, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let m = dl::meeting(db, r.meeting_id).await?;
    Ok(Some(Decision {
        by_assembly: m.kind == MeetingKind::Assembly,
        same_community: r.community_code == community,
        validly_held: matches!(m.validly_held(), Some(Ok(()))),
        passed: r.passed != 0,
    }))
}

fn resolution_id(s: &Option<String>) -> Result<Option<i64>> {
    count("resolution_id", s)
}

/// Rule 1.10: record a removal or a by-election on a 居民会议 decision and change the roster, in one transaction.
pub async fn change(db: &Db, actor: &str, community: &str, n: NewChange) -> Result<Change> {
    let kind = ChangeKind::from_word(n.kind.trim())
        .map_err(|_| bad("kind", "请选择撤换或补选", "choose removal or by-election"))?;
    let name = text("name", &n.name, 50, "请填写成员姓名", "the member's name is required")?;
    let rid = resolution_id(&n.resolution_id)?;
    let c = crate::structure::community(db, community).await?;
    rb::rule_1_10_change_by_assembly(decision(db, &c.code, rid).await?)
        .map_err(|m| StoreError::invalid("resolution_id", m))?;
    let now = roster(db, &c.code).await?;
    let (post, lives_here, motion) = match kind {
        ChangeKind::Removal => {
            let Some((_, post, lives)) = now.iter().find(|m| m.0 == name) else {
                return Err(bad(
                    "name",
                    format!("{name}不是本届居委会成员"),
                    format!("{name} is not on the committee"),
                ));
            };
            let motion = (
                count("motion_voters", &n.motion_voters)?.unwrap_or(0),
                count("motion_households", &n.motion_households)?.unwrap_or(0),
                count("motion_groups", &n.motion_groups)?.unwrap_or(0),
            );
            let t = dl::totals(db, &c.code).await?;
            let u = |x: i64| x.max(0) as u64;
            for (field, signed, total) in [
                ("motion_voters", motion.0, t.adults),
                ("motion_households", motion.1, t.households),
                ("motion_groups", motion.2, t.groups),
            ] {
                if signed > total {
                    return Err(bad(
                        field,
                        format!("联名数{signed}超过总数{total}"),
                        format!("{signed} signers of {total}"),
                    ));
                }
            }
            let support = election::committee::RecallSupport {
                voters: (u(motion.0), u(t.adults)),
                households: (u(motion.1), u(t.households)),
                groups: (u(motion.2), u(t.groups)),
            };
            election::committee::check_recall_motion(&election::Ruleset::default(), &support)
                .map_err(|m| StoreError::invalid("motion_voters", m))?;
            (post.clone(), *lives, motion)
        }
        ChangeKind::ByElection => {
            let post = Post::parse(n.post.trim())
                .ok_or_else(|| bad("post", "职务应为主任、副主任或委员", "the post is 主任, 副主任 or 委员"))?;
            if now.iter().any(|m| m.0 == name) {
                return Err(bad(
                    "name",
                    format!("{name}已是居委会成员"),
                    format!("{name} is already on the committee"),
                ));
            }
            let lives = n.lives_here.is_none() || flag(&n.lives_here);
            let mut posts: Vec<Post> = now.iter().filter_map(|m| Post::parse(&m.1)).collect();
            posts.push(post);
            if posts.len() > 9 {
                committee::check_roster_size(&posts).map_err(|m| StoreError::invalid("name", m))?;
            }
            let members = now.len() as u64 + 1;
            let away = now.iter().filter(|m| !m.2).count() as u64 + u64::from(!lives);
            election::committee::check_non_resident_share(&election::Ruleset::default(), members, away)
                .map_err(|m| StoreError::invalid("lives_here", m))?;
            (post.zh().to_string(), lives, (0, 0, 0))
        }
    };
    let reason = n.reason.trim().chars().take(500).collect::<String>();
    let mut tx = db.begin().await?;
    match kind {
        ChangeKind::Removal => {
            sqlx::query(
                "DELETE FROM body_members WHERE name = $1 AND body_id IN \
                 (SELECT id FROM bodies WHERE community_code = $2 AND kind = 'residents_committee')",
            )
            .bind(&name)
            .bind(&c.code)
            .execute(&mut *tx)
            .await?;
        }
        ChangeKind::ByElection => {
            let body_id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM bodies WHERE community_code = $1 AND kind = 'residents_committee'")
                    .bind(&c.code)
                    .fetch_optional(&mut *tx)
                    .await?;
            let body_id = body_id.ok_or_else(|| {
                bad("name", "本社区尚无选举产生的居委会，应进行换届选举", "no elected committee yet: hold an election")
            })?;
            sqlx::query(
                "INSERT INTO body_members (body_id, community_code, district_code, name, post, lives_here) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(body_id)
            .bind(&c.code)
            .bind(&c.district_code)
            .bind(&name)
            .bind(&post)
            .bind(lives_here as i64)
            .execute(&mut *tx)
            .await?;
        }
    }
    let ch: Change = sqlx::query_as(
        "INSERT INTO committee_changes (community_code, district_code, kind, member_name, post, lives_here, resolution_id, \
         motion_voters, motion_households, motion_groups, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(kind.word())
    .bind(&name)
    .bind(&post)
    .bind(lives_here as i64)
    .bind(rid)
    .bind(motion.0)
    .bind(motion.1)
    .bind(motion.2)
    .bind(&reason)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    let action = if kind == ChangeKind::Removal { "committee.remove" } else { "committee.by_election" };
    audit_write(&mut tx, actor, action, "committee_change", ch.id, (&c.code, &c.district_code), json!(ch)).await?;
    tx.commit().await?;
    Ok(ch)
}

pub async fn changes(db: &Db, community: &str) -> Result<Vec<Change>> {
    Ok(sqlx::query_as("SELECT * FROM committee_changes WHERE community_code = $1 ORDER BY id")
        .bind(community)
        .fetch_all(&db.pool)
        .await?)
}

// ------------------------------------------------------------ covenants (rule 1.12)

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Covenant {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub body: String,
    pub resolution_id: Option<i64>,
    pub filing_ref: String,
    pub filed_on: Option<String>,
    pub filed_by: Option<String>,
    /// Set only when rule 1.12 holds: decided by the 居民会议 and filed with the district.
    pub effective_on: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCovenant {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// The 居民会议 resolution that adopted the covenant.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CovenantDecision {
    #[serde(default, deserialize_with = "loose")]
    pub resolution_id: Option<String>,
}

/// The district's filing (备案): its reference and date.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CovenantFiling {
    #[serde(default)]
    pub filing_ref: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub filed_on: String,
}

pub async fn covenant(db: &Db, id: i64) -> Result<Covenant> {
    sqlx::query_as("SELECT * FROM covenants WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn covenants(db: &Db, community: &str) -> Result<Vec<Covenant>> {
    Ok(sqlx::query_as("SELECT * FROM covenants WHERE community_code = $1 ORDER BY id")
        .bind(community)
        .fetch_all(&db.pool)
        .await?)
}

/// The committee drafts a covenant (not effective).
pub async fn draft_covenant(db: &Db, actor: &str, community: &str, n: NewCovenant) -> Result<Covenant> {
    let title = text("title", &n.title, 200, "请填写公约名称", "a title is required")?;
    let body = text("body", &n.body, 20_000, "请填写公约条文", "the covenant's text is required")?;
    let c = crate::structure::community(db, community).await?;
    let mut tx = db.begin().await?;
    let cv: Covenant = sqlx::query_as(
        "INSERT INTO covenants (community_code, district_code, title, body, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&title)
    .bind(&body)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "covenant.draft", "covenant", cv.id, (&c.code, &c.district_code), json!(cv)).await?;
    tx.commit().await?;
    Ok(cv)
}

/// Link the 居民会议 resolution that adopted the covenant (rule 1.12 (a)).
pub async fn decide_covenant(db: &Db, actor: &str, id: i64, n: CovenantDecision) -> Result<Covenant> {
    let cv = covenant(db, id).await?;
    let rid = resolution_id(&n.resolution_id)?;
    let d = decision(db, &cv.community_code, rid).await?;
    if let Err(m) = rb::rule_1_12_covenant_effective(d, true) {
        return Err(StoreError::invalid("resolution_id", m));
    }
    let mut tx = db.begin().await?;
    let cv: Covenant = sqlx::query_as("UPDATE covenants SET resolution_id = $1 WHERE id = $2 RETURNING *")
        .bind(rid)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    audit_write(&mut tx, actor, "covenant.decide", "covenant", id, (&cv.community_code, &cv.district_code), json!(cv))
        .await?;
    tx.commit().await?;
    Ok(cv)
}

/// The district records the filing; the covenant takes effect on the filing's day
/// only if rule 1.12 holds (a 居民会议 decision is linked).
pub async fn file_covenant(db: &Db, actor: &str, id: i64, n: CovenantFiling) -> Result<Covenant> {
    let cv = covenant(db, id).await?;
    let filing_ref = text("filing_ref", &n.filing_ref, 100, "请填写备案文号", "the filing reference is required")?;
    let filed_on = date("filed_on", &n.filed_on)?;
    if cv.filed_on.is_some() {
        return Err(bad("filed_on", "该公约已备案", "the covenant is already filed"));
    }
    let d = decision(db, &cv.community_code, cv.resolution_id).await?;
    rb::rule_1_12_covenant_effective(d, true).map_err(|m| StoreError::invalid("resolution_id", m))?;
    let mut tx = db.begin().await?;
    let cv: Covenant = sqlx::query_as(
        "UPDATE covenants SET filing_ref = $1, filed_on = $2, filed_by = $3, effective_on = $2 WHERE id = $4 RETURNING *",
    )
    .bind(&filing_ref)
    .bind(&filed_on)
    .bind(actor)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "covenant.file", "covenant", id, (&cv.community_code, &cv.district_code), json!(cv))
        .await?;
    tx.commit().await?;
    Ok(cv)
}
