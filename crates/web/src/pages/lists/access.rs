//! Community access applications (社区准入): filing with the automatic
//! checks, the city's review queue and decision, and the burden counts.

use super::msg;
use crate::AppState;
use crate::actions::lists as act;
use crate::error::ApiError;
use crate::pages::{Ctx, community_name, error_page, field, page};
use crate::policy::{ACCESS_APPLICANTS, ACCESS_REVIEWERS};
use crate::scope::load;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lists::{CheckReport, Outcome};
use maud::{Markup, html};
use store::budgeting::yuan;
use store::lists::{self as sl, AppRow, AppStatus, Decision, NewApplication};

fn status_name(ctx: &Ctx, s: AppStatus) -> &str {
    match s {
        AppStatus::Rejected => ctx.t("未通过", "rejected"),
        AppStatus::Approved => ctx.t("已准入", "approved"),
        AppStatus::Checking | AppStatus::Pending => ctx.t("待市级审核", "awaiting the city's review"),
    }
}

fn outcome_name(ctx: &Ctx, o: Outcome) -> &str {
    match o {
        Outcome::Pass => ctx.t("通过", "pass"),
        Outcome::Fail => ctx.t("不通过", "fail"),
        Outcome::Flag => ctx.t("需人工复核", "flagged"),
        Outcome::Waived => ctx.t("紧急豁免", "waived (emergency)"),
        Outcome::NotApplicable => ctx.t("不适用", "n/a"),
    }
}

pub fn report_table(ctx: &Ctx, r: &CheckReport) -> Markup {
    html! {
        div.table-wrap { table #report {
            thead { tr { th { (ctx.t("检查", "Check")) } th { (ctx.t("结果", "Outcome")) } th { (ctx.t("依据", "Rule")) } th { (ctx.t("说明", "Why")) } } }
            tbody { @for c in &r.checks { tr {
                td { (msg(ctx, &c.id.name())) }
                td { span class={"tag" (if c.outcome == Outcome::Fail { " error" } else if c.outcome == Outcome::Pass { " ok" } else { "" })} { (outcome_name(ctx, c.outcome)) } }
                td { (rule_id(ctx, &c.rule.id)) "（" (c.rule.source) "）" br; span.muted { (msg(ctx, &c.rule.title)) } }
                td { (msg(ctx, &c.msg))
                    @for m in &c.matches { br; small { (m.code) " " (m.title) } } }
            } } }
        } }
    }
}

/// A rule id as cited (`rules §3b`) with the word in the reader's language.
fn rule_id(ctx: &Ctx, id: &str) -> String {
    id.replace("rules ", ctx.t("规则", "rules "))
}

/// The filing form, with every field error of the last attempt beside its field.
fn application_form(ctx: &Ctx, v: &NewApplication, errs: &[(String, String)]) -> Markup {
    let e = |f: &str| errs.iter().find(|(ef, _)| ef == f).map(|(_, m)| m.as_str());
    let kinds: [(&str, &str); 8] = [
        ("work_task", "工作任务"),
        ("ledger_report", "台账报表"),
        ("survey", "调查统计"),
        ("inspection", "专项检查"),
        ("assessment", "考核评比"),
        ("certificate", "证明事项"),
        ("plaque", "挂牌"),
        ("organization", "组织机构"),
    ];
    html! {
        h2 { (ctx.t("提交社区准入申请", "File an access application")) }
        @if !errs.is_empty() { div.flash.error role="alert" { (ctx.t("请修改标出的字段：", "Please correct the marked fields: ")) @for (i, (_, m)) in errs.iter().enumerate() { @if i > 0 { "；" } (m) } } }
        form.stack method="post" action="/access" {
            (ctx.csrf_field())
            // The department is the account's, never typed in (see policy::applicant).
            p #applicant { (ctx.t("申请部门：", "Department: ")) strong { (v.department) } }
            @if let Some(m) = e("department") { div.field-error { (m) } }
            label for="kind" { (ctx.t("事项类型", "Item type")) }
            select id="kind" name="kind" { @for (k, zh) in kinds { option value=(k) selected[v.kind == k] { (zh) } } }
            @if let Some(m) = e("kind") { div.field-error { (m) } }
            (field(ctx.t("事项名称", "Title"), "title", &v.title, e("title"), "text"))
            (field(ctx.t("事项说明", "Description"), "description", &v.description, e("description"), "text"))
            (field(ctx.t("法律依据", "Legal basis"), "legal_basis", &v.legal_basis, e("legal_basis"), "text"))
            (field(ctx.t("对应清单事项编号（如AS-001）", "List entry code (e.g. AS-001)"), "claimed_entry", &v.claimed_entry, e("claimed_entry"), "text"))
            (field(ctx.t("涉及社区（填“全部”，或社区名称，逗号分隔，如：天井湖社区，映湖社区）", "Target communities (全部 for all, or community names or codes separated by commas)"), "targets", &v.targets, e("targets"), "text"))
            (field(ctx.t("期限（天）", "Duration (days)"), "duration_days", &v.duration_days, e("duration_days"), "number"))
            (field(ctx.t("工作量说明", "Workload"), "workload", &v.workload, e("workload"), "text"))
            (field(ctx.t("每社区工作量（单位数）", "Units of work per community"), "units", &v.units, e("units"), "number"))
            (field(ctx.t("随事经费（元）", "Funding (yuan)"), "funding_yuan", &v.funding_yuan, e("funding_yuan"), "text"))
            label for="funding_basis" { (ctx.t("经费计算方式", "Funding basis")) }
            select id="funding_basis" name="funding_basis" {
                option value="per_community_per_year" { (ctx.t("每社区每年", "per community per year")) }
                option value="per_unit" selected[v.funding_basis == "per_unit"] { (ctx.t("每单位工作量", "per unit of work")) }
            }
            (field(ctx.t("计量单位（按工作量时）", "Unit (per-unit funding)"), "funding_unit", &v.funding_unit, e("funding_unit"), "text"))
            (field(ctx.t("出资部门", "Paying department"), "paying_department", &v.paying_department, e("paying_department"), "text"))
            label.choice { input type="checkbox" name="community_as_principal" value="true" checked[v.community_as_principal]; span { (ctx.t("由社区作为责任主体", "the community would be the responsible principal")) } }
            label for="duty_holder" { (ctx.t("法定责任主体", "Statutory duty holder")) }
            select id="duty_holder" name="duty_holder" {
                option value="government" { (ctx.t("政府及其部门", "government body")) }
                option value="residents_committee" selected[v.duty_holder == "residents_committee"] { (ctx.t("居委会", "residents' committee")) }
            }
            h3 { (ctx.t("考核评比（仅考核类）", "Assessment (assessments only)")) }
            label for="assessment_origin" { (ctx.t("发起层级", "Originating level")) }
            select id="assessment_origin" name="assessment_origin" {
                option value="" { "—" }
                @for (k, zh) in [("national", "国家"), ("provincial", "省"), ("municipal", "市"), ("district", "区")] { option value=(k) selected[v.assessment_origin == k] { (zh) } }
            }
            @if let Some(m) = e("assessment_origin") { div.field-error { (m) } }
            (field(ctx.t("考核天数", "Assessment days"), "assessment_days", &v.assessment_days, e("assessment_days"), "number"))
            label.choice { input type="checkbox" name="assessment_alone" value="true" checked[v.assessment_alone]; span { (ctx.t("部门单独组织", "run by the department alone")) } }
            label.choice { input type="checkbox" name="assessment_veto" value="true" checked[v.assessment_veto]; span { (ctx.t("含一票否决", "has a one-vote veto")) } }
            (field(ctx.t("考核内容（逗号分隔）", "Content (comma-separated)"), "assessment_content", &v.assessment_content, e("assessment_content"), "text"))
            p { button type="submit" { (ctx.t("提交并自动检查", "File and run the checks")) } }
        }
    }
}

fn apps_table(ctx: &Ctx, apps: &[AppRow]) -> Markup {
    html! {
        div.table-wrap { table #applications {
            thead { tr { th { "#" } th { (ctx.t("事项", "Item")) } th { (ctx.t("部门", "Department")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("提交时间", "Filed")) } } }
            tbody { @for a in apps { tr {
                td { a href={"/access/" (a.id)} { (sl::app_code(a.id)) } } td { (a.title) } td { (a.department) }
                td { span.tag { (status_name(ctx, a.status)) } } td { (crate::pages::when(&a.created_at)) }
            } } }
        } }
    }
}

async fn access_page(state: &AppState, ctx: &Ctx, form: Markup, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (apps, depts, coms) = match act::access_overview(state, me).await {
        Ok(o) => (o.applications, o.departments, o.communities),
        Err(e) => return error_page(ctx, e),
    };
    let names = store::structure::community_names(&state.db).await.unwrap_or_default();
    let reviewer = ACCESS_REVIEWERS.contains(&me.role);
    let pending: Vec<AppRow> = apps.iter().filter(|a| a.status == AppStatus::Pending).cloned().collect();
    let body = html! {
        h1 { (ctx.t("社区准入审批", "Community access approval")) }
        p.muted { (ctx.t("任何事项进入社区须经市级部门准入审批；自动检查逐条引用依据。", "Every affair entering a community needs the city's access approval; each automatic check cites its rule.")) }
        @if reviewer { h2 { (ctx.t("待审核", "Pending review")) " (" (pending.len()) ")" } (apps_table(ctx, &pending)) }
        h2 { (ctx.t("全部申请", "All applications")) }
        (apps_table(ctx, &apps))
        (form)
        h2 { (ctx.t("减负：各部门", "Burden: per department")) }
        div.table-wrap { table #burden-departments {
            thead { tr { th { (ctx.t("部门", "Department")) } th { (ctx.t("申请", "Applications")) } th { (ctx.t("未通过", "Rejected")) } th { (ctx.t("已准入", "Approved")) } th { (ctx.t("被社区拒绝", "Refused by communities")) } } }
            tbody { @for b in &depts { tr { td { (b.department) } td { (b.applications) } td { (b.rejected) } td { (b.approved) } td { (b.refused_pushes) } } } }
        } }
        h2 { (ctx.t("减负：各社区", "Burden: per community")) }
        div.table-wrap { table #burden-communities {
            thead { tr { th { (ctx.t("社区", "Community")) } th { (ctx.t("在办事项", "Tasks in force")) } th { (ctx.t("其中未经准入", "of which unapproved")) } th { (ctx.t("已拒绝", "Refused")) } } }
            tbody { @for b in &coms { tr { td { (community_name(&names, &b.community_code)) } td { (b.active_tasks) } td { (b.unapproved_active) } td { (b.refused) } } } }
        } }
    };
    (status, page(ctx, ctx.t("社区准入审批", "Community access approval"), body)).into_response()
}

pub async fn access(State(state): State<AppState>, ctx: Ctx) -> Response {
    let form = match ctx.principal.as_ref() {
        Some(me) if ACCESS_APPLICANTS.contains(&me.role) => {
            let v = NewApplication {
                department: me.department.clone().unwrap_or_default(),
                targets: "全部".into(),
                duration_days: "365".into(),
                ..Default::default()
            };
            application_form(&ctx, &v, &[])
        }
        _ => html! {},
    };
    access_page(&state, &ctx, form, StatusCode::OK).await
}

pub async fn file(State(state): State<AppState>, ctx: Ctx, Form(n): Form<NewApplication>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    match act::file(&state, me, n.clone()).await {
        Ok(f) => crate::pages::done::redirect(&format!("/access/{}", f.application.id), "applied"),
        Err(e @ (ApiError::Invalid { .. } | ApiError::Fields(_))) => {
            // What was typed comes back, with the account's department and each error beside its field.
            let n = NewApplication { department: me.department.clone().unwrap_or_default(), ..n };
            let errs: Vec<(String, String)> =
                e.field_errors().into_iter().map(|(f, m)| (f.to_string(), ctx.lang.msg(m))).collect();
            let form = application_form(&ctx, &n, &errs);
            access_page(&state, &ctx, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let a = match load::<store::lists::AppRow>(&state, me, id).await {
        Ok(a) => a,
        Err(e) => return error_page(&ctx, e),
    };
    let (report, approval, names) = match tokio::try_join!(
        sl::report(&state.db, id),
        sl::approval(&state.db, id),
        store::structure::community_names(&state.db)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let data = a.application().ok();
    let funding = approval.as_ref().and_then(sl::funding_plan);
    let reviewer = ACCESS_REVIEWERS.contains(&me.role) && a.status == AppStatus::Pending;
    page(
        &ctx,
        &a.title,
        html! {
            h1 { (sl::app_code(a.id)) " · " (a.title) }
            p { span.tag #status { (status_name(&ctx, a.status)) } " · " (a.department) " · " (crate::pages::when(&a.created_at)) }
            @if let Some(d) = &data {
                p { (d.description) } p.muted { (ctx.t("法律依据：", "Legal basis: ")) (d.legal_basis) }
                @if let Some(f) = &d.funding { p { (ctx.t("随事经费：", "Funding: ")) (yuan(f.amount_fen)) (ctx.t("元 ", " yuan ")) (msg(&ctx, &f.basis.describe())) " · " (f.paying_department) } }
            }
            @if !a.decision_reason.is_empty() { p { (ctx.t("审核意见：", "Reviewer's note: ")) (a.decision_reason) } }
            @if let Some(ap) = &approval {
                p #approval { (ctx.t("准入审批编号：", "Approval number: ")) strong { (ap.number) } " · " (ap.approved_on) @if let Some(e) = &ap.expires_on { " – " (e) } }
            }
            @if let Some(f) = &funding {
                h2 { (ctx.t("费随事转：各社区应拨经费", "Funding owed to each community")) }
                p.muted { (msg(&ctx, &f.memo)) }
                ul { @for t in &f.transfers { li { (community_name(&names, &t.community)) ": " (yuan(t.amount_fen)) (ctx.t("元", " yuan")) } } }
            }
            @if let Some(r) = &report {
                h2 { (ctx.t("自动检查结果", "Automatic checks")) " · " span #verdict { (msg(&ctx, &r.verdict.name())) } }
                (report_table(&ctx, r))
            }
            @if reviewer {
                h2 { (ctx.t("市级审核", "City review")) }
                form.stack method="post" action={"/access/" (a.id) "/decide"} {
                    (ctx.csrf_field())
                    input type="hidden" name="decision" value="approve";
                    (field(ctx.t("准入审批编号", "Approval number"), "number", "", None, "text"))
                    (field(ctx.t("有效期至", "In force until"), "expires", "", None, "date"))
                    button type="submit" { (ctx.t("批准准入", "Approve")) }
                }
                form.stack method="post" action={"/access/" (a.id) "/decide"} {
                    (ctx.csrf_field())
                    input type="hidden" name="decision" value="reject";
                    (field(ctx.t("驳回理由", "Reason"), "reason", "", None, "text"))
                    button type="submit" { (ctx.t("驳回", "Reject")) }
                }
            }
        },
    )
}

pub async fn decide(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, Form(d): Form<Decision>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    match act::decide(&state, me, id, d).await {
        Ok(_) => crate::pages::done::redirect(&format!("/access/{id}"), "approval"),
        Err(e) => error_page(&ctx, e),
    }
}
