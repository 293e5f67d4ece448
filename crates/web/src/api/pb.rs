//! Community service projects over JSON: each write parses its body and runs
//! the action in [`crate::actions::pb`], as the pages do.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::pb::{
    self as act, Ballot, CallView, CompleteMilestone, Evaluation, NewCall, NewMilestone, NewProject, Review,
};
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::budgeting as bg;

pub async fn calls(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "calls": bg::calls(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn create_call(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewCall>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::open_call(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn call(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let CallView { call, projects, tally, result } = act::call(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "call": call, "projects": projects, "tally": tally, "result": result })))
}

pub async fn propose(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewProject>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::propose(&s, ctx.me()?, id, body(b)).await?)))
}

pub async fn advance(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let a = act::advance(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "call": a.call, "result": a.result })))
}

pub async fn vote(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Ballot>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!({ "ballot_id": act::vote(&s, ctx.me()?, id, body(b)).await? })))
}

pub async fn paper_vote(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Ballot>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!({ "ballot_id": act::enter_paper_ballot(&s, ctx.me()?, id, body(b)).await? })))
}

pub async fn review(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    b: Result<Json<Review>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::review(&s, ctx.me()?, pid, body(b)).await?)))
}

pub async fn project(State(s): State<AppState>, ctx: Ctx, Path(pid): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(act::project(&s, ctx.me()?, pid).await?)))
}

pub async fn add_milestone(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    b: Result<Json<NewMilestone>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::add_milestone(&s, ctx.me()?, pid, body(b)).await?)))
}

pub async fn complete_milestone(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(mid): Path<i64>,
    b: Result<Json<CompleteMilestone>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::complete_milestone(&s, ctx.me()?, mid, body(b)).await?)))
}

pub async fn evaluate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    b: Result<Json<Evaluation>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::evaluate(&s, ctx.me()?, pid, body(b)).await?)))
}
