//! Members (people and organisations, §5.16), activities, and an organisation's own log-in.

use super::*;
use crate::Capped;

// ----- members and activities -------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub org_id: i64,
    pub member_org_id: Option<i64>,
    /// A person's name (shown only to the organisation and its community).
    pub person: Option<String>,
    pub post: String,
    pub joined_on: String,
    pub created_by: String,
    pub created_at: String,
    pub member_org_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewMember {
    /// An organisation joining (its id); or else `person`.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub member_org_id: Option<String>,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub joined_on: String,
}

/// A person or an organisation (of the same district) joins `org_id`; a federation takes
/// organisations only (§5.16) and nobody joins itself.
pub async fn add_member(db: &Db, actor: &str, org_id: i64, n: NewMember) -> Result<Member> {
    let o = org(db, org_id).await?;
    let mut c = Check::default();
    let mid = n.member_org_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let member = match mid {
        Some(s) => c.id("member_org_id", s, "请选择成员组织", "choose the member organisation"),
        None => None,
    };
    let person = n.person.trim().to_string();
    if member.is_none() && mid.is_none() && person.is_empty() {
        c.add("person", Msg::new("请填写成员姓名或选择成员组织", "name a person or choose an organisation"));
    }
    if person.chars().count() > 50 {
        c.add("person", Msg::new("不能超过50字", "at most 50 characters"));
    }
    let joined = c.date("joined_on", &n.joined_on);
    if o.is_federation == 1
        && mid.is_none()
        && let Err(m) = reg::rule_5_16_federation_members_are_organisations(false)
    {
        c.add("person", m);
    }
    c.done()?;
    if let Some(m) = member {
        let mo = org(db, m)
            .await
            .map_err(|_| bad("member_org_id", "本区没有该组织", "no such organisation in this district"))?;
        if mo.district_code != o.district_code {
            return Err(bad("member_org_id", "本区没有该组织", "no such organisation in this district"));
        }
        if mo.id == o.id {
            return Err(bad("member_org_id", "组织不能加入自身", "an organisation cannot join itself"));
        }
    }
    let person = if member.is_some() { None } else { Some(person) };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_members (org_id, member_org_id, person, post, joined_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org_id)
    .bind(member)
    .bind(&person)
    .bind(n.post.trim())
    .bind(joined.map(|d| d.to_string()).unwrap_or_default())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => bad("member_org_id", "该组织已是成员", "this organisation is already a member"),
        None => e.into(),
    })?;
    audit_write(
        &mut tx,
        actor,
        "orgs.member",
        "org",
        org_id,
        (&o.community_code, &o.district_code),
        json!({ "member": id, "org": member }),
    )
    .await?;
    tx.commit().await?;
    members(db, org_id).await?.into_iter().find(|m| m.id == id).ok_or(StoreError::NotFound)
}

pub async fn members(db: &Db, org_id: i64) -> Result<Vec<Member>> {
    Ok(sqlx::query_as(
        "SELECT m.*, o.name AS member_org_name FROM org_members m LEFT JOIN orgs o ON o.id = m.member_org_id \
         WHERE m.org_id = $1 ORDER BY m.member_org_id IS NULL, m.id",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The members table's counts of an organisation: (people, member organisations).
pub async fn member_counts(db: &Db, org_id: i64) -> Result<(u32, u32)> {
    let (p, u): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN member_org_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN member_org_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM org_members WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_one(&db.pool)
    .await?;
    Ok((u32::try_from(p).unwrap_or(u32::MAX), u32::try_from(u).unwrap_or(u32::MAX)))
}

/// §5.15 against the members table (not the founding members declared at registration): a
/// registered 社会团体 still has the members the district's thresholds ask for.
pub async fn thresholds_held(db: &Db, o: &Org) -> Result<std::result::Result<(), Msg>> {
    let (people, units) = member_counts(db, o.id).await?;
    let th = settings(db, &o.district_code).await?.thresholds();
    Ok(reg::rule_5_15_member_thresholds(th, o.tier.engine(), o.legal_form.map(LegalForm::engine), people, units))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub org_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub held_on: String,
    pub title: String,
    pub participants: i64,
    pub hours: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewActivity {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub participants: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub hours: Option<String>,
}

pub async fn add_activity(db: &Db, actor: &str, org_id: i64, n: NewActivity) -> Result<Activity> {
    let o = org(db, org_id).await?;
    let mut c = Check::default();
    let held = c.date("held_on", &n.held_on);
    let title = c.text("title", &n.title, 100, "请填写活动名称", "the activity's title is required");
    let participants = count(&mut c, "participants", n.participants.as_deref());
    let hours = count(&mut c, "hours", n.hours.as_deref());
    c.done()?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_activities (org_id, community_code, district_code, held_on, title, participants, hours, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org_id)
    .bind(&o.community_code)
    .bind(&o.district_code)
    .bind(held.map(|d| d.to_string()).unwrap_or_default())
    .bind(&title)
    .bind(i64::from(participants))
    .bind(i64::from(hours))
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "orgs.activity",
        "org",
        org_id,
        (&o.community_code, &o.district_code),
        json!({ "activity": id, "title": title }),
    )
    .await?;
    tx.commit().await?;
    Ok(sqlx::query_as("SELECT * FROM org_activities WHERE id = $1").bind(id).fetch_one(&db.pool).await?)
}

pub async fn activities(db: &Db, org_id: i64) -> Result<Capped<Activity>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM org_activities WHERE org_id = $1 ORDER BY held_on DESC, id DESC{}",
        crate::capped::limit(500)
    )))
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 500))
}

// ----- an organisation's own log-in ---------------------------------------------------

/// The organisation an `organisation` log-in acts for, if bound.
pub async fn account_org(db: &Db, username: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT org_id FROM org_accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAccount {
    #[serde(default)]
    pub username: String,
}

/// Bind an `organisation` log-in of the organisation's community to it.
pub async fn bind_account(db: &Db, actor: &str, org_id: i64, n: NewAccount) -> Result<Org> {
    let o = org(db, org_id).await?;
    let username = n.username.trim().to_string();
    let user: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT role, community_code FROM users WHERE username = $1")
            .bind(&username)
            .fetch_optional(&db.pool)
            .await?;
    match user {
        Some((role, Some(uc))) if role == crate::users::Role::Organisation.as_str() && uc == o.community_code => {}
        _ => {
            return Err(bad(
                "username",
                "本社区没有该社会组织账号",
                "no organisation account of that name in this community",
            ));
        }
    }
    if account_org(db, &username).await?.is_some() {
        return Err(refused(
            "username",
            Msg::new("该账号已绑定某个组织", "this account already acts for an organisation"),
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO org_accounts (username, org_id) VALUES ($1, $2)")
        .bind(&username)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "orgs.account",
        "org",
        org_id,
        (&o.community_code, &o.district_code),
        json!({ "username": username }),
    )
    .await?;
    tx.commit().await?;
    Ok(o)
}
