//! JSON mirrors of the election's polling (rules §2.11–§2.13).

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::election_polling::{self as actions, MobileVoter, NewStation, NewTeller, Proxy};
use crate::pages::Ctx;
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::elections::Election;
use store::elections::polling as pol;

/// The polling set-up: stations and mobile boxes, tellers, the proxies (names only).
pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let e = load::<Election>(&s, ctx.me()?, id).await?;
    let (stations, tellers, proxies) =
        tokio::try_join!(pol::stations(&s.db, id), pol::tellers(&s.db, id), pol::proxies(&s.db, id))?;
    Ok(Json(json!({ "locked": e.locked(), "stations": stations, "tellers": tellers, "proxies": proxies })))
}

/// §2.11: the published list of principals and their proxies, names only.
pub async fn proxies(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    load::<Election>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "proxies": pol::proxies(&s.db, id).await? })))
}

pub async fn add_proxy(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Proxy>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_proxy(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn add_station(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewStation>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_station(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn flag_mobile_voter(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<MobileVoter>, JsonRejection>,
) -> ApiResult<Value> {
    let cmd = body(b)?;
    let (bx, voter) = (cmd.box_name.trim().to_string(), cmd.voter.trim().to_string());
    actions::flag_mobile_voter(&s, ctx.me()?, id, cmd).await?;
    Ok(Json(json!({ "box": bx, "voter": voter })))
}

pub async fn add_teller(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewTeller>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::add_teller(&s, ctx.me()?, id, body(b)?).await?)))
}
