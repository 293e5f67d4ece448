//! Real elections in, calls out: pabulib files as calls with their ballots.

use super::*;

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
