//! A selected project being carried out: milestones, spending against its
//! budget line, and residents' rating once every milestone is done.

use super::{Did, back_to, command};
use crate::AppState;
use crate::actions::pb::{self as act, Evaluation, Parsed};
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, form_pairs, page};
use crate::policy::{PB_ORGANISERS, PB_VOTERS};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use store::budgeting::yuan;

pub async fn project(State(state): State<AppState>, ctx: Ctx, Path(pid): Path<i64>) -> Response {
    project_with(&state, &ctx, pid, None, StatusCode::OK).await
}

async fn project_with(
    state: &AppState,
    ctx: &Ctx,
    pid: i64,
    flash: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let x = match act::project(state, me, pid).await {
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

/// Back to the project after an action: with what it did, or with why it was refused (422).
async fn after_project(state: &AppState, ctx: &Ctx, pid: i64, r: Result<Did, ApiError>) -> Response {
    match r {
        Ok(did) => back_to(&format!("/pb/projects/{pid}"), did),
        Err(ApiError::Invalid { msg, .. }) => {
            project_with(state, ctx, pid, Some((false, ctx.lang.msg(&msg))), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn add_milestone(State(state): State<AppState>, ctx: Ctx, Path(pid): Path<i64>, body: String) -> Response {
    let r = async {
        act::add_milestone(&state, ctx.me()?, pid, command(&body)).await?;
        Ok(Did::MilestoneAdded)
    }
    .await;
    after_project(&state, &ctx, pid, r).await
}

pub async fn complete_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(mid): Path<i64>,
    body: String,
) -> Response {
    let me = match ctx.me() {
        Ok(me) => me,
        Err(e) => return error_page(&ctx, e),
    };
    let pid = match act::project_of_milestone(&state, me, mid).await {
        Ok(p) => p,
        Err(e) => return error_page(&ctx, e),
    };
    let r = async {
        act::complete_milestone(&state, me, mid, command(&body)).await?;
        Ok(Did::MilestoneDone)
    }
    .await;
    after_project(&state, &ctx, pid, r).await
}

/// The rating form as the command: a rating that is no number is the field's 422.
fn evaluation(body: &str) -> Parsed<Evaluation> {
    let pairs = form_pairs(body);
    let value = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    let rating = value("rating")
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| ApiError::invalid("rating", "评分为1–5", "the rating is 1 to 5"))?;
    Ok(Evaluation { rating, comment: value("comment").unwrap_or_default().to_string() })
}

pub async fn evaluate(State(state): State<AppState>, ctx: Ctx, Path(pid): Path<i64>, body: String) -> Response {
    let r = async {
        act::evaluate(&state, ctx.me()?, pid, evaluation(&body)).await?;
        Ok(Did::Rated)
    }
    .await;
    after_project(&state, &ctx, pid, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_form_reads_the_rating_or_names_it() {
        let e = evaluation("csrf=x&rating=4&comment=%E5%A5%BD").unwrap();
        assert_eq!((e.rating, e.comment.as_str()), (4, "好"));
        for bad in ["rating=four", "comment=x", "rating="] {
            assert!(matches!(evaluation(bad), Err(ApiError::Invalid { field, .. }) if field == "rating"), "{bad}");
        }
    }
}
