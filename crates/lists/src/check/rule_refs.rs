//! The rule sources cited by the checks (see the table in [`crate::check`](mod@crate::check)).

use crate::model::RuleRef;
const S2015: &str = "民发〔2015〕136号";
pub fn access_list() -> RuleRef {
    RuleRef::new(
        "rules §3.1",
        S2015,
        "以市为单位制定社区工作事项清单,实行社区工作准入制度",
        "city-level work-item list and access system",
    )
}
pub fn no_transfer() -> RuleRef {
    RuleRef::new(
        "rules §3.2",
        S2015,
        "政府及其职能部门职责范围内的事项,不得转嫁给社区",
        "government duties must not be transferred to communities",
    )
}
pub fn funding() -> RuleRef {
    RuleRef::new(
        "rules §3.3",
        "民发〔2015〕136号; 铜陵 权随责走、费随事转",
        "社区协助事项应当提供必要的经费和工作条件",
        "assistance work must come with funding and working conditions",
    )
}
pub fn exit() -> RuleRef {
    RuleRef::new(
        "rules §3.4",
        "民发〔2015〕136号; 铜陵 2014 社区退出事务清单",
        "社区退出事务一律取消",
        "items on the exit list are cancelled",
    )
}
pub fn assessment() -> RuleRef {
    RuleRef::new(
        "rules §3.5",
        S2015,
        "各职能部门不再单独组织考核评比,取消对社区的一票否决",
        "no stand-alone department assessments and no one-vote veto against communities",
    )
}
pub fn tongling_assessment() -> RuleRef {
    RuleRef::new(
        "铜陵 2014 考核准入",
        "原文 §二.2；规则§3（次数、天数上限可配置）",
        "除省级以上政府要求的考核外一律取消,并限定时间、次数、内容",
        "only assessments required by provincial or higher governments remain, limited in time, count and content",
    )
}
pub fn emergency() -> RuleRef {
    RuleRef::new(
        "rules §3b",
        "张家口 社区准入",
        "应急事项可不经准入,但须标注并设定期限",
        "emergency items may bypass access but carry a tag and an expiry",
    )
}
pub fn review() -> RuleRef {
    RuleRef::new(
        "rules §3b",
        "二七区/张家口 准入审批",
        "准入申请须说明依据,审查可行性与合理性",
        "an access application states its basis; review checks feasibility and reasonableness",
    )
}
pub fn certificate() -> RuleRef {
    RuleRef::new(
        "rules §3c(i)",
        "咸宁/肇庆 证明事项负面清单（示例）",
        "负面清单上的证明事项不得要求社区出具",
        "certificates on the negative list must not be required of communities",
    )
}
pub fn refusal() -> RuleRef {
    RuleRef::new(
        "rules §1.16; §3b",
        "居组法第二十条; 二七区 办法; 宁夏",
        "未经审批准入的工作事项,居委会有权拒绝执行",
        "the residents' committee may refuse work not admitted by approval",
    )
}
