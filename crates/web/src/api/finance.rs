//! Community finance as JSON: balances, allocations, claims and their
//! approvals, fund transfers, period closing, reversals, disclosure.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::finance as act;
use crate::pages::Ctx;
use crate::scope::load;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};
use store::capped::cut;
use store::finance as fin;

pub async fn accounts(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "accounts": fin::accounts(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn transactions(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "transactions": fin::transactions(&s.db, c.as_deref(), d.as_deref(), 500).await? })))
}

pub async fn allocate(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::NewAllocation>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::allocate(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn claims(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let claims = fin::claims(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(json!({ "cut": cut(&[("claims", claims.more)]), "claims": claims })))
}

pub async fn file_claim(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::NewClaim>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::file_claim(&s, ctx.me()?, body(b)?, None).await?)))
}

pub async fn claim(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let c = load::<store::finance::Claim>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "claim": c, "vouchers": fin::vouchers(&s.db, id).await? })))
}

pub async fn approve(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(act::approve(&s, ctx.me()?, id).await?)))
}

pub async fn reject(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<act::Reject>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::reject(&s, ctx.me()?, id, body(b)?).await?)))
}

#[derive(serde::Deserialize)]
pub struct VoucherQuery {
    #[serde(default)]
    filename: String,
}

/// The request body is the voucher file itself; `?filename=` names it.
pub async fn add_voucher(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<VoucherQuery>,
    headers: HeaderMap,
    bytes: Bytes,
) -> ApiResult<Value> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let v = act::Voucher { filename: q.filename, content_type, bytes: bytes.to_vec() };
    Ok(Json(json!(act::add_voucher(&s, ctx.me()?, id, v).await?)))
}

pub async fn transfer(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::NewTransfer>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::transfer(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn close(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::Close>, JsonRejection>,
) -> ApiResult<Value> {
    let through = act::close(&s, ctx.me()?, body(b)?).await?;
    Ok(Json(json!({ "closed_through": through })))
}

pub async fn reopen(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::Reopen>, JsonRejection>,
) -> ApiResult<Value> {
    let through = act::reopen(&s, ctx.me()?, body(b)?).await?;
    Ok(Json(json!({ "closed_through": through })))
}

pub async fn reverse(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<act::Reverse>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::reverse(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn settings(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::SecondApproval>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!({ "second_approval_fen": act::set_second_approval(&s, ctx.me()?, body(b)?).await? })))
}

pub async fn district(State(s): State<AppState>, ctx: Ctx, Query(q): Query<act::QuarterQuery>) -> ApiResult<Value> {
    let v = act::district_view(&s, ctx.me()?, &q).await?;
    Ok(Json(json!({
        "district": v.district, "year": v.year, "quarter": v.quarter, "communities": v.communities,
    })))
}

pub async fn disclosure(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<act::QuarterQuery>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::disclosure(&s, &code, &q).await?)))
}
