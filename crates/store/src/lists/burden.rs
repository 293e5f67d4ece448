//! Measuring the burden (减负) per department and per community.

use super::*;

// ----- burden (减负) -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DeptBurden {
    pub department: String,
    pub applications: i64,
    pub rejected: i64,
    pub approved: i64,
    pub refused_pushes: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommunityBurden {
    pub community_code: String,
    pub district_code: String,
    pub active_tasks: i64,
    pub unapproved_active: i64,
    pub refused: i64,
}

/// Per department: applications, rejections, approvals and refused pushes.
pub async fn department_burden(db: &Db, district: Option<&str>) -> Result<Vec<DeptBurden>> {
    Ok(sqlx::query_as(
        "SELECT department, CAST(SUM(apps) AS BIGINT) AS applications, CAST(SUM(rej) AS BIGINT) AS rejected, \
         CAST(SUM(appr) AS BIGINT) AS approved, CAST(SUM(refs) AS BIGINT) AS refused_pushes FROM ( \
           SELECT department, 1 AS apps, CASE WHEN status = 'rejected' THEN 1 ELSE 0 END AS rej, \
                  CASE WHEN status = 'approved' THEN 1 ELSE 0 END AS appr, 0 AS refs \
             FROM access_applications WHERE status <> 'checking' AND (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
           UNION ALL \
           SELECT department, 0, 0, 0, 1 FROM task_refusals WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
         ) x GROUP BY department ORDER BY department",
    )
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

/// Per community: tasks in force, of which unapproved, and refused.
pub async fn community_burden(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
) -> Result<Vec<CommunityBurden>> {
    Ok(sqlx::query_as(
        "SELECT community_code, district_code, \
         CAST(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS BIGINT) AS active_tasks, \
         CAST(SUM(CASE WHEN status = 'active' AND approval_number IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unapproved_active, \
         CAST(SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END) AS BIGINT) AS refused \
         FROM community_tasks WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) GROUP BY community_code, district_code ORDER BY community_code",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

/// Tasks pushed onto communities per month of arrival, approved and not
/// (the burden over time), and the tasks in force by type.
#[derive(Debug, Clone, Serialize, Default)]
pub struct BurdenOverTime {
    /// (YYYY-MM, approved, without approval)
    pub months: Vec<(String, i64, i64)>,
    /// (item type, tasks in force)
    pub in_force_by_type: Vec<(String, i64)>,
}

pub async fn burden_over_time(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<BurdenOverTime> {
    let rows = tasks(db, community, district).await?;
    let mut months: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    let mut types: std::collections::BTreeMap<String, i64> = Default::default();
    for t in &rows {
        let m = months.entry(t.created_at.get(..7).unwrap_or("").to_string()).or_default();
        if t.approval_number.is_some() {
            m.0 += 1
        } else {
            m.1 += 1
        }
        if t.status == TaskStatus::Active {
            // Shown by its Chinese name (组织机构, 挂牌, 台账报表…) when the code is known.
            let name = serde_json::from_value::<lists::ItemType>(serde_json::json!(t.item_type))
                .map(|it| it.zh().to_string())
                .unwrap_or_else(|_| t.item_type.clone());
            *types.entry(name).or_default() += 1;
        }
    }
    Ok(BurdenOverTime {
        months: months.into_iter().map(|(k, (a, u))| (k, a, u)).collect(),
        in_force_by_type: types.into_iter().collect(),
    })
}
