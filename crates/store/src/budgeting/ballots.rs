//! Ballots: one per verified resident, on the web or on paper, and the tally.

use super::*;

/// Check a ballot against the call's rules (pure).
pub fn check_ballot(c: &Call, projects: &[Project], choices: &[(i64, i64)]) -> std::result::Result<(), (String, Msg)> {
    let err = |zh: String, en: String| Err(("choices".to_string(), Msg::new(zh, en)));
    let mut seen = std::collections::HashSet::new();
    let mut cost = 0i64;
    let mut points = 0i64;
    for (pid, pts) in choices {
        let Some(p) = projects.iter().find(|p| p.id == *pid && p.status == super::ProjectStatus::Approved) else {
            return err("所选项目不在本次投票中".into(), "a chosen project is not on this ballot".into());
        };
        if !seen.insert(*pid) {
            return err("同一项目不能重复选择".into(), "a project is chosen twice".into());
        }
        if *pts <= 0 {
            return err("票数须为正数".into(), "points must be positive".into());
        }
        // An approval ballot approves or not: points are for cumulative ballots only (issue 12, point 11).
        if c.ballot_kind != pb::VoteType::Cumulative && *pts != 1 {
            return Err((
                "points".to_string(),
                Msg::new("赞成票只能选或不选，不能分配票数", "an approval ballot carries no points"),
            ));
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
    if c.ballot_kind == pb::VoteType::Cumulative && points > c.points.unwrap_or(0) {
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
    if c.phase != super::Phase::Voting {
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

/// When this voter's ballot in a call was cast, if it was.
pub async fn ballot_cast_at(db: &Db, call_id: i64, voter_index: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT created_at FROM pb_ballots WHERE call_id = $1 AND voter_index = $2")
        .bind(call_id)
        .bind(voter_index)
        .fetch_optional(&db.pool)
        .await?)
}
