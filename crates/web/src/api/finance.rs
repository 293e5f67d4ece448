//! Community finance as JSON: balances, allocations, claims and their
//! approvals, fund transfers, period closing, reversals, disclosure.

use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::finance::{YearQuarter, yq};
use crate::policy::{finance_bureau, stage_of};
use crate::scope::{Transaction, load, named_community, view_district};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};
use store::finance::{self as fin, NewAllocation, NewClaim, NewTransfer};

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
    b: Result<Json<NewAllocation>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    finance_bureau(me)?;
    let n = body(b)?;
    named_community(&s, me, "community", &n.community).await?;
    Ok(Json(json!(fin::allocate(&s.db, &me.actor(), n).await?)))
}

pub async fn claims(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "claims": fin::claims(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn file_claim(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewClaim>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = me.community.clone().ok_or(ApiError::Forbidden)?;
    let n = body(b)?;
    Ok(Json(json!(fin::file_claim(&s.db, &me.actor(), me.user_id, &me.display_name, &community, n, None).await?)))
}

pub async fn claim(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let c = load::<store::finance::Claim>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "claim": c, "vouchers": fin::vouchers(&s.db, id).await? })))
}

pub async fn approve(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::finance::Claim>(&s, me, id).await?;
    Ok(Json(json!(fin::approve(&s.db, &me.actor(), me.user_id, stage_of(me)?, id).await?)))
}

#[derive(serde::Deserialize)]
pub struct Reason {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Reason>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::finance::Claim>(&s, me, id).await?;
    let r = body(b)?;
    Ok(Json(json!(fin::reject(&s.db, &me.actor(), me.user_id, stage_of(me)?, id, &r.reason).await?)))
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
    let me = ctx.me()?;
    load::<store::finance::Claim>(&s, me, id).await?;
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let v = fin::Voucher { filename: q.filename, content_type, bytes: bytes.to_vec() };
    Ok(Json(json!(fin::add_voucher(&s.db, &me.actor(), id, v).await?)))
}

pub async fn transfer(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewTransfer>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = me.community.clone().ok_or(ApiError::Forbidden)?;
    Ok(Json(json!(fin::transfer(&s.db, &me.actor(), &community, body(b)?).await?)))
}

#[derive(serde::Deserialize)]
pub struct CloseBody {
    /// A community of the district; absent: the district's own books.
    #[serde(default)]
    community: Option<String>,
    period: String,
}

pub async fn close(State(s): State<AppState>, ctx: Ctx, b: Result<Json<CloseBody>, JsonRejection>) -> ApiResult<Value> {
    let me = ctx.me()?;
    finance_bureau(me)?;
    let b = body(b)?;
    let district = me.district.clone().ok_or(ApiError::Forbidden)?;
    let community = b.community.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = community {
        named_community(&s, me, "community", c).await?;
    }
    let through = fin::close_period(&s.db, &me.actor(), &district, community, &b.period).await?;
    Ok(Json(json!({ "closed_through": through })))
}

#[derive(serde::Deserialize, Default)]
pub struct ReverseBody {
    #[serde(default)]
    memo: String,
}

pub async fn reverse(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<ReverseBody>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    finance_bureau(me)?;
    let b = body(b)?;
    load::<Transaction>(&s, me, id).await?;
    Ok(Json(json!(fin::reverse(&s.db, &me.actor(), id, &b.memo).await?)))
}

#[derive(serde::Deserialize, Default)]
pub struct DistrictQuery {
    #[serde(default)]
    district: Option<String>,
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    quarter: Option<String>,
}

pub async fn district(State(s): State<AppState>, ctx: Ctx, Query(q): Query<DistrictQuery>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let d = view_district(&s, me, q.district.as_deref()).await?;
    let (year, quarter) = yq(&YearQuarter { year: q.year, quarter: q.quarter })?;
    Ok(Json(json!({
        "district": d, "year": year, "quarter": quarter,
        "communities": fin::district_overview(&s.db, &d, year, quarter).await?,
    })))
}

pub async fn disclosure(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<YearQuarter>,
) -> ApiResult<Value> {
    let (year, quarter) = yq(&q)?;
    Ok(Json(json!(fin::disclosure(&s.db, &code, year, quarter).await?)))
}
