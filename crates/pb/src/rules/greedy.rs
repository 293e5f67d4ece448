//! Greedy rules.
//!
//! **Greedy approval voting** (`greedy_av` in pabulib / pabutools'
//! `greedy_utilitarian_welfare` with cost satisfaction): sort the projects by
//! number of approvals, descending, ties by the tie-break order (pabutools:
//! smaller project id as text); go down the list and fund every project that
//! still fits in the remaining budget, skipping those that do not. A project
//! with zero votes is funded if it fits. *Greedy-no-skip* stops at the first
//! project that does not fit; *greedy-points* sorts by total points of
//! cumulative ballots; *greedy-threshold* only considers projects whose score
//! reaches the META `min_project_score_threshold` (definitions from the
//! pabulib README / the pabulib format description).

use super::{Ctx, Decision};

/// Greedy over `scores` (higher first) within `budget`. With `threshold`,
/// projects scoring below it are never funded. `initial` projects are taken
/// as already funded. `skip = false` gives greedy-no-skip.
pub fn greedy(
    ctx: &Ctx,
    scores: &[u64],
    unit: &str,
    threshold: Option<u64>,
    initial: &[usize],
    budget: u64,
    skip: bool,
) -> Decision {
    let mut d = Decision::new(ctx.election.projects.len());
    for &p in initial {
        d.select(p, "funded beforehand".into());
    }
    let label = if skip { "greedy" } else { "greedy-no-skip" };
    fill(ctx, scores, unit, threshold, &mut d, budget, skip, label);
    d
}

/// Greedy-AV completion of an earlier decision on the remaining budget.
pub fn complete(ctx: &Ctx, mut d: Decision) -> Decision {
    let budget = ctx.election.budget;
    fill(ctx, &ctx.profile.approvals, "votes", None, &mut d, budget, true, "greedy completion");
    d
}

#[allow(clippy::too_many_arguments)]
fn fill(
    ctx: &Ctx,
    scores: &[u64],
    unit: &str,
    threshold: Option<u64>,
    d: &mut Decision,
    budget: u64,
    skip: bool,
    label: &str,
) {
    let m = ctx.election.projects.len();
    let mut chosen = vec![false; m];
    let mut spent: u64 = 0;
    for &p in &d.selected {
        chosen[p] = true;
        spent += ctx.cost(p);
    }
    let mut order: Vec<usize> = (0..m).filter(|&p| !chosen[p]).collect();
    order.sort_by(|&a, &b| scores[b].cmp(&scores[a]).then(ctx.priority[a].cmp(&ctx.priority[b])));
    let mut stopped: Option<String> = None;
    for (pos, &p) in order.iter().enumerate() {
        let round = Some(pos + 1);
        let prev = d.reasons[p].take().map(|(_, r)| format!("{r}; then "));
        let prev = prev.unwrap_or_default();
        let cost = ctx.cost(p);
        let remaining = budget.saturating_sub(spent);
        if let Some(why) = &stopped {
            d.reject(p, round, format!("{prev}{label}: not reached ({why})"));
            continue;
        }
        if let Some(t) = threshold
            && scores[p] < t
        {
            d.reject(p, round, format!("{prev}{label}: {unit} {} below the threshold {t}", scores[p]));
            continue;
        }
        if cost <= remaining {
            spent += cost;
            d.select(
                p,
                format!(
                    "{label}: rank {} by {unit} ({}); cost {} fits the remaining {}",
                    pos + 1,
                    scores[p],
                    ctx.money(cost),
                    ctx.money(remaining)
                ),
            );
        } else if skip {
            d.reject(
                p,
                round,
                format!(
                    "{prev}{label}: skipped at rank {} ({unit} {}): cost {} > remaining {}",
                    pos + 1,
                    scores[p],
                    ctx.money(cost),
                    ctx.money(remaining)
                ),
            );
        } else {
            let why = format!(
                "stopped at project {}: cost {} > remaining {}",
                ctx.election.projects[p].id,
                ctx.money(cost),
                ctx.money(remaining)
            );
            d.reject(
                p,
                round,
                format!(
                    "{prev}{label}: rank {} ({unit} {}) does not fit: cost {} > remaining {}; the rule stops here",
                    pos + 1,
                    scores[p],
                    ctx.money(cost),
                    ctx.money(remaining)
                ),
            );
            stopped = Some(why);
        }
    }
}
