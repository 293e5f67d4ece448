use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::budgeting::{self as bg, NewCall, NewProject, Review};

pub async fn calls(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "calls": bg::calls(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn create_call(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewCall>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = me.community.clone().ok_or(ApiError::Forbidden)?;
    Ok(Json(json!(bg::create_call(&s.db, &me.actor(), &community, body(b)?).await?)))
}

pub async fn call(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let c = load::<store::budgeting::Call>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({
        "call": c, "projects": bg::projects(&s.db, id).await?, "tally": bg::tally(&s.db, id).await?,
        "result": bg::result(&s.db, id).await?,
    })))
}

pub async fn propose(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewProject>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::budgeting::Call>(&s, me, id).await?;
    Ok(Json(json!(bg::propose(&s.db, &me.actor(), id, body(b)?).await?)))
}

pub async fn advance(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::budgeting::Call>(&s, me, id).await?;
    let c = bg::advance(&s.db, &me.actor(), id).await?;
    Ok(Json(json!({ "call": c, "result": bg::result(&s.db, id).await? })))
}

#[derive(serde::Deserialize)]
pub struct BallotBody {
    /// (project id, points); points are 1 on approval ballots.
    choices: Vec<Choice>,
    #[serde(default)]
    id_number: String,
}

#[derive(serde::Deserialize)]
pub struct Choice {
    project_id: i64,
    #[serde(default = "one")]
    points: i64,
}

fn one() -> i64 {
    1
}

pub async fn vote(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<BallotBody>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = load::<store::budgeting::Call>(&s, me, id).await?;
    let b = body(b)?;
    let voter = bg::web_voter(&s.db, me.user_id, &c.community_code).await?;
    let choices: Vec<(i64, i64)> = b.choices.iter().map(|c| (c.project_id, c.points)).collect();
    Ok(Json(json!({ "ballot_id": bg::vote(&s.db, &me.actor(), id, &voter, "web", &choices).await? })))
}

pub async fn paper_vote(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<BallotBody>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = load::<store::budgeting::Call>(&s, me, id).await?;
    let b = body(b)?;
    let voter = bg::paper_voter(&s.db, &c.community_code, &b.id_number).await?;
    let choices: Vec<(i64, i64)> = b.choices.iter().map(|c| (c.project_id, c.points)).collect();
    Ok(Json(json!({ "ballot_id": bg::vote(&s.db, &me.actor(), id, &voter, "paper", &choices).await? })))
}

pub async fn review(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    b: Result<Json<Review>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<bg::Project>(&s, me, pid).await?;
    Ok(Json(json!(bg::review(&s.db, &me.actor(), pid, body(b)?).await?)))
}

pub async fn project(State(s): State<AppState>, ctx: Ctx, Path(pid): Path<i64>) -> ApiResult<Value> {
    load::<store::budgeting::Project>(&s, ctx.me()?, pid).await?;
    Ok(Json(json!(bg::execution(&s.db, pid).await?)))
}

pub async fn add_milestone(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    b: Result<Json<bg::NewMilestone>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::budgeting::Project>(&s, me, pid).await?;
    Ok(Json(json!(bg::add_milestone(&s.db, &me.actor(), pid, body(b)?).await?)))
}

#[derive(serde::Deserialize, Default)]
pub struct Note {
    #[serde(default)]
    note: String,
}

pub async fn complete_milestone(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(mid): Path<i64>,
    b: Result<Json<Note>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<crate::scope::Milestone>(&s, me, mid).await?;
    let note = body(b)?.note;
    Ok(Json(json!(bg::complete_milestone(&s.db, &me.actor(), mid, &note).await?)))
}

#[derive(serde::Deserialize)]
pub struct Evaluation {
    rating: i64,
    #[serde(default)]
    comment: String,
}

pub async fn evaluate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(pid): Path<i64>,
    b: Result<Json<Evaluation>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let p = load::<store::budgeting::Project>(&s, me, pid).await?;
    let e = body(b)?;
    let voter = bg::web_voter(&s.db, me.user_id, &p.community_code).await?;
    bg::evaluate(&s.db, &me.actor(), pid, &voter, e.rating, &e.comment).await?;
    Ok(Json(json!(bg::execution(&s.db, pid).await?)))
}
