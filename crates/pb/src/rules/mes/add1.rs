//! The Add1 completion: the first increment with an exhaustive outcome.

use super::{Utility, run, share};
use crate::rules::{Ctx, Decision};

fn is_exhaustive(ctx: &Ctx, selected: &[usize], spent: u64) -> bool {
    let mut chosen = vec![false; ctx.election.projects.len()];
    for &p in selected {
        chosen[p] = true;
    }
    let left = ctx.election.budget.saturating_sub(spent);
    (0..chosen.len()).all(|p| chosen[p] || ctx.cost(p) > left)
}

/// The Add1 completion's final increment count `s` (every voter starts with
/// `budget / n + s` currency units) and the number of MES runs it took.
///
/// Equals what stepping `s = 0, 1, 2, …` one at a time would return: the
/// first `s` with an exhaustive outcome, or the last `s` before the first
/// over-budget outcome.
pub fn add1_increment(ctx: &Ctx) -> (u64, usize) {
    let budget = ctx.election.budget;
    let mut s = 0u64;
    let mut runs = 0usize;
    loop {
        runs += 1;
        let r = run(ctx, Utility::Cost, s, true, false);
        let sel = &r.decision.selected;
        let spent: u64 = sel.iter().map(|&p| ctx.cost(p)).sum();
        if spent > budget {
            // Runs at 0..s-1 all stayed within the budget (s = 0 always does).
            return (s.saturating_sub(1), runs);
        }
        if is_exhaustive(ctx, sel, spent) {
            return (s, runs);
        }
        match r.next {
            Some(next) if next > s => s = next,
            // The outcome never changes again: stepping would not terminate.
            _ => return (s, runs),
        }
    }
}

/// MES with the Add1 completion.
pub fn mes_add1(ctx: &Ctx) -> Decision {
    let (s, runs) = add1_increment(ctx);
    let mut d = run(ctx, Utility::Cost, s, false, true).decision;
    d.notes.push(format!(
        "Add1 completion: each of the {} voters starts with {} (= budget/n + {s}); {runs} parametric MES runs",
        ctx.profile.n_voters,
        share(ctx, s),
    ));
    d
}
