//! Community service projects chosen by residents (项目化管理): a call moves
//! through proposals → feasibility review → voting → closed; closing runs
//! the call's rule and shows why each project won or lost.

use super::{Ctx, error_page, field, form_pairs, page};
use crate::AppState;
use crate::error::ApiError;
use crate::policy::{PB_CLERKS, PB_ORGANISERS, PB_PROPOSERS, PB_VOTERS};
use crate::scope::load;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use store::budgeting::{self as bg, Call, NewCall, NewProject, Phase, ProjectStatus, Review, yuan};

fn phase_name(ctx: &Ctx, phase: Phase) -> String {
    match phase {
        Phase::Proposals => ctx.t("征集项目", "Proposals"),
        Phase::Review => ctx.t("可行性评审", "Feasibility review"),
        Phase::Voting => ctx.t("居民投票", "Voting"),
        Phase::Closed => ctx.t("已结束", "Closed"),
    }
    .to_string()
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let calls = match bg::calls(&state.db, c.as_deref(), d.as_deref()).await {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let organiser = PB_ORGANISERS.contains(&me.role);
    page(
        &ctx,
        ctx.t("社区服务项目", "Community service projects"),
        html! {
            h1 { (ctx.t("社区服务项目（居民提出、评审、投票决定）", "Community service projects (proposed, reviewed and chosen by residents)")) }
            p.muted { (ctx.t("2014年起铜陵所有社区服务项目由群众提出，通过评选决定实施；铜官山区评选出14个精品项目，投入83万元（据原文）。",
                             "Since 2014 every community service project in Tongling is proposed by residents and chosen by evaluation; Tongguanshan district chose 14 projects and funded them with 830,000 yuan (per the source article).")) }
            div.table-wrap { table {
                thead { tr { th { (ctx.t("名称", "Call")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("预算（元）", "Budget (yuan)")) } th { (ctx.t("阶段", "Phase")) } th { (ctx.t("规则", "Rule")) } } }
                tbody { @for c in &calls { tr {
                    td { a href={"/pb/" (c.id)} { (c.title) } } td { (c.community_code) } td { (yuan(c.budget_fen)) }
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
                option value="id" { (ctx.t("项目编号小者优先（与pabutools一致）", "smaller project id first (as pabutools)")) }
                option value="cost" selected[v.tie_break == "cost"] { (ctx.t("预算低者优先，其次得票多者", "lower cost first, then more votes")) }
            }
            (field(ctx.t("征集截止日期", "Proposals close on"), "proposals_until", v.proposals_until.as_deref().unwrap_or(""), e("proposals_until"), "date"))
            (field(ctx.t("投票截止日期", "Voting closes on"), "voting_until", v.voting_until.as_deref().unwrap_or(""), e("voting_until"), "date"))
            p { button type="submit" { (ctx.t("发起", "Open the call")) } }
        }
    }
}

const RULES: &[(&str, &str, &str)] = &[
    ("mes-add1-greedy", "均等份额法（Equal Shares，补足后贪心）", "Method of Equal Shares (Add1, then greedy)"),
    ("mes", "均等份额法（不补足）", "Method of Equal Shares (no completion)"),
    ("greedy", "按票数从高到低（放不下则跳过）", "Greedy by votes (skip what does not fit)"),
    ("greedy-no-skip", "按票数从高到低（放不下即停止）", "Greedy by votes (stop at the first that does not fit)"),
    ("phragmen", "序贯Phragmén法", "Sequential Phragmén"),
];

pub async fn create_call(State(state): State<AppState>, ctx: Ctx, Form(n): Form<NewCall>) -> Response {
    let Some(me) = ctx.principal.clone() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let Some(community) = me.community.clone() else { return error_page(&ctx, ApiError::Forbidden) };
    match bg::create_call(&state.db, &me.actor(), &community, n.clone()).await {
        Ok(c) => Redirect::to(&format!("/pb/{}", c.id)).into_response(),
        Err(store::StoreError::Invalid { field, msg }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&ctx, ctx.t("发起项目征集", "Open a call"), call_form(&ctx, &n, Some((&field, ctx.lang.msg(&msg))))),
        )
            .into_response(),
        Err(e) => error_page(&ctx, e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, Query(d): Query<Done>) -> Response {
    show_with(&state, &ctx, id, d.done.map(|m| (true, m)), StatusCode::OK).await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    flash: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let c = match load::<store::budgeting::Call>(state, me, id).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, e),
    };
    let (projects, tally, outcome, lines) = match tokio::try_join!(
        bg::projects(&state.db, id),
        bg::tally(&state.db, id),
        bg::result(&state.db, id),
        bg::budget_lines(&state.db, &c.community_code)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let organiser = PB_ORGANISERS.contains(&me.role);
    let cumulative = c.ballot_kind == pb::VoteType::Cumulative;
    // A resident who has voted sees when, not the ballot again.
    let voted_at = match bg::web_voter(&state.db, me.user_id, &c.community_code).await {
        Ok(ix) if PB_VOTERS.contains(&me.role) => bg::ballot_cast_at(&state.db, id, &ix).await.ok().flatten(),
        _ => None,
    };
    let status_name = |s: ProjectStatus| match s {
        ProjectStatus::Approved => ctx.t("通过评审", "approved"),
        ProjectStatus::Rejected => ctx.t("未通过", "rejected"),
        ProjectStatus::Proposed => ctx.t("待评审", "awaiting review"),
    };
    let ballot_choices = |prefix: &str| {
        html! {
            @for p in projects.iter().filter(|p| p.status == ProjectStatus::Approved) {
                div {
                    @if cumulative {
                        label.choice { input type="number" min="0" name={"pts_" (p.id)} value="0" style="width:5rem" id={(prefix) "pts_" (p.id)}; span { (p.title) " · " (yuan(p.cost_fen)) (ctx.t("元", " yuan")) } }
                    } @else {
                        label.choice { input type="checkbox" name="p" value=(p.id) id={(prefix) "p_" (p.id)}; span { (p.title) " · " (yuan(p.cost_fen)) (ctx.t("元", " yuan")) } }
                    }
                }
            }
        }
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
                    td { (summary(ctx, e)) br; span.muted lang="en" { (e.reason) } }
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
        @if let Some(at) = &voted_at {
            div.flash.ok { (ctx.t("您已于", "You voted on ")) (super::when(at)) (ctx.t(" 投票，谢谢参与。", ". Thank you.")) }
        } @else if c.phase == Phase::Voting && PB_VOTERS.contains(&me.role) {
            h2 { (ctx.t("投票", "Vote")) }
            p.muted { (ballot_rules(ctx, &c)) }
            form.stack method="post" action={"/pb/" (c.id) "/ballots"} { (ctx.csrf_field()) (ballot_choices("w")) p { button type="submit" { (ctx.t("投票", "Cast my ballot")) } } }
        }
        @if c.phase == Phase::Voting && PB_CLERKS.contains(&me.role) {
            h2 { (ctx.t("录入纸质选票", "Enter a paper ballot")) }
            p.muted { (ballot_rules(ctx, &c)) }
            form.stack method="post" action={"/pb/" (c.id) "/paper-ballots"} {
                (ctx.csrf_field())
                (field(ctx.t("投票人身份证号", "Voter's citizen ID number"), "id_number", "", None, "text"))
                (ballot_choices("q"))
                p { button type="submit" { (ctx.t("录入", "Enter")) } }
            }
        }
        @if organiser && c.phase != Phase::Closed {
            form method="post" action={"/pb/" (c.id) "/advance"} style="margin-top:1.5rem" {
                (ctx.csrf_field())
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
/// engine's detailed reasoning (English) follows it.
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

fn rule_name(ctx: &Ctx, rule: &str) -> String {
    RULES
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map(|(_, zh, en)| ctx.t(zh, en).to_string())
        .unwrap_or_else(|| rule.to_string())
}

fn ballot_rules(ctx: &Ctx, c: &Call) -> String {
    let mut s = Vec::new();
    if c.min_choices > 0 {
        s.push(format!("{}{}", ctx.t("至少选", "at least "), c.min_choices));
    }
    if let Some(m) = c.max_choices {
        s.push(format!("{}{}", ctx.t("最多选", "at most "), m));
    }
    if let Some(m) = c.max_cost_fen {
        s.push(format!("{}{}{}", ctx.t("总预算不超过", "total cost at most "), yuan(m), ctx.t("元", " yuan")));
    }
    if let Some(p) = c.points {
        s.push(format!("{}{}", ctx.t("可分配票数", "points to spread: "), p));
    }
    if s.is_empty() {
        ctx.t("可选任意多个项目", "tick as many as you like").to_string()
    } else {
        s.join(" · ")
    }
}

/// (project id, points) from a ballot form: checkboxes `p` or point fields `pts_<id>`.
pub fn choices(pairs: &[(String, String)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        if k == "p" {
            if let Ok(id) = v.parse() {
                out.push((id, 1));
            }
        } else if let Some(id) = k.strip_prefix("pts_").and_then(|x| x.parse().ok())
            && let Ok(n) = v.trim().parse::<i64>()
            && n != 0
        {
            out.push((id, n));
        }
    }
    out
}

/// After a successful action, go back to the page (so a reload does not repeat the action) and
/// say what happened there.
fn back_to(path: &str, msg: &str) -> Response {
    Redirect::to(&format!("{path}?done={}", super::urlencode(msg))).into_response()
}

async fn after(state: &AppState, ctx: &Ctx, id: i64, r: Result<String, ApiError>) -> Response {
    match r {
        Ok(msg) => back_to(&format!("/pb/{id}"), &msg),
        Err(ApiError::Invalid { msg, .. }) => {
            show_with(state, ctx, id, Some((false, ctx.lang.msg(&msg))), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(n): Form<NewProject>,
) -> Response {
    let r = async {
        let me = ctx.me()?;
        load::<store::budgeting::Call>(&state, me, id).await?;
        bg::propose(&state.db, &me.actor(), id, n).await?;
        Ok(ctx.t("项目已提交，等待评审", "Proposal submitted; it awaits review").to_string())
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn advance(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        let me = ctx.me()?;
        load::<store::budgeting::Call>(&state, me, id).await?;
        let c = bg::advance(&state.db, &me.actor(), id).await?;
        Ok(phase_name(&ctx, c.phase))
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn vote(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        let me = ctx.me()?;
        let c = load::<store::budgeting::Call>(&state, me, id).await?;
        let voter = bg::web_voter(&state.db, me.user_id, &c.community_code).await?;
        bg::vote(&state.db, &me.actor(), id, &voter, "web", &choices(&form_pairs(&body))).await?;
        Ok(ctx.t("投票成功，谢谢参与", "Your ballot is cast. Thank you").to_string())
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn paper_vote(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        let me = ctx.me()?;
        let c = load::<store::budgeting::Call>(&state, me, id).await?;
        let pairs = form_pairs(&body);
        let idn = pairs.iter().find(|(k, _)| k == "id_number").map(|(_, v)| v.clone()).unwrap_or_default();
        let voter = bg::paper_voter(&state.db, &c.community_code, &idn).await?;
        bg::vote(&state.db, &me.actor(), id, &voter, "paper", &choices(&pairs)).await?;
        Ok(ctx.t("纸质选票已录入", "Paper ballot entered").to_string())
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn review(State(state): State<AppState>, ctx: Ctx, Path(pid): Path<i64>, Form(r): Form<Review>) -> Response {
    let call_id: i64 = match call_of_project(&state, pid).await {
        Ok(c) => c,
        Err(e) => return error_page(&ctx, e),
    };
    let res = async {
        let me = ctx.me()?;
        load::<store::budgeting::Call>(&state, me, call_id).await?;
        bg::review(&state.db, &me.actor(), pid, r).await?;
        Ok(ctx.t("评审已记录", "Review recorded").to_string())
    }
    .await;
    after(&state, &ctx, call_id, res).await
}

/// The call a project belongs to.
pub async fn call_of_project(state: &AppState, project_id: i64) -> Result<i64, ApiError> {
    Ok(bg::project(&state.db, project_id).await?.call_id)
}

/// A selected project being carried out: milestones, spending against its
/// budget line, and residents' evaluation at the end.
pub async fn project(State(state): State<AppState>, ctx: Ctx, Path(pid): Path<i64>, Query(d): Query<Done>) -> Response {
    project_with(&state, &ctx, pid, d.done.map(|m| (true, m)), StatusCode::OK).await
}

async fn project_with(
    state: &AppState,
    ctx: &Ctx,
    pid: i64,
    flash: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let x = match load::<bg::Execution>(state, me, pid).await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let organiser = PB_ORGANISERS.contains(&me.role);
    let finished = !x.milestones.is_empty() && x.milestones.iter().all(|m| m.done_on.is_some());
    let body = html! {
        h1 { (x.project.title) }
        p { a href={"/pb/" (x.project.call_id)} { (ctx.t("← 返回本次征集", "← Back to the call")) } }
        @if let Some((ok, msg)) = &flash { div class={"flash " (if *ok { "ok" } else { "error" })} role="alert" { (msg) } }
        @if x.project.selected != 1 { p { span.tag { (ctx.t("未入选项目，不进入实施", "Not selected: not carried out")) } } }
        div.grid {
            div.card { div.muted { (ctx.t("预算", "Budget")) } div.stat { (yuan(x.budget_fen)) } }
            div.card { div.muted { (ctx.t("已支出", "Spent")) } div.stat { (yuan(x.spent_fen)) } }
            div.card { div.muted { (ctx.t("剩余", "Left")) } div.stat #left { (yuan(x.budget_fen - x.spent_fen)) } }
            div.card { div.muted { (ctx.t("居民评价", "Residents' rating")) } div.stat {
                @match x.rating_x100 { Some(r) => { (format!("{}.{:02}", r / 100, r % 100)) " / 5" } None => "—" }
            } div.muted { (x.evaluations) " " (ctx.t("人评价", "ratings")) } }
        }
        h2 { (ctx.t("实施节点", "Milestones")) }
        ul { @for m in &x.milestones { li {
            (m.title) " · " (ctx.t("计划", "due")) " " (m.due_on) " · "
            @match &m.done_on {
                Some(d) => { span.tag.ok { (ctx.t("已完成", "done")) " " (d) } @if !m.note.is_empty() { " " span.muted { (m.note) } } }
                None => {
                    span.tag.warn { (ctx.t("进行中", "open")) }
                    @if organiser { form.inline method="post" action={"/pb/milestones/" (m.id) "/complete"} style="display:inline-flex;margin:0 0 0 .5rem" {
                        (ctx.csrf_field()) input name="note" placeholder=(ctx.t("完成说明", "note")); button type="submit" { (ctx.t("标记完成", "Mark done")) }
                    } }
                }
            }
        } } }
        @if organiser && x.project.selected == 1 {
            form.inline method="post" action={"/pb/projects/" (x.project.id) "/milestones"} {
                (ctx.csrf_field())
                div { label for="m_title" { (ctx.t("节点", "Milestone")) } br; input id="m_title" name="title"; }
                div { label for="due_on" { (ctx.t("计划日期", "Due")) } br; input id="due_on" name="due_on" type="date"; }
                button type="submit" { (ctx.t("添加节点", "Add")) }
            }
        }
        h2 { (ctx.t("支出", "Spending")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("日期", "Date")) } th { (ctx.t("收款方", "Payee")) } th { (ctx.t("用途", "Purpose")) } th { (ctx.t("金额（元）", "Amount (yuan)")) } } }
            tbody { @for s in &x.spending { tr { td { (s.spent_on) } td { (s.payee) } td { (s.purpose) } td { (yuan(s.amount_fen)) } } } }
        } }
        @if x.project.selected == 1 {
            p.muted { (ctx.t("项目资金在社区账户中单独核算：区财政拨付到本项目专户后，按报账制支出（报账时选择本项目资金），支出自动记入此处。",
                             "The project's money is kept in its own restricted account: once the district allocates it, spending goes through reimbursement claims drawn on this project's fund and appears here.")) " "
                a href="/finance" { (ctx.t("去报账", "File a claim")) } }
        }
        @if finished && PB_VOTERS.contains(&me.role) {
            h2 { (ctx.t("评价这个项目", "Rate this project")) }
            form.inline method="post" action={"/pb/projects/" (x.project.id) "/evaluations"} {
                (ctx.csrf_field())
                div { label for="rating" { (ctx.t("评分（1–5）", "Rating (1–5)")) } br;
                    select id="rating" name="rating" { @for r in (1..=5).rev() { option value=(r) { (r) } } } }
                div { label for="comment" { (ctx.t("意见", "Comment")) } br; input id="comment" name="comment"; }
                button type="submit" { (ctx.t("提交评价", "Submit")) }
            }
        }
    };
    (status, page(ctx, &x.project.title, body)).into_response()
}

async fn after_project(state: &AppState, ctx: &Ctx, pid: i64, r: Result<String, ApiError>) -> Response {
    match r {
        Ok(msg) => back_to(&format!("/pb/projects/{pid}"), &msg),
        Err(ApiError::Invalid { msg, .. }) => {
            project_with(state, ctx, pid, Some((false, ctx.lang.msg(&msg))), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    Form(m): Form<bg::NewMilestone>,
) -> Response {
    let r = async {
        let me = ctx.me()?;
        load::<store::budgeting::Project>(&state, me, pid).await?;
        bg::add_milestone(&state.db, &me.actor(), pid, m).await?;
        Ok(ctx.t("节点已添加", "Milestone added").to_string())
    }
    .await;
    after_project(&state, &ctx, pid, r).await
}

#[derive(serde::Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn complete_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(mid): Path<i64>,
    Form(f): Form<NoteForm>,
) -> Response {
    let me = match ctx.me() {
        Ok(m) => m.clone(),
        Err(e) => return error_page(&ctx, e),
    };
    let pid = match load::<crate::scope::Milestone>(&state, &me, mid).await {
        Ok(m) => m.project.id,
        Err(e) => return error_page(&ctx, e),
    };
    let r = async {
        bg::complete_milestone(&state.db, &me.actor(), mid, &f.note).await?;
        Ok(ctx.t("节点已完成", "Milestone done").to_string())
    }
    .await;
    after_project(&state, &ctx, pid, r).await
}

#[derive(serde::Deserialize)]
pub struct EvaluationForm {
    rating: String,
    #[serde(default)]
    comment: String,
}

pub async fn evaluate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    Form(f): Form<EvaluationForm>,
) -> Response {
    let r = async {
        let me = ctx.me()?;
        let p = load::<store::budgeting::Project>(&state, me, pid).await?;
        let voter = bg::web_voter(&state.db, me.user_id, &p.community_code).await?;
        let rating =
            f.rating.trim().parse().map_err(|_| ApiError::invalid("rating", "评分为1–5", "the rating is 1 to 5"))?;
        bg::evaluate(&state.db, &me.actor(), pid, &voter, rating, &f.comment).await?;
        Ok(ctx.t("谢谢您的评价", "Thank you for your rating").to_string())
    }
    .await;
    after_project(&state, &ctx, pid, r).await
}
