//! Community service projects chosen by residents (项目化管理 = participatory
//! budgeting): calls, proposals, feasibility review, ballots, selection by a
//! rule of the `pb` engine, and a budget line per selected project.

use crate::audit::{self, Entry};
use crate::{Db, Result, StoreError, Tx, clock};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub description: String,
    pub budget_fen: i64,
    pub phase: String,
    pub ballot_kind: String,
    pub min_choices: i64,
    pub max_choices: Option<i64>,
    pub max_cost_fen: Option<i64>,
    pub points: Option<i64>,
    pub rule: String,
    pub created_at: String,
    pub proposals_until: Option<String>,
    pub voting_until: Option<String>,
    /// `id` (pabutools: smaller project id as text) or `cost` (lower cost, then more votes).
    pub tie_break: String,
}

impl Call {
    pub fn tie(&self) -> pb::TieBreak {
        if self.tie_break == "cost" { pb::TieBreak::CostThenVotes } else { pb::TieBreak::Lexicographic }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub call_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub location: String,
    pub cost_fen: i64,
    pub proposed_cost_fen: i64,
    pub proposer: String,
    pub status: String,
    pub review_score: Option<i64>,
    pub review_note: String,
    pub selected: i64,
    pub created_at: String,
}

/// The phases of a call, in order. A call only moves forward.
pub const PHASES: [&str; 4] = ["proposals", "review", "voting", "closed"];

fn bad(field: &str, zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::invalid(field, Msg::new(zh, en))
}

/// Parse an amount in yuan ("12000", "12000.50") into fen.
pub fn parse_yuan(field: &str, s: &str) -> Result<i64> {
    let s = s.trim().replace([',', '，'], "");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit());
    let fen = ok
        .then(|| {
            whole
                .parse::<i64>()
                .ok()
                .and_then(|w| w.checked_mul(100))
                .map(|w| w + format!("{frac:0<2}").parse::<i64>().unwrap_or(0))
        })
        .flatten()
        .filter(|f| *f > 0 && *f < 1_000_000_000_000);
    fen.ok_or_else(|| {
        bad(
            field,
            "金额应为大于0的数字（元，最多两位小数）",
            "amount must be a positive number of yuan with at most two decimals",
        )
    })
}

pub fn yuan(fen: i64) -> String {
    if fen % 100 == 0 { format!("{}", fen / 100) } else { format!("{}.{:02}", fen / 100, fen % 100) }
}

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

fn opt_date(field: &str, s: &Option<String>) -> Result<Option<String>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => clock::parse_date(v)
            .map(|d| Some(d.to_string()))
            .ok_or_else(|| bad(field, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")),
    }
}

fn opt_int(field: &str, s: &Option<String>) -> Result<Option<i64>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| bad(field, "应为非负整数", "must be a whole number ≥ 0")),
    }
}

async fn audit_write(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    entity: &str,
    id: i64,
    c: (&str, &str),
    change: serde_json::Value,
) -> Result<()> {
    audit::append(
        tx,
        Entry {
            actor,
            action,
            entity,
            entity_id: &id.to_string(),
            community_code: Some(c.0),
            district_code: Some(c.1),
            change,
        },
    )
    .await?;
    Ok(())
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
    Ok(sqlx::query_as(
        "SELECT * FROM pb_calls WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn call(db: &Db, id: i64) -> Result<Call> {
    sqlx::query_as("SELECT * FROM pb_calls WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

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
    if call.phase != "proposals"
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
    if call.phase != "review" {
        return Err(bad("phase", "只有在评审阶段才能评审项目", "projects are reviewed only in the review phase"));
    }
    let status = match r.decision.as_str() {
        "approve" => "approved",
        "reject" => "rejected",
        _ => return Err(bad("decision", "请选择通过或不通过", "choose approve or reject")),
    };
    if status == "rejected" && r.note.trim().is_empty() {
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
        .bind(status)
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

/// Move a call to its next phase. Closing the vote runs the call's rule,
/// stores the outcome and opens a budget line for each selected project.
pub async fn advance(db: &Db, actor: &str, call_id: i64) -> Result<Call> {
    let c = call(db, call_id).await?;
    let next = match c.phase.as_str() {
        "proposals" => "review",
        "review" => "voting",
        "voting" => "closed",
        _ => return Err(bad("phase", "本次征集已结束", "the call is already closed")),
    };
    let projects = projects(db, call_id).await?;
    if next == "review" && projects.is_empty() {
        return Err(bad("phase", "尚无居民提出项目", "no resident has proposed a project yet"));
    }
    if next == "voting" {
        if projects.iter().any(|p| p.status == "proposed") {
            return Err(bad("phase", "还有项目未评审", "some projects are not reviewed yet"));
        }
        if !projects.iter().any(|p| p.status == "approved") {
            return Err(bad("phase", "没有通过评审的项目", "no project passed review"));
        }
    }
    let mut tx = db.begin().await?;
    // Compare-and-set on the phase: a double click cannot advance twice.
    let moved = sqlx::query("UPDATE pb_calls SET phase = $1 WHERE id = $2 AND phase = $3")
        .bind(next)
        .bind(call_id)
        .bind(&c.phase)
        .execute(&mut *tx)
        .await?;
    if moved.rows_affected() != 1 {
        return Err(bad("phase", "阶段已被他人更新，请刷新", "the phase was changed meanwhile; reload"));
    }
    if next == "closed" {
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
            .bind(serde_json::to_string(&outcome).unwrap_or_default())
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
    let approved: Vec<&Project> = projects.iter().filter(|p| p.status == "approved").collect();
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
                points: (c.ballot_kind == "cumulative").then(Vec::new),
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
        vote_type: if c.ballot_kind == "cumulative" { pb::VoteType::Cumulative } else { pb::VoteType::Approval },
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

/// Check a ballot against the call's rules (pure).
pub fn check_ballot(c: &Call, projects: &[Project], choices: &[(i64, i64)]) -> std::result::Result<(), (String, Msg)> {
    let err = |zh: String, en: String| Err(("choices".to_string(), Msg::new(zh, en)));
    let mut seen = std::collections::HashSet::new();
    let mut cost = 0i64;
    let mut points = 0i64;
    for (pid, pts) in choices {
        let Some(p) = projects.iter().find(|p| p.id == *pid && p.status == "approved") else {
            return err("所选项目不在本次投票中".into(), "a chosen project is not on this ballot".into());
        };
        if !seen.insert(*pid) {
            return err("同一项目不能重复选择".into(), "a project is chosen twice".into());
        }
        if *pts <= 0 {
            return err("票数须为正数".into(), "points must be positive".into());
        }
        cost += p.cost_fen;
        points += pts;
    }
    let n = choices.len() as i64;
    if n == 0 {
        return err("请至少选择一个项目".into(), "choose at least one project".into());
    }
    if n < c.min_choices {
        return err(format!("至少选择{}个项目", c.min_choices), format!("choose at least {} projects", c.min_choices));
    }
    if let Some(max) = c.max_choices.filter(|m| n > *m) {
        return err(format!("最多选择{max}个项目"), format!("choose at most {max} projects"));
    }
    if let Some(limit) = c.max_cost_fen.filter(|l| cost > *l) {
        return err(
            format!("所选项目总预算{}元超过上限{}元", yuan(cost), yuan(limit)),
            format!("the chosen projects cost {} yuan, over the limit of {}", yuan(cost), yuan(limit)),
        );
    }
    if c.ballot_kind == "cumulative" && points > c.points.unwrap_or(0) {
        return err(
            format!("累积票最多分配{}票", c.points.unwrap_or(0)),
            format!("at most {} points may be spread", c.points.unwrap_or(0)),
        );
    }
    Ok(())
}

/// Cast one ballot. `voter_index` is the blind index of the voter's ID
/// number, so each verified resident votes once per call whatever the channel.
pub async fn vote(
    db: &Db,
    actor: &str,
    call_id: i64,
    voter_index: &str,
    channel: &str,
    choices: &[(i64, i64)],
) -> Result<i64> {
    let c = call(db, call_id).await?;
    if c.phase != "voting" {
        return Err(bad("phase", "当前不在投票阶段", "the call is not open for voting"));
    }
    if c.voting_until.as_deref().is_some_and(|d| clock::today().to_string().as_str() > d) {
        return Err(bad("phase", "投票已截止", "voting has ended"));
    }
    let ps = projects(db, call_id).await?;
    check_ballot(&c, &ps, choices).map_err(|(f, m)| StoreError::invalid(&f, m))?;
    let mut tx = db.begin().await?;
    let dup: Option<i64> = sqlx::query_scalar("SELECT id FROM pb_ballots WHERE call_id = $1 AND voter_index = $2")
        .bind(call_id)
        .bind(voter_index)
        .fetch_optional(&mut *tx)
        .await?;
    if dup.is_some() {
        return Err(bad("voter", "该居民已经投过票", "this resident has already voted"));
    }
    let ballot_id: i64 = sqlx::query_scalar("INSERT INTO pb_ballots (call_id, community_code, district_code, voter_index, channel, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(call_id)
        .bind(&c.community_code)
        .bind(&c.district_code)
        .bind(voter_index)
        .bind(channel)
        .bind(clock::now_text())
        .fetch_one(&mut *tx)
        .await?;
    for (pid, pts) in choices {
        sqlx::query("INSERT INTO pb_ballot_items (ballot_id, project_id, points) VALUES ($1, $2, $3)")
            .bind(ballot_id)
            .bind(pid)
            .bind(pts)
            .execute(&mut *tx)
            .await?;
    }
    // The audit entry records that a ballot was cast, not whom it was for.
    audit_write(
        &mut tx,
        actor,
        "pb.ballot.cast",
        "pb_ballot",
        ballot_id,
        (&c.community_code, &c.district_code),
        json!({ "call": call_id, "channel": channel }),
    )
    .await?;
    tx.commit().await?;
    Ok(ballot_id)
}

/// The voter index of a resident of `community` typed in at a polling table.
pub async fn paper_voter(db: &Db, community: &str, id_number: &str) -> Result<String> {
    let id =
        rules::gb11643::CitizenId::parse(id_number, clock::today()).map_err(|m| StoreError::invalid("id_number", m))?;
    let index = db.seal.index(id.as_str());
    let home: Option<String> = sqlx::query_scalar("SELECT community_code FROM residents WHERE id_index = $1")
        .bind(&index)
        .fetch_optional(&db.pool)
        .await?;
    match home {
        Some(h) if h == community => Ok(index),
        _ => {
            Err(bad("id_number", "此人不是本社区登记居民", "this person is not a registered resident of the community"))
        }
    }
}

/// The voter index of a logged-in resident, through their registry record.
pub async fn web_voter(db: &Db, user_id: i64, community: &str) -> Result<String> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT r.id_index, r.community_code FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some((ix, c)) if c == community => Ok(ix),
        _ => Err(bad(
            "voter",
            "您的账号尚未关联本社区居民登记，请到服务中心核验",
            "your account is not linked to a resident of this community; verify at the service center",
        )),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub ballots: i64,
    pub web: i64,
    pub paper: i64,
    /// project id → (approvals, points)
    pub per_project: BTreeMap<i64, (i64, i64)>,
}

pub async fn tally(db: &Db, call_id: i64) -> Result<Tally> {
    let channels: Vec<(String, i64)> =
        sqlx::query_as("SELECT channel, CAST(COUNT(*) AS BIGINT) FROM pb_ballots WHERE call_id = $1 GROUP BY channel")
            .bind(call_id)
            .fetch_all(&db.pool)
            .await?;
    let per: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT i.project_id, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(i.points), 0) AS BIGINT) FROM pb_ballot_items i JOIN pb_ballots b ON b.id = i.ballot_id WHERE b.call_id = $1 GROUP BY i.project_id",
    )
    .bind(call_id)
    .fetch_all(&db.pool)
    .await?;
    let get = |ch: &str| channels.iter().find(|(c, _)| c == ch).map(|x| x.1).unwrap_or(0);
    Ok(Tally {
        ballots: get("web") + get("paper"),
        web: get("web"),
        paper: get("paper"),
        per_project: per.into_iter().map(|(p, a, s)| (p, (a, s))).collect(),
    })
}

pub async fn result(db: &Db, call_id: i64) -> Result<Option<pb::Outcome>> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT outcome_json FROM pb_results WHERE call_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(call_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_parsing_is_exact() {
        assert_eq!(parse_yuan("x", "830000").unwrap(), 83_000_000);
        assert_eq!(parse_yuan("x", "12.5").unwrap(), 1250);
        assert_eq!(parse_yuan("x", "12.05").unwrap(), 1205);
        assert_eq!(parse_yuan("x", "1,000").unwrap(), 100_000);
        for bad in ["", "-5", "0", "1.234", "abc", "1e5"] {
            assert!(parse_yuan("x", bad).is_err(), "{bad}");
        }
        assert_eq!(yuan(1205), "12.05");
        assert_eq!(yuan(83_000_000), "830000");
    }
}

pub async fn project(db: &Db, id: i64) -> Result<Project> {
    sqlx::query_as("SELECT * FROM pb_projects WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Load a real election (a pabulib file) as a closed call of `community`: its
/// projects as approved proposals, its ballots (channel `import`, voters keyed
/// by the file's voter ids, not the registry), and the outcome of `rule`.
/// One transaction, one audit entry.
pub async fn import_election(db: &Db, actor: &str, community: &str, e: &pb::Election, rule: &str) -> Result<Call> {
    let parsed_rule: pb::Rule = rule.parse().map_err(|_| bad("rule", "未知的选择规则", "unknown selection rule"))?;
    let to_fen = |amount: u64| -> Result<i64> {
        let scaled = amount as u128 * 100;
        if scaled % e.scale as u128 != 0 {
            return Err(bad("cost", "金额精度超过分", "an amount is finer than one fen"));
        }
        i64::try_from(scaled / e.scale as u128).map_err(|_| bad("cost", "金额过大", "an amount is too large"))
    };
    let c = crate::structure::community(db, community).await?;
    let title = e.meta.get("description").or(e.meta.get("unit")).cloned().unwrap_or_else(|| "pabulib".into());
    let kind = if e.vote_type == pb::VoteType::Cumulative { "cumulative" } else { "approval" };
    let now = clock::now_text();
    let mut tx = db.begin().await?;
    let call: Call = sqlx::query_as(
        "INSERT INTO pb_calls (community_code, district_code, title, description, budget_fen, phase, ballot_kind, min_choices, max_choices, max_cost_fen, points, rule, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'voting', $6, 0, NULL, NULL, NULL, $7, $8) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&title)
    .bind(format!("pabulib: {}", e.meta.get("country").cloned().unwrap_or_default()))
    .bind(to_fen(e.budget)?)
    .bind(kind)
    .bind(rule)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let mut ids = Vec::with_capacity(e.projects.len());
    for p in &e.projects {
        let fen = to_fen(p.cost)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pb_projects (call_id, community_code, district_code, title, description, category, location, cost_fen, proposed_cost_fen, proposer, status, review_note, created_at) \
             VALUES ($1, $2, $3, $4, '', $5, '', $6, $6, $7, 'approved', $8, $9) RETURNING id",
        )
        .bind(call.id)
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(if p.name.is_empty() { p.id.clone() } else { p.name.clone() })
        .bind(p.category.join(","))
        .bind(fen)
        .bind(format!("pabulib:{}", p.id))
        .bind(format!("pabulib project_id {}", p.id))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    for b in &e.ballots {
        let bid: i64 = sqlx::query_scalar(
            "INSERT INTO pb_ballots (call_id, community_code, district_code, voter_index, channel, created_at) VALUES ($1, $2, $3, $4, 'import', $5) RETURNING id",
        )
        .bind(call.id)
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(format!("pabulib:{}", b.voter_id))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let mut seen = std::collections::HashSet::new();
        for (k, &ix) in b.approved.iter().enumerate() {
            if !seen.insert(ix) {
                continue;
            }
            let pts = b.points.as_ref().and_then(|p| p.get(k)).copied().unwrap_or(1) as i64;
            sqlx::query("INSERT INTO pb_ballot_items (ballot_id, project_id, points) VALUES ($1, $2, $3)")
                .bind(bid)
                .bind(ids[ix])
                .bind(pts)
                .execute(&mut *tx)
                .await?;
        }
    }
    audit_write(
        &mut tx,
        actor,
        "pb.call.import",
        "pb_call",
        call.id,
        (&c.code, &c.district_code),
        json!({ "title": title, "projects": e.projects.len(), "ballots": e.ballots.len(), "rule": rule }),
    )
    .await?;
    tx.commit().await?;
    let _ = parsed_rule;
    advance(db, actor, call.id).await
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

/// When this voter's ballot in a call was cast, if it was.
pub async fn ballot_cast_at(db: &Db, call_id: i64, voter_index: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT created_at FROM pb_ballots WHERE call_id = $1 AND voter_index = $2")
        .bind(call_id)
        .bind(voter_index)
        .fetch_optional(&db.pool)
        .await?)
}
