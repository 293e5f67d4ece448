//! Stewards (管家计划): residents volunteer to look after a building or area,
//! the community admin approves, stewards raise their area's issues, and the
//! front desk forwards or closes them.

use super::form::{Failed, from_pairs, input, select, textarea};
use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::actions::stewards as actions;
use crate::error::ApiError;
use crate::policy::{Principal, STEWARD_APPROVERS, STEWARD_DESK, STEWARD_VOLUNTEERS};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use store::stewards::{IssueState, Steward, StewardStatus};
use store::typed::Word;
use store::users::Role;

fn status_name(ctx: &Ctx, s: &str) -> String {
    match s {
        "pending" => ctx.t("待审批", "pending"),
        "approved" => ctx.t("已批准", "approved"),
        "rejected" => ctx.t("未批准", "rejected"),
        "open" => ctx.t("待处理", "open"),
        "forwarded" => ctx.t("已转办", "forwarded"),
        _ => ctx.t("已办结", "closed"),
    }
    .to_string()
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    index_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn index_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let names = async { store::structure::community_names(&state.db).await.map_err(ApiError::from) };
    let (stewards, issues, names) =
        match tokio::try_join!(crate::scope::stewards(state, me), crate::scope::issues(state, me), names) {
            Ok(x) => x,
            Err(e) => return error_page(ctx, e),
        };
    let resident = me.role == Role::Resident;
    let mine: Vec<&Steward> = stewards.iter().filter(|s| s.user_id == me.user_id).collect();
    let approved: Vec<&&Steward> = mine.iter().filter(|s| s.status == StewardStatus::Approved).collect();
    let calls = match (&me.community, resident) {
        (Some(c), true) => match store::budgeting::calls(&state.db, Some(c), None).await {
            Ok(x) => x.into_iter().filter(|c| c.phase != store::budgeting::Phase::Closed).collect(),
            Err(e) => return error_page(ctx, e.into()),
        },
        _ => Vec::new(),
    };
    let approver = STEWARD_APPROVERS.contains(&me.role);
    let desk = STEWARD_DESK.contains(&me.role);
    // The items a forwarded issue can become: those the desk's community offers.
    let offered = match (&me.community, desk) {
        (Some(c), true) => store::cases::offered(&state.db, c).await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let body = html! {
        h1 { (ctx.t("楼栋管家", "Stewards (管家计划)")) }
        p.muted { (ctx.t("居民自愿担任所在楼栋或片区的“管家”，经社区批准后反映片区问题，由服务中心前台转办。",
                         "Residents volunteer as stewards of their building or area; once the community approves, they raise the area's issues, which the service center's front desk forwards.")) }
        @if resident {
            h2 { (ctx.t("我的管家报名", "My stewardship")) }
            @if mine.is_empty() { p.muted { (ctx.t("尚未报名", "You have not volunteered yet")) } }
            ul #my-stewardship { @for s in &mine { li { (s.area) " · " span.tag { (status_name(ctx, s.status.word())) } @if !s.note.is_empty() { " " span.muted { (s.note) } } } } }
            @if !approved.is_empty() {
                h2 { (ctx.t("我负责片区的待处理问题", "Open issues in my area")) }
                ul #area-issues { @for i in &issues { li { strong { (i.title) } " · " (i.building) " · " (super::when(&i.created_at)) @if !i.description.is_empty() { br; span.muted { (i.description) } } } } }
                (super::cut_note(ctx, &issues))
                @if issues.is_empty() { p.muted { (ctx.t("暂无待处理问题", "No open issues")) } }
                h2 { (ctx.t("反映片区问题", "Raise an issue")) }
                form.stack method="post" action="/stewards/issues" {
                    (ctx.csrf_field())
                    (f.general("issue", &["title", "description", "building", "steward_id"]))
                    @if approved.len() > 1 {
                        (select(f, "issue", ctx.t("片区", "Area"), "steward_id", &approved.iter().map(|s| (s.id.to_string(), s.area.clone())).collect::<Vec<_>>()))
                    }
                    (input(f, "issue", ctx.t("问题", "Issue"), "title", "text"))
                    (textarea(f, "issue", ctx.t("说明", "Description"), "description", 3))
                    (input(f, "issue", ctx.t("楼栋（默认为所负责片区）", "Building (default: your area)"), "building", "text"))
                    p { button type="submit" { (ctx.t("提交", "Submit")) } }
                }
                h2 { (ctx.t("社区服务项目征集", "Community service project calls")) }
                ul #open-calls { @for c in &calls { li { a href={"/pb/" (c.id)} { (c.title) } } } }
                p { a href="/pb" { (ctx.t("查看全部社区服务项目", "All community service projects")) } }
            }
        }
        @if STEWARD_VOLUNTEERS.contains(&me.role) {
            h2 { (ctx.t("报名担任管家", "Volunteer as steward")) }
            form.stack method="post" action="/stewards" {
                (ctx.csrf_field())
                (f.general("volunteer", &["area", "motivation"]))
                (input(f, "volunteer", ctx.t("楼栋或片区（如“1栋”）", "Building or area (e.g. 1栋)"), "area", "text"))
                (textarea(f, "volunteer", ctx.t("自我介绍（可选）", "About you (optional)"), "motivation", 2))
                p { button type="submit" { (ctx.t("报名", "Volunteer")) } }
            }
        }
        h2 { (ctx.t("管家", "Stewards")) " (" (stewards.len()) ")" }
        div.table-wrap { table #steward-list {
            thead { tr { th { (ctx.t("姓名", "Name")) } th { (ctx.t("楼栋或片区", "Area")) } th { (ctx.t("状态", "Status")) } @if !resident { th { (ctx.t("社区", "Community")) } } } }
            tbody { @for s in &stewards { tr {
                td { (s.name) @if !resident && !s.motivation.is_empty() { br; span.muted { (s.motivation) } } }
                td { (s.area) }
                td { span.tag { (status_name(ctx, s.status.word())) }
                    @if approver && s.status == StewardStatus::Pending {
                        form.inline method="post" action={"/stewards/" (s.id) "/decide"} {
                            (ctx.csrf_field())
                            select name="decision" aria-label=(ctx.t("审批", "Decision")) { option value="approve" { (ctx.t("批准", "approve")) } option value="reject" { (ctx.t("不批准", "reject")) } }
                            input name="note" placeholder=(ctx.t("理由", "reason")) aria-label=(ctx.t("理由", "reason"));
                            button type="submit" { (ctx.t("确定", "Decide")) }
                        }
                    }
                }
                @if !resident { td { (crate::pages::community_name(&names, &s.community_code)) } }
            } } }
        } }
        (super::cut_note(ctx, &stewards))
        (f.general("decide", &[]))
        @if !resident {
            h2 { (ctx.t("管家反映的问题", "Issues raised by stewards")) }
            (f.general("status", &[]))
            div.table-wrap { table #issue-list {
                thead { tr { th { (ctx.t("问题", "Issue")) } th { (ctx.t("楼栋", "Building")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("时间", "Raised")) } } }
                tbody { @for i in &issues { tr id={"issue-" (i.id)} {
                    td { strong { (i.title) } @if !i.description.is_empty() { br; span.muted { (i.description) } } }
                    td { (i.building) }
                    td { span.tag { (status_name(ctx, i.status.word())) } @if !i.status_note.is_empty() { br; span.muted { (i.status_note) } }
                        @if let Some(cid) = i.case_id { br; a href={"/cases/" (cid)} { (ctx.t("服务案件 #", "Service case #")) (cid) } }
                        @if desk && i.status == IssueState::Open {
                            form.inline method="post" action={"/stewards/issues/" (i.id) "/status"} {
                                (ctx.csrf_field())
                                input type="hidden" name="status" value="forwarded";
                                select name="item" required aria-label=(ctx.t("转为哪一项服务案件", "Service item of the case")) {
                                    option value="" { (ctx.t("请选择服务事项", "Choose the service item")) }
                                    @for it in &offered { option value=(it.code) { (it.name) } }
                                }
                                input name="note" placeholder=(ctx.t("说明", "note")) aria-label=(ctx.t("转办说明", "note"));
                                button type="submit" { (ctx.t("转为服务案件", "Make it a service case")) }
                            }
                        }
                        @if desk && i.status != IssueState::Closed {
                            form.inline method="post" action={"/stewards/issues/" (i.id) "/status"} {
                                (ctx.csrf_field())
                                input type="hidden" name="status" value="closed";
                                input name="note" placeholder=(ctx.t("办结说明", "note")) aria-label=(ctx.t("办结说明", "closing note"));
                                button type="submit" { (ctx.t("办结", "Close")) }
                            }
                        }
                    }
                    td { (super::when(&i.created_at)) }
                } } }
            } }
            (super::cut_note(ctx, &issues))
        }
    };
    (status, page(ctx, ctx.t("楼栋管家", "Stewards"), body)).into_response()
}

/// One form of the page: run its action, redirect back, or show the page
/// again with the error beside the form's field.
async fn write<T>(
    state: &AppState,
    ctx: &Ctx,
    form: &'static str,
    body: &str,
    act: impl AsyncFnOnce(&Principal, Vec<(String, String)>) -> Result<T, ApiError>,
) -> Response {
    let done = match form {
        "status" if form_pairs(body).iter().any(|(k, v)| k == "status" && v == "closed") => "closed",
        "status" => "forwarded",
        other => other,
    };
    let pairs = form_pairs(body);
    let r = match ctx.me() {
        Ok(me) => act(me, pairs.clone()).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => super::done::redirect("/stewards", done),
        // Bad input comes back on the page, beside its form: never an error-only page.
        Err(e) if !e.field_errors().is_empty() => {
            let errs = e.field_errors();
            let field = errs[0].0.to_string();
            let msg = errs.iter().map(|(_, m)| ctx.lang.msg(m)).collect::<Vec<_>>().join("；");
            let f = Failed { form, field, msg, values: pairs };
            index_with(state, ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn volunteer(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "volunteer", &body, async |me, pairs| actions::volunteer(&state, me, from_pairs(&pairs)?).await)
        .await
}

pub async fn decide(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "decide", &body, async |me, pairs| actions::decide(&state, me, id, from_pairs(&pairs)?).await)
        .await
}

pub async fn raise_issue(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "issue", &body, async |me, pairs| actions::raise_issue(&state, me, from_pairs(&pairs)?).await)
        .await
}

pub async fn issue_status(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "status", &body, async |me, pairs| {
        actions::set_issue_status(&state, me, id, from_pairs(&pairs)?).await
    })
    .await
}
