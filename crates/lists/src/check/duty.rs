//! The statutory-duty check (rules §3.2: government duties are not passed
//! on to communities).

use super::{cand_match, exact_match, res, rule_refs};
use crate::check::{CheckId, CheckResult, Match, Outcome};
use crate::inforce::ListsInForce;
use crate::model::*;

pub(super) fn check_government_duty(app: &Application, lists: &ListsInForce) -> CheckResult {
    let id = CheckId::GovernmentDuty;
    let r = rule_refs::no_transfer;
    if app.kind == ItemType::Assessment {
        return res(id, Outcome::NotApplicable, r(), "考核事项另行审查", "assessments are checked separately");
    }
    if !app.community_as_principal {
        return res(id, Outcome::NotApplicable, r(), "社区仅为协助方", "the community only assists");
    }
    if app.duty_holder == DutyHolder::Government {
        return res(
            id,
            Outcome::Fail,
            r(),
            "法定职责主体为政府部门,不得由社区作为责任主体承担",
            "the legal duty holder is a government body; the community cannot be made the principal",
        );
    }
    let claimed = app.claimed_entry.as_deref();
    if let Some(e) = claimed.and_then(|c| lists.list(ListKind::Assistance).entry(c)) {
        let mut c = res(
            id,
            Outcome::Fail,
            r(),
            format!("协助清单事项{}「{}」是政府部门职责,社区只能协助,不能作为责任主体", e.code, e.title),
            format!(
                "assistance entry {} ({}) is a government duty: the community may only assist, not be principal",
                e.code, e.title
            ),
        );
        c.matches.push(exact_match(ListKind::Assistance, e));
        return c;
    }
    let duty = lists.list(ListKind::Duty);
    let on_duty_list = claimed.and_then(|c| duty.entry(c)).or_else(|| duty.exact(&app.title).into_iter().next());
    if let Some(e) = on_duty_list {
        let mut c = res(
            id,
            Outcome::Pass,
            r(),
            format!("属于社区履职清单{}「{}」", e.code, e.title),
            format!("on the duty list as {} ({})", e.code, e.title),
        );
        c.matches.push(exact_match(ListKind::Duty, e));
        return c;
    }
    let cfg = &lists.config;
    let best_duty = lists.list(ListKind::Duty).similar(&app.title, &cfg.similarity).first().map(|(_, c)| c.dice);
    let assist: Vec<Match> = lists
        .list(ListKind::Assistance)
        .similar(&app.title, &cfg.similarity)
        .into_iter()
        .filter(|(_, c)| best_duty.is_none_or(|d| c.dice > d))
        .take(cfg.max_matches_reported)
        .map(|(e, c)| cand_match(ListKind::Assistance, e, &c))
        .collect();
    let mut c = if let Some(m) = assist.first() {
        res(
            id,
            Outcome::Flag,
            r(),
            format!("社区作为责任主体,但名称与协助清单条目{}「{}」相似,疑为政府职责转嫁", m.code, m.title),
            format!(
                "community as principal, but the title resembles assistance entry {} ({}): possibly a transferred government duty",
                m.code, m.title
            ),
        )
    } else {
        res(
            id,
            Outcome::Flag,
            r(),
            "社区作为责任主体的事项不在履职清单中,请核实是否属于居委会法定职责",
            "community as principal on an item not on the duty list: confirm it is a statutory duty of the residents' committee",
        )
    };
    c.matches = assist;
    c
}
