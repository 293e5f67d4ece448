//! The service center's JSON API: each write parses its body into the
//! command of [`crate::actions::cases`] and answers with the action's outcome.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::cases::{self as act, Adopt, LinkDuplicate, ListQuery, NewCase, NewEvent, NewFile};
use crate::http::read_file;
use crate::pages::Ctx;
use crate::policy::own_community;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use serde_json::{Value, json};
use store::cases as cs;

/// The service items catalogue (事项目录).
pub async fn items(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(json!({ "items": cs::items(&s.db).await? })))
}

/// A page of cases in scope: `?queue=&status=open|overdue|callback|done|all&offset=`.
pub async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> ApiResult<Value> {
    let q = ListQuery { status: Some(q.status.clone().unwrap_or_else(|| "all".into())), ..q };
    Ok(Json(json!(act::list(&s, ctx.me()?, &q).await?)))
}

pub async fn create(State(s): State<AppState>, ctx: Ctx, b: Result<Json<Value>, JsonRejection>) -> ApiResult<Value> {
    let me = ctx.me()?;
    // The store's input, and beside it the applicant's ID number (rule I1), which the case never keeps in full.
    let v = body(b)?;
    if !v.is_object() {
        return Err(crate::error::ApiError::invalid("body", "请求体应为JSON对象", "the body must be a JSON object"));
    }
    let id_number = v.get("id_number").and_then(Value::as_str).unwrap_or_default().to_string();
    let n: NewCase = crate::error::typed_input(v)?;
    Ok(Json(json!(act::take_at_counter(&s, me, n, &id_number).await?)))
}

pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let d = act::detail(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "case": d.view, "history": d.history, "allowed_events": d.allowed, "attachments": d.attachments })))
}

pub async fn event(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewEvent>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(act::apply_event(&s, me, id, body(b)?).await?)))
}

pub async fn link(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<LinkDuplicate>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(act::link_duplicate(&s, me, id, body(b)?).await?)))
}

pub async fn attach(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, mp: Multipart) -> ApiResult<Value> {
    let me = ctx.me()?;
    let file = async { read_file(mp, cs::MAX_ATTACHMENT_BYTES).await.map(|(name, bytes)| NewFile { name, bytes }) };
    Ok(Json(json!(act::attach(&s, me, id, file).await?)))
}

pub async fn stats(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!(cs::stats(&s.db, c.as_deref(), d.as_deref()).await?)))
}

pub async fn league(State(s): State<AppState>) -> ApiResult<Value> {
    let (stats, units) = tokio::try_join!(cs::stats(&s.db, None, None), cs::league(&s.db, None))?;
    Ok(Json(json!({ "city": stats, "units": units })))
}

pub async fn mine(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let cases = act::mine(&s, ctx.me()?).await?;
    Ok(Json(json!({ "cut": store::capped::cut(&[("cases", cases.more)]), "cases": cases })))
}

pub async fn create_mine(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewCase>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(act::request_online(&s, me, body(b)?).await?)))
}

pub async fn adopted(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let community = own_community(ctx.me()?)?;
    Ok(Json(json!({ "community": community, "items": cs::adopted(&s.db, &community).await? })))
}

pub async fn set_adopted(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<Adopt>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(act::set_adopted(&s, me, body(b)?).await?)))
}
