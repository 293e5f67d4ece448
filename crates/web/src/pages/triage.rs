//! The hotline's triage queue (待分派): Open311 requests with an address the
//! registry could not place in one community. An operator reads the address
//! and routes each into a community of their reach; it becomes a case there.

use super::form::{Failed, from_pairs, select};
use super::{Ctx, error_page, form_pairs, page, when};
use crate::AppState;
use crate::actions::hotline::{self, RouteTriage};
use crate::error::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use store::triage::{TRIAGE_HOURS, Triage};

pub async fn queue(State(state): State<AppState>, ctx: Ctx) -> Response {
    queue_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn queue_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let loaded = async {
        let me = ctx.me()?;
        let waiting = store::triage::waiting(&state.db).await?;
        let reach: Vec<_> = store::structure::communities(&state.db, None)
            .await?
            .into_iter()
            .filter(|c| me.can_reach(&c.code, &c.district_code))
            .collect();
        let items: std::collections::HashMap<String, String> =
            store::cases::items(&state.db).await?.into_iter().map(|i| (i.code, i.name)).collect();
        Ok::<_, ApiError>((waiting, reach, items))
    };
    let (waiting, reach, items) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let now = store::clock::now_text();
    let mut options = vec![(String::new(), ctx.t("请选择社区", "Choose a community").to_string())];
    options.extend(reach.iter().map(|c| (c.code.clone(), c.name.clone())));
    let body = html! {
        h1 { (ctx.t("待分派的网上请求", "Requests to route by hand")) }
        p { (ctx.t(
            &format!("以下请求只给了地址，系统未能定位到某一个社区。请根据地址分派到所属社区，{TRIAGE_HOURS}小时内办理。"),
            &format!("These requests came with an address only, which the registry could not place in one community. Route each to its community within {TRIAGE_HOURS} hours."),
        )) }
        (f.general("route", &["community"]))
        @if waiting.is_empty() {
            p { (ctx.t("没有待分派的请求。", "Nothing is waiting.")) }
        } @else {
            table {
                thead { tr {
                    th { (ctx.t("收到时间", "Received")) } th { (ctx.t("地址", "Address")) }
                    th { (ctx.t("服务事项", "Service")) } th { (ctx.t("分派期限", "Route by")) } th { (ctx.t("分派", "Route")) }
                } }
                tbody { @for q in &waiting { (row(ctx, f, q, &items, &options, &now)) } }
            }
            (super::cut_note(ctx, &waiting))
        }
    };
    (status, page(ctx, ctx.t("待分派", "Triage"), body)).into_response()
}

fn row(
    ctx: &Ctx,
    f: &Failed,
    q: &Triage,
    items: &std::collections::HashMap<String, String>,
    options: &[(String, String)],
    now: &str,
) -> maud::Markup {
    let overdue = q.due_at.as_str() < now;
    let mine = f.values.iter().any(|(k, v)| k == "triage_id" && *v == q.id.to_string());
    let none = Failed::default();
    html! {
        tr id={"triage-" (q.id)} {
            td { (when(&q.received_at)) }
            td { (q.address) }
            td { (items.get(&q.service_code).cloned().unwrap_or_else(|| q.service_code.clone())) }
            td { (when(&q.due_at)) @if overdue { " " strong.overdue { (ctx.t("已超时", "overdue")) } } }
            td {
                form method="post" action={"/hotline/triage/" (q.id) "/route"} {
                    (ctx.csrf_field())
                    (select(if mine { f } else { &none }, "route", &ctx.t("所属社区", "Community"), "community", options))
                    button type="submit" { (ctx.t("分派", "Route")) }
                }
            }
        }
    }
}

pub async fn route(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let mut pairs = form_pairs(&body);
    let r = async { hotline::route_triage(&state, ctx.me()?, id, from_pairs::<RouteTriage>(&pairs)?).await }.await;
    match r {
        Ok(c) => super::done::redirect(&format!("/cases/{}", c.id), "routed"),
        Err(ApiError::Invalid { field, msg }) => {
            pairs.push(("triage_id".into(), id.to_string()));
            let f = Failed { form: "route", field, msg: ctx.lang.msg(&msg), values: pairs };
            queue_with(&state, &ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}
