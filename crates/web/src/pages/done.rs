//! The one success message after an action (issue 14): a page handler that did its action
//! redirects with `?done=<code>` ([`redirect`]), and the layout says that code's message in the
//! reader's language at the top of the page it lands on ([`message`]). Only codes travel in the
//! address: an unknown code says nothing, so a link cannot make an official page say anything
//! else (issue 12 point 7).

use super::Ctx;
use axum::response::{IntoResponse, Redirect, Response};

/// Every code and its message, Chinese and English. A form's name is its code; names that more
/// than one page uses (`decide`, `report`) have a message true on each.
pub const DONE: &[(&str, &str, &str)] = &[
    ("saved", "已保存。", "Saved."),
    // Service center and cases
    ("created", "已受理并分派。", "Accepted and routed."),
    ("event", "已办理。", "Done."),
    ("attached", "附件已保存。", "File saved."),
    ("linked", "已关联为重复案件。", "Linked as a duplicate."),
    ("rated", "感谢您的评价。", "Thank you for your rating."),
    ("routed", "已分派到社区服务中心。", "Routed to the community's service center."),
    ("hotline", "热线诉求已登记并分派。", "The call is recorded and routed."),
    ("dispatched", "已派单给服务商。", "Dispatched to the provider."),
    ("accepted", "已接单。", "Dispatch accepted."),
    ("declined", "已退单，社区将另行派单。", "Dispatch declined; the community will send it elsewhere."),
    ("arrived", "已登记到场。", "Arrival recorded."),
    ("completed", "已登记完成，等待社区确认。", "Completion recorded; the community will confirm."),
    ("provider", "服务商已保存。", "The provider is saved."),
    // Stewards and tasks
    ("volunteer", "报名已提交，等待社区审批。", "You have volunteered; the community will decide."),
    ("decide", "决定已保存。", "The decision is saved."),
    (
        "issue",
        "问题已提交，服务中心前台将转办或办结。",
        "The issue is raised; the front desk will forward or close it.",
    ),
    (
        "forwarded",
        "已转为服务案件，案件编号见该问题一行。",
        "It is now a service case; its number is on the issue's row.",
    ),
    ("closed", "问题已办结。", "The issue is closed."),
    ("pushed", "已登记。", "Recorded."),
    ("refused", "已拒绝并上报：该事项不再由社区承担。", "Refused and reported: the community no longer carries it."),
    // Lists and access
    ("applied", "准入申请已提交，审查结果见下。", "The application is in; its checks are below."),
    ("approval", "审批意见已记录。", "The approval is recorded."),
    ("draft", "清单草稿已创建。", "The list draft is created."),
    ("entry-added", "条目已添加。", "The entry is added."),
    ("entry-replaced", "条目已修改。", "The entry is changed."),
    ("entry-removed", "条目已删除。", "The entry is removed."),
    ("list-reviewed", "草稿已审核。", "The draft is reviewed."),
    ("list-published", "清单已发布。", "The list is published."),
    // Residents
    ("resident", "居民信息已保存。", "The resident is saved."),
    ("imported", "文件已导入，结果见下。", "The file is imported; the report is below."),
    // Resident-chosen projects
    ("proposed", "项目已提交，等待评审。", "Proposal submitted; it awaits review."),
    ("reviewed", "评审已记录。", "Review recorded."),
    ("advanced", "已进入下一阶段。", "The call moved on to its next phase."),
    ("voted", "投票成功，谢谢参与。", "Your ballot is cast. Thank you."),
    ("paper-ballot", "纸质选票已录入。", "Paper ballot entered."),
    ("milestone-added", "节点已添加。", "Milestone added."),
    ("milestone-done", "节点已完成。", "Milestone done."),
    ("call", "项目征集已创建。", "The call is created."),
    // Deliberation
    ("topic", "议题已提交。", "The topic is raised."),
    ("comment", "意见已发表。", "Your comment is posted."),
    ("meeting", "会议已安排。", "The meeting is scheduled."),
    ("attendance", "出席情况已登记。", "Attendance is recorded."),
    ("minutes", "会议纪要已保存。", "The minutes are saved."),
    ("resolution", "决议已记录。", "The resolution is recorded."),
    ("petition", "联名提议已提交。", "The petition is submitted."),
    ("followup", "跟进事项已登记。", "The follow-up is recorded."),
    ("done", "跟进事项已办结。", "The follow-up is done."),
    ("close", "议题已结束。", "The topic is closed."),
    // The committee between elections
    ("change", "撤换或补选已记录。", "The change is recorded."),
    ("covenant", "居民公约草案已保存。", "The covenant draft is saved."),
    ("file", "已报区备案。", "Filed with the district."),
    // Party building
    ("seat", "席位已安排。", "The seat is assigned."),
    ("representative", "代表已登记。", "The representative is recorded."),
    ("liaison", "联络员已绑定。", "The liaison is bound."),
    ("report", "报告已提交。", "The report is submitted."),
    ("evaluate", "评价已记录。", "The evaluation is recorded."),
    ("cadre", "干部评议已记录。", "The cadre review is recorded."),
    ("veto", "一票否决已记录。", "The veto is recorded."),
    ("end", "席位已结束。", "The seat has ended."),
    ("reply", "回复已提交。", "The reply is submitted."),
    ("review", "复核已记录。", "The review is recorded."),
    ("signed", "共建协议已登记，请添加承诺事项。", "The agreement is recorded; add its commitments."),
    ("commit", "承诺事项已添加。", "The commitment is added."),
    // Social organisations and purchases
    ("register", "社会组织已登记。", "The organisation is registered."),
    ("edit", "已修改。", "Changed."),
    ("member", "成员已添加。", "The member is added."),
    ("activity", "活动已记录。", "The activity is recorded."),
    ("account", "账号已关联。", "The account is bound."),
    ("settings", "设置已保存。", "The settings are saved."),
    ("open", "年检已开启。", "The inspection is open."),
    ("remind", "提醒已发出。", "The reminder is queued."),
    ("catalogue", "目录事项已保存。", "The catalogue item is saved."),
    ("budget", "预算已保存。", "The budget line is saved."),
    ("project", "购买项目已保存。", "The purchase project is saved."),
    ("apply", "申请已提交。", "The application is submitted."),
    ("contract", "合同已登记。", "The contract is recorded."),
    ("record", "服务记录已登记。", "The service record is recorded."),
    ("confirm", "服务记录已确认。", "The service record is confirmed."),
    ("pay", "付款已记录。", "The payment is recorded."),
    // Units, facilities, notifications
    ("unit", "驻区单位已保存。", "The unit is saved."),
    ("facility", "设施已保存。", "The facility is saved."),
    ("coverage", "覆盖率已重新计算。", "Coverage is computed again."),
    ("retried", "已重新排队发送。", "Queued to be sent again."),
    ("prefs", "通知偏好已保存。", "Your notification choices are saved."),
    ("template", "模板已保存。", "The template is saved."),
    // Elections
    ("sheet", "计票单已录入。", "The tally sheet is entered."),
    ("round", "该轮选举已保存。", "The round is saved."),
];

/// The message of `code`, if it is one of [`DONE`].
pub fn said(ctx: &Ctx, code: &str) -> Option<&'static str> {
    DONE.iter().find(|(c, ..)| *c == code).map(|(_, zh, en)| ctx.lang.t(zh, en))
}

/// The `done` code of the address this page was asked for.
fn code_of(path: &str) -> Option<&str> {
    let query = path.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|kv| kv.strip_prefix("done="))
}

/// What the last action did, if the address says so by a known code.
pub fn message(ctx: &Ctx) -> Option<&'static str> {
    said(ctx, code_of(&ctx.path)?)
}

/// `path` with `?done=<code>` (or `&done=`) before any `#fragment`; a code not in [`DONE`]
/// becomes `saved`, so every action says something true.
pub fn with_code(path: &str, code: &str) -> String {
    let code = if DONE.iter().any(|(c, ..)| *c == code) { code } else { "saved" };
    let (base, frag) = match path.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (path, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    match frag {
        Some(f) => format!("{base}{sep}done={code}#{f}"),
        None => format!("{base}{sep}done={code}"),
    }
}

/// After a successful action, go back (so a reload does not repeat it) and say what happened there.
pub fn redirect(path: &str, code: &str) -> Response {
    Redirect::to(&with_code(path, code)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(path: &str) -> Ctx {
        Ctx { lang: crate::i18n::Lang::Zh, principal: None, path: path.into(), invented: false }
    }

    #[test]
    fn only_known_codes_become_messages() {
        assert_eq!(message(&ctx("/pb/3?done=voted")), Some("投票成功，谢谢参与。"));
        assert_eq!(message(&ctx("/pb/3?done=%E6%82%A8%E7%9A%84%E8%B4%A6%E5%8F%B7")), None);
        assert_eq!(message(&ctx("/pb/3")), None);
        let en = Ctx { lang: crate::i18n::Lang::En, ..ctx("/x?a=1&done=saved") };
        assert_eq!(message(&en), Some("Saved."));
    }

    #[test]
    fn the_code_goes_before_the_fragment_and_unknown_codes_say_saved() {
        assert_eq!(with_code("/provider#dispatch-3", "arrived"), "/provider?done=arrived#dispatch-3");
        assert_eq!(with_code("/hotline?phone=1#case-2", "hotline"), "/hotline?phone=1&done=hotline#case-2");
        assert_eq!(with_code("/orgs", "no-such-form"), "/orgs?done=saved");
    }

    #[test]
    fn every_code_is_said_in_both_languages_once() {
        let mut seen = std::collections::HashSet::new();
        for (c, zh, en) in DONE {
            assert!(seen.insert(*c), "{c} twice");
            assert!(!zh.is_empty() && !en.is_empty() && !zh.chars().any(|ch| ch.is_ascii_alphabetic()), "{c}");
        }
    }
}
