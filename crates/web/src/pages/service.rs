//! Figures of the service center (live from the tallies the case writes
//! keep), the public league table of handling units, and a resident's own
//! cases: asking online, following, rating.

use super::case::{event_form, timeline};
use super::cases::{case_from_pairs, channel_name, intake_fields, sla_tag, status_name};
use super::form::{Failed, from_pairs};
use super::{Ctx, chart, error_page, form_pairs, page};
use crate::AppState;
use crate::actions::cases::{self as act, Adopt, Rating};
use crate::error::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::cases::{self as cs, CaseStats, League};
use store::typed::Word;

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

fn num(x: Option<f64>, unit: &str) -> String {
    x.map(|v| format!("{v:.1}{unit}")).unwrap_or_else(|| "—".into())
}

fn figures(ctx: &Ctx, s: &CaseStats) -> Markup {
    let named = |rows: &[(String, i64)], f: &dyn Fn(&str) -> String| -> Vec<(String, i64, i64)> {
        rows.iter().map(|(k, n)| (f(k), *n, 0)).collect()
    };
    html! {
        div.grid.cards {
            div.card { strong { (s.total) } br; (ctx.t("受理案件", "cases taken")) }
            div.card { strong { (s.open) } br; (ctx.t("在办", "open")) }
            div.card { strong { (s.overdue_now) } br; (ctx.t("当前超期", "overdue now")) }
            div.card { strong { (pct(s.on_time_rate)) } br; (ctx.t("按时办结率", "resolved on time")) }
            div.card { strong { (num(s.avg_handle_hours, ctx.t("小时", " h"))) } br; (ctx.t("平均办理时长", "average handling time")) }
            div.card { strong { (num(s.satisfaction, "/5")) } br; (ctx.t("平均满意度", "average satisfaction")) " (" (s.rated) ")" }
            div.card { strong { (pct(s.satisfied_rate)) } br; (ctx.t("满意率", "satisfied")) }
            div.card { strong { (s.hotline_solved) } br; (ctx.t("热线已解决", "hotline requests solved")) }
        }
        (chart::bars(ctx.t("按渠道", "By channel"), &named(&s.by_channel, &|k| channel_name(ctx, k)), ("", "")))
        (chart::bars(ctx.t("按状态", "By status"), &named(&s.by_status, &|k| status_name(ctx, k)), ("", "")))
        (chart::bars(ctx.t("按类别", "By category"), &named(&s.by_category, &|k| k.to_string()), ("", "")))
    }
}

/// Staff see the figures of their own scope.
pub async fn stats(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let s = match cs::stats(&state.db, c.as_deref(), d.as_deref()).await {
        Ok(s) => s,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("服务中心统计", "Service center statistics")) }
        p.muted { (ctx.t("所有数字均由案件办理记录实时计算。", "Every figure is computed live from the cases.")) }
        (figures(&ctx, &s))
        p { a href="/service/league" { (ctx.t("办理单位排行", "League table of units")) } " · " a href="/cases" { (ctx.t("返回服务中心", "Back to the service center")) } }
    };
    page(&ctx, ctx.t("服务统计", "Statistics"), body)
}

fn league_table(ctx: &Ctx, rows: &[League]) -> Markup {
    html! {
        div.table-wrap { table #league {
            thead { tr { th { (ctx.t("名次", "Rank")) } th { (ctx.t("办理单位", "Unit")) } th { (ctx.t("已办结", "Resolved")) } th { (ctx.t("在办", "Open")) }
                th { (ctx.t("按时办结率", "On time")) } th { (ctx.t("平均响应", "Avg. response")) } th { (ctx.t("平均办理", "Avg. handling")) } th { (ctx.t("满意度", "Satisfaction")) } th { (ctx.t("重办", "Reopened")) } } }
            tbody { @for (i, l) in rows.iter().enumerate() { tr {
                td { (i + 1) } td { (l.name) } td { (l.resolved) } td { (l.open) } td { (pct(l.on_time_rate)) }
                td { (num(l.avg_respond_hours, ctx.t("小时", " h"))) } td { (num(l.avg_handle_hours, ctx.t("小时", " h"))) }
                td { (num(l.satisfaction, "/5")) " (" (l.rated) ")" } td { (l.reopened) }
            } } }
        } }
    }
}

/// Public: the city's counters and the league table of handling units.
pub async fn league(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = tokio::try_join!(cs::stats(&state.db, None, None), cs::league(&state.db, None));
    let (s, rows) = match r {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("社区服务办理情况", "How requests are handled")) }
        p.muted { (ctx.t("全市一站式服务中心和2881890热线的实时数据；办理单位按按时办结率、满意度排名。",
                         "Live figures of the city's one-stop service centers and the 2881890 hotline; units ranked by on-time rate, then satisfaction.")) }
        (figures(&ctx, &s))
        h2 { (ctx.t("办理单位排行", "League table of units")) }
        (league_table(&ctx, &rows))
    };
    page(&ctx, ctx.t("办理情况", "Service league"), body)
}

pub async fn mine(State(state): State<AppState>, ctx: Ctx) -> Response {
    mine_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn mine_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let r = async {
        let community = me.community.clone().unwrap_or_default();
        Ok::<_, ApiError>((act::mine(state, me).await?, cs::offered(&state.db, &community).await?))
    };
    let (list, items) = match r.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let body = html! {
        h1 { (ctx.t("我的诉求", "My requests")) }
        div.table-wrap { table #my-cases {
            thead { tr { th { "#" } th { (ctx.t("事项", "Item")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("时限", "Time limit")) } } }
            tbody { @for v in &list { tr {
                td { a href={"/me/cases/" (v.case.id)} { (v.case.id) } } td { (v.item_name) }
                td { span.tag { (status_name(ctx, v.case.status.word())) } @if matches!(v.case.status, cases::Status::Resolved | cases::Status::Callback) && v.case.rating.is_none() { " " span.tag.warning { (ctx.t("待评价", "please rate")) } } }
                td { (sla_tag(ctx, v)) }
            } } }
        } }
        (super::cut_note(ctx, &list))
        @if list.is_empty() { p.muted { (ctx.t("您还没有提交过诉求。", "You have not made a request yet.")) } }
        h2 { (ctx.t("网上提交诉求", "Make a request online")) }
        form.stack method="post" action="/me/cases" {
            (ctx.csrf_field())
            (f.general("case", &["item", "caller_phone", "building", "address", "description"]))
            (intake_fields(ctx, f, "case", &items, "web"))
            p { button type="submit" { (ctx.t("提交", "Submit")) } }
        }
    };
    (status, page(ctx, ctx.t("我的诉求", "My requests"), body)).into_response()
}

pub async fn create_mine(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async { act::request_online(&state, ctx.me()?, case_from_pairs(&pairs)?).await };
    match r.await {
        Ok(c) => super::done::redirect(&format!("/me/cases/{}", c.id), "created"),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form: "case", field, msg: ctx.lang.msg(&msg), values: pairs };
            mine_with(&state, &ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn my_case(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    my_case_with(&state, &ctx, id, None, StatusCode::OK).await
}

async fn my_case_with(state: &AppState, ctx: &Ctx, id: i64, err: Option<String>, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let r = async {
        let c = crate::scope::own_case(state, me, id).await?;
        let h = cs::history(&state.db, id).await?;
        let allowed = cs::allowed(&state.db, id, Some(cases::Role::Resident)).await?;
        let ds = store::dispatch::in_scope(&state.db, None, None, Some(id)).await?;
        Ok::<_, ApiError>((cs::view(&state.db, c).await?, h, allowed, ds))
    };
    let (v, history, allowed, dispatches) = match r.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let body = html! {
        h1 { (ctx.t("我的诉求", "My request")) " #" (v.case.id) " · " (v.item_name) }
        @if let Some(e) = &err { div.flash.error role="alert" { (e) } }
        p { span.tag { (status_name(ctx, v.case.status.word())) } " " (sla_tag(ctx, &v)) }
        p { (v.case.description) }
        h2 { (ctx.t("办理进度", "Progress")) }
        (timeline(ctx, &history, &super::case::dispatch_steps(&dispatches)))
        @for k in &allowed {
            h2 { (ctx.t("请评价本次服务", "Please rate this service")) }
            (event_form(ctx, &format!("/me/cases/{id}/rate"), k, &[]))
        }
        p { a href="/me/cases" { (ctx.t("返回我的诉求", "Back to my requests")) } }
    };
    (status, page(ctx, ctx.t("我的诉求", "My request"), body)).into_response()
}

pub async fn rate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async { act::rate(&state, ctx.me()?, id, from_pairs::<Rating>(&pairs)?).await.map(|_| ()) };
    match r.await {
        Ok(()) => super::done::redirect(&format!("/me/cases/{id}"), "rated"),
        Err(ApiError::Invalid { msg, .. }) => {
            my_case_with(&state, &ctx, id, Some(ctx.lang.msg(&msg)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

/// The city catalogue with this community's adopted items ticked; the
/// community's administrator changes them.
pub async fn items(State(state): State<AppState>, ctx: Ctx) -> Response {
    items_with(&state, &ctx, None, StatusCode::OK).await
}

async fn items_with(state: &AppState, ctx: &Ctx, err: Option<String>, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let community = me.community.clone();
    let r = async {
        let all = cs::items(&state.db).await?;
        let set = match &community {
            Some(c) => cs::adopted(&state.db, c).await?,
            None => Default::default(),
        };
        Ok::<_, store::StoreError>((all, set))
    };
    let (all, set) = match r.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let admin = crate::policy::CASE_ITEM_ADMINS.contains(&me.role) && community.is_some();
    let body = html! {
        h1 { (ctx.t("服务事项目录", "Service items catalogue")) }
        p.muted { (ctx.t("全市统一事项目录；各社区服务中心开通本社区受理的事项，未开通的事项不予受理。",
                         "One catalogue for the city; each community's service center adopts the items it takes, and refuses the others.")) }
        @if let Some(e) = &err { div.flash.error role="alert" { (e) } }
        form method="post" action="/service/items" {
            (ctx.csrf_field())
            div.table-wrap { table #items {
                thead { tr { @if community.is_some() { th { (ctx.t("本社区开通", "Adopted")) } } th { (ctx.t("编码", "Code")) } th { (ctx.t("事项", "Item")) } th { (ctx.t("类别", "Category")) }
                    th { (ctx.t("承办单位", "Handled by")) } th { (ctx.t("时限", "Limit")) } th { (ctx.t("收费", "Fee")) } } }
                tbody { @for it in &all { tr {
                    @if community.is_some() { td { input type="checkbox" name="item" value=(it.code) checked[set.contains(&it.code)] disabled[!admin] aria-label=(it.name); } }
                    td { (it.code) } td { (it.name) } td { (it.category) }
                    td { (if it.unit_kind == store::cases::UnitKind::Community { ctx.t("社区", "community").to_string() } else { it.unit_name.clone() }) }
                    td { (it.limit_days) (ctx.t("个工作日", " working days")) }
                    td { @if it.fee_kind == store::cases::FeeKind::Free { (ctx.t("免费", "free")) } @else { (ledger::Yuan(it.fee_fen)) (ctx.t(" 元", " yuan")) } }
                } } }
            } }
            @if admin { p { button type="submit" { (ctx.t("保存开通事项", "Save adopted items")) } } }
        }
    };
    (status, page(ctx, ctx.t("服务事项", "Service items"), body)).into_response()
}

pub async fn save_items(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    // The catalogue's checkboxes: one `item` per ticked code.
    let items: Vec<String> = pairs.iter().filter(|(k, _)| k == "item").map(|(_, v)| v.clone()).collect();
    let r = async { act::set_adopted(&state, ctx.me()?, Adopt { items }).await.map(|_| ()) };
    match r.await {
        Ok(()) => super::done::redirect("/service/items", "saved"),
        Err(ApiError::Invalid { msg, .. }) => {
            items_with(&state, &ctx, Some(ctx.lang.msg(&msg)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}
