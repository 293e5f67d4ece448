//! Tasks that reached a community: the list in scope, a push recorded by a
//! district department, and the community's one-click refusal.

use crate::AppState;
use crate::actions::lists as act;
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, field, page};
use crate::policy::{TASK_PUSHERS, TASK_REFUSERS};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use store::lists::{self as sl, NewPush, Refusal};

pub async fn tasks(State(state): State<AppState>, ctx: Ctx) -> Response {
    tasks_with(state, ctx, None, axum::http::StatusCode::OK).await
}

async fn tasks_with(
    state: AppState,
    ctx: Ctx,
    flash: Option<(bool, String)>,
    status: axum::http::StatusCode,
) -> Response {
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
    let body = page(
        &ctx,
        ctx.t("社区工作事项", "Community tasks"),
        html! {
            h1 { (ctx.t("社区工作事项", "Community tasks")) }
            @if let Some((ok, m)) = &flash { div class={"flash " (if *ok { "ok" } else { "error" })} role=(if *ok { "status" } else { "alert" }) { (m) } }
            p.muted { (ctx.t("未经准入审批的工作事项，社区有权一键拒绝并上报（居组法第20条；民发〔2015〕136号）。",
                             "Work that reaches a community without an access approval can be refused in one click and reported.")) }
            div.table-wrap { table #tasks {
                thead { tr { th { "#" } th { (ctx.t("事项", "Task")) } th { (ctx.t("部门", "Department")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("准入编号", "Approval")) } th { (ctx.t("状态", "Status")) } th {} } }
                tbody { @for t in &rows { tr {
                    td { (t.id) } td { (t.title) } td { (t.department) } td { (crate::pages::community_name(&names, &t.community_code)) }
                    td { @match &t.approval_number { Some(n) => span.tag.ok { (n) }, None => span.tag.error { (ctx.t("未经准入", "no approval")) } } }
                    td { @if t.status == store::lists::TaskStatus::Refused { (ctx.t("已拒绝", "refused")) } @else { (ctx.t("在办", "in force")) } }
                    td { @if refuser && t.refusable() {
                        form method="post" action={"/tasks/" (t.id) "/refuse"} { (ctx.csrf_field())
                            input name="note" required placeholder=(ctx.t("拒绝理由", "why")) aria-label=(ctx.t("拒绝理由", "Why it is refused"));
                            " " (crate::pages::finance_books::confirm_box(&ctx, &format!("refuse-{}", t.id), "确认拒绝并上报（不可撤销）", "I confirm: refuse and report (cannot be undone)"))
                            " " button type="submit" { (ctx.t("拒绝并上报", "Refuse and report")) } }
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
    );
    (status, body).into_response()
}

pub async fn push(State(state): State<AppState>, ctx: Ctx, Form(n): Form<NewPush>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    match act::push(&state, me, n).await {
        Ok(_) => crate::pages::done::redirect("/tasks", "pushed"),
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn refuse(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let pairs = crate::pages::form_pairs(&body);
    let r = async {
        // Out of reach is 404 whatever the form held; then the reason and the confirmation.
        crate::scope::load::<store::lists::TaskRow>(&state, me, id).await?;
        let mut errs = Vec::new();
        if crate::pages::form::value(&pairs, "note").trim().is_empty() {
            errs.push(("note".to_string(), rules::Msg::new("请填写拒绝理由", "say why it is refused")));
        }
        if let Err(e) = crate::pages::finance_books::confirmed(&pairs) {
            errs.extend(e.field_errors().into_iter().map(|(f, m)| (f.to_string(), m.clone())));
        }
        if !errs.is_empty() {
            return Err(ApiError::fields(errs));
        }
        act::refuse(&state, me, id, crate::pages::form::from_pairs::<Refusal>(&pairs)?).await
    }
    .await;
    match r {
        Ok(_) => crate::pages::done::redirect("/tasks", "refused"),
        Err(e) if !e.field_errors().is_empty() => {
            let msg = e.field_errors().iter().map(|(_, m)| ctx.lang.msg(m)).collect::<Vec<_>>().join("；");
            tasks_with(state, ctx, Some((false, msg)), axum::http::StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}
