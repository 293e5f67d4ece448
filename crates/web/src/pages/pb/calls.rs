//! Calls for projects: the list, opening a call, a call's page (proposals,
//! review, tally, result), proposing, reviewing, and moving a call on.

use super::{Did, RULES, back_to, command, phase_name, rule_name};
use crate::AppState;
use crate::actions::pb::{self as act, CallView, NewCall};
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, field, page};
use crate::policy::{PB_ORGANISERS, PB_PROPOSERS};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::budgeting::{self as bg, Phase, ProjectStatus, yuan};

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let (calls, names) = match tokio::try_join!(
        bg::calls(&state.db, c.as_deref(), d.as_deref()),
        store::structure::community_names(&state.db)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let organiser = PB_ORGANISERS.contains(&me.role);
    page(
        &ctx,
        ctx.t("社区服务项目", "Community service projects"),
        html! {
            h1 { (ctx.t("社区服务项目（居民提出、评审、投票决定）", "Community service projects (proposed, reviewed and chosen by residents)")) }
            p.muted { (ctx.t("2014年起铜陵所有社区服务项目由群众提出，通过评选决定实施；铜官山区评选出14个精品项目，投入83万元。",
                             "Since 2014 every community service project in Tongling is proposed by residents and chosen by evaluation; Tongguanshan district chose 14 projects and funded them with 830,000 yuan.")) " " (crate::pages::from_source(&ctx)) }
            div.table-wrap { table {
                thead { tr { th { (ctx.t("名称", "Call")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("预算（元）", "Budget (yuan)")) } th { (ctx.t("阶段", "Phase")) } th { (ctx.t("规则", "Rule")) } } }
                tbody { @for c in &calls { tr {
                    td { a href={"/pb/" (c.id)} { (c.title) } } td { (crate::pages::community_name(&names, &c.community_code)) } td { (yuan(c.budget_fen)) }
                    td { span.tag { (phase_name(&ctx, c.phase)) } } td { (rule_name(&ctx, &c.rule)) }
                } } }
            } }
            @if organiser { (call_form(&ctx, &NewCall::default(), None)) }
        },
    )
}

fn call_form(ctx: &Ctx, v: &NewCall, err: Option<(&str, String)>) -> Markup {
    let e = |f: &str| err.as_ref().filter(|(ef, _)| *ef == f).map(|(_, m)| m.as_str());
    html! {
        h2 { (ctx.t("发起项目征集", "Open a call for projects")) }
        form.stack method="post" action="/pb" {
            (ctx.csrf_field())
            (field(ctx.t("名称", "Title"), "title", &v.title, e("title"), "text"))
            (field(ctx.t("总预算（元）", "Budget (yuan)"), "budget", &v.budget, e("budget"), "text"))
            label for="ballot_kind" { (ctx.t("投票方式", "Ballot")) }
            select id="ballot_kind" name="ballot_kind" {
                option value="approval" { (ctx.t("赞成票（可选多项）", "Approval (tick several)")) }
                option value="cumulative" selected[v.ballot_kind == "cumulative"] { (ctx.t("累积票（分配票数）", "Cumulative (spread points)")) }
            }
            (field(ctx.t("最少选择项目数", "Minimum choices"), "min_choices", v.min_choices.as_deref().unwrap_or(""), e("min_choices"), "number"))
            (field(ctx.t("最多选择项目数（空为不限）", "Maximum choices (empty: no limit)"), "max_choices", v.max_choices.as_deref().unwrap_or(""), e("max_choices"), "number"))
            (field(ctx.t("所选项目总预算上限（元，空为不限）", "Cost limit of a ballot (yuan, empty: none)"), "max_cost", v.max_cost.as_deref().unwrap_or(""), e("max_cost"), "text"))
            (field(ctx.t("累积票：每人可分配票数", "Cumulative: points per voter"), "points", v.points.as_deref().unwrap_or(""), e("points"), "number"))
            label for="rule" { (ctx.t("选择规则", "Selection rule")) }
            select id="rule" name="rule" {
                @for (r, zh, en) in RULES { option value=(r) selected[v.rule == *r] { (ctx.t(zh, en)) } }
            }
            @if let Some(m) = e("rule") { div.field-error { (m) } }
            label for="tie_break" { (ctx.t("平票时", "On a tie")) }
            select id="tie_break" name="tie_break" {
                option value="id" { (ctx.t("项目编号小者优先（与通用参与式预算工具的做法相同）", "smaller project id first (as pabutools)")) }
                option value="cost" selected[v.tie_break == "cost"] { (ctx.t("预算低者优先，其次得票多者", "lower cost first, then more votes")) }
            }
            (field(ctx.t("征集截止日期", "Proposals close on"), "proposals_until", v.proposals_until.as_deref().unwrap_or(""), e("proposals_until"), "date"))
            (field(ctx.t("投票截止日期", "Voting closes on"), "voting_until", v.voting_until.as_deref().unwrap_or(""), e("voting_until"), "date"))
            p { button type="submit" { (ctx.t("发起", "Open the call")) } }
        }
    }
}

pub async fn create_call(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let n: NewCall = match command(&body) {
        Ok(n) => n,
        Err(e) => return call_form_failed(&ctx, &NewCall::default(), e),
    };
    match act::open_call(&state, me, n.clone()).await {
        Ok(c) => super::super::done::redirect(&format!("/pb/{}", c.id), "call"),
        Err(e) => call_form_failed(&ctx, &n, e),
    }
}

/// The call form again with its error beside the field (422), or the error's page.
fn call_form_failed(ctx: &Ctx, n: &NewCall, e: ApiError) -> Response {
    match e {
        ApiError::Invalid { field, msg } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(ctx, ctx.t("发起项目征集", "Open a call"), call_form(ctx, n, Some((&field, ctx.lang.msg(&msg))))),
        )
            .into_response(),
        e => error_page(ctx, e),
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    show_with(&state, &ctx, id, None, StatusCode::OK).await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    flash: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let CallView { call: c, projects, tally, result: outcome } = match act::call(state, me, id).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let lines = match bg::budget_lines(&state.db, &c.community_code).await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let organiser = PB_ORGANISERS.contains(&me.role);
    let cumulative = c.ballot_kind == pb::VoteType::Cumulative;
    let ballots = super::voting::ballot_forms(state, ctx, me, &c, &projects).await;
    let status_name = |s: ProjectStatus| match s {
        ProjectStatus::Approved => ctx.t("通过评审", "approved"),
        ProjectStatus::Rejected => ctx.t("未通过", "rejected"),
        ProjectStatus::Proposed => ctx.t("待评审", "awaiting review"),
    };
    let body = html! {
        h1 { (c.title) }
        p { span.tag { (phase_name(ctx, c.phase)) } " " (ctx.t("总预算", "Budget")) " " strong { (yuan(c.budget_fen)) } (ctx.t("元", " yuan")) " · " (ctx.t("规则", "rule")) " " (rule_name(ctx, &c.rule)) " · "
            (ctx.t("已投票", "ballots")) " " (tally.ballots) " (" (ctx.t("网上", "web")) " " (tally.web) " / " (ctx.t("纸质", "paper")) " " (tally.paper) ")" }
        p.muted {
            @if let Some(d) = &c.proposals_until { (ctx.t("征集截止", "proposals close")) " " (d) " · " }
            @if let Some(d) = &c.voting_until { (ctx.t("投票截止", "voting closes")) " " (d) " · " }
            (ctx.t("平票规则：", "tie-break: ")) (if c.tie_break == "cost" { ctx.t("预算低者优先", "lower cost first") } else { ctx.t("项目编号小者优先", "smaller project id first") })
        }
        @if let Some((ok, msg)) = &flash { div class={"flash " (if *ok { "ok" } else { "error" })} role="alert" { (msg) } }
        @if let Some(o) = &outcome {
            h2 { (ctx.t("结果与说明", "Result and why")) }
            div.table-wrap { table #results {
                thead { tr { th { (ctx.t("项目", "Project")) } th { (ctx.t("预算（元）", "Cost (yuan)")) } th { (ctx.t("得票", "Votes")) } th { (ctx.t("结果", "Outcome")) } th { (ctx.t("说明", "Why")) } } }
                tbody { @for e in &o.explanations { tr {
                    td { (e.name) } td { (yuan(e.cost as i64)) } td { (e.votes) }
                    td { @if e.selected { span.tag.ok { (ctx.t("入选", "funded")) } } @else { span.tag { (ctx.t("未入选", "not funded")) } } }
                    td { (summary(ctx, e)) @if !e.reason.zh.is_empty() { br; span.muted { (ctx.t(&e.reason.zh, &e.reason.en)) } } }
                } } }
            } }
            h2 { (ctx.t("预算科目", "Budget lines")) }
            ul { @for l in lines.iter().filter(|l| l.source == "pb_project" && projects.iter().any(|p| p.id == l.source_id)) {
                li { (l.title) " — " (yuan(l.amount_fen)) (ctx.t("元", " yuan")) }
            } }
        }
        h2 { (ctx.t("项目", "Projects")) " (" (projects.len()) ")" }
        div.table-wrap { table #projects {
            thead { tr { th { (ctx.t("项目", "Project")) } th { (ctx.t("类别", "Category")) } th { (ctx.t("地点", "Where")) } th { (ctx.t("预算（元）", "Cost (yuan)")) } th { (ctx.t("评审", "Review")) } th { (ctx.t("得票", "Votes")) } } }
            tbody { @for p in &projects { tr {
                td { strong { @if p.selected == 1 { a href={"/pb/projects/" (p.id)} { (p.title) } } @else { (p.title) } } br; span.muted { (p.description) } }
                td { (p.category) } td { (p.location) }
                td { (yuan(p.cost_fen)) @if p.cost_fen != p.proposed_cost_fen { br; span.muted { (ctx.t("原申报", "proposed")) " " (yuan(p.proposed_cost_fen)) } } }
                td { (status_name(p.status)) @if let Some(s) = p.review_score { " · " (s) (ctx.t("分", " pts")) } @if !p.review_note.is_empty() { br; span.muted { (p.review_note) } }
                    @if organiser && c.phase == Phase::Review {
                        form.inline method="post" action={"/pb/projects/" (p.id) "/review"} {
                            (ctx.csrf_field())
                            select name="decision" aria-label=(ctx.t("评审结论", "Decision")) { option value="approve" { (ctx.t("通过", "approve")) } option value="reject" { (ctx.t("不通过", "reject")) } }
                            input name="score" type="number" min="0" max="100" placeholder=(ctx.t("评分", "score")) style="width:5rem";
                            input name="cost" placeholder=(ctx.t("调整预算（元）", "adjusted cost")) style="width:8rem";
                            input name="note" placeholder=(ctx.t("理由", "reason"));
                            button type="submit" { (ctx.t("评审", "Review")) }
                        }
                    }
                }
                td { (tally.per_project.get(&p.id).map(|t| if cumulative { t.1 } else { t.0 }).unwrap_or(0)) }
            } } }
        } }
        @if c.phase == Phase::Proposals && PB_PROPOSERS.contains(&me.role) {
            h2 { (ctx.t("提出项目", "Propose a project")) }
            form.stack method="post" action={"/pb/" (c.id) "/projects"} {
                (ctx.csrf_field())
                (field(ctx.t("项目名称", "Title"), "title", "", None, "text"))
                label for="description" { (ctx.t("说明", "Description")) } textarea id="description" name="description" rows="3" {}
                (field(ctx.t("类别", "Category"), "category", "", None, "text"))
                (field(ctx.t("地点", "Location"), "location", "", None, "text"))
                (field(ctx.t("预算（元）", "Cost (yuan)"), "cost", "", None, "text"))
                p { button type="submit" { (ctx.t("提交", "Submit")) } }
            }
        }
        (ballots)
        @if organiser && c.phase != Phase::Closed {
            form method="post" action={"/pb/" (c.id) "/advance"} style="margin-top:1.5rem" {
                (ctx.csrf_field())
                // Closing the vote cannot be undone: no ballot is taken after it, whatever the deadline.
                @if c.phase == Phase::Voting {
                    input type="hidden" name="closing" value="1";
                    (crate::pages::finance_books::confirm_box(ctx, "advance-confirm", "我确认结束投票：结束后不能再投票，结果随即计算", "I confirm the vote closes: no more ballots, and the result is computed now"))
                    " "
                }
                button type="submit" { @match c.phase {
                    Phase::Proposals => (ctx.t("结束征集，开始评审", "Close proposals, start review")),
                    Phase::Review => (ctx.t("开始投票", "Open voting")),
                    _ => (ctx.t("结束投票并计算结果", "Close voting and compute the result")),
                } }
            }
        }
    };
    (status, page(ctx, &c.title, body)).into_response()
}

/// A one-line account of a project's fate in the reader's language; the
/// engine's detailed reasoning (`pb::Explanation::reason`, zh and en) follows it.
fn summary(ctx: &Ctx, e: &pb::Explanation) -> String {
    let cost = yuan(e.cost as i64);
    match (e.selected, e.round) {
        (true, Some(r)) => format!(
            "{}{r}{}{}{}{}{}",
            ctx.t("第", "Funded in round "),
            ctx.t("轮入选：", ": "),
            e.votes,
            ctx.t("票，预算", " votes, cost "),
            cost,
            ctx.t("元", " yuan")
        ),
        (true, None) => format!(
            "{}{}{}{}{}",
            ctx.t("入选：", "Funded: "),
            e.votes,
            ctx.t("票，预算", " votes, cost "),
            cost,
            ctx.t("元", " yuan")
        ),
        (false, _) => format!(
            "{}{}{}{}{}",
            ctx.t("未入选：", "Not funded: "),
            e.votes,
            ctx.t("票，预算", " votes, cost "),
            cost,
            ctx.t(
                "元；剩余资金或支持者的份额不足以支付",
                " yuan; what was left, or its supporters' shares, could not pay for it"
            )
        ),
    }
}

/// Back to the call after an action: with what it did, or with why it was refused (422).
pub(super) async fn after(state: &AppState, ctx: &Ctx, id: i64, r: Result<Did, ApiError>) -> Response {
    match r {
        Ok(did) => back_to(&format!("/pb/{id}"), did),
        Err(ApiError::Invalid { msg, .. }) => {
            show_with(state, ctx, id, Some((false, ctx.lang.msg(&msg))), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn propose(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        act::propose(&state, ctx.me()?, id, command(&body)).await?;
        Ok(Did::Proposed)
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn advance(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        let pairs = crate::pages::form_pairs(&body);
        if crate::pages::form::value(&pairs, "closing") == "1" {
            crate::scope::load::<bg::Call>(&state, ctx.me()?, id).await?;
            crate::pages::finance_books::confirmed(&pairs)?;
        }
        act::advance(&state, ctx.me()?, id).await?;
        Ok(Did::Advanced)
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn review(State(state): State<AppState>, ctx: Ctx, Path(pid): Path<i64>, body: String) -> Response {
    let me = match ctx.me() {
        Ok(me) => me,
        Err(e) => return error_page(&ctx, e),
    };
    let call_id = match act::call_of_project(&state, me, pid).await {
        Ok(c) => c,
        Err(e) => return error_page(&ctx, e),
    };
    let r = async {
        act::review(&state, me, pid, command(&body)).await?;
        Ok(Did::Reviewed)
    }
    .await;
    after(&state, &ctx, call_id, r).await
}
