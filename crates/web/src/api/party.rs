//! JSON mirrors of the party-building pages.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::party::{
    self as actions, EndSeat, FulfilmentDecision, NewAgreement, NewCadreReview, NewCommitment, NewEvaluation,
    NewFulfilment, NewLiaison, NewRepresentative, NewSeat, NewVeto, Reply, VetoDecision,
};
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use store::capped::cut;

type B<T> = Result<Json<T>, JsonRejection>;

pub async fn overview(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!(actions::overview(&s, ctx.me()?).await?)))
}

pub async fn agreement(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::agreement(&s, ctx.me()?, id).await?)))
}

pub async fn cadre_reviews(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let reviews = actions::overview(&s, ctx.me()?).await?.cadre_reviews;
    Ok(Json(json!({ "cut": cut(&[("cadre_reviews", reviews.more)]), "cadre_reviews": reviews })))
}

pub async fn bind_liaison(State(s): State<AppState>, ctx: Ctx, b: B<NewLiaison>) -> ApiResult<Value> {
    Ok(Json(json!(actions::bind_liaison(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn seat(State(s): State<AppState>, ctx: Ctx, b: B<NewSeat>) -> ApiResult<Value> {
    Ok(Json(json!(actions::seat(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn end_seat(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<EndSeat>) -> ApiResult<Value> {
    Ok(Json(json!(actions::end_seat(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn representative(State(s): State<AppState>, ctx: Ctx, b: B<NewRepresentative>) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_representative(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn sign(State(s): State<AppState>, ctx: Ctx, b: B<NewAgreement>) -> ApiResult<Value> {
    Ok(Json(json!(actions::sign(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn commit(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<NewCommitment>) -> ApiResult<Value> {
    Ok(Json(json!(actions::commit(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn report(State(s): State<AppState>, ctx: Ctx, b: B<NewFulfilment>) -> ApiResult<Value> {
    Ok(Json(json!(actions::report(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<FulfilmentDecision>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::decide(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn evaluate(State(s): State<AppState>, ctx: Ctx, b: B<NewEvaluation>) -> ApiResult<Value> {
    Ok(Json(json!(actions::evaluate(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn reply_to_evaluation(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<Reply>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::reply_to_evaluation(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn review_cadre(State(s): State<AppState>, ctx: Ctx, b: B<NewCadreReview>) -> ApiResult<Value> {
    Ok(Json(json!(actions::review_cadre(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn reply_to_review(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<Reply>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::reply_to_review(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn veto(State(s): State<AppState>, ctx: Ctx, b: B<NewVeto>) -> ApiResult<Value> {
    Ok(Json(json!(actions::veto(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn review_veto(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<VetoDecision>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::review_veto(&s, ctx.me()?, id, body(b)?).await?)))
}

#[derive(serde::Deserialize)]
pub struct FiguresQuery {
    /// The date the figures are as of (YYYY-MM-DD); today if absent.
    pub on: Option<String>,
    /// One district's communities; the whole city if absent.
    pub district: Option<String>,
}

/// Public: the figures per community, district and city (no personal data).
pub async fn figures(State(s): State<AppState>, Query(q): Query<FiguresQuery>) -> ApiResult<Value> {
    let f = actions::figures(&s, q.on.as_deref(), q.district.as_deref()).await?;
    Ok(Json(json!(f)))
}
