use super::{ApiResult, body};
use crate::AppState;
use crate::pages::Ctx;
use crate::pages::deliberation::own_community;
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::stewards::{self as sw, Decision, IssueStatus, NewIssue, Volunteer};

pub async fn stewards(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!({ "stewards": crate::scope::stewards(&s, ctx.me()?).await? })))
}

pub async fn volunteer(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<Volunteer>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(sw::volunteer(&s.db, &me.actor(), me.user_id, &own_community(me)?, body(b)?).await?)))
}

pub async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Decision>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::stewards::Steward>(&s, me, id).await?;
    Ok(Json(json!(sw::decide(&s.db, &me.actor(), id, body(b)?).await?)))
}

pub async fn issues(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!({ "issues": crate::scope::issues(&s, ctx.me()?).await? })))
}

pub async fn raise_issue(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewIssue>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(sw::raise_issue(&s.db, &me.actor(), me.user_id, &own_community(me)?, body(b)?).await?)))
}

pub async fn issue_status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<IssueStatus>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::stewards::Issue>(&s, me, id).await?;
    Ok(Json(json!(sw::set_issue_status(&s.db, &me.actor(), id, body(b)?).await?)))
}
