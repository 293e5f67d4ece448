//! Assessment checks (type 考核评比): rules §3.5 (民发〔2015〕136号: no
//! stand-alone department assessments, no 一票否决 against communities) and
//! Tongling's 2014 考核准入 rule (only assessments required by provincial or
//! higher governments, capped in count, duration and content; caps
//! configurable, rules §3, \[UNSURE\]).

use super::{exact_match, res, rule_refs};
use crate::check::{CheckId, CheckResult, Outcome};
use crate::inforce::ListsInForce;
use crate::model::*;

pub(crate) fn check_assessment(
    app: &Application,
    lists: &ListsInForce,
    history: &AssessmentHistory,
) -> Vec<CheckResult> {
    use CheckId::*;
    let ids = [
        AssessmentOrigin,
        AssessmentStandalone,
        AssessmentVeto,
        AssessmentListed,
        AssessmentCount,
        AssessmentDuration,
        AssessmentContent,
    ];
    let tl = rule_refs::tongling_assessment;
    let s35 = rule_refs::assessment;
    if app.kind != ItemType::Assessment {
        return ids.iter().map(|&i| res(i, Outcome::NotApplicable, tl(), "非考核事项", "not an assessment")).collect();
    }
    let Some(p) = &app.assessment else {
        let mut v =
            vec![res(AssessmentOrigin, Outcome::Fail, tl(), "考核事项未填写考核信息", "assessment details missing")];
        v.extend(
            ids[1..].iter().map(|&i| res(i, Outcome::NotApplicable, tl(), "缺少考核信息", "no assessment details")),
        );
        return v;
    };
    let list = lists.list(ListKind::AssessmentAccess);
    let entry = app.claimed_entry.as_deref().and_then(|c| list.entry(c));
    let terms = entry.and_then(|e| match &e.terms {
        Terms::Assessment(t) => Some(t),
        _ => None,
    });
    let mut out = Vec::with_capacity(ids.len());

    out.push(if p.origin_level.is_provincial_or_higher() {
        res(
            AssessmentOrigin,
            Outcome::Pass,
            tl(),
            "省级以上政府要求的考核",
            "required by a provincial or higher government",
        )
    } else {
        res(
            AssessmentOrigin,
            Outcome::Fail,
            tl(),
            format!("考核来源层级({:?})低于省级,已一律取消", p.origin_level),
            format!("assessment originates at {:?} level, below provincial: abolished", p.origin_level),
        )
    });
    out.push(if p.run_by_department_alone {
        res(
            AssessmentStandalone,
            Outcome::Fail,
            s35(),
            "职能部门不得单独组织考核评比",
            "a department may not run its own assessment of communities",
        )
    } else {
        res(AssessmentStandalone, Outcome::Pass, s35(), "纳入统一考核", "part of the unified assessment")
    });
    out.push(if p.one_vote_veto {
        res(AssessmentVeto, Outcome::Fail, s35(), "不得对社区设置一票否决", "no one-vote veto against communities")
    } else {
        res(AssessmentVeto, Outcome::Pass, s35(), "无一票否决", "no one-vote veto")
    });
    let mut listed = match entry {
        Some(e) => res(
            AssessmentListed,
            Outcome::Pass,
            tl(),
            format!("属于考核准入清单{}", e.code),
            format!("on the assessment-access list as {}", e.code),
        ),
        None => res(
            AssessmentListed,
            Outcome::Flag,
            tl(),
            "不在考核准入清单中,须修订清单;次数和时长按默认上限",
            "not on the assessment-access list: the list must be amended; default caps apply",
        ),
    };
    if let Some(e) = entry {
        listed.matches.push(exact_match(ListKind::AssessmentAccess, e));
    }
    out.push(listed);

    let cfg = &lists.config;
    let max_times = terms.map_or(cfg.default_max_assessments_per_year, |t| t.max_times_per_year);
    let so_far =
        history.times_in_year(entry.map(|e| e.code.as_str()), &app.department.name, &app.title, app.start.year());
    out.push(if so_far.saturating_add(1) > max_times {
        res(
            AssessmentCount,
            Outcome::Fail,
            tl(),
            format!("{}年已考核{so_far}次,上限{max_times}次", app.start.year()),
            format!("already held {so_far} times in {}, cap {max_times}", app.start.year()),
        )
    } else {
        res(
            AssessmentCount,
            Outcome::Pass,
            tl(),
            format!("本年第{}次,上限{max_times}次", so_far + 1),
            format!("occurrence {} this year, cap {max_times}", so_far + 1),
        )
    });
    let max_days = terms.map_or(cfg.default_max_assessment_days, |t| t.max_duration_days);
    out.push(if p.duration_days > max_days {
        res(
            AssessmentDuration,
            Outcome::Fail,
            tl(),
            format!("考核时长{}天超过上限{max_days}天", p.duration_days),
            format!("duration {} days exceeds the cap of {max_days}", p.duration_days),
        )
    } else {
        res(
            AssessmentDuration,
            Outcome::Pass,
            tl(),
            format!("时长{}天", p.duration_days),
            format!("{} days", p.duration_days),
        )
    });
    out.push(match terms.filter(|t| !t.content_scope.is_empty()) {
        None => {
            res(AssessmentContent, Outcome::NotApplicable, tl(), "清单未限定考核内容", "no content scope on the list")
        }
        Some(_) if p.content.is_empty() => {
            res(AssessmentContent, Outcome::Flag, tl(), "未申报考核内容", "assessment content not declared")
        }
        Some(t) => {
            let scope: Vec<String> = t.content_scope.iter().map(|s| crate::similarity::normalize(s)).collect();
            let outside: Vec<&str> = p
                .content
                .iter()
                .filter(|c| !scope.contains(&crate::similarity::normalize(c)))
                .map(|s| s.as_str())
                .collect();
            if outside.is_empty() {
                res(AssessmentContent, Outcome::Pass, tl(), "考核内容在准入范围内", "content within the admitted scope")
            } else {
                res(
                    AssessmentContent,
                    Outcome::Fail,
                    tl(),
                    format!("考核内容超出准入范围:{}", outside.join("、")),
                    format!("content outside the admitted scope: {}", outside.join(", ")),
                )
            }
        }
    });
    out
}
