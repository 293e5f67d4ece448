//! JSON mirrors of the stewards page.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::stewards::{self as actions, Decision, IssueStatus, NewIssue, Volunteer};
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::capped::cut;

pub async fn stewards(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let stewards = crate::scope::stewards(&s, ctx.me()?).await?;
    Ok(Json(json!({ "cut": cut(&[("stewards", stewards.more)]), "stewards": stewards })))
}

pub async fn volunteer(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<Volunteer>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::volunteer(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Decision>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::decide(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn issues(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let issues = crate::scope::issues(&s, ctx.me()?).await?;
    Ok(Json(json!({ "cut": cut(&[("issues", issues.more)]), "issues": issues })))
}

pub async fn raise_issue(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewIssue>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::raise_issue(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn issue_status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<IssueStatus>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::set_issue_status(&s, ctx.me()?, id, body(b)?).await?)))
}
