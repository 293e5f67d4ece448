//! Stewards (管家计划): a resident volunteers to look after a building or
//! area of their community; the community admin approves; a steward raises
//! issues for the area, which the front desk forwards (as a service case,
//! linked both ways: `steward_issues.case_id`) or closes.

use crate::Capped;
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use serde::{Deserialize, Serialize};
use serde_json::json;

words! {
    /// A volunteer's standing: the committee approves or rejects.
    pub enum StewardStatus, "steward status" {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

words! {
    /// Where a steward's issue stands: the front desk forwards it (as a case) or closes it.
    pub enum IssueState, "issue status" {
        Open => "open",
        Forwarded => "forwarded",
        Closed => "closed",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Steward {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub user_id: i64,
    pub resident_id: i64,
    pub name: String,
    /// A building ("1栋") or an area of the community.
    pub area: String,
    pub motivation: String,
    pub status: StewardStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Issue {
    pub id: i64,
    pub steward_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub area: String,
    pub building: String,
    pub title: String,
    pub description: String,
    pub status: IssueState,
    pub status_note: String,
    pub created_at: String,
    pub updated_at: String,
    /// The service case the front desk made of it (migration 0035).
    pub case_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Volunteer {
    /// The building or area to look after.
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub motivation: String,
}

/// The registry record a user account is linked to, if it is in `community`.
async fn linked_resident(db: &Db, user_id: i64, community: &str) -> Result<(i64, String, String)> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT r.id, r.name, r.community_code, r.district_code FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some((id, name, c, d)) if c == community => Ok((id, name, d)),
        _ => Err(bad(
            "resident",
            "您的账号尚未关联本社区居民登记，请到服务中心核验",
            "your account is not linked to a resident of this community; verify at the service center",
        )),
    }
}

/// A resident offers to be steward of an area of their own community.
pub async fn volunteer(db: &Db, actor: &str, user_id: i64, community: &str, v: Volunteer) -> Result<Steward> {
    let area = v.area.trim();
    if area.is_empty() {
        return Err(bad("area", "请填写负责的楼栋或区域", "name the building or area"));
    }
    if area.chars().count() > 50 {
        return Err(bad("area", "楼栋或区域不能超过50字", "at most 50 characters"));
    }
    let (resident_id, name, district) = linked_resident(db, user_id, community).await?;
    let mut tx = db.begin().await?;
    let dup: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM stewards WHERE user_id = $1 AND community_code = $2 AND area = $3 AND status IN ('pending', 'approved')",
    )
    .bind(user_id)
    .bind(community)
    .bind(area)
    .fetch_optional(&mut *tx)
    .await?;
    if dup.is_some() {
        return Err(bad("area", "您已报名该楼栋或区域的管家", "you have already volunteered for this area"));
    }
    let s: Steward = sqlx::query_as(
        "INSERT INTO stewards (community_code, district_code, user_id, resident_id, name, area, motivation, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) RETURNING *",
    )
    .bind(community)
    .bind(&district)
    .bind(user_id)
    .bind(resident_id)
    .bind(&name)
    .bind(area)
    .bind(v.motivation.trim())
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "steward.volunteer",
        "steward",
        s.id,
        (community, &district),
        json!({ "area": s.area, "resident": resident_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

pub async fn steward(db: &Db, id: i64) -> Result<Steward> {
    sqlx::query_as("SELECT * FROM stewards WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Stewards in scope, newest first. For a resident (`resident`: their user
/// id), only the approved ones and their own.
pub async fn stewards(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    resident: Option<i64>,
) -> Result<Capped<Steward>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM stewards WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR status = 'approved' OR user_id = $3) ORDER BY id DESC{}",
        crate::capped::limit(500)
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(resident)
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 500))
}

/// A user's own steward records.
pub async fn of_user(db: &Db, user_id: i64) -> Result<Vec<Steward>> {
    Ok(sqlx::query_as("SELECT * FROM stewards WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Decision {
    /// approve | reject
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

pub async fn decide(db: &Db, actor: &str, id: i64, d: Decision) -> Result<Steward> {
    let s = steward(db, id).await?;
    let status = match d.decision.trim() {
        "approve" => StewardStatus::Approved,
        "reject" => StewardStatus::Rejected,
        _ => return Err(bad("decision", "请选择批准或不批准", "choose approve or reject")),
    };
    if status == StewardStatus::Rejected && d.note.trim().is_empty() {
        return Err(bad("note", "不批准须说明理由", "a rejection needs a reason"));
    }
    let mut tx = db.begin().await?;
    let s2: Option<Steward> = sqlx::query_as(
        "UPDATE stewards SET status = $1, note = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'pending' RETURNING *",
    )
    .bind(status.word())
    .bind(d.note.trim())
    .bind(actor)
    .bind(clock::now_text())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let s2 = s2.ok_or_else(|| bad("decision", "该报名已处理", "this volunteer was already decided"))?;
    audit_write(
        &mut tx,
        actor,
        "steward.decide",
        "steward",
        s.id,
        (&s.community_code, &s.district_code),
        json!({ "status": status, "note": s2.note }),
    )
    .await?;
    tx.commit().await?;
    Ok(s2)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewIssue {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The building concerned; defaults to the steward's area.
    #[serde(default)]
    pub building: String,
    /// Which of the user's approved stewardships (when they have several).
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub steward_id: Option<String>,
}

/// An approved steward raises an issue for their area.
pub async fn raise_issue(db: &Db, actor: &str, user_id: i64, community: &str, n: NewIssue) -> Result<Issue> {
    let title = n.title.trim();
    if title.is_empty() {
        return Err(bad("title", "请填写问题", "a title is required"));
    }
    if title.chars().count() > 200 {
        return Err(bad("title", "不能超过200字", "at most 200 characters"));
    }
    let wanted: Option<i64> = match n.steward_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => Some(v.parse().map_err(|_| bad("steward_id", "编号无效", "not a valid id"))?),
        None => None,
    };
    let mine: Vec<Steward> = of_user(db, user_id)
        .await?
        .into_iter()
        .filter(|s| s.status == StewardStatus::Approved && s.community_code == community)
        .filter(|s| wanted.is_none_or(|w| w == s.id))
        .collect();
    let Some(s) = mine.first() else {
        return Err(bad(
            "steward_id",
            "只有经社区批准的楼栋管家才能反映片区问题",
            "only a steward the community approved can raise issues for an area",
        ));
    };
    let building = if n.building.trim().is_empty() { s.area.clone() } else { n.building.trim().to_string() };
    let now = clock::now_text();
    let mut tx = db.begin().await?;
    let i: Issue = sqlx::query_as(
        "INSERT INTO steward_issues (steward_id, community_code, district_code, area, building, title, description, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8) RETURNING *",
    )
    .bind(s.id)
    .bind(&s.community_code)
    .bind(&s.district_code)
    .bind(&s.area)
    .bind(&building)
    .bind(title)
    .bind(n.description.trim())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "steward.issue.raise",
        "steward_issue",
        i.id,
        (&s.community_code, &s.district_code),
        json!(i),
    )
    .await?;
    tx.commit().await?;
    Ok(i)
}

pub async fn issue(db: &Db, id: i64) -> Result<Issue> {
    sqlx::query_as("SELECT * FROM steward_issues WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Issues in scope, optionally of one area and one status.
pub async fn issues(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    area: Option<&str>,
    status: Option<IssueState>,
) -> Result<Capped<Issue>> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM steward_issues WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR area = $3) AND (CAST($4 AS TEXT) IS NULL OR status = $4) ORDER BY id DESC{}",
        crate::capped::limit(500)
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(area.map(str::to_string))
    .bind(status.map(|s| s.word()))
    .fetch_all(&db.pool)
    .await?;
    Ok(Capped::cut(rows, 500))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct IssueStatus {
    /// forwarded | closed
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
    /// Forwarding: the service item (code) of the case it becomes; required then.
    #[serde(default)]
    pub item: String,
}

/// The steward's issue a case was made of, if any (the case's side of the link).
pub async fn issue_of_case(db: &Db, case_id: i64) -> Result<Option<Issue>> {
    Ok(sqlx::query_as("SELECT * FROM steward_issues WHERE case_id = $1").bind(case_id).fetch_optional(&db.pool).await?)
}

/// The front desk forwards an issue or closes it. Forwarding makes it a
/// service case of the chosen item, taken at the counter in the steward's
/// name (linked to the steward's registry record), and keeps the case's
/// number on the issue; the case page finds the issue by it.
pub async fn set_issue_status(db: &Db, actor: &str, id: i64, s: IssueStatus) -> Result<Issue> {
    let i = issue(db, id).await?;
    let to = match IssueState::from_word(s.status.trim()) {
        Ok(x @ (IssueState::Forwarded | IssueState::Closed)) => x,
        _ => return Err(bad("status", "请选择转办或办结", "choose forwarded or closed")),
    };
    let allowed = matches!(
        (i.status, to),
        (IssueState::Open, IssueState::Forwarded)
            | (IssueState::Open, IssueState::Closed)
            | (IssueState::Forwarded, IssueState::Closed)
    );
    if !allowed {
        return Err(bad("status", "该问题已办结或已转办", "the issue is already closed or forwarded"));
    }
    let case_id = if to == IssueState::Forwarded {
        if s.item.trim().is_empty() {
            return Err(bad("item", "请选择转为哪一项服务案件", "choose the service item of the case"));
        }
        let st = steward(db, i.steward_id).await?;
        let description = if i.description.is_empty() {
            format!("楼栋管家{}反映：{}", st.name, i.title)
        } else {
            format!("楼栋管家{}反映：{}。{}", st.name, i.title, i.description)
        };
        let n = crate::cases::NewCase {
            item: s.item.trim().to_string(),
            channel: "counter".into(),
            caller_name: st.name.clone(),
            description,
            address: i.area.clone(),
            building: i.building.clone(),
            resident_id: Some(st.resident_id),
            ..Default::default()
        };
        Some(crate::cases::create(db, actor, cases::Role::FrontDesk, &i.community_code, n).await?.id)
    } else {
        i.case_id
    };
    let mut tx = db.begin().await?;
    let i2: Option<Issue> = sqlx::query_as(
        "UPDATE steward_issues SET status = $1, status_note = $2, updated_at = $3, case_id = $4 WHERE id = $5 AND status = $6 RETURNING *",
    )
    .bind(to.word())
    .bind(s.note.trim())
    .bind(clock::now_text())
    .bind(case_id)
    .bind(id)
    .bind(i.status.word())
    .fetch_optional(&mut *tx)
    .await?;
    let i2 = i2.ok_or_else(|| bad("status", "状态已被他人更新，请刷新", "the status changed meanwhile; reload"))?;
    audit_write(
        &mut tx,
        actor,
        "steward.issue.status",
        "steward_issue",
        i.id,
        (&i.community_code, &i.district_code),
        json!({ "from": i.status, "to": to, "note": i2.status_note, "case_id": case_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(i2)
}
