//! JSON mirrors of the organisations and purchases pages.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::orgs::{
    self as actions, AnnualReport, InspectionDecision, NewAccount, NewActivity, NewApplication, NewBudgetLine,
    NewCatalogueItem, NewContract, NewMember, NewOrg, NewPayment, NewProject, NewPurchaseEvaluation, NewRecord,
    NewSettings, OpenYear, OrgEdit, RecordDecision,
};
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};

type B<T> = Result<Json<T>, JsonRejection>;

pub async fn overview(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!(actions::overview(&s, ctx.me()?).await?)))
}

pub async fn org(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::org(&s, ctx.me()?, id).await?)))
}

pub async fn register(State(s): State<AppState>, ctx: Ctx, b: B<NewOrg>) -> ApiResult<Value> {
    Ok(Json(json!(actions::register(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn edit(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<OrgEdit>) -> ApiResult<Value> {
    Ok(Json(json!(actions::edit(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn add_member(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<NewMember>) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_member(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn add_activity(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<NewActivity>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_activity(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn bind_account(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<NewAccount>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::bind_account(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn settings(State(s): State<AppState>, ctx: Ctx, b: B<NewSettings>) -> ApiResult<Value> {
    Ok(Json(json!(actions::set_settings(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn open_year(State(s): State<AppState>, ctx: Ctx, b: B<OpenYear>) -> ApiResult<Value> {
    Ok(Json(json!(actions::open_year(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn remind(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!(actions::remind(&s, ctx.me()?).await?)))
}

pub async fn submit_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<AnnualReport>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::submit_report(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn decide_inspection(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<InspectionDecision>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::decide_inspection(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn purchases(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    Ok(Json(json!(actions::purchases(&s, ctx.me()?).await?)))
}

pub async fn add_catalogue_item(State(s): State<AppState>, ctx: Ctx, b: B<NewCatalogueItem>) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_catalogue_item(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn add_budget_line(State(s): State<AppState>, ctx: Ctx, b: B<NewBudgetLine>) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_budget_line(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn open_project(State(s): State<AppState>, ctx: Ctx, b: B<NewProject>) -> ApiResult<Value> {
    Ok(Json(json!(actions::open_project(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn project(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::project(&s, ctx.me()?, id).await?)))
}

pub async fn public_project(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::public_project(&s, id).await?)))
}

pub async fn apply(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<NewApplication>) -> ApiResult<Value> {
    Ok(Json(json!(actions::apply(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn contract(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<NewContract>) -> ApiResult<Value> {
    Ok(Json(json!(actions::contract(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn report_service(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<NewRecord>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::report_service(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn decide_record(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<RecordDecision>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::decide_record(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn evaluate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: B<NewPurchaseEvaluation>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::evaluate(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn pay(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, b: B<NewPayment>) -> ApiResult<Value> {
    Ok(Json(json!(actions::pay(&s, ctx.me()?, id, body(b)?).await?)))
}
