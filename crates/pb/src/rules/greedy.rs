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
use crate::explain::Msg;

/// A rule's name and the score unit in Chinese (the English is the engine's own word).
fn zh(word: &str) -> &'static str {
    match word {
        "greedy" => "按票数贪心",
        "greedy-no-skip" => "按票数贪心（不跳过）",
        "greedy completion" => "贪心补选",
        "votes" => "票数",
        "points" => "分数",
        _ => "",
    }
}

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
        d.select(p, Msg::new("事先已确定资助", "funded beforehand"));
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
    let mut stopped: Option<Msg> = None;
    let (label_zh, unit_zh) = (zh(label), zh(unit));
    for (pos, &p) in order.iter().enumerate() {
        let round = Some(pos + 1);
        let prev = d.reasons[p].take().map(|(_, r)| (format!("{}；随后", r.zh), format!("{}; then ", r.en)));
        let (prev_zh, prev) = prev.unwrap_or_default();
        let cost = ctx.cost(p);
        let remaining = budget.saturating_sub(spent);
        if let Some(why) = &stopped {
            d.reject(
                p,
                round,
                Msg::new(
                    format!("{prev_zh}{label_zh}：未轮到（{}）", why.zh),
                    format!("{prev}{label}: not reached ({})", why.en),
                ),
            );
            continue;
        }
        if let Some(t) = threshold
            && scores[p] < t
        {
            d.reject(
                p,
                round,
                Msg::new(
                    format!("{prev_zh}{label_zh}：{unit_zh}{}，低于门槛{t}", scores[p]),
                    format!("{prev}{label}: {unit} {} below the threshold {t}", scores[p]),
                ),
            );
            continue;
        }
        if cost <= remaining {
            spent += cost;
            d.select(
                p,
                Msg::new(
                    format!(
                        "{label_zh}：按{unit_zh}排第{}（{}）；预算{}不超过剩余的{}",
                        pos + 1,
                        scores[p],
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                    format!(
                        "{label}: rank {} by {unit} ({}); cost {} fits the remaining {}",
                        pos + 1,
                        scores[p],
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                ),
            );
        } else if skip {
            d.reject(
                p,
                round,
                Msg::new(
                    format!(
                        "{prev_zh}{label_zh}：排第{}（{unit_zh}{}），预算{}超过剩余的{}，跳过",
                        pos + 1,
                        scores[p],
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                    format!(
                        "{prev}{label}: skipped at rank {} ({unit} {}): cost {} > remaining {}",
                        pos + 1,
                        scores[p],
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                ),
            );
        } else {
            let id = &ctx.election.projects[p].id;
            let why = Msg::new(
                format!("在项目{id}处停止：预算{}超过剩余的{}", ctx.money(cost), ctx.money(remaining)),
                format!("stopped at project {id}: cost {} > remaining {}", ctx.money(cost), ctx.money(remaining)),
            );
            d.reject(
                p,
                round,
                Msg::new(
                    format!(
                        "{prev_zh}{label_zh}：排第{}（{unit_zh}{}）放不下：预算{}超过剩余的{}，规则到此停止",
                        pos + 1,
                        scores[p],
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                    format!(
                        "{prev}{label}: rank {} ({unit} {}) does not fit: cost {} > remaining {}; the rule stops here",
                        pos + 1,
                        scores[p],
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                ),
            );
            stopped = Some(why);
        }
    }
}
