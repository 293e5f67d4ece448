//! Tasks in force in each community, pushes without approval, and refusals.

use super::*;

// ----- community tasks --------------------------------------------------------------------

crate::typed::words! {
    /// A task in force, or refused by the community.
    pub enum TaskStatus, "task status" {
        Active => "active",
        Refused => "refused",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub application_id: Option<i64>,
    pub approval_number: Option<String>,
    pub approved_on: Option<String>,
    pub expires_on: Option<String>,
    pub emergency: Option<String>,
    pub department: String,
    pub item_type: String,
    pub title: String,
    pub status: TaskStatus,
    pub refusal_reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
    /// When it stops (or stopped) being in force: the refusal's moment, or the last second of its
    /// approval's last day ([`expiry_end`]); `None` while in force with no end (issue 14's burden).
    pub ended_at: Option<String>,
}

/// The moment an approval's last day (inclusive) ends, as stored in `ended_at` (UTC, like
/// `created_at`; migration 0042 back-fills the same way).
pub fn expiry_end(last_day: &str) -> String {
    format!("{last_day}T23:59:59Z")
}

impl TaskRow {
    /// The engine's view of the task.
    pub fn task(&self) -> lists::Task {
        let approval = self.approval_number.as_ref().map(|n| lists::Approval {
            number: n.clone(),
            application_id: self.application_id.map(app_code).unwrap_or_default(),
            approved_on: self.approved_on.as_deref().and_then(clock::parse_date).unwrap_or(Date::MIN),
            expires: self.expires_on.as_deref().and_then(clock::parse_date),
        });
        lists::Task {
            id: self.id.to_string(),
            department: self.department.clone(),
            title: self.title.clone(),
            approval,
            emergency: self.emergency.as_deref().and_then(|e| serde_json::from_str(e).ok()),
        }
    }

    /// May the community refuse it today?
    pub fn refusable(&self) -> bool {
        self.status == TaskStatus::Active && lists::may_refuse(&self.task(), clock::today())
    }
}

pub async fn tasks(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<TaskRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM community_tasks WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn task(db: &Db, id: i64) -> Result<TaskRow> {
    sqlx::query_as("SELECT * FROM community_tasks WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPush {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub title: String,
    /// An item type (default work_task).
    #[serde(default)]
    pub kind: String,
}

/// A department's work that reached a community without an access approval
/// (recorded so that the community can refuse it and the push is counted).
pub async fn record_push(db: &Db, actor: &str, district: Option<&str>, n: NewPush) -> Result<TaskRow> {
    let c = crate::structure::community(db, n.community.trim()).await.map_err(|e| match e {
        StoreError::NotFound => bad("community", "社区不存在", "no such community"),
        e => e,
    })?;
    if district.is_some_and(|d| d != c.district_code) {
        return Err(bad("community", "该社区不在本区", "the community is outside your district"));
    }
    let dept = n.department.trim();
    if dept.is_empty() {
        return Err(bad("department", "请填写部门", "the department is required"));
    }
    if n.title.trim().is_empty() {
        return Err(bad("title", "请填写事项名称", "a title is required"));
    }
    let kind: ItemType = match n.kind.trim() {
        "" => ItemType::WorkTask,
        k => parse_enum("kind", k, "未知的事项类型", "unknown item type")?,
    };
    let mut tx = db.begin().await?;
    let t: TaskRow = sqlx::query_as(
        "INSERT INTO community_tasks (community_code, district_code, department, item_type, title, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(dept)
    .bind(item_type_code(kind))
    .bind(n.title.trim())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, "tasks.push", "community_task", t.id, (&c.code, &c.district_code), json!(t)).await?;
    tx.commit().await?;
    Ok(t)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Refusal {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub note: String,
}

/// The community refuses a task without an approval in force (one click);
/// the refusal is reported against the department.
pub async fn refuse(db: &Db, actor: &str, id: i64, r: Refusal) -> Result<TaskRow> {
    let t = task(db, id).await?;
    if t.status != TaskStatus::Active {
        return Err(bad("task", "该事项已拒绝", "the task is already refused"));
    }
    let Some(reason) = lists::refusal_reason(&t.task(), clock::today()) else {
        return Err(bad(
            "task",
            "该事项有有效的准入审批（或紧急标记），社区不能拒绝",
            "the task has an approval (or emergency tag) in force; it cannot be refused",
        ));
    };
    let reason = crate::typed::Word::word(reason);
    let now = clock::now_text();
    let mut tx = db.begin().await?;
    let row: TaskRow = sqlx::query_as(
        "UPDATE community_tasks SET status = 'refused', refusal_reason = $1, \
         ended_at = CASE WHEN ended_at IS NOT NULL AND ended_at < $3 THEN ended_at ELSE $3 END \
         WHERE id = $2 AND status = 'active' RETURNING *",
    )
    .bind(reason)
    .bind(id)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| bad("task", "该事项已拒绝", "the task is already refused"))?;
    sqlx::query(
        "INSERT INTO task_refusals (task_id, community_code, district_code, department, reason, note, refused_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(&t.community_code)
    .bind(&t.district_code)
    .bind(&t.department)
    .bind(&reason)
    .bind(r.note.trim())
    .bind(actor)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        "tasks.refuse",
        "community_task",
        id,
        (&t.community_code, &t.district_code),
        json!({ "reason": reason, "department": t.department, "note": r.note.trim() }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
