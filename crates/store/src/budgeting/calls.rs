//! Calls: creating one, reading them, and moving a call through its phases
//! to the selection and its budget lines.

use super::*;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCall {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Yuan.
    pub budget: String,
    /// approval | cumulative
    #[serde(default)]
    pub ballot_kind: String,
    #[serde(default)]
    pub min_choices: Option<String>,
    #[serde(default)]
    pub max_choices: Option<String>,
    /// Yuan: a knapsack ballot's cost limit.
    #[serde(default)]
    pub max_cost: Option<String>,
    #[serde(default)]
    pub points: Option<String>,
    #[serde(default)]
    pub rule: String,
    /// `id` (default) or `cost`.
    #[serde(default)]
    pub tie_break: String,
    /// YYYY-MM-DD: the last day proposals are taken.
    #[serde(default)]
    pub proposals_until: Option<String>,
    /// YYYY-MM-DD: the last day of voting.
    #[serde(default)]
    pub voting_until: Option<String>,
}

pub async fn create_call(db: &Db, actor: &str, community: &str, n: NewCall) -> Result<Call> {
    if n.title.trim().is_empty() {
        return Err(bad("title", "请填写名称", "a title is required"));
    }
    let budget = parse_yuan("budget", &n.budget)?;
    let kind = match n.ballot_kind.as_str() {
        "" | "approval" => "approval",
        "cumulative" => "cumulative",
        _ => return Err(bad("ballot_kind", "投票方式应为赞成票或累积票", "ballot kind is approval or cumulative")),
    };
    let rule = if n.rule.is_empty() { "mes-add1-greedy".to_string() } else { n.rule.clone() };
    rule.parse::<pb::Rule>().map_err(|_| bad("rule", "未知的选择规则", "unknown selection rule"))?;
    let min = opt_int("min_choices", &n.min_choices)?.unwrap_or(0);
    let max = opt_int("max_choices", &n.max_choices)?;
    if max.is_some_and(|m| m < min.max(1)) {
        return Err(bad(
            "max_choices",
            "最多可选项目数不能小于最少数",
            "the maximum choices cannot be below the minimum",
        ));
    }
    let max_cost = match n.max_cost.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => Some(parse_yuan("max_cost", v)?),
        None => None,
    };
    let points = opt_int("points", &n.points)?;
    let tie = match n.tie_break.as_str() {
        "" | "id" => "id",
        "cost" => "cost",
        _ => return Err(bad("tie_break", "平票规则应为项目编号或较低预算", "tie-break is id or cost")),
    };
    let proposals_until = opt_date("proposals_until", &n.proposals_until)?;
    let voting_until = opt_date("voting_until", &n.voting_until)?;
    if let (Some(p), Some(v)) = (&proposals_until, &voting_until)
        && v < p
    {
        return Err(bad(
            "voting_until",
            "投票截止日期不能早于征集截止日期",
            "voting cannot end before proposals close",
        ));
    }
    if kind == "cumulative" && points.unwrap_or(0) == 0 {
        return Err(bad(
            "points",
            "累积票须规定每人可分配的票数",
            "a cumulative ballot needs the points each voter may spread",
        ));
    }
    let c = crate::structure::community(db, community).await?;
    let mut tx = db.begin().await?;
    let call: Call = sqlx::query_as(
        "INSERT INTO pb_calls (community_code, district_code, title, description, budget_fen, phase, ballot_kind, min_choices, max_choices, max_cost_fen, points, rule, created_at, proposals_until, voting_until, tie_break) \
         VALUES ($1, $2, $3, $4, $5, 'proposals', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(n.title.trim())
    .bind(n.description.trim())
    .bind(budget)
    .bind(kind)
    .bind(min)
    .bind(max)
    .bind(max_cost)
    .bind(points)
    .bind(&rule)
    .bind(clock::now_text())
    .bind(proposals_until)
    .bind(voting_until)
    .bind(tie)
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "pb.call.create", "pb_call", call.id, (&c.code, &c.district_code), json!(call)).await?;
    tx.commit().await?;
    Ok(call)
}

pub async fn calls(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Call>> {
    crate::sql::scoped(db, "SELECT * FROM pb_calls WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC", community, district).await
}

pub async fn call(db: &Db, id: i64) -> Result<Call> {
    sqlx::query_as("SELECT * FROM pb_calls WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Move a call to its next phase. Closing the vote runs the call's rule,
/// stores the outcome and opens a budget line for each selected project.
pub async fn advance(db: &Db, actor: &str, call_id: i64) -> Result<Call> {
    let c = call(db, call_id).await?;
    let Some(next) = c.phase.next() else {
        return Err(bad("phase", "本次征集已结束", "the call is already closed"));
    };
    let projects = projects(db, call_id).await?;
    if next == Phase::Review && projects.is_empty() {
        return Err(bad("phase", "尚无居民提出项目", "no resident has proposed a project yet"));
    }
    if next == Phase::Voting {
        if projects.iter().any(|p| p.status == ProjectStatus::Proposed) {
            return Err(bad("phase", "还有项目未评审", "some projects are not reviewed yet"));
        }
        if !projects.iter().any(|p| p.status == ProjectStatus::Approved) {
            return Err(bad("phase", "没有通过评审的项目", "no project passed review"));
        }
    }
    let mut tx = db.begin().await?;
    // Compare-and-set on the phase: a double click cannot advance twice.
    let moved = sqlx::query("UPDATE pb_calls SET phase = $1 WHERE id = $2 AND phase = $3")
        .bind(next.word())
        .bind(call_id)
        .bind(c.phase.word())
        .execute(&mut *tx)
        .await?;
    if moved.rows_affected() != 1 {
        return Err(bad("phase", "阶段已被他人更新，请刷新", "the phase was changed meanwhile; reload"));
    }
    if next == Phase::Closed {
        let election = election(db, &c, &projects).await?;
        let rule: pb::Rule = c.rule.parse().map_err(|_| bad("rule", "未知的选择规则", "unknown selection rule"))?;
        let outcome = pb::solve(&election, rule, c.tie());
        for id in &outcome.selected {
            let pid: i64 = id.parse().unwrap_or(0);
            let p = projects.iter().find(|p| p.id == pid).ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE pb_projects SET selected = 1 WHERE id = $1").bind(pid).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO budget_lines (community_code, district_code, source, source_id, title, amount_fen, created_at) VALUES ($1, $2, 'pb_project', $3, $4, $5, $6)",
            )
            .bind(&c.community_code)
            .bind(&c.district_code)
            .bind(pid)
            .bind(&p.title)
            .bind(p.cost_fen)
            .bind(clock::now_text())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("INSERT INTO pb_results (call_id, community_code, district_code, rule, outcome_json, computed_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(call_id)
            .bind(&c.community_code)
            .bind(&c.district_code)
            .bind(&c.rule)
            .bind(crate::typed::json_text(&outcome)?)
            .bind(clock::now_text())
            .execute(&mut *tx)
            .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "pb.call.advance",
        "pb_call",
        call_id,
        (&c.community_code, &c.district_code),
        json!({ "from": c.phase, "to": next }),
    )
    .await?;
    tx.commit().await?;
    call(db, call_id).await
}

/// The call's approved projects and ballots as a pabulib election (the pb engine's input).
pub async fn election(db: &Db, c: &Call, projects: &[Project]) -> Result<pb::Election> {
    let approved: Vec<&Project> = projects.iter().filter(|p| p.status == ProjectStatus::Approved).collect();
    let index: BTreeMap<i64, usize> = approved.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let items: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT b.id, i.project_id, i.points FROM pb_ballots b JOIN pb_ballot_items i ON i.ballot_id = b.id WHERE b.call_id = $1 ORDER BY b.id, i.project_id",
    )
    .bind(c.id)
    .fetch_all(&db.pool)
    .await?;
    let mut ballots: Vec<pb::Ballot> = Vec::new();
    let mut last = None;
    for (bid, pid, pts) in items {
        let Some(&ix) = index.get(&pid) else { continue };
        if last != Some(bid) {
            ballots.push(pb::Ballot {
                voter_id: bid.to_string(),
                approved: vec![],
                points: (c.ballot_kind == pb::VoteType::Cumulative).then(Vec::new),
                extra: Default::default(),
            });
            last = Some(bid);
        }
        let b = ballots.last_mut().expect("pushed above");
        b.approved.push(ix);
        if let Some(p) = b.points.as_mut() {
            p.push(pts.max(0) as u64);
        }
    }
    let mut meta = BTreeMap::new();
    meta.insert("description".to_string(), c.title.clone());
    meta.insert("currency".to_string(), "CNY-fen".to_string());
    Ok(pb::Election {
        meta,
        budget: c.budget_fen as u64,
        // Amounts are fen; a scale of 100 makes the explanations speak in yuan.
        scale: 100,
        vote_type: c.ballot_kind,
        projects: approved
            .iter()
            .map(|p| pb::Project {
                id: p.id.to_string(),
                cost: p.cost_fen as u64,
                name: p.title.clone(),
                category: if p.category.is_empty() { vec![] } else { vec![p.category.clone()] },
                target: vec![],
                selected: None,
                extra: Default::default(),
            })
            .collect(),
        ballots,
        project_columns: vec!["project_id".into(), "cost".into(), "name".into()],
        vote_columns: vec!["voter_id".into(), "vote".into()],
    })
}
