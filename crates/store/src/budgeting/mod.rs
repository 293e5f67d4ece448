//! Community service projects chosen by residents (项目化管理 = participatory
//! budgeting): calls, proposals, feasibility review, ballots, selection by a
//! rule of the `pb` engine, and a budget line per selected project.

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

mod ballots;
mod execution;
mod pabulib;

pub use ballots::*;
pub use execution::*;
pub use pabulib::*;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub description: String,
    pub budget_fen: i64,
    pub phase: Phase,
    #[sqlx(try_from = "crate::typed::Text")]
    #[serde(with = "crate::typed::word")]
    pub ballot_kind: pb::VoteType,
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
    pub status: ProjectStatus,
    pub review_score: Option<i64>,
    pub review_note: String,
    pub selected: i64,
    pub created_at: String,
}

words! {
    /// The phases of a call, in order. A call only moves forward.
    pub enum Phase, "call phase" {
        Proposals => "proposals",
        Review => "review",
        Voting => "voting",
        Closed => "closed",
    }
}

impl Phase {
    /// The phase after this one; none after the close.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Proposals => Some(Phase::Review),
            Phase::Review => Some(Phase::Voting),
            Phase::Voting => Some(Phase::Closed),
            Phase::Closed => None,
        }
    }
}

words! {
    /// A proposed project's review.
    pub enum ProjectStatus, "project status" {
        Proposed => "proposed",
        Approved => "approved",
        Rejected => "rejected",
    }
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

pub async fn project(db: &Db, id: i64) -> Result<Project> {
    sqlx::query_as("SELECT * FROM pb_projects WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
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
