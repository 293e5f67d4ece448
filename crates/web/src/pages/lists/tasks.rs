//! Tasks that reached a community: the list in scope, a push recorded by a
//! district department, and the community's one-click refusal.

use crate::AppState;
use crate::actions::lists as act;
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, field, page};
use crate::policy::{TASK_PUSHERS, TASK_REFUSERS};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use store::lists::{self as sl, NewPush, Refusal};

pub async fn tasks(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let (rows, names) = match tokio::try_join!(
        sl::tasks(&state.db, c.as_deref(), d.as_deref()),
        store::structure::community_names(&state.db)
    ) {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let mut choices: Vec<(&String, &String)> = names.iter().collect();
    choices.sort();
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
                    td { (t.id) } td { (t.title) } td { (t.department) } td { (crate::pages::community_name(&names, &t.community_code)) }
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
                    label for="community" { (ctx.t("社区", "Community")) }
                    select id="community" name="community" required {
                        option value="" { (ctx.t("— 请选择社区 —", "— choose a community —")) }
                        @for (code, name) in &choices { option value=(code) { (name) } }
                    }
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
    match act::push(&state, me, n).await {
        Ok(_) => Redirect::to("/tasks").into_response(),
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn refuse(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, Form(r): Form<Refusal>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    match act::refuse(&state, me, id, r).await {
        Ok(_) => Redirect::to("/tasks").into_response(),
        Err(e) => error_page(&ctx, e),
    }
}
