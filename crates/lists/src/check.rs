//! Automatic checks of an access application (社区准入审批).
//!
//! [`check`] runs every check below and returns one [`CheckResult`] per check,
//! each citing its [`RuleRef`]. The verdict is [`Verdict::AutoReject`] if any
//! check fails, [`Verdict::NeedsReview`] if any is flagged, otherwise
//! [`Verdict::PassToReviewer`] (a human reviewer still approves: the checks
//! never admit an item by themselves, rules §3.1 / §3b).
//!
//! | Check | Rule | Source |
//! |---|---|---|
//! | [`CheckId::Emergency`] | rules §3b | 张家口: emergency items (生命财产安全、国家安全、公共安全、环境安全、公共卫生) may bypass access but carry a tag and an expiry |
//! | [`CheckId::ClaimedEntry`] | rules §3.1 | 民发〔2015〕136号: city-level work-item list and access system |
//! | [`CheckId::LegalBasis`] | rules §3b | feasibility and reasonableness review of the 审批表 |
//! | [`CheckId::ExitList`] | rules §3.4 | 民发〔2015〕136号; Tongling 2014 社区退出事务清单 |
//! | [`CheckId::Certificate`] | rules §3c(i) | negative certificate lists (咸宁, 肇庆; illustrative) |
//! | [`CheckId::GovernmentDuty`] | rules §3.2 | 民发〔2015〕136号: government duties 不得转嫁给社区 |
//! | [`CheckId::AssistanceFunding`] | rules §3.3 | 民发〔2015〕136号; Tongling 权随责走、费随事转 |
//! | `Assessment*` | rules §3.5; 铜陵 2014 考核准入 | 民发〔2015〕136号; source article |
//!
//! Readings of rules §3 decided here:
//! * **Exit list.** Claiming an exit entry's code fails outright. A title
//!   equal (after normalisation) to an exit entry fails if the entry is
//!   cancelled outright, or if it is cancelled "as principal" (§3.4: 执法、
//!   拆迁拆违、环境整治、城市管理) and the community would be principal; with
//!   the community only assisting it is flagged. Merely similar titles are
//!   always flagged with the entry and score, never rejected.
//! * **§3.2 statutory duties.** Applies when the community would be principal.
//!   It fails when the declared legal duty holder is a government body, or
//!   when the claimed entry is on the *assistance* list (an assistance item is
//!   by definition a government duty the community only helps with). It
//!   passes when the claimed entry (or, unclaimed, the exact normalised
//!   title) is on the *duty* list. Otherwise the item
//!   is flagged: it is not on the duty list, and it is flagged with the
//!   matches when its title resembles an assistance entry more than any duty
//!   entry. Assessments are outside this check (the community is assessed,
//!   not acting).
//! * **§3.3 funding.** Applies to every non-assessment item where the
//!   community only assists. No offer, amount ≤ 0 or no paying department
//!   fails. Against the claimed assistance entry: another basis or unit fails
//!   ("wrong unit"), an amount below the standard fails, another paying
//!   department is flagged. Without a claimed entry the best similar
//!   assistance entry is used, and the same findings are only flagged.
//!   Per-unit funding without declared units fails (nothing to pay on).
//! * **Assessments** (type 考核评比): origin below provincial fails (Tongling
//!   2014); a department running it alone fails and a 一票否决 against
//!   communities fails (§3.5); an assessment not on the access list is
//!   flagged (the list must be amended; its caps fall back to
//!   [`CheckConfig`](crate::inforce::CheckConfig) defaults); count (history + this one) above the cap, a
//!   duration above the cap, or content outside the entry's scope fail.
//! * **Emergencies.** An emergency in force on the check date turns every
//!   failed or flagged check into [`Outcome::Waived`] and the report carries
//!   the tag and expiry; an expired emergency bypasses nothing and is
//!   flagged. An expiry further out than [`CheckConfig::max_emergency_days`](crate::inforce::CheckConfig::max_emergency_days)
//!   is flagged (this flag is not waived).

use crate::inforce::ListsInForce;
use crate::model::*;
use crate::similarity::Candidate;
use serde::{Deserialize, Serialize};
use time::Date;

mod assessment;
/// The rule sources cited by the checks.
pub mod rule_refs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    Emergency,
    ClaimedEntry,
    LegalBasis,
    ExitList,
    Certificate,
    GovernmentDuty,
    AssistanceFunding,
    AssessmentOrigin,
    AssessmentStandalone,
    AssessmentVeto,
    AssessmentListed,
    AssessmentCount,
    AssessmentDuration,
    AssessmentContent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    Flag,
    /// Would have failed or been flagged, but an emergency in force bypasses it.
    Waived,
    NotApplicable,
}

/// A list entry a check matched, with its scores (1.0 for code or exact
/// matches).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub list: ListKind,
    pub code: String,
    pub title: String,
    pub dice: f64,
    pub containment: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: CheckId,
    pub outcome: Outcome,
    pub rule: RuleRef,
    pub msg: Msg,
    pub matches: Vec<Match>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    AutoReject,
    NeedsReview,
    PassToReviewer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub application_id: String,
    pub checked_on: Date,
    /// The list versions the check ran against (for audit).
    pub list_versions: Vec<(ListKind, u32)>,
    pub verdict: Verdict,
    /// Set when an emergency in force bypassed the checks.
    pub emergency: Option<Emergency>,
    pub checks: Vec<CheckResult>,
}

impl CheckReport {
    pub fn get(&self, id: CheckId) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }
    pub fn outcome(&self, id: CheckId) -> Option<Outcome> {
        self.get(id).map(|c| c.outcome)
    }
}

pub(crate) fn res(
    id: CheckId,
    outcome: Outcome,
    rule: RuleRef,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> CheckResult {
    CheckResult { id, outcome, rule, msg: Msg::new(zh, en), matches: Vec::new() }
}

pub(crate) fn exact_match(list: ListKind, e: &Entry) -> Match {
    Match { list, code: e.code.clone(), title: e.title.clone(), dice: 1.0, containment: 1.0 }
}

fn cand_match(list: ListKind, e: &Entry, c: &Candidate) -> Match {
    Match { list, code: e.code.clone(), title: e.title.clone(), dice: c.dice, containment: c.containment }
}

fn score(m: &Match) -> f64 {
    m.dice.max(m.containment)
}

/// Run every automatic check on `app` against `lists` on `today`.
pub fn check(app: &Application, lists: &ListsInForce, history: &AssessmentHistory, today: Date) -> CheckReport {
    let mut checks = vec![
        check_claimed(app, lists),
        check_basis(app),
        check_exit(app, lists, false),
        check_exit(app, lists, true),
        check_government_duty(app, lists),
        check_funding(app, lists),
    ];
    checks.extend(assessment::check_assessment(app, lists, history));

    let mut emergency = None;
    if let Some(em) = app.emergency.filter(|e| e.in_force(today)) {
        for c in &mut checks {
            if matches!(c.outcome, Outcome::Fail | Outcome::Flag) {
                c.outcome = Outcome::Waived;
            }
        }
        emergency = Some(em);
    }
    checks.insert(0, check_emergency(app, lists, today));
    let verdict = if checks.iter().any(|c| c.outcome == Outcome::Fail) {
        Verdict::AutoReject
    } else if checks.iter().any(|c| c.outcome == Outcome::Flag) {
        Verdict::NeedsReview
    } else {
        Verdict::PassToReviewer
    };
    let list_versions = ListKind::ALL.iter().map(|&k| (k, lists.list(k).version().version())).collect();
    CheckReport { application_id: app.id.clone(), checked_on: today, list_versions, verdict, emergency, checks }
}

fn check_emergency(app: &Application, lists: &ListsInForce, today: Date) -> CheckResult {
    let r = rule_refs::emergency;
    let Some(em) = app.emergency else {
        return res(CheckId::Emergency, Outcome::NotApplicable, r(), "非应急事项", "not an emergency item");
    };
    if !em.in_force(today) {
        return res(
            CheckId::Emergency,
            Outcome::Flag,
            r(),
            format!("应急标注已于{}过期,按常规准入审查", em.expires),
            format!("emergency tag expired on {}; checked as an ordinary application", em.expires),
        );
    }
    let horizon = (em.expires - today).whole_days();
    if horizon > i64::from(lists.config.max_emergency_days) {
        return res(
            CheckId::Emergency,
            Outcome::Flag,
            r(),
            format!("应急期限{horizon}天,超过{}天上限", lists.config.max_emergency_days),
            format!("emergency lasts {horizon} days, over the {}-day limit", lists.config.max_emergency_days),
        );
    }
    res(
        CheckId::Emergency,
        Outcome::Pass,
        r(),
        format!("应急事项({:?}),有效至{},免于准入审查", em.category, em.expires),
        format!("emergency ({:?}) in force until {}; access checks bypassed", em.category, em.expires),
    )
}

fn check_claimed(app: &Application, lists: &ListsInForce) -> CheckResult {
    let r = rule_refs::access_list;
    let Some(code) = &app.claimed_entry else {
        return res(
            CheckId::ClaimedEntry,
            Outcome::Pass,
            r(),
            "清单外新增事项,由审批人决定是否准入",
            "new item not claimed under any list entry; the reviewer decides on access",
        );
    };
    match lists.find_code(code) {
        None => res(
            CheckId::ClaimedEntry,
            Outcome::Flag,
            r(),
            format!("申报的清单编码{code}不在现行清单中"),
            format!("claimed entry code {code} is not in the lists in force"),
        ),
        Some((kind, e)) => {
            let mut c = if e.item_type != app.kind {
                res(
                    CheckId::ClaimedEntry,
                    Outcome::Flag,
                    r(),
                    format!("申报类型{}与清单条目类型{}不符", app.kind.zh(), e.item_type.zh()),
                    format!("application type {:?} differs from entry type {:?}", app.kind, e.item_type),
                )
            } else {
                res(
                    CheckId::ClaimedEntry,
                    Outcome::Pass,
                    r(),
                    format!("属于{}条目{code}", kind.name().zh),
                    format!("falls under entry {code} of the {}", kind.name().en),
                )
            };
            c.matches.push(exact_match(kind, e));
            c
        }
    }
}

fn check_basis(app: &Application) -> CheckResult {
    if app.legal_basis.trim().is_empty() {
        res(CheckId::LegalBasis, Outcome::Flag, rule_refs::review(), "未写明法律政策依据", "no legal basis given")
    } else {
        res(CheckId::LegalBasis, Outcome::Pass, rule_refs::review(), "已写明依据", "legal basis given")
    }
}

/// Exit-list check; `certificates` selects the certificate entries (rules
/// §3c) or all the others (rules §3.4).
fn check_exit(app: &Application, lists: &ListsInForce, certificates: bool) -> CheckResult {
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

fn check_government_duty(app: &Application, lists: &ListsInForce) -> CheckResult {
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

fn check_funding(app: &Application, lists: &ListsInForce) -> CheckResult {
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
                    format!("已提供经费{}分({}),出资部门{}", f.amount_fen, f.basis.describe().zh, f.paying_department),
                    format!("funding of {} fen {} from {}", f.amount_fen, f.basis.describe().en, f.paying_department),
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
            format!("经费{}分低于条目{}标准{}分({})", f.amount_fen, entry.code, t.standard_fen, t.basis.describe().zh),
            format!(
                "funding {} fen is below entry {}'s standard of {} fen {}",
                f.amount_fen,
                entry.code,
                t.standard_fen,
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
            format!("经费{}分不低于条目{}标准{}分", f.amount_fen, entry.code, t.standard_fen),
            format!("funding {} fen meets entry {}'s standard of {} fen", f.amount_fen, entry.code, t.standard_fen),
        )
    };
    c.matches.push(m);
    c
}
