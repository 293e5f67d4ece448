//! JSON mirrors of the hotline console, the provider registry, dispatches and
//! the outbox.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::hotline::{self, NewDispatch};
use crate::actions::providers::{self as actions, Answer, Completion, Decline, NewProvider};
use crate::pages::Ctx;
use crate::pages::hotline::ConsoleQuery;
use crate::policy::own_community;
use crate::policy::{provider_district, sees_own_dispatches_only};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use store::Capped;
use store::capped::cut;
use store::providers as pv;

pub async fn caller(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ConsoleQuery>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = store::hotline::caller(&s.db, own_community(me)?, &q.phone).await?;
    let residents = crate::privacy::ResidentView::many(me.role, &c.residents);
    Ok(Json(json!({ "phone": c.phone, "residents": residents, "cases": c.cases })))
}

pub async fn list(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!({ "providers": pv::list(&s.db, provider_district(me).as_deref()).await? })))
}

pub async fn add(State(s): State<AppState>, ctx: Ctx, b: Result<Json<NewProvider>, JsonRejection>) -> ApiResult<Value> {
    Ok(Json(json!(actions::register(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn performance(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!({ "providers": pv::performance(&s.db, provider_district(me).as_deref()).await? })))
}

pub async fn dispatch(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewDispatch>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(hotline::dispatch(&s, ctx.me()?, id, body(b)?).await?.dispatch)))
}

/// The triage queue: any operator sees what waits (addresses and services, no caller).
pub async fn triage(State(s): State<AppState>) -> ApiResult<Value> {
    let waiting = store::triage::waiting(&s.db).await?;
    Ok(Json(json!({ "cut": cut(&[("waiting", waiting.more)]), "waiting": waiting })))
}

pub async fn route_triage(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<hotline::RouteTriage>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(hotline::route_triage(&s, ctx.me()?, id, body(b)?).await?)))
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchQuery {
    #[serde(default)]
    pub case_id: Option<i64>,
}

/// A provider's worker sees their provider's dispatches; staff those in scope.
pub async fn dispatches(State(s): State<AppState>, ctx: Ctx, Query(q): Query<DispatchQuery>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let list = if sees_own_dispatches_only(me) {
        match actions::my_dispatches(&s, me, q.case_id).await? {
            Some((_, list)) => list,
            None => Capped::default(),
        }
    } else {
        let (c, d) = me.scope();
        pv::in_scope(&s.db, c.as_deref(), d.as_deref(), q.case_id).await?
    };
    Ok(Json(json!({ "cut": cut(&[("dispatches", list.more)]), "dispatches": list })))
}

pub async fn accept(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::answer(&s, ctx.me()?, id, Answer::Accept).await?)))
}

pub async fn decline(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Decline>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::answer(&s, ctx.me()?, id, Answer::Decline(body(b)?)).await?)))
}

pub async fn arrive(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::answer(&s, ctx.me()?, id, Answer::Arrive).await?)))
}

pub async fn complete(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Completion>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::answer(&s, ctx.me()?, id, Answer::Complete(body(b)?)).await?)))
}

pub async fn outbox(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let me = ctx.me()?;
    let (c, d) = me.scope();
    let list = store::outbox::list(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(json!({ "cut": cut(&[("outbox", list.more)]), "outbox": list })))
}
