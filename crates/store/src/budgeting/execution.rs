//! Carrying out selected projects: budget lines, milestones, spending (paid through
//! the ledger by `finance`), residents' rating at the end.

use super::*;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BudgetLine {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub source: String,
    pub source_id: i64,
    pub title: String,
    pub amount_fen: i64,
    pub spent_fen: i64,
    pub created_at: String,
}

pub async fn budget_lines(db: &Db, community: &str) -> Result<Vec<BudgetLine>> {
    Ok(sqlx::query_as("SELECT * FROM budget_lines WHERE community_code = $1 ORDER BY id")
        .bind(community)
        .fetch_all(&db.pool)
        .await?)
}

/// Link a user account to a resident record (done at the counter after checking papers).
pub async fn link_resident(db: &Db, actor: &str, user_id: i64, resident_id: i64) -> Result<()> {
    let r = crate::residents::get(db, resident_id).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET resident_id = $1 WHERE id = $2")
        .bind(resident_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "user.link_resident",
        "user",
        user_id,
        (&r.community_code, &r.district_code),
        json!({ "resident": resident_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Spending {
    pub id: i64,
    pub project_id: i64,
    pub amount_fen: i64,
    pub payee: String,
    pub purpose: String,
    pub spent_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Execution {
    pub project: Project,
    pub budget_fen: i64,
    pub spent_fen: i64,
    pub milestones: Vec<Milestone>,
    pub spending: Vec<Spending>,
    pub evaluations: i64,
    /// Average rating × 100 (exact integer arithmetic), if anyone rated.
    pub rating_x100: Option<i64>,
}

async fn selected_project(db: &Db, project_id: i64) -> Result<Project> {
    let p = project(db, project_id).await?;
    if p.selected != 1 {
        return Err(bad("project", "只有入选项目才进入实施", "only selected projects are carried out"));
    }
    Ok(p)
}

pub async fn execution(db: &Db, project_id: i64) -> Result<Execution> {
    let p = project(db, project_id).await?;
    let line: Option<(i64, i64)> =
        sqlx::query_as("SELECT amount_fen, spent_fen FROM budget_lines WHERE source = 'pb_project' AND source_id = $1")
            .bind(project_id)
            .fetch_optional(&db.pool)
            .await?;
    let milestones: Vec<Milestone> =
        sqlx::query_as("SELECT id, project_id, title, due_on, done_on, note FROM pb_milestones WHERE project_id = $1 ORDER BY due_on, id")
            .bind(project_id)
            .fetch_all(&db.pool)
            .await?;
    let spending: Vec<Spending> =
        sqlx::query_as("SELECT id, project_id, amount_fen, payee, purpose, spent_on FROM pb_spending WHERE project_id = $1 ORDER BY spent_on, id")
            .bind(project_id)
            .fetch_all(&db.pool)
            .await?;
    let (n, sum): (i64, i64) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(rating), 0) AS BIGINT) FROM pb_evaluations WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&db.pool)
        .await?;
    let (budget_fen, spent_fen) = line.unwrap_or((0, 0));
    Ok(Execution {
        project: p,
        budget_fen,
        spent_fen,
        milestones,
        spending,
        evaluations: n,
        rating_x100: (n > 0).then(|| sum * 100 / n),
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewMilestone {
    pub title: String,
    pub due_on: String,
}

pub async fn add_milestone(db: &Db, actor: &str, project_id: i64, m: NewMilestone) -> Result<Milestone> {
    let p = selected_project(db, project_id).await?;
    if m.title.trim().is_empty() {
        return Err(bad("title", "请填写节点名称", "a milestone needs a title"));
    }
    let due = clock::parse_date(&m.due_on)
        .ok_or_else(|| bad("due_on", "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD"))?;
    let mut tx = db.begin().await?;
    let row: Milestone = sqlx::query_as(
        "INSERT INTO pb_milestones (project_id, community_code, district_code, title, due_on) VALUES ($1, $2, $3, $4, $5) RETURNING id, project_id, title, due_on, done_on, note",
    )
    .bind(project_id)
    .bind(&p.community_code)
    .bind(&p.district_code)
    .bind(m.title.trim())
    .bind(due.to_string())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "pb.milestone.add",
        "pb_milestone",
        row.id,
        (&p.community_code, &p.district_code),
        json!(row),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn complete_milestone(db: &Db, actor: &str, milestone_id: i64, note: &str) -> Result<Milestone> {
    let (project_id,): (i64,) = sqlx::query_as("SELECT project_id FROM pb_milestones WHERE id = $1")
        .bind(milestone_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
    let p = project(db, project_id).await?;
    let mut tx = db.begin().await?;
    let row: Option<Milestone> = sqlx::query_as(
        "UPDATE pb_milestones SET done_on = $1, note = $2 WHERE id = $3 AND done_on IS NULL RETURNING id, project_id, title, due_on, done_on, note",
    )
    .bind(clock::today().to_string())
    .bind(note.trim())
    .bind(milestone_id)
    .fetch_optional(&mut *tx)
    .await?;
    let row = row.ok_or_else(|| bad("milestone", "该节点已完成", "this milestone is already done"))?;
    audit_write(
        &mut tx,
        actor,
        "pb.milestone.complete",
        "pb_milestone",
        row.id,
        (&p.community_code, &p.district_code),
        json!(row),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// A resident rates a finished project (all milestones done), once.
pub async fn evaluate(
    db: &Db,
    actor: &str,
    project_id: i64,
    voter_index: &str,
    rating: i64,
    comment: &str,
) -> Result<()> {
    let p = selected_project(db, project_id).await?;
    if !(1..=5).contains(&rating) {
        return Err(bad("rating", "评分为1–5", "the rating is 1 to 5"));
    }
    let (total, open): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN done_on IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) FROM pb_milestones WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_one(&db.pool)
    .await?;
    if total == 0 || open > 0 {
        return Err(bad(
            "project",
            "项目尚未完成，完成后再评价",
            "the project is not finished yet; rate it when it is",
        ));
    }
    let mut tx = db.begin().await?;
    let dup: Option<i64> =
        sqlx::query_scalar("SELECT id FROM pb_evaluations WHERE project_id = $1 AND voter_index = $2")
            .bind(project_id)
            .bind(voter_index)
            .fetch_optional(&mut *tx)
            .await?;
    if dup.is_some() {
        return Err(bad("rating", "您已评价过该项目", "you have already rated this project"));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO pb_evaluations (project_id, community_code, district_code, voter_index, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(project_id)
    .bind(&p.community_code)
    .bind(&p.district_code)
    .bind(voter_index)
    .bind(rating)
    .bind(comment.trim())
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "pb.evaluation",
        "pb_evaluation",
        id,
        (&p.community_code, &p.district_code),
        json!({ "project": project_id, "rating": rating }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The project a milestone belongs to.
pub async fn milestone_project(db: &Db, milestone_id: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT project_id FROM pb_milestones WHERE id = $1")
        .bind(milestone_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}
