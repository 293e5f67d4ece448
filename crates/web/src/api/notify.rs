//! JSON API of delivery (issue 19): the gateways' signed receipts, a dead
//! letter's retry, preferences and consent, templates.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::notify as actions;
use crate::pages::Ctx;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};
use store::capped::cut;
use store::notify::prefs::SetPrefs;
use store::notify::templates::SetTemplate;

/// A gateway's delivery receipt (signed; no session).
pub async fn receipt(State(s): State<AppState>, headers: HeaderMap, b: Bytes) -> ApiResult<Value> {
    let sig = headers.get(notify::sign::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let m = actions::receipt(&s, sig, &b).await?;
    Ok(Json(json!({ "recorded": m.is_some(), "status": m.map(|m| m.status) })))
}

pub async fn retry(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::retry(&s, ctx.me()?, id).await?)))
}

pub async fn prefs(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let prefs = store::notify::prefs::list(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(json!({ "cut": cut(&[("prefs", prefs.more)]), "prefs": prefs })))
}

pub async fn set_prefs(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<SetPrefs>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::set_prefs(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn templates(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(json!({ "templates": store::notify::templates::all(&s.db).await? })))
}

pub async fn set_template(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    b: Result<Json<SetTemplate>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::set_template(&s, ctx.me()?, &kind, body(b)?).await?)))
}
