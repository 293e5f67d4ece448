//! Proposals and their feasibility review.

use super::*;

pub async fn projects(db: &Db, call_id: i64) -> Result<Vec<Project>> {
    Ok(sqlx::query_as("SELECT * FROM pb_projects WHERE call_id = $1 ORDER BY id")
        .bind(call_id)
        .fetch_all(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewProject {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub location: String,
    /// Yuan.
    pub cost: String,
}

pub async fn propose(db: &Db, actor: &str, call_id: i64, n: NewProject) -> Result<Project> {
    let call = call(db, call_id).await?;
    if call.phase != Phase::Proposals
        || call.proposals_until.as_deref().is_some_and(|d| clock::today().to_string().as_str() > d)
    {
        return Err(bad("phase", "征集阶段已结束，不能再提出项目", "the call no longer takes proposals"));
    }
    if n.title.trim().is_empty() {
        return Err(bad("title", "请填写项目名称", "a project title is required"));
    }
    let cost = parse_yuan("cost", &n.cost)?;
    if cost > call.budget_fen {
        return Err(bad(
            "cost",
            format!("项目预算超过本次总预算{}元", yuan(call.budget_fen)),
            format!("the cost exceeds the call's budget of {} yuan", yuan(call.budget_fen)),
        ));
    }
    let mut tx = db.begin().await?;
    let p: Project = sqlx::query_as(
        "INSERT INTO pb_projects (call_id, community_code, district_code, title, description, category, location, cost_fen, proposed_cost_fen, proposer, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, 'proposed', $10) RETURNING *",
    )
    .bind(call.id)
    .bind(&call.community_code)
    .bind(&call.district_code)
    .bind(n.title.trim())
    .bind(n.description.trim())
    .bind(n.category.trim())
    .bind(n.location.trim())
    .bind(cost)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "pb.project.propose",
        "pb_project",
        p.id,
        (&call.community_code, &call.district_code),
        json!(p),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Review {
    /// approve | reject
    pub decision: String,
    #[serde(default)]
    pub score: Option<String>,
    /// Adjusted cost in yuan; needs a note.
    #[serde(default)]
    pub cost: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Feasibility review: approve or reject, score, adjust the cost with a reason.
pub async fn review(db: &Db, actor: &str, project_id: i64, r: Review) -> Result<Project> {
    let p: Project = sqlx::query_as("SELECT * FROM pb_projects WHERE id = $1")
        .bind(project_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
    let call = call(db, p.call_id).await?;
    if call.phase != Phase::Review {
        return Err(bad("phase", "只有在评审阶段才能评审项目", "projects are reviewed only in the review phase"));
    }
    let status = match r.decision.as_str() {
        "approve" => ProjectStatus::Approved,
        "reject" => ProjectStatus::Rejected,
        _ => return Err(bad("decision", "请选择通过或不通过", "choose approve or reject")),
    };
    if status == ProjectStatus::Rejected && r.note.trim().is_empty() {
        return Err(bad("note", "不通过须说明理由", "a rejection needs a reason"));
    }
    let score = opt_int("score", &r.score)?;
    if score.is_some_and(|s| s > 100) {
        return Err(bad("score", "评分为0–100", "score is 0–100"));
    }
    let cost = match r.cost.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => parse_yuan("cost", v)?,
        None => p.cost_fen,
    };
    if cost != p.cost_fen && r.note.trim().is_empty() {
        return Err(bad("note", "调整预算须说明理由", "an adjusted cost needs a reason"));
    }
    let mut tx = db.begin().await?;
    let p: Project = sqlx::query_as("UPDATE pb_projects SET status = $1, review_score = $2, cost_fen = $3, review_note = $4 WHERE id = $5 RETURNING *")
        .bind(status.word())
        .bind(score)
        .bind(cost)
        .bind(r.note.trim())
        .bind(project_id)
        .fetch_one(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "pb.project.review",
        "pb_project",
        p.id,
        (&p.community_code, &p.district_code),
        json!(p),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

pub async fn project(db: &Db, id: i64) -> Result<Project> {
    sqlx::query_as("SELECT * FROM pb_projects WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}
