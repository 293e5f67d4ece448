//! The four lists (public, versioned, with diffs), community access
//! applications (社区准入: a department files, the automatic checks cite their
//! rules, the city reviewer decides) and each community's tasks with the
//! right to refuse unapproved work.

use super::{Ctx, error_page, field, page};
use crate::AppState;
use crate::error::ApiError;
use crate::policy::{ACCESS_APPLICANTS, ACCESS_REVIEWERS, TASK_PUSHERS, TASK_REFUSERS};
use crate::scope::load;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lists::{CheckReport, Entry, ListKind, Outcome, Terms};
use maud::{Markup, html};
use store::budgeting::yuan;
use store::lists::{self as sl, AppRow, AppStatus, Decision, NewApplication, NewPush, Refusal};

fn msg(ctx: &Ctx, m: &lists::Msg) -> String {
    ctx.t(&m.zh, &m.en).to_string()
}

fn terms(ctx: &Ctx, e: &Entry) -> String {
    match &e.terms {
        Terms::Exit { scope } => match scope {
            lists::ExitScope::Always => ctx.t("一律取消", "cancelled outright").to_string(),
            lists::ExitScope::AsPrincipal => ctx.t("不再作为责任主体", "no longer as principal").to_string(),
        },
        Terms::Duty => ctx.t("居委会法定职责", "the committee's own duty").to_string(),
        Terms::Assistance(a) => format!(
            "{} {}{} · {}{}",
            ctx.t("经费标准", "funding"),
            yuan(a.standard_fen),
            ctx.t("元", " yuan"),
            msg(ctx, &a.basis.describe()),
            format_args!(" · {}", a.paying_department)
        ),
        Terms::Assessment(a) => format!(
            "{:?} · {}{} · {}{}",
            a.origin_level,
            ctx.t("每年最多", "max/year "),
            a.max_times_per_year,
            ctx.t("最长天数", "max days "),
            a.max_duration_days
        ),
    }
}

fn entries_table(ctx: &Ctx, entries: &[Entry]) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { (ctx.t("编号", "Code")) } th { (ctx.t("事项", "Item")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("依据", "Legal basis")) } th { (ctx.t("责任部门", "Department")) } th { (ctx.t("条件", "Terms")) } } }
            tbody { @for e in entries { tr {
                td { (e.code) } td { (e.title) } td { (e.item_type.zh()) } td { (e.legal_basis) } td { (e.department) } td { (terms(ctx, e)) }
            } } }
        } }
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    let lists = match sl::in_force(&state.db, store::clock::today()).await {
        Ok(l) => l,
        Err(e) => return error_page(&ctx, e.into()),
    };
    page(
        &ctx,
        ctx.t("社区四张清单", "The four community lists"),
        html! {
            h1 { (ctx.t("社区四张清单（现行）", "The four community lists (in force)")) }
            p.muted { (ctx.t("2014年铜陵社区“去行政化”：退出事务、履职、协助工作、考核准入四张清单；任何事项进入社区须经市级部门准入审批。",
                             "Tongling's 2014 de-administration: exit, duty, assistance and assessment-access lists; every affair entering a community needs the city's access approval.")) }
            @for k in ListKind::ALL {
                @let v = lists.list(k).version();
                h2 { a href={"/lists/" (sl::kind_code(k))} { (msg(&ctx, &k.name())) } }
                p.muted { (ctx.t("版本", "version")) " " (v.version()) " · " (ctx.t("生效", "effective")) " " (v.effective().map(|d| d.to_string()).unwrap_or_default()) " · " (v.note()) }
                (entries_table(&ctx, v.entries()))
            }
        },
    )
}

#[derive(serde::Deserialize, Default)]
pub struct DiffQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn kind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Response {
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    // Drafts are the city's work in progress: the public sees published versions.
    let rows: Vec<_> = match sl::versions(&state.db, Some(k)).await {
        Ok(r) => r.into_iter().filter(|r| r.status == store::lists::VersionStatus::Published).collect(),
        Err(e) => return error_page(&ctx, e.into()),
    };
    let diff = match (q.from, q.to) {
        (Some(a), Some(b)) => {
            let pair = async {
                let old = sl::version(&state.db, k, a).await?.parse()?;
                let new = sl::version(&state.db, k, b).await?.parse()?;
                Ok::<_, store::StoreError>(lists::diff(&old, &new))
            };
            match pair.await {
                Ok(d) => Some(d),
                Err(e) => return error_page(&ctx, e.into()),
            }
        }
        _ => None,
    };
    let name = msg(&ctx, &k.name());
    page(
        &ctx,
        &name,
        html! {
            h1 { (name) }
            form method="get" action={"/lists/" (kind)} {
                label for="from" { (ctx.t("比较版本", "Compare version")) }
                input id="from" name="from" type="number" value=[q.from];
                label for="to" { (ctx.t("与版本", "with version")) }
                input id="to" name="to" type="number" value=[q.to];
                button type="submit" { (ctx.t("比较", "Compare")) }
            }
            @if let Some(d) = &diff {
                h2 { (ctx.t("版本差异", "Differences")) }
                @if d.is_empty() { p { (ctx.t("两个版本没有差异。", "No differences.")) } }
                @if !d.added.is_empty() { h3 { (ctx.t("新增", "Added")) } (entries_table(&ctx, &d.added)) }
                @if !d.removed.is_empty() { h3 { (ctx.t("删除", "Removed")) } (entries_table(&ctx, &d.removed)) }
                @if !d.changed.is_empty() { h3 { (ctx.t("修改", "Changed")) }
                    ul { @for c in &d.changed { @for f in &c.fields { li { (c.code) " · " (f.field) ": " del { (f.old) } " → " ins { (f.new) } } } } }
                }
            }
            @for r in &rows {
                h2 { (ctx.t("版本", "Version")) " " (r.version) " · " span.tag { (r.status) } " · " (ctx.t("生效", "effective")) " " (r.effective_on.clone().unwrap_or_default()) }
                p.muted { (r.note) " · " a href={"/lists/" (kind) "/export.xlsx?version=" (r.version)} { (ctx.t("下载Excel表格", "Download as Excel")) } }
                @match r.parse() {
                    Ok(v) => (entries_table(&ctx, v.entries())),
                    Err(_) => p { "—" },
                }
            }
        },
    )
}

// ----- access ------------------------------------------------------------------------------

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
                td { (format!("{:?}", c.id)) }
                td { span class={"tag" (if c.outcome == Outcome::Fail { " error" } else if c.outcome == Outcome::Pass { " ok" } else { "" })} { (outcome_name(ctx, c.outcome)) } }
                td { (c.rule.id) " (" (c.rule.source) ")" br; span.muted { (msg(ctx, &c.rule.title)) } }
                td { (c.msg.zh) br; span.muted lang="en" { (c.msg.en) }
                    @for m in &c.matches { br; small { (m.code) " " (m.title) } } }
            } } }
        } }
    }
}

fn application_form(ctx: &Ctx, v: &NewApplication, err: Option<(&str, String)>) -> Markup {
    let e = |f: &str| err.as_ref().filter(|(ef, _)| *ef == f).map(|(_, m)| m.as_str());
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
        @if let Some((f, m)) = &err { div.flash.error role="alert" { (f) ": " (m) } }
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
            (field(ctx.t("涉及社区（all为全部，或社区代码，逗号分隔）", "Target communities (all, or codes separated by commas)"), "targets", &v.targets, e("targets"), "text"))
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
                td { span.tag { (status_name(ctx, a.status)) } } td { (super::when(&a.created_at)) }
            } } }
        } }
    }
}

async fn access_page(state: &AppState, ctx: &Ctx, form: Markup, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (_, d) = me.scope();
    let (apps, depts, coms) = match tokio::try_join!(
        sl::applications(&state.db, d.as_deref(), None),
        sl::department_burden(&state.db, d.as_deref()),
        sl::community_burden(&state.db, None, d.as_deref())
    ) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
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
            tbody { @for b in &coms { tr { td { (b.community_code) } td { (b.active_tasks) } td { (b.unapproved_active) } td { (b.refused) } } } }
        } }
    };
    (status, page(ctx, ctx.t("社区准入审批", "Community access approval"), body)).into_response()
}

pub async fn access(State(state): State<AppState>, ctx: Ctx) -> Response {
    let form = match ctx.principal.as_ref() {
        Some(me) if ACCESS_APPLICANTS.contains(&me.role) => {
            let v = NewApplication {
                department: me.department.clone().unwrap_or_default(),
                targets: "all".into(),
                duration_days: "365".into(),
                ..Default::default()
            };
            application_form(&ctx, &v, None)
        }
        _ => html! {},
    };
    access_page(&state, &ctx, form, StatusCode::OK).await
}

pub async fn file(State(state): State<AppState>, ctx: Ctx, Form(n): Form<NewApplication>) -> Response {
    let Some(me) = ctx.principal.clone() else { return error_page(&ctx, ApiError::Unauthenticated) };
    // A department typed into the request is ignored: the account says which department files.
    let mut n = n;
    n.department = me.department.clone().unwrap_or_default();
    let filed = match crate::policy::applicant(&me) {
        Ok(who) => sl::file(&state.db, &who, n.clone()).await,
        Err(ApiError::Invalid { field, msg }) => Err(store::StoreError::Invalid { field, msg }),
        Err(e) => return error_page(&ctx, e),
    };
    match filed {
        Ok(f) => Redirect::to(&format!("/access/{}", f.application.id)).into_response(),
        Err(store::StoreError::Invalid { field, msg }) => {
            let form = application_form(&ctx, &n, Some((&field, ctx.lang.msg(&msg))));
            access_page(&state, &ctx, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e.into()),
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let a = match load::<store::lists::AppRow>(&state, me, id).await {
        Ok(a) => a,
        Err(e) => return error_page(&ctx, e),
    };
    let (report, approval) = match tokio::try_join!(sl::report(&state.db, id), sl::approval(&state.db, id)) {
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
            p { span.tag #status { (status_name(&ctx, a.status)) } " · " (a.department) " · " (super::when(&a.created_at)) }
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
                ul { @for t in &f.transfers { li { (t.community) ": " (yuan(t.amount_fen)) (ctx.t("元", " yuan")) } } }
            }
            @if let Some(r) = &report {
                h2 { (ctx.t("自动检查结果", "Automatic checks")) " · " (format!("{:?}", r.verdict)) }
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
    if let Err(e) = load::<store::lists::AppRow>(&state, me, id).await {
        return error_page(&ctx, e);
    }
    match sl::decide(&state.db, &me.actor(), id, d).await {
        Ok(_) => Redirect::to(&format!("/access/{id}")).into_response(),
        Err(e) => error_page(&ctx, e.into()),
    }
}

// ----- tasks ---------------------------------------------------------------------------------

pub async fn tasks(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let rows = match sl::tasks(&state.db, c.as_deref(), d.as_deref()).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let refuser = TASK_REFUSERS.contains(&me.role);
    let pusher = TASK_PUSHERS.contains(&me.role);
    page(
        &ctx,
        ctx.t("社区工作事项", "Community tasks"),
        html! {
            h1 { (ctx.t("社区工作事项", "Community tasks")) }
            p.muted { (ctx.t("未经准入审批的工作事项，社区有权一键拒绝并上报（居组法第20条；民发〔2015〕136号）。",
                             "Work that reaches a community without an access approval can be refused in one click and reported.")) }
            div.table-wrap { table #tasks {
                thead { tr { th { "#" } th { (ctx.t("事项", "Task")) } th { (ctx.t("部门", "Department")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("准入编号", "Approval")) } th { (ctx.t("状态", "Status")) } th {} } }
                tbody { @for t in &rows { tr {
                    td { (t.id) } td { (t.title) } td { (t.department) } td { (t.community_code) }
                    td { @match &t.approval_number { Some(n) => span.tag.ok { (n) }, None => span.tag.error { (ctx.t("未经准入", "no approval")) } } }
                    td { @if t.status == store::lists::TaskStatus::Refused { (ctx.t("已拒绝", "refused")) } @else { (ctx.t("在办", "in force")) } }
                    td { @if refuser && t.refusable() {
                        form method="post" action={"/tasks/" (t.id) "/refuse"} { (ctx.csrf_field()) button type="submit" { (ctx.t("拒绝并上报", "Refuse and report")) } }
                    } }
                } } }
            } }
            @if pusher {
                h2 { (ctx.t("登记未经准入下派的事项", "Record work pushed without approval")) }
                form.stack method="post" action="/tasks" {
                    (ctx.csrf_field())
                    (field(ctx.t("社区代码", "Community code"), "community", "", None, "text"))
                    (field(ctx.t("部门", "Department"), "department", me.department.as_deref().unwrap_or_default(), None, "text"))
                    (field(ctx.t("事项", "Title"), "title", "", None, "text"))
                    button type="submit" { (ctx.t("登记", "Record")) }
                }
            }
        },
    )
}

pub async fn push(State(state): State<AppState>, ctx: Ctx, Form(n): Form<NewPush>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (_, d) = me.scope();
    match sl::record_push(&state.db, &me.actor(), d.as_deref(), n).await {
        Ok(_) => Redirect::to("/tasks").into_response(),
        Err(e) => error_page(&ctx, e.into()),
    }
}

pub async fn refuse(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, Form(r): Form<Refusal>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    if let Err(e) = load::<store::lists::TaskRow>(&state, me, id).await {
        return error_page(&ctx, e);
    }
    match sl::refuse(&state.db, &me.actor(), id, r).await {
        Ok(_) => Redirect::to("/tasks").into_response(),
        Err(e) => error_page(&ctx, e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct VersionQuery {
    version: Option<i64>,
}

/// A list version as XLSX (default: the newest version).
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Response {
    use axum::http::header;
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let r = async {
        let row = match q.version {
            Some(v) => sl::version(&state.db, k, v).await?,
            None => sl::versions(&state.db, Some(k))
                .await?
                .into_iter()
                .find(|r| r.status == store::lists::VersionStatus::Published)
                .ok_or(ApiError::NotFound)?,
        };
        let v = row.parse()?;
        let bytes = sl::version_xlsx(&v).map_err(ApiError::Internal)?;
        Ok::<_, ApiError>((row.version, bytes))
    }
    .await;
    match r {
        Ok((version, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"list-{kind}-v{version}.xlsx\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(&ctx, e),
    }
}

// ----- editing the lists (city civil affairs) ---------------------------------------------------

fn labeled(label: &str, input: Markup) -> Markup {
    html! { label { (label) " " (input) } }
}

fn draft_path(kind: &str, version: i64) -> String {
    format!("/lists/{kind}/drafts/{version}")
}

/// The entry form with the term fields of the list's kind.
fn entry_form(ctx: &Ctx, k: ListKind, action: &str, e: Option<&Entry>) -> Markup {
    let v = |f: &dyn Fn(&Entry) -> String| e.map(f).unwrap_or_default();
    let (std_yuan, basis, unit, payer) = match e.map(|e| &e.terms) {
        Some(Terms::Assistance(a)) => (
            yuan(a.standard_fen),
            match &a.basis {
                lists::FundingBasis::PerCommunityPerYear => "per_community_per_year".to_string(),
                lists::FundingBasis::PerUnit { .. } => "per_unit".to_string(),
            },
            match &a.basis {
                lists::FundingBasis::PerUnit { unit } => unit.clone(),
                _ => String::new(),
            },
            a.paying_department.clone(),
        ),
        _ => Default::default(),
    };
    let (origin, times, days, scope) = match e.map(|e| &e.terms) {
        Some(Terms::Assessment(a)) => (
            format!("{:?}", a.origin_level).to_lowercase(),
            a.max_times_per_year.to_string(),
            a.max_duration_days.to_string(),
            a.content_scope.join("、"),
        ),
        _ => Default::default(),
    };
    let item = e.map(|e| sl::item_type_code(e.item_type)).unwrap_or_default();
    html! {
        form method="post" action=(action) {
            (ctx.csrf_field())
            (labeled(ctx.t("编码", "Code"), html! { input name="code" required value=(v(&|e| e.code.clone())) readonly[e.is_some()]; }))
            (labeled(ctx.t("名称", "Title"), html! { input name="title" required value=(v(&|e| e.title.clone())); }))
            (labeled(ctx.t("依据", "Legal basis"), html! { input name="legal_basis" value=(v(&|e| e.legal_basis.clone())); }))
            (labeled(ctx.t("类型", "Item type"), html! { select name="item_type" {
                @for t in lists::ItemType::ALL { @let c = sl::item_type_code(t); option value=(c) selected[c == item] { (t.zh()) } }
            } }))
            (labeled(ctx.t("责任部门", "Department"), html! { input name="department" required value=(v(&|e| e.department.clone())); }))
            (labeled(ctx.t("来源", "Source"), html! { input name="source" value=(v(&|e| e.source.clone())); }))
            @match k {
                ListKind::Exit => {
                    (labeled(ctx.t("退出范围", "Exit scope"), html! { select name="exit_scope" {
                        option value="always" { (ctx.t("一律取消", "cancelled outright")) }
                        option value="as_principal" selected[matches!(e.map(|e| &e.terms), Some(Terms::Exit { scope: lists::ExitScope::AsPrincipal }))] { (ctx.t("不再作为责任主体", "no longer as principal")) }
                    } }))
                }
                ListKind::Duty => {}
                ListKind::Assistance => {
                    (labeled(ctx.t("经费标准（元）", "Funding standard (yuan)"), html! { input name="standard_yuan" required value=(std_yuan); }))
                    (labeled(ctx.t("计费方式", "Funding basis"), html! { select name="funding_basis" {
                        option value="per_community_per_year" { (ctx.t("每社区每年", "per community per year")) }
                        option value="per_unit" selected[basis == "per_unit"] { (ctx.t("每单位工作量", "per unit of work")) }
                    } }))
                    (labeled(ctx.t("计量单位", "Unit"), html! { input name="funding_unit" value=(unit); }))
                    (labeled(ctx.t("出资部门", "Paying department"), html! { input name="paying_department" required value=(payer); }))
                }
                ListKind::AssessmentAccess => {
                    (labeled(ctx.t("发起层级", "Originating level"), html! { select name="origin_level" {
                        option value="national" { (ctx.t("国家", "national")) }
                        option value="provincial" selected[origin == "provincial"] { (ctx.t("省", "provincial")) }
                    } }))
                    (labeled(ctx.t("每年最多次数", "Max times per year"), html! { input name="max_times_per_year" type="number" min="1" required value=(times); }))
                    (labeled(ctx.t("最长天数", "Max duration (days)"), html! { input name="max_duration_days" type="number" min="1" required value=(days); }))
                    (labeled(ctx.t("考核内容", "Content scope"), html! { input name="content_scope" value=(scope); }))
                }
            }
            button type="submit" { @if e.is_some() { (ctx.t("修改", "Replace")) } @else { (ctx.t("新增条目", "Add entry")) } }
        }
    }
}

/// Open drafts of a list, and opening a new one.
pub async fn drafts(State(state): State<AppState>, ctx: Ctx, Path(kind): Path<String>) -> Response {
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let rows = match sl::drafts(&state.db, k).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let name = msg(&ctx, &k.name());
    page(
        &ctx,
        &name,
        html! {
            h1 { (name) " · " (ctx.t("修订", "Revisions")) }
            p.muted { a href={"/lists/" (kind)} { (ctx.t("已发布的版本", "Published versions")) } }
            @if rows.is_empty() {
                form method="post" action={"/lists/" (kind) "/drafts"} { (ctx.csrf_field())
                    button type="submit" { (ctx.t("以现行版本为底稿起草新版本", "Draft a new version from the one in force")) } }
            }
            ul #drafts { @for r in &rows { li { a href=(draft_path(&kind, r.version)) { (ctx.t("第", "Version ")) (r.version) (ctx.t("版", "")) } " · " span.tag { (r.status) } } } }
        },
    )
}

pub async fn create_draft(State(state): State<AppState>, ctx: Ctx, Path(kind): Path<String>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    match sl::create_draft(&state.db, &me.actor(), k).await {
        Ok(r) => Redirect::to(&draft_path(&kind, r.version)).into_response(),
        Err(e) => error_page(&ctx, e.into()),
    }
}

pub async fn draft(State(state): State<AppState>, ctx: Ctx, Path((kind, version)): Path<(String, i64)>) -> Response {
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let v = match sl::version(&state.db, k, version).await.and_then(|r| r.parse()) {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let base = draft_path(&kind, version);
    let open = !v.is_published();
    let name = msg(&ctx, &k.name());
    page(
        &ctx,
        &name,
        html! {
            h1 { (name) " · " (ctx.t("第", "version ")) (version) (ctx.t("版", "")) }
            p.muted { span.tag #status { (sl::status_label(&v)) } " · "
                a href={"/lists/" (kind) "?from=" (version - 1) "&to=" (version)} { (ctx.t("与上一版比较", "Compare with the previous version")) } }
            div.table-wrap { table #entries {
                thead { tr { th { (ctx.t("编号", "Code")) } th { (ctx.t("事项", "Item")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("依据", "Legal basis")) } th { (ctx.t("责任部门", "Department")) } th { (ctx.t("条件", "Terms")) } th {} } }
                tbody { @for e in v.entries() { tr {
                    td { (e.code) } td { (e.title) } td { (e.item_type.zh()) } td { (e.legal_basis) } td { (e.department) } td { (terms(&ctx, e)) }
                    td { @if open {
                        details { summary { (ctx.t("修改", "Edit")) } (entry_form(&ctx, k, &format!("{base}/entries/{}", e.code), Some(e))) }
                        form method="post" action={(base) "/entries/" (e.code) "/remove"} { (ctx.csrf_field()) button type="submit" { (ctx.t("删除", "Remove")) } }
                    } }
                } } }
            } }
            @if open {
                h2 { (ctx.t("新增条目", "Add an entry")) }
                (entry_form(&ctx, k, &format!("{base}/entries"), None))
                h2 { (ctx.t("导入Excel", "Import from Excel")) }
                form method="post" action={(base) "/import"} enctype="multipart/form-data" {
                    (ctx.csrf_field())
                    input type="file" name="file" accept=".xlsx";
                    button type="submit" { (ctx.t("导入", "Import")) }
                }
                h2 { (ctx.t("审核与发布", "Review and publish")) }
                form method="post" action={(base) "/review"} { (ctx.csrf_field()) button type="submit" { (ctx.t("审核通过", "Mark reviewed")) } }
                form method="post" action={(base) "/publish"} {
                    (ctx.csrf_field())
                    (labeled(ctx.t("生效日期", "Effective date"), html! { input name="effective" type="date"; }))
                    button type="submit" { (ctx.t("发布", "Publish")) }
                }
            } @else {
                p { (ctx.t("该版本已发布，不可修改。", "This version is published and immutable.")) }
            }
        },
    )
}

async fn edit(
    state: &AppState,
    ctx: &Ctx,
    kind: &str,
    version: i64,
    edit: impl FnOnce(ListKind) -> Result<sl::VersionEdit, store::StoreError>,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let Some(k) = sl::parse_kind(kind) else { return error_page(ctx, ApiError::NotFound) };
    let r = async { sl::edit_version(&state.db, &me.actor(), k, version, edit(k)?).await };
    match r.await {
        Ok(_) => Redirect::to(&draft_path(kind, version)).into_response(),
        Err(e) => error_page(ctx, e.into()),
    }
}

pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    Form(f): Form<sl::EntryForm>,
) -> Response {
    edit(&state, &ctx, &kind, version, |k| Ok(sl::VersionEdit::Add(sl::parse_entry(k, &f)?))).await
}

pub async fn replace_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
    Form(mut f): Form<sl::EntryForm>,
) -> Response {
    f.code = code;
    edit(&state, &ctx, &kind, version, |k| Ok(sl::VersionEdit::Replace(sl::parse_entry(k, &f)?))).await
}

pub async fn remove_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
) -> Response {
    edit(&state, &ctx, &kind, version, |_| Ok(sl::VersionEdit::Remove(code))).await
}

pub async fn review(State(state): State<AppState>, ctx: Ctx, Path((kind, version)): Path<(String, i64)>) -> Response {
    edit(&state, &ctx, &kind, version, |_| Ok(sl::VersionEdit::Review)).await
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    Form(f): Form<sl::PublishForm>,
) -> Response {
    edit(&state, &ctx, &kind, version, |_| Ok(sl::VersionEdit::Publish(f.date()?))).await
}

/// Import entries from an uploaded XLSX; shows what was added and every
/// rejected row with its reason.
pub async fn import_entries(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    mp: axum::extract::Multipart,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let r = async {
        let (_, bytes, _) = super::residents::read_upload(mp).await?;
        Ok::<_, ApiError>(sl::import_entries(&state.db, &me.actor(), k, version, &bytes).await?)
    };
    let r = match r.await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e),
    };
    page(
        &ctx,
        ctx.t("导入结果", "Import result"),
        html! {
            h1 { (ctx.t("导入结果", "Import result")) }
            p #imported { (ctx.t("已导入", "Imported")) " " (r.imported.len()) " · " (ctx.t("未导入", "rejected")) " " (r.rejected.len()) }
            @if !r.rejected.is_empty() {
                div.table-wrap { table #rejected {
                    thead { tr { th { (ctx.t("行", "Row")) } th { (ctx.t("编号", "Code")) } th { (ctx.t("字段", "Field")) } th { (ctx.t("原因", "Reason")) } } }
                    tbody { @for x in &r.rejected { tr { td { (x.row) } td { (x.code) } td { (x.field) } td { (ctx.lang.msg(&x.msg)) } } } }
                } }
            }
            p { a href=(draft_path(&kind, version)) { (ctx.t("返回草稿", "Back to the draft")) } }
        },
    )
}
