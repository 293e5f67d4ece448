//! JSON mirrors of the living circle's pages (issue 16): coverage in scope, computing it again,
//! the facilities registry (list, add, move, close, import) and siting. Each handler calls the
//! same action as its page (`actions::circle`).

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::circle as act;
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde_json::{Map, Value, json};

type B = Result<Json<Map<String, Value>>, JsonRejection>;

#[derive(serde::Deserialize)]
pub struct TypeQuery {
    #[serde(rename = "type")]
    pub type_code: Option<String>,
}

pub async fn coverage(State(s): State<AppState>, ctx: Ctx, Query(q): Query<TypeQuery>) -> ApiResult<Value> {
    Ok(Json(json!(act::coverage(&s, ctx.me()?, q.type_code.as_deref()).await?)))
}

pub async fn community(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<TypeQuery>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::community_coverage(&s, ctx.me()?, code, q.type_code.as_deref()).await?)))
}

pub async fn recompute(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!(act::recompute(&s, ctx.me()?).await?)))
}

pub async fn facilities(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    ctx.me()?;
    let (all, types) = tokio::try_join!(store::circle::edit::registry(&s.db), store::circle::facility_types(&s.db))?;
    Ok(Json(json!({ "facilities": all, "types": types })))
}

pub async fn add(State(s): State<AppState>, ctx: Ctx, b: B) -> ApiResult<Value> {
    let cmd = act::add_command(&act::json_pairs(body(b)?)?)?;
    Ok(Json(json!(act::add(&s, ctx.me()?, cmd).await?)))
}

pub async fn relocate(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B) -> ApiResult<Value> {
    let pairs = act::json_pairs(body(b)?)?;
    Ok(Json(json!(act::relocate(&s, ctx.me()?, id, &pairs).await?)))
}

pub async fn close(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B) -> ApiResult<Value> {
    let pairs = act::json_pairs(body(b)?)?;
    Ok(Json(json!(act::close(&s, ctx.me()?, id, &pairs).await?)))
}

#[derive(serde::Deserialize)]
pub struct FileQuery {
    pub filename: Option<String>,
}

/// The body is the file itself; `?filename=` (ending .csv or .xlsx) says which kind.
pub async fn import(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FileQuery>,
    bytes: axum::body::Bytes,
) -> ApiResult<Value> {
    let name = q.filename.unwrap_or_else(|| "facilities.csv".into());
    Ok(Json(json!({ "added": act::import(&s, ctx.me()?, &name, &bytes).await? })))
}

#[derive(serde::Deserialize)]
pub struct SitingQuery {
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    pub k: Option<String>,
    pub candidates: Option<String>,
}

pub async fn siting(State(s): State<AppState>, ctx: Ctx, Query(q): Query<SitingQuery>) -> ApiResult<Value> {
    let ask = act::siting_ask(q.type_code.as_deref(), q.k.as_deref(), q.candidates.as_deref())?;
    Ok(Json(json!(act::site(&s, ctx.me()?, &ask).await?)))
}
