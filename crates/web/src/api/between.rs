//! JSON mirrors of the committee page between elections (rules §1.10, §1.12, §2.21, §2.22).

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::between::{self as actions, CovenantDecision, CovenantFiling, NewChange, NewCovenant};
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};

pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> ApiResult<Value> {
    let v = actions::view(&s, ctx.me()?, &code).await?;
    let roster: Vec<Value> =
        v.roster.iter().map(|(n, p, l)| json!({ "name": n, "post": p, "lives_here": l })).collect();
    Ok(Json(json!({
        "community": v.community.code,
        "roster": roster,
        "changes": v.changes,
        "covenants": v.covenants,
    })))
}

pub async fn change(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    b: Result<Json<NewChange>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::change(&s, ctx.me()?, &code, body(b)?).await?)))
}

pub async fn draft(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    b: Result<Json<NewCovenant>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::draft(&s, ctx.me()?, &code, body(b)?).await?)))
}

pub async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<CovenantDecision>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::decide(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<CovenantFiling>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::file(&s, ctx.me()?, id, body(b)?).await?)))
}
