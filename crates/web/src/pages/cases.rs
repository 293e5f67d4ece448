//! The one-stop service center (一站式服务中心): the front desk takes a case
//! at the counter for a resident, the back office works its queue, and each
//! case shows its history, deadline and the events the user may trigger.

use super::deliberation::{Failed, from_pairs, input, own_community, select, textarea};
use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::error::ApiError;
use crate::policy::{CASE_INTAKE, Principal};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use store::cases::{self as cs, Case, CaseView};
use store::users::Role;

/// The engine role a user acts in.
pub fn engine_role(r: Role) -> Option<cases::Role> {
    Some(match r {
        Role::FrontDesk => cases::Role::FrontDesk,
        Role::BackOffice | Role::DistrictDepartment => cases::Role::Handler,
        Role::CommunityAdmin => cases::Role::Supervisor,
        Role::Resident => cases::Role::Resident,
        Role::Provider => cases::Role::Provider,
        _ => return None,
    })
}

pub async fn reachable_case(state: &AppState, me: &Principal, id: i64) -> Result<Case, ApiError> {
    let c = cs::case(&state.db, id).await?;
    if !me.can_reach(&c.community_code, &c.district_code) {
        return Err(ApiError::NotFound);
    }
    Ok(c)
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub queue: Option<String>,
}

pub async fn visible(state: &AppState, me: &Principal, queue: Option<&str>) -> Result<Vec<CaseView>, ApiError> {
    let (c, d) = me.scope();
    Ok(cs::list(&state.db, c.as_deref(), d.as_deref(), queue.filter(|q| !q.is_empty())).await?)
}

pub fn status_name(ctx: &Ctx, s: &str) -> String {
    match s {
        "accepted" => ctx.t("已受理", "accepted"),
        "routed" => ctx.t("已分派", "routed"),
        "in_progress" => ctx.t("办理中", "in progress"),
        "returned_for_materials" => ctx.t("待补正材料", "awaiting materials"),
        "resolved" => ctx.t("已办结", "resolved"),
        "callback" => ctx.t("回访中", "callback"),
        "closed" => ctx.t("已结案", "closed"),
        "rejected" => ctx.t("已驳回", "rejected"),
        _ => s,
    }
    .to_string()
}

fn sla_tag(ctx: &Ctx, v: &CaseView) -> maud::Markup {
    let (zh, en) = match v.sla_state.as_deref() {
        Some("overdue") => ("已超期", "overdue"),
        Some("warning") => ("即将到期", "due soon"),
        Some("stopped") => ("时限暂停", "clock stopped"),
        Some("met") => ("按时办结", "on time"),
        Some("missed") => ("超期办结", "late"),
        Some(_) => ("正常", "on time"),
        None => ("—", "—"),
    };
    html! {
        span.tag.(if v.overdue { "danger" } else { "" }) { (ctx.t(zh, en)) }
        @if let Some(d) = &v.deadline { " " span.muted { (ctx.t("期限 ", "due ")) (d.get(..10).unwrap_or(d)) } }
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    index_with(&state, &ctx, q.queue.as_deref(), &Failed::default(), StatusCode::OK).await
}

async fn index_with(state: &AppState, ctx: &Ctx, queue: Option<&str>, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (list, items) = match tokio::try_join!(visible(state, me, queue), async { Ok(cs::items(&state.db).await?) }) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let intake = CASE_INTAKE.contains(&me.role);
    let my_queue = me.community.as_ref().map(|c| format!("community:{c}"));
    let body = html! {
        h1 { (ctx.t("一站式服务中心", "One-stop service center")) }
        p.muted { (ctx.t("前台一口受理、后台分类处置：办理时限按工作日计算，期限和超期状态均由办理记录实时计算。",
                         "The front desk accepts everything at one window; the back office handles by category. Deadlines count working days and are computed live from each case's history.")) }
        @if intake {
            h2 { (ctx.t("窗口受理", "Take a case at the counter")) }
            form.stack method="post" action="/cases" {
                (ctx.csrf_field())
                (f.general("case", &["item", "caller_name", "caller_phone", "building", "description"]))
                (select(f, "case", ctx.t("服务事项", "Service item"), "item",
                    &items.iter().map(|i| (i.code.clone(), format!("{} · {}（{}个工作日）", i.category, i.name, i.limit_days))).collect::<Vec<_>>()))
                (input(f, "case", ctx.t("来访人姓名", "Caller's name"), "caller_name", "text"))
                (input(f, "case", ctx.t("联系电话", "Phone"), "caller_phone", "tel"))
                (input(f, "case", ctx.t("楼栋", "Building"), "building", "text"))
                (textarea(f, "case", ctx.t("诉求说明", "Description"), "description", 3))
                p { button type="submit" { (ctx.t("受理", "Accept")) } }
            }
        }
        h2 { (ctx.t("案件", "Cases")) " (" (list.len()) ")" }
        p {
            a href="/cases" { (ctx.t("全部", "All")) }
            @if let Some(q) = &my_queue { " · " a href={"/cases?queue=" (q)} { (ctx.t("本社区后台队列", "My community's queue")) } }
        }
        div.table-wrap { table #case-list {
            thead { tr { th { "#" } th { (ctx.t("事项", "Item")) } th { (ctx.t("来访人", "Caller")) } th { (ctx.t("楼栋", "Building")) } th { (ctx.t("队列", "Queue")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("时限", "Time limit")) } } }
            tbody { @for v in &list { tr {
                td { a href={"/cases/" (v.case.id)} { (v.case.id) } }
                td { (v.item_name) @if v.case.duplicates != "[]" { " " span.tag.warning { (ctx.t("疑似重复", "possible duplicate")) } } }
                td { (v.case.caller_name) }
                td { (v.case.building) }
                td { (v.case.lead_queue.as_deref().unwrap_or("—")) }
                td { span.tag { (status_name(ctx, &v.case.status)) } }
                td { (sla_tag(ctx, v)) }
            } } }
        } }
    };
    (status, page(ctx, ctx.t("一站式服务中心", "Service center"), body)).into_response()
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = match ctx.me() {
        Ok(me) => match own_community(me) {
            Ok(c) => cs::create(&state.db, &me.actor(), cases::Role::FrontDesk, &c, from_pairs(&pairs))
                .await
                .map_err(ApiError::from),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match r {
        Ok(c) => Redirect::to(&format!("/cases/{}", c.id)).into_response(),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form: "case", field, msg: ctx.lang.msg(&msg), values: pairs };
            index_with(&state, &ctx, None, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    show_with(&state, &ctx, id, &Failed::default(), StatusCode::OK).await
}

async fn show_with(state: &AppState, ctx: &Ctx, id: i64, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let c = match reachable_case(state, me, id).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, e),
    };
    let loaded = async {
        let h = cs::history(&state.db, id).await?;
        let allowed = cs::allowed(&state.db, id, engine_role(me.role)).await?;
        let v = cs::view(&state.db, c).await?;
        Ok::<_, store::StoreError>((h, allowed, v))
    };
    let (history, allowed, v) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("案件", "Case")) " #" (v.case.id) " · " (v.item_name) }
        p { span.tag { (status_name(ctx, &v.case.status)) } " " (sla_tag(ctx, &v)) }
        dl {
            dt { (ctx.t("来访人", "Caller")) } dd { (v.case.caller_name) " " (v.case.caller_phone) }
            dt { (ctx.t("楼栋", "Building")) } dd { (v.case.building) }
            dt { (ctx.t("诉求说明", "Description")) } dd { (v.case.description) }
            dt { (ctx.t("主办队列", "Lead queue")) } dd { (v.case.lead_queue.as_deref().unwrap_or("—")) }
            dt { (ctx.t("法定时限", "Time limit")) } dd { (v.limit_days) (ctx.t("个工作日", " working days")) }
            @if v.case.duplicates != "[]" { dt { (ctx.t("疑似重复", "Possible duplicates")) } dd { (v.case.duplicates) } }
        }
        h2 { (ctx.t("办理记录", "History")) }
        ol #case-history { @for r in &history {
            @let (zh, en) = r.event.kind().names();
            li { (super::when(&r.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default())) " · " strong { (ctx.t(zh, en)) } " · " (ctx.t(r.actor_role.names().0, r.actor_role.names().1))
                @if let Some(x) = r.event.reason() { " · " span.muted { (x) } } }
        } }
        @if !allowed.is_empty() {
            h2 { (ctx.t("办理", "Act")) }
            (f.general("event", &["reason", "queue"]))
            @for k in &allowed {
                @let name = serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                @let (zh, en) = k.names();
                form.inline method="post" action={"/cases/" (id) "/events"} {
                    (ctx.csrf_field())
                    input type="hidden" name="event" value=(name);
                    @if matches!(name.as_str(), "return_for_materials" | "send_back" | "reject" | "resolve" | "reopen" | "close_with_note" | "transfer" | "route") {
                        input name="reason" placeholder=(ctx.t("理由或说明", "reason or note")) aria-label=(ctx.t("理由或说明", "reason or note"));
                    }
                    @if matches!(name.as_str(), "transfer" | "route") {
                        input name="queue" placeholder=(ctx.t("目标队列", "target queue")) aria-label=(ctx.t("目标队列", "target queue"));
                    }
                    @if name == "rate" {
                        @for (n, zh2, en2) in [("overall", "总体", "overall"), ("speed", "速度", "speed"), ("attitude", "态度", "attitude")] {
                            input name=(n) type="number" min="1" max="5" placeholder=(ctx.t(zh2, en2)) aria-label=(ctx.t(zh2, en2));
                        }
                    }
                    button type="submit" { (ctx.t(zh, en)) }
                }
            }
        }
        p { a href="/cases" { (ctx.t("返回案件列表", "Back to cases")) } }
    };
    (status, page(ctx, ctx.t("案件", "Case"), body)).into_response()
}

pub async fn event(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        let me = ctx.me()?;
        reachable_case(&state, me, id).await?;
        let role = engine_role(me.role).ok_or_else(|| {
            ApiError::from(store::error::bad("event", "您的角色不能办理案件", "your role does not act on cases"))
        })?;
        cs::apply(&state.db, &me.actor(), role, id, from_pairs(&pairs)).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form: "event", field, msg: ctx.lang.msg(&msg), values: pairs };
            show_with(&state, &ctx, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}
