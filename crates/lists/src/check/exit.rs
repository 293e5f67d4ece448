//! The exit-list and certificate checks (rules §3.4, §3c).

use super::{cand_match, exact_match, res, rule_refs, score};
use crate::check::{CheckId, CheckResult, Match, Outcome};
use crate::inforce::ListsInForce;
use crate::model::*;

/// Exit-list check; `certificates` selects the certificate entries (rules
/// §3c) or all the others (rules §3.4).
pub(super) fn check_exit(app: &Application, lists: &ListsInForce, certificates: bool) -> CheckResult {
    let (id, r) = if certificates {
        (CheckId::Certificate, rule_refs::certificate as fn() -> RuleRef)
    } else {
        (CheckId::ExitList, rule_refs::exit as fn() -> RuleRef)
    };
    let exit = lists.list(ListKind::Exit);
    let ours = |e: &Entry| (e.item_type == ItemType::Certificate) == certificates;
    let principal = app.community_as_principal;
    let hard = |e: &Entry| matches!(e.terms, Terms::Exit { scope: ExitScope::Always }) || principal;

    if let Some(e) = app.claimed_entry.as_deref().and_then(|c| exit.entry(c)).filter(|e| ours(e)) {
        let mut c = res(
            id,
            Outcome::Fail,
            r(),
            format!("申报事项属于退出清单条目{}「{}」", e.code, e.title),
            format!("the claimed entry {} ({}) is on the exit list", e.code, e.title),
        );
        c.matches.push(exact_match(ListKind::Exit, e));
        return c;
    }
    let exact: Vec<&Entry> = exit.exact(&app.title).into_iter().filter(|e| ours(e)).collect();
    if let Some(e) = exact.iter().find(|e| hard(e)) {
        let mut c = res(
            id,
            Outcome::Fail,
            r(),
            format!("事项名称与退出清单条目{}「{}」相同", e.code, e.title),
            format!("the title equals exit-list entry {} ({})", e.code, e.title),
        );
        c.matches.push(exact_match(ListKind::Exit, e));
        return c;
    }
    let cfg = &lists.config;
    let mut matches: Vec<Match> = exact.iter().map(|e| exact_match(ListKind::Exit, e)).collect();
    for (e, cand) in exit.similar(&app.title, &cfg.similarity) {
        if ours(e) && !matches.iter().any(|m| m.code == e.code) {
            matches.push(cand_match(ListKind::Exit, e, &cand));
        }
    }
    matches.truncate(cfg.max_matches_reported);
    if matches.is_empty() {
        if certificates && app.kind != ItemType::Certificate {
            return res(id, Outcome::NotApplicable, r(), "非证明事项", "not a certificate");
        }
        return res(id, Outcome::Pass, r(), "与退出清单无相似条目", "no similar exit-list entry");
    }
    let best = &matches[0];
    let scope_note =
        if principal { "" } else { "(仅在社区作为责任主体时取消;请核实社区仅为协助)" };
    let scope_note_en =
        if principal { "" } else { " (cancelled where the community is principal; confirm it only assists)" };
    let mut c = res(
        id,
        Outcome::Flag,
        r(),
        format!("名称与退出清单条目{}「{}」相似(相似度{:.2}){scope_note}", best.code, best.title, score(best)),
        format!(
            "title resembles exit-list entry {} ({}) with score {:.2}{scope_note_en}",
            best.code,
            best.title,
            score(best)
        ),
    );
    c.matches = matches;
    c
}
