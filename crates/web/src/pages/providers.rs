//! Service providers: a provider's worker handles their dispatches (accept,
//! decline with a reason, arrival, completion with a summary and, for a
//! market provider, the price); district staff keep the registry and see
//! each provider's performance.

use super::form::{Failed, from_pairs, input, select};
use super::hotline::dispatch_status;
use super::{Ctx, error_page, form_pairs, page, when};
use crate::AppState;
use crate::actions::providers::{self, Answer};
use crate::error::ApiError;
use crate::policy::PROVIDER_ADMINS;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ledger::Yuan;
use maud::html;
use store::dispatch::DispatchStatus;
use store::providers as pv;
use store::providers::ProviderKind;

pub fn kind_name(ctx: &Ctx, kind: ProviderKind) -> String {
    (match kind {
        ProviderKind::Market => ctx.t("市场化", "market"),
        ProviderKind::PublicWelfare => ctx.t("公益", "public welfare"),
    })
    .to_string()
}

pub async fn worker(State(state): State<AppState>, ctx: Ctx) -> Response {
    worker_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn worker_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (p, list) = match providers::my_dispatches(state, me, None).await {
        Ok(Some(x)) => x,
        Ok(None) => {
            let body = html! { h1 { (ctx.t("我的派单", "My dispatches")) } p { (ctx.t("此账号尚未关联服务商。", "This account is not linked to a provider.")) } };
            return page(ctx, ctx.t("我的派单", "My dispatches"), body);
        }
        Err(e) => return error_page(ctx, e),
    };
    let failed_id = f.val("dispatch", "dispatch_id");
    let body = html! {
        h1 { (ctx.t("我的派单", "My dispatches")) " · " (p.name) }
        p.muted { (kind_name(ctx, p.kind)) " · " (p.provider_type) " · " (p.phone) (crate::pages::illustrative_if(ctx, p.illustrative == 1)) }
        @if list.is_empty() { p.muted { (ctx.t("暂无派单。", "No dispatches yet.")) } }
        @for d in &list {
            @let id = d.dispatch.id;
            @let st = d.dispatch.status;
            div.card.dispatch id={"dispatch-" (id)} {
                p { strong { (ctx.t("案件第", "Case no. ")) (d.dispatch.case_id) (ctx.t("号", "")) " · " (d.item_name) } " · " span.tag { (dispatch_status(ctx, st)) } }
                @if !d.dispatch.note.is_empty() { p { (ctx.t("派单备注：", "Note: ")) (d.dispatch.note) } }
                p { (d.building) " " (d.address) " · " (d.caller_name) " " (d.caller_phone) }
                @if !d.description.is_empty() { p.muted { (d.description) } }
                p.muted { (ctx.t("派单时间 ", "offered ")) (when(&d.dispatch.offered_at))
                    @if p.is_market() { " · " (ctx.t("报价 ", "price ")) (Yuan(d.dispatch.price_fen)) (ctx.t("元", " yuan")) } }
                @if let Some(r) = &d.dispatch.decline_reason { p.muted { (ctx.t("拒单理由：", "Declined: ")) (r) } }
                @if failed_id == id.to_string() { div.flash.error role="alert" { (f.msg) } }
                @if st == DispatchStatus::Offered {
                    form.inline method="post" action={"/provider/dispatches/" (id) "/accept"} { (ctx.csrf_field()) button type="submit" { (ctx.t("接单", "Accept")) } }
                }
                @if st == DispatchStatus::Accepted {
                    form.inline method="post" action={"/provider/dispatches/" (id) "/arrive"} { (ctx.csrf_field()) button type="submit" { (ctx.t("已到场", "Arrived")) } }
                }
                @if matches!(st, DispatchStatus::Offered | DispatchStatus::Accepted) {
                    form.inline method="post" action={"/provider/dispatches/" (id) "/decline"} {
                        (ctx.csrf_field())
                        input name="reason" required placeholder=(ctx.t("拒单理由", "reason")) aria-label=(ctx.t("拒单理由", "reason"));
                        button type="submit" { (ctx.t("拒单", "Decline")) }
                    }
                }
                @if st == DispatchStatus::Arrived {
                    form.inline method="post" action={"/provider/dispatches/" (id) "/complete"} {
                        (ctx.csrf_field())
                        input name="summary" required placeholder=(ctx.t("办结说明", "what was done")) aria-label=(ctx.t("办结说明", "what was done"));
                        @if p.is_market() {
                            label for={"price-" (id)} { (ctx.t("实收金额（元）", "Amount charged (yuan)")) }
                            input id={"price-" (id)} name="price_yuan" inputmode="decimal" value=(Yuan(d.dispatch.price_fen)) aria-label=(ctx.t("实收金额（元）", "Amount charged (yuan)"));
                        }
                        button type="submit" { (ctx.t("完成", "Completed")) }
                    }
                }
            }
        }
        (crate::pages::cut_note(ctx, &list))
    };
    (status, page(ctx, ctx.t("我的派单", "My dispatches"), body)).into_response()
}

/// One provider answer from a form: run it, redirect back, or show the page
/// again with the refusal beside the dispatch.
async fn act(
    state: AppState,
    ctx: Ctx,
    id: i64,
    body: String,
    what: impl FnOnce(&[(String, String)]) -> Result<Answer, store::StoreError>,
) -> Response {
    let mut pairs = form_pairs(&body);
    let r = async {
        let answer = what(&pairs)?;
        let said = match &answer {
            Answer::Accept => "accepted",
            Answer::Decline(_) => "declined",
            Answer::Arrive => "arrived",
            Answer::Complete(_) => "completed",
        };
        providers::answer(&state, ctx.me()?, id, answer).await.map(|_| said)
    }
    .await;
    match r {
        Ok(said) => super::done::redirect(&format!("/provider#dispatch-{id}"), said),
        Err(ApiError::Invalid { field, msg }) => {
            pairs.push(("dispatch_id".into(), id.to_string()));
            let f = Failed { form: "dispatch", field, msg: ctx.lang.msg(&msg), values: pairs };
            worker_with(&state, &ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn accept(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    act(s, ctx, id, body, |_| Ok(Answer::Accept)).await
}
pub async fn decline(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    act(s, ctx, id, body, |p| Ok(Answer::Decline(from_pairs(p)?))).await
}
pub async fn arrive(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    act(s, ctx, id, body, |_| Ok(Answer::Arrive)).await
}
pub async fn complete(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    act(s, ctx, id, body, |p| Ok(Answer::Complete(from_pairs(p)?))).await
}

pub async fn registry(State(state): State<AppState>, ctx: Ctx) -> Response {
    registry_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn registry_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let district = crate::policy::provider_district(me);
    let (list, districts) =
        match tokio::try_join!(pv::list(&state.db, district.as_deref()), store::structure::districts(&state.db)) {
            Ok(l) => l,
            Err(e) => return error_page(ctx, e.into()),
        };
    let district_name = |code: &str| -> String {
        districts.iter().find(|d| d.code == code).map_or(code.to_string(), |d| ctx.t(&d.name, &d.name_en).to_string())
    };
    let types: Vec<String> = match store::cases::items(&state.db).await {
        Ok(items) => {
            let mut t: Vec<String> = items
                .into_iter()
                .filter(|i| i.unit_kind == store::cases::UnitKind::Provider)
                .map(|i| i.unit_name)
                .collect();
            t.sort();
            t.dedup();
            t
        }
        Err(e) => return error_page(ctx, e.into()),
    };
    let admin = PROVIDER_ADMINS.contains(&me.role);
    let body = html! {
        h1 { (ctx.t("服务商", "Service providers")) }
        p.muted { (ctx.t("公益服务队免费服务；市场化服务商须登记统一社会信用代码并公示价目表。",
                         "Public-welfare teams serve free; market providers register their unified social credit code and publish a price list.")) }
        @if admin { p { a href="/providers/performance" { (ctx.t("服务商绩效", "Performance per provider")) } } }
        div.table-wrap { table #providers {
            thead { tr { th { (ctx.t("名称", "Name")) } th { (ctx.t("类别", "Kind")) } th { (ctx.t("服务类型", "Type")) } th { (ctx.t("统一社会信用代码", "Credit code")) } th { (ctx.t("电话", "Phone")) } th { (ctx.t("区", "District")) } th { (ctx.t("价目表（元）", "Prices (yuan)")) } th { (ctx.t("状态", "Status")) } } }
            tbody { @for p in &list { tr {
                td { (p.name) } td { (kind_name(ctx, p.kind)) } td { (p.provider_type) }
                td { (p.credit_code.as_deref().unwrap_or("—")) @if p.credit_code.is_some() { (crate::pages::illustrative_if(ctx, p.illustrative == 1)) } }
                td { (p.phone) (crate::pages::illustrative_if(ctx, p.illustrative == 1 && !p.phone.is_empty())) } td { (district_name(p.district_code.as_str())) }
                td { @if p.is_market() { @for (code, fen) in p.prices() { (code) " " (Yuan(fen)) "; " } } @else { (ctx.t("免费", "free")) } }
                td { (if p.active == 1 { ctx.t("在用", "active") } else { ctx.t("停用", "inactive") }) }
            } } }
        } }
        @if admin {
            h2 { (ctx.t("登记服务商", "Register a provider")) }
            form.stack method="post" action="/providers" {
                (ctx.csrf_field())
                (f.general("provider", &["name", "kind", "provider_type", "credit_code", "phone", "district_code", "price_list"]))
                (input(f, "provider", ctx.t("名称", "Name"), "name", "text"))
                (select(f, "provider", ctx.t("类别", "Kind"), "kind", &[("public_welfare".into(), ctx.t("公益（免费）", "public welfare (free)").into()), ("market".into(), ctx.t("市场化", "market").into())]))
                (select(f, "provider", ctx.t("服务类型", "Type"), "provider_type", &types.iter().map(|t| (t.clone(), t.clone())).collect::<Vec<_>>()))
                (input(f, "provider", ctx.t("统一社会信用代码（市场化必填）", "Credit code (market: required)"), "credit_code", "text"))
                (input(f, "provider", ctx.t("电话", "Phone"), "phone", "tel"))
                @if crate::policy::names_provider_district(me) { (input(f, "provider", ctx.t("服务区划代码", "District code"), "district_code", "text")) }
                (input(f, "provider", ctx.t("价目表：事项编码=价格（分），逗号分隔", "Prices: item code = fen, comma-separated"), "price_list", "text"))
                p { button type="submit" { (ctx.t("登记", "Register")) } }
            }
        }
    };
    (status, page(ctx, ctx.t("服务商", "Providers"), body)).into_response()
}

pub async fn add(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async { providers::register(&state, ctx.me()?, from_pairs(&pairs)?).await }.await;
    match r {
        Ok(_) => super::done::redirect("/providers", "provider"),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form: "provider", field, msg: ctx.lang.msg(&msg), values: pairs };
            registry_with(&state, &ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}")).unwrap_or_else(|| "—".into())
}

pub async fn performance(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let rows = match pv::performance(&state.db, crate::policy::provider_district(me).as_deref()).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("服务商绩效", "Provider performance")) }
        p.muted { (ctx.t("接单时长为派单到接单，完成时长为接单到完成；满意度为居民对已完成案件的总体评分，投诉为重新办理或评分不高于2分的案件。均实时计算。",
                         "Acceptance time runs from offer to acceptance, completion time from acceptance to completion; satisfaction is residents' overall rating of completed cases; complaints are cases reopened or rated 2 or less. Computed live.")) }
        div.table-wrap { table #performance {
            thead { tr { th { (ctx.t("服务商", "Provider")) } th { (ctx.t("派单", "Offered")) } th { (ctx.t("接单", "Accepted")) } th { (ctx.t("拒单", "Declined")) } th { (ctx.t("完成", "Completed")) }
                th { (ctx.t("接单时长中位数（分钟）", "Median acceptance (min)")) } th { (ctx.t("平均接单（分钟）", "Avg acceptance (min)")) } th { (ctx.t("平均完成（小时）", "Avg completion (h)")) }
                th { (ctx.t("满意度", "Satisfaction")) } th { (ctx.t("投诉", "Complaints")) } } }
            tbody { @for r in &rows { tr {
                td { (r.provider.name) " " span.muted { (kind_name(&ctx, r.provider.kind)) } }
                td { (r.offered) } td { (r.accepted) } td { (r.declined) } td { (r.completed) }
                td { (num(r.median_accept_minutes, 1)) } td { (num(r.avg_accept_minutes, 1)) } td { (num(r.avg_completion_hours, 1)) }
                td { (num(r.satisfaction, 2)) @if r.ratings > 0 { " (" (r.ratings) ")" } } td { (r.complaints) }
            } } }
        } }
        p { a href="/providers" { (ctx.t("返回服务商", "Back to providers")) } }
    };
    page(&ctx, ctx.t("服务商绩效", "Provider performance"), body)
}
