//! Petitions that oblige a 居民会议 (居组法 Art 10) and follow-up actions.

use super::*;
use crate::Capped;

// ------------------------------------------------------------- petitions

/// Adults (18+ today, from the registry's birth dates), distinct households
/// and residents' groups of a community.
pub async fn totals(db: &Db, community: &str) -> Result<Totals> {
    totals_on(db, community, clock::today()).await
}

/// The community's adults (18 on `day`), households and residents' groups, from the registry.
pub async fn totals_on(db: &Db, community: &str, day: time::Date) -> Result<Totals> {
    let cutoff = assembly::adult_born_on_or_before(day).to_string();
    let (adults, households): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN birth_date <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COUNT(DISTINCT household) AS BIGINT) \
         FROM residents WHERE community_code = $1",
    )
    .bind(community)
    .bind(&cutoff)
    .fetch_one(&db.pool)
    .await?;
    let groups: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM resident_groups WHERE community_code = $1")
            .bind(community)
            .fetch_one(&db.pool)
            .await?;
    Ok(Totals { adults, households, groups })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPetition {
    #[serde(default)]
    pub subject: String,
    /// Signers aged 18+.
    #[serde(default, deserialize_with = "loose")]
    pub adults: Option<String>,
    /// Households that signed.
    #[serde(default, deserialize_with = "loose")]
    pub households: Option<String>,
    /// Residents' groups that signed.
    #[serde(default, deserialize_with = "loose")]
    pub groups: Option<String>,
}

/// Record a petition to convene a 居民会议 against today's totals. When it
/// reaches a threshold of rules §1.8, a mandatory follow-up "convene a
/// 居民会议" is created in the same transaction.
pub async fn petition(db: &Db, actor: &str, community: &str, n: NewPetition) -> Result<(Petition, Option<Followup>)> {
    let subject = text("subject", &n.subject, 500, "请填写提议事项", "state what the petition asks")?;
    let adults = count("adults", &n.adults)?.unwrap_or(0);
    let households = count("households", &n.households)?.unwrap_or(0);
    let groups = count("groups", &n.groups)?.unwrap_or(0);
    if adults + households + groups == 0 {
        return Err(bad(
            "adults",
            "请填写联名的居民、户或居民小组数",
            "give how many adults, households or groups signed",
        ));
    }
    let c = crate::structure::community(db, community).await?;
    let t = totals(db, &c.code).await?;
    for (field, signed, total, zh, en) in [
        ("adults", adults, t.adults, "成年居民", "adult residents"),
        ("households", households, t.households, "户", "households"),
        ("groups", groups, t.groups, "居民小组", "residents' groups"),
    ] {
        if signed > total {
            return Err(bad(
                field,
                format!("联名数{signed}超过本社区登记的{zh}总数{total}"),
                format!("{signed} signers exceed the community's {total} registered {en}"),
            ));
        }
    }
    let u = |x: i64| x.max(0) as u64;
    let forces = assembly::petition_forces_meeting(
        (u(adults), u(t.adults)),
        (u(households), u(t.households)),
        (u(groups), u(t.groups)),
    );
    let mut tx = db.begin().await?;
    let p: Petition = sqlx::query_as(
        "INSERT INTO delib_petitions (community_code, district_code, subject, adults_signed, households_signed, groups_signed, adults_total, households_total, groups_total, forces_meeting, received_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&subject)
    .bind(adults)
    .bind(households)
    .bind(groups)
    .bind(t.adults)
    .bind(t.households)
    .bind(t.groups)
    .bind(forces as i64)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "delib.petition.record", "delib_petition", p.id, (&c.code, &c.district_code), json!(p))
        .await?;
    let followup = if forces {
        let due = (clock::today() + time::Duration::days(CONVENE_WITHIN_DAYS)).to_string();
        let f: Followup = sqlx::query_as(
            "INSERT INTO delib_followups (community_code, district_code, kind, mandatory, title, owner, due_on, source, source_id, created_at) \
             VALUES ($1, $2, 'convene_assembly', 1, $3, $4, $5, 'petition', $6, $7) RETURNING *",
        )
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(format!("召集居民会议：{subject}"))
        .bind("社区居民委员会")
        .bind(&due)
        .bind(p.id)
        .bind(clock::now_text())
        .fetch_one(&mut *tx)
        .await?;
        audit_write(
            &mut tx,
            actor,
            "delib.followup.create",
            "delib_followup",
            f.id,
            (&c.code, &c.district_code),
            json!(f),
        )
        .await?;
        Some(f)
    } else {
        None
    };
    tx.commit().await?;
    Ok((p, followup))
}

pub async fn petitions(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Petition>> {
    crate::capped::scoped(db, "SELECT * FROM delib_petitions WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC", 500, community, district).await
}

// ------------------------------------------------------------- follow-ups

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewFollowup {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub owner: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub due_on: String,
    /// The resolution it carries out (optional).
    #[serde(default, deserialize_with = "loose")]
    pub resolution_id: Option<String>,
}

pub async fn create_followup(db: &Db, actor: &str, community: &str, n: NewFollowup) -> Result<Followup> {
    let title = text("title", &n.title, 300, "请填写待办事项", "state the action")?;
    let owner = text("owner", &n.owner, 100, "请填写负责人", "name who is responsible")?;
    let due = date("due_on", &n.due_on)?;
    let c = crate::structure::community(db, community).await?;
    let source_id = match id_field("resolution_id", &n.resolution_id)? {
        Some(rid) => {
            let r =
                resolution(db, rid).await.map_err(|_| bad("resolution_id", "没有这项决议", "no such resolution"))?;
            if r.community_code != c.code {
                return Err(bad("resolution_id", "没有这项决议", "no such resolution"));
            }
            Some(rid)
        }
        None => None,
    };
    let mut tx = db.begin().await?;
    let f: Followup = sqlx::query_as(
        "INSERT INTO delib_followups (community_code, district_code, kind, mandatory, title, owner, due_on, source, source_id, created_at) \
         VALUES ($1, $2, 'action', 0, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&title)
    .bind(&owner)
    .bind(&due)
    .bind(if source_id.is_some() { "resolution" } else { "" })
    .bind(source_id)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "delib.followup.create", "delib_followup", f.id, (&c.code, &c.district_code), json!(f))
        .await?;
    tx.commit().await?;
    Ok(f)
}

pub async fn followups(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Followup>> {
    crate::capped::scoped(db, "SELECT * FROM delib_followups WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY done, due_on, id", 500, community, district).await
}

pub async fn followup(db: &Db, id: i64) -> Result<Followup> {
    sqlx::query_as("SELECT * FROM delib_followups WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Done {
    /// For a "convene 居民会议" follow-up: the 居民会议 that was convened.
    #[serde(default, deserialize_with = "loose")]
    pub meeting_id: Option<String>,
}

/// Mark a follow-up done. The mandatory "convene 居民会议" is done only by
/// naming the 居民会议 that was convened.
pub async fn followup_done(db: &Db, actor: &str, id: i64, d: Done) -> Result<Followup> {
    let f = followup(db, id).await?;
    if f.done == 1 {
        return Err(bad("done", "该事项已完成", "already done"));
    }
    let meeting_id = id_field("meeting_id", &d.meeting_id)?;
    if f.kind == "convene_assembly" {
        let ok = match meeting_id {
            Some(mid) => meeting(db, mid)
                .await
                .ok()
                .is_some_and(|m| m.kind == MeetingKind::Assembly && m.community_code == f.community_code),
            None => false,
        };
        if !ok {
            return Err(bad(
                "meeting_id",
                "须指明已召集的本社区居民会议",
                "name the residents' meeting of this community that was convened",
            ));
        }
    }
    let mut tx = db.begin().await?;
    let f: Option<Followup> =
        sqlx::query_as("UPDATE delib_followups SET done = 1, done_at = $1 WHERE id = $2 AND done = 0 RETURNING *")
            .bind(clock::now_text())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let f = f.ok_or_else(|| bad("done", "该事项已完成", "already done"))?;
    audit_write(
        &mut tx,
        actor,
        "delib.followup.done",
        "delib_followup",
        f.id,
        (&f.community_code, &f.district_code),
        json!({ "meeting": meeting_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(f)
}
