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

use duty::check_government_duty;
use exit::check_exit;
use funding::check_funding;

mod assessment;
mod duty;
mod exit;
mod funding;
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

impl CheckId {
    /// The check's name for a page, in both languages.
    pub fn name(self) -> Msg {
        let (zh, en) = match self {
            CheckId::Emergency => ("应急事项", "emergency"),
            CheckId::ClaimedEntry => ("对应清单事项", "claimed list entry"),
            CheckId::LegalBasis => ("法律依据", "legal basis"),
            CheckId::ExitList => ("退出事务清单", "exit list"),
            CheckId::Certificate => ("证明事项", "certificates"),
            CheckId::GovernmentDuty => ("不得转嫁政府职责", "no transfer of government duties"),
            CheckId::AssistanceFunding => ("费随事转", "funding follows the work"),
            CheckId::AssessmentOrigin => ("考核发起层级", "assessment: originating level"),
            CheckId::AssessmentStandalone => ("部门单独考核", "assessment: run by a department alone"),
            CheckId::AssessmentVeto => ("一票否决", "assessment: one-vote veto"),
            CheckId::AssessmentListed => ("考核准入清单", "assessment: on the access list"),
            CheckId::AssessmentCount => ("考核次数", "assessment: count"),
            CheckId::AssessmentDuration => ("考核天数", "assessment: duration"),
            CheckId::AssessmentContent => ("考核内容", "assessment: content"),
        };
        Msg::new(zh, en)
    }
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

impl Verdict {
    /// The verdict's name for a page, in both languages.
    pub fn name(self) -> Msg {
        match self {
            Verdict::AutoReject => Msg::new("自动检查未通过", "rejected by the automatic checks"),
            Verdict::NeedsReview => Msg::new("需人工复核", "needs a reviewer's judgement"),
            Verdict::PassToReviewer => Msg::new("检查通过，待审核人决定", "checks passed; the reviewer decides"),
        }
    }
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
