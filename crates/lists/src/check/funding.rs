//! The assistance-funding check (rules §3.3: 权随责走、费随事转).

use super::{cand_match, exact_match, res, rule_refs};
use crate::check::{CheckId, CheckResult, Outcome};
use crate::inforce::ListsInForce;
use crate::model::*;
use ledger::Yuan;

pub(super) fn check_funding(app: &Application, lists: &ListsInForce) -> CheckResult {
    let id = CheckId::AssistanceFunding;
    let r = rule_refs::funding;
    if app.kind == ItemType::Assessment || app.community_as_principal {
        return res(id, Outcome::NotApplicable, r(), "非协助事项", "not assistance work");
    }
    let Some(f) = &app.funding else {
        return res(
            id,
            Outcome::Fail,
            r(),
            "协助事项未提供经费(费随事转)",
            "assistance work without funding (费随事转)",
        );
    };
    if f.amount_fen <= 0 || f.paying_department.trim().is_empty() {
        return res(
            id,
            Outcome::Fail,
            r(),
            "协助事项须有大于零的经费和出资部门",
            "assistance funding needs an amount > 0 and a paying department",
        );
    }
    if matches!(f.basis, FundingBasis::PerUnit { .. }) && app.workload.units == Units::None {
        return res(
            id,
            Outcome::Fail,
            r(),
            "按工作量计费,但未申报工作量",
            "funding is per unit of work but no units are declared",
        );
    }
    let assist = lists.list(ListKind::Assistance);
    let claimed = app.claimed_entry.as_deref().and_then(|c| assist.entry(c));
    let (entry, m, firm) = match claimed {
        Some(e) => (e, exact_match(ListKind::Assistance, e), true),
        None => match assist
            .similar(&app.title, &lists.config.similarity)
            .into_iter()
            .find(|(_, c)| c.dice >= lists.config.similarity.dice_threshold)
        {
            Some((e, c)) => (e, cand_match(ListKind::Assistance, e, &c), false),
            None => {
                return res(
                    id,
                    Outcome::Pass,
                    r(),
                    format!(
                        "已提供经费{}元({}),出资部门{}",
                        Yuan(f.amount_fen),
                        f.basis.describe().zh,
                        f.paying_department
                    ),
                    format!(
                        "funding of {} yuan {} from {}",
                        Yuan(f.amount_fen),
                        f.basis.describe().en,
                        f.paying_department
                    ),
                );
            }
        },
    };
    let Terms::Assistance(t) = &entry.terms else {
        return res(id, Outcome::Flag, r(), "协助清单条目缺少经费标准", "assistance entry lacks funding terms");
    };
    let bad = if firm { Outcome::Fail } else { Outcome::Flag };
    let mut c = if !f.basis.same_as(&t.basis) {
        res(
            id,
            bad,
            r(),
            format!("计费单位错误:条目{}按{}计,申请按{}计", entry.code, t.basis.describe().zh, f.basis.describe().zh),
            format!(
                "wrong unit: entry {} is funded {}, the offer is {}",
                entry.code,
                t.basis.describe().en,
                f.basis.describe().en
            ),
        )
    } else if f.amount_fen < t.standard_fen {
        res(
            id,
            bad,
            r(),
            format!(
                "经费{}元低于条目{}标准{}元({})",
                Yuan(f.amount_fen),
                entry.code,
                Yuan(t.standard_fen),
                t.basis.describe().zh
            ),
            format!(
                "funding {} yuan is below entry {}'s standard of {} yuan {}",
                Yuan(f.amount_fen),
                entry.code,
                Yuan(t.standard_fen),
                t.basis.describe().en
            ),
        )
    } else if f.paying_department != t.paying_department {
        res(
            id,
            Outcome::Flag,
            r(),
            format!("出资部门{}与条目规定的{}不同", f.paying_department, t.paying_department),
            format!("paying department {} differs from the entry's {}", f.paying_department, t.paying_department),
        )
    } else {
        res(
            id,
            Outcome::Pass,
            r(),
            format!("经费{}元不低于条目{}标准{}元", Yuan(f.amount_fen), entry.code, Yuan(t.standard_fen)),
            format!(
                "funding {} yuan meets entry {}'s standard of {} yuan",
                Yuan(f.amount_fen),
                entry.code,
                Yuan(t.standard_fen)
            ),
        )
    };
    c.matches.push(m);
    c
}
