//! Sequential Phragmén for participatory budgeting.
//!
//! **Definition** (Phragmén's sequential method as analysed by Brill,
//! Freeman, Janson, Lackner, *Phragmén's voting methods and justified
//! representation*, AAAI 2017, and extended to PB by Los, Christoff, Grossi,
//! *Proportional budget allocations: towards a systematization*, IJCAI 2022;
//! the `sequential_phragmen` rule of pabutools 1.2.3; pabulib README). Every
//! voter carries a *load*, initially 0. Funding project `p` (cost `c`,
//! supporters `N_p`) spreads the money over its supporters so that they all
//! end up with the same load `ℓ_p = (c + Σ_{i∈N_p} load_i) / |N_p|`. In each
//! round the project with the smallest new load `ℓ_p` is funded (ties by the
//! tie-break order) and its supporters' loads are set to `ℓ_p`. The rule
//! stops as soon as that project does not fit in the remaining budget, or
//! when every supported project is funded. Projects without supporters are
//! never funded.
//!
//! Exactness: loads are big integers over a common denominator. Voters with
//! the same load form a class (the last funded project they support), so a
//! round costs one pass over the funded project's supporters.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

use super::{Ctx, Decision};
use crate::explain::{Msg, format_fraction};

/// Sequential Phragmén.
pub fn phragmen(ctx: &Ctx) -> Decision {
    let prof = ctx.profile;
    let m = ctx.election.projects.len();
    let scale = ctx.election.scale;
    let budget = ctx.election.budget;
    let mut dec = Decision::new(m);
    let mut d = BigInt::one();
    let mut loads: Vec<BigInt> = vec![BigInt::zero()];
    let mut cls = vec![0u32; prof.n_ballots()];
    let mut load_sum: Vec<BigInt> = vec![BigInt::zero(); m];
    let mut active: Vec<bool> = prof.approvals.iter().map(|&a| a > 0).collect();
    let mut cands: Vec<usize> = (0..m).filter(|&p| active[p]).collect();
    for p in (0..m).filter(|&p| !active[p]) {
        dec.reject(p, None, Msg::new("序贯弗拉格曼法：无人支持", "Phragmén: no supporters"));
    }
    let mut acc = vec![0u64; m];
    let mut touched: Vec<usize> = Vec::new();
    let mut spent: u64 = 0;
    let mut round = 0usize;
    let (mut x, mut best_x, mut lhs, mut rhs) = (BigInt::zero(), BigInt::zero(), BigInt::zero(), BigInt::zero());
    while !cands.is_empty() {
        round += 1;
        // Smallest new load x_q / w_q (x_q = cost·D + Σ loads), in reused
        // buffers: compare x_q·w_b with x_b·w_q.
        let mut bi = usize::MAX;
        for (i, &q) in cands.iter().enumerate() {
            x.clone_from(&d);
            x *= ctx.cost(q);
            x += &load_sum[q];
            let better = bi == usize::MAX || {
                let b = cands[bi];
                lhs.clone_from(&x);
                lhs *= prof.approvals[b];
                rhs.clone_from(&best_x);
                rhs *= prof.approvals[q];
                match lhs.cmp(&rhs) {
                    Ordering::Less => true,
                    Ordering::Equal => ctx.priority[q] < ctx.priority[b],
                    Ordering::Greater => false,
                }
            };
            if better {
                bi = i;
                std::mem::swap(&mut best_x, &mut x);
            }
        }
        let x = best_x.clone();
        let q = cands[bi];
        let w = prof.approvals[q];
        let cost = ctx.cost(q);
        let remaining = budget - spent;
        if cost > remaining {
            dec.reject(
                q,
                Some(round),
                Msg::new(
                    format!(
                        "序贯弗拉格曼法第{round}轮：轮到本项目（支持者负担将为{}），但预算{}超过剩余的{}，规则到此停止",
                        format_fraction(&x, &(&d * w), scale),
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                    format!(
                        "Phragmén round {round}: next in line (its supporters' load would become {}) but its cost {} > remaining {}; the rule stops here",
                        format_fraction(&x, &(&d * w), scale),
                        ctx.money(cost),
                        ctx.money(remaining)
                    ),
                ),
            );
            let id = &ctx.election.projects[q].id;
            dec.reject_rest(
                Some(round),
                &Msg::new(
                    format!("序贯弗拉格曼法：未轮到（第{round}轮项目{id}放不下，规则停止）"),
                    format!("Phragmén: not reached (stopped at round {round} because project {id} did not fit)"),
                ),
            );
            break;
        }
        spent += cost;
        dec.select(
            q,
            Msg::new(
                format!(
                    "序贯弗拉格曼法第{round}轮：入选后负担最小；其{w}位支持者的负担变为{}",
                    format_fraction(&x, &(&d * w), scale)
                ),
                format!(
                    "Phragmén round {round}: the smallest resulting load; its {w} supporters' load becomes {}",
                    format_fraction(&x, &(&d * w), scale)
                ),
            ),
        );
        cands.swap_remove(bi);
        active[q] = false;

        // New load x / w (units 1/D); rescale so it is an integer.
        let wb = BigInt::from(w);
        let g = w.gcd(&x.mod_floor(&wb).to_u64().unwrap_or(0));
        let mult = w / g;
        let new_load: BigInt = &x / g;
        if mult != 1 {
            d *= mult;
            for l in loads.iter_mut() {
                *l *= mult;
            }
            for &r in &cands {
                load_sum[r] *= mult;
            }
        }
        let k = loads.len() as u32;

        // Move q's supporters to the new class, class by class.
        let mut by_class: Vec<(u32, u32)> = prof.supporters(q).iter().map(|&u| (cls[u as usize], u)).collect();
        by_class.sort_unstable();
        for chunk in by_class.chunk_by(|a, b| a.0 == b.0) {
            let c = chunk[0].0;
            for &(_, u) in chunk {
                let wu = prof.weights[u as usize];
                for &r in prof.ballot(u as usize) {
                    let r = r as usize;
                    if active[r] {
                        if acc[r] == 0 {
                            touched.push(r);
                        }
                        acc[r] += wu;
                    }
                }
                cls[u as usize] = k;
            }
            let diff = &new_load - &loads[c as usize];
            for &r in &touched {
                load_sum[r] += &diff * acc[r];
                acc[r] = 0;
            }
            touched.clear();
        }
        loads.push(new_load);
    }
    dec
}
