//! The audit log in words: each action and kind of record an audit entry
//! names (`store::audit::record`), in the reader's language.

use super::Ctx;

/// What an audit action did; an action not listed here shows as 其他操作
/// (the page keeps the code in a title for the auditor).
pub fn action(ctx: &Ctx, code: &str) -> String {
    let (zh, en) = match code {
        "access.approve" => ("批准社区准入", "approved an access application"),
        "access.file" => ("提交社区准入申请", "filed an access application"),
        "access.reject" => ("驳回社区准入申请", "rejected an access application"),
        "body.set_members" => ("登记组织成员", "recorded a body's members"),
        "case.attach" => ("上传案件附件", "attached a file to a case"),
        "case.create" => ("受理服务案件", "opened a case"),
        "case.escalate" => ("督办升级", "escalated a case"),
        "case.event" => ("办理案件", "worked on a case"),
        "case.item.add" => ("新增服务事项", "added a service item"),
        "case.items.adopt" => ("采用服务事项", "adopted service items"),
        "case.items.adopt_all" => ("采用全部服务事项", "adopted all service items"),
        "case.link" => ("关联案件", "linked cases"),
        "committee.set" => ("登记居委会成员", "recorded the residents' committee"),
        "committee.remove" => {
            ("依居民会议决定撤换居委会成员", "removed a committee member on a residents' meeting decision")
        }
        "committee.by_election" => {
            ("依居民会议决定补选居委会成员", "by-elected a committee member on a residents' meeting decision")
        }
        "covenant.draft" => ("起草居民公约", "drafted a residents' covenant"),
        "covenant.decide" => ("居民公约关联居民会议决定", "linked a covenant's residents' meeting decision"),
        "covenant.file" => ("居民公约报区备案，生效", "filed a covenant with the district: in effect"),
        "community.area" => ("设定社区范围", "set a community's area"),
        "delib.comment.create" => ("发表议题意见", "commented on a topic"),
        "delib.followup.create" => ("登记议事跟进事项", "recorded a follow-up"),
        "delib.followup.done" => ("完成议事跟进事项", "completed a follow-up"),
        "delib.meeting.attendance" => ("登记会议出席", "recorded attendance"),
        "delib.meeting.create" => ("召集会议", "called a meeting"),
        "delib.meeting.minutes" => ("记录会议纪要", "recorded minutes"),
        "delib.petition.record" => ("登记提议召开居民会议", "recorded a petition"),
        "delib.resolution.vote" => ("登记表决结果", "recorded a vote"),
        "delib.topic.close" => ("结束议题", "closed a topic"),
        "delib.topic.create" => ("提出议题", "raised a topic"),
        "dispatch.accept" => ("服务商接单", "provider accepted a dispatch"),
        "dispatch.arrive" => ("服务商到场", "provider arrived"),
        "dispatch.complete" => ("服务商完成服务", "provider completed a dispatch"),
        "dispatch.decline" => ("服务商拒单", "provider declined a dispatch"),
        "dispatch.offer" => ("派单", "dispatched to a provider"),
        "finance.allocate" => ("拨付经费", "allocated funds"),
        "finance.claim.approve" => ("审批报销", "approved a claim"),
        "finance.claim.file" => ("提交报销", "filed a claim"),
        "finance.claim.pay" => ("支付报销", "paid a claim"),
        "finance.claim.reject" => ("驳回报销", "rejected a claim"),
        "finance.claim.voucher" => ("上传报销凭证", "attached a voucher"),
        "finance.close" => ("结账", "closed a period"),
        "finance.reverse" => ("冲销凭证", "reversed an entry"),
        "finance.settings" => ("修改财务设置", "changed the finance settings"),
        "finance.transfer" => ("资金调拨", "transferred funds"),
        "lists.draft.create" => ("起草清单新版本", "drafted a list version"),
        "lists.entry.add" => ("新增清单条目", "added a list entry"),
        "lists.entry.import" => ("导入清单条目", "imported list entries"),
        "lists.entry.remove" => ("删除清单条目", "removed a list entry"),
        "lists.entry.replace" => ("修改清单条目", "changed a list entry"),
        "lists.version.publish" => ("发布清单版本", "published a list version"),
        "lists.version.review" => ("审核清单版本", "reviewed a list version"),
        "lists.version.save" => ("保存清单版本", "saved a list version"),
        "open311.client.add" => ("登记接口应用", "registered an API client"),
        "open311.client.revoke" => ("停用接口应用", "revoked an API client"),
        "open311.triage.queue" => ("网上诉求待分派", "queued an online request"),
        "open311.triage.route" => ("分派网上诉求", "routed an online request"),
        "pb.ballot.cast" => ("投票", "cast a ballot"),
        "pb.call.advance" => ("推进项目征集阶段", "advanced a call"),
        "pb.call.create" => ("发起项目征集", "opened a call"),
        "pb.call.import" => ("导入项目征集", "imported a call"),
        "pb.evaluation" => ("项目评估", "evaluated a project"),
        "pb.milestone.add" => ("新增项目进度节点", "added a milestone"),
        "pb.milestone.complete" => ("完成项目进度节点", "completed a milestone"),
        "pb.project.propose" => ("提出项目", "proposed a project"),
        "pb.project.review" => ("评审项目", "reviewed a project"),
        "provider.active" => ("启用或停用服务商", "activated or deactivated a provider"),
        "provider.add" => ("登记服务商", "registered a provider"),
        "provider.link_user" => ("关联服务商账号", "linked a provider's account"),
        "resident.reveal_id" => ("查看完整身份证号", "revealed a full ID number"),
        "resident.search_full_id" => ("按完整身份证号查询", "searched by full ID number"),
        "resident.search_full_id_refused" => ("按完整身份证号查询被拒", "refused a full-ID search"),
        "residents.export" => ("导出居民信息", "exported residents"),
        "residents.import" => ("导入居民信息", "imported residents"),
        "session.login" => ("登录", "logged in"),
        "session.login_failed" => ("登录失败", "failed log-in"),
        "session.login_throttled" => ("登录过于频繁被限制", "log-in throttled"),
        "session.logout" => ("退出登录", "logged out"),
        "steward.decide" => ("审批楼栋管家", "decided on a steward"),
        "steward.issue.raise" => ("管家上报问题", "steward raised an issue"),
        "steward.issue.status" => ("更新管家上报问题", "updated a steward's issue"),
        "steward.volunteer" => ("报名楼栋管家", "volunteered as steward"),
        "structure.seed" => ("建立城市组织结构", "seeded the city's structure"),
        "tasks.push" => ("下派社区事项", "pushed a task"),
        "tasks.refuse" => ("社区拒绝事项", "community refused a task"),
        "unit.add" => ("登记驻区单位", "registered a resident unit"),
        "user.add" => ("新增账号", "added an account"),
        "user.department" => ("设定账号所属部门", "set an account's department"),
        "user.link_resident" => ("关联居民账号", "linked a resident's account"),
        "user.refused_unknown_role" => ("拒绝未知角色", "refused an unknown role"),
        _ => ("其他操作", "other action"),
    };
    ctx.t(zh, en).to_string()
}

/// The kind of record an entry names.
pub fn entity(ctx: &Ctx, code: &str) -> String {
    let (zh, en) = match code {
        "access_application" => ("准入申请", "access application"),
        "body" => ("组织", "body"),
        "case" => ("服务案件", "case"),
        "city" => ("全市", "city"),
        "community" => ("社区", "community"),
        "community_task" => ("社区事项", "community task"),
        "delib_followup" => ("议事跟进事项", "follow-up"),
        "delib_meeting" => ("会议", "meeting"),
        "delib_resolution" => ("表决", "resolution"),
        "delib_topic" => ("议题", "topic"),
        "delib_comment" => ("议题意见", "comment"),
        "delib_petition" => ("提议", "petition"),
        "dispatch" => ("派单", "dispatch"),
        "fin_claim" => ("报销", "claim"),
        "fin_transaction" => ("记账凭证", "transaction"),
        "import_run" => ("导入批次", "import"),
        "list_version" => ("清单版本", "list version"),
        "open311_client" => ("接口应用", "API client"),
        "pb_ballot" => ("选票", "ballot"),
        "pb_call" => ("项目征集", "call"),
        "pb_project" => ("项目", "project"),
        "provider" => ("服务商", "provider"),
        "resident" => ("居民", "resident"),
        "service_item" => ("服务事项", "service item"),
        "steward" => ("楼栋管家", "steward"),
        "steward_issue" => ("管家上报问题", "steward issue"),
        "unit" => ("驻区单位", "resident unit"),
        "user" => ("账号", "account"),
        _ => ("记录", "record"),
    };
    ctx.t(zh, en).to_string()
}

/// Who acted: `username#id` as the account's display name when known,
/// the system's own entries (`setup`, `system`, `demo`) in words.
pub fn actor(ctx: &Ctx, actor: &str, names: &std::collections::HashMap<String, String>) -> String {
    let user = actor.split('#').next().unwrap_or(actor);
    match (names.get(user), user) {
        (Some(n), _) => n.clone(),
        (None, "setup" | "system") => ctx.t("系统", "the system").to_string(),
        (None, "demo") => ctx.t("演示数据", "demo data").to_string(),
        (None, u) => u.to_string(),
    }
}
