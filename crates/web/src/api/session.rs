use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::session::{authenticate, session_cookie};
use crate::policy::{SESSION_COOKIE, cookie};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(serde::Deserialize)]
pub struct Login {
    username: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    client: crate::secure::Client,
    b: Result<Json<Login>, JsonRejection>,
) -> Result<Response, ApiError> {
    let l = body(b)?;
    let u = authenticate(&state, &l.username, &l.password, &client.0).await?;
    let (token, csrf) = store::users::open_session(&state.db, &u).await?;
    let mut resp = Json(json!({ "user": u, "csrf": csrf })).into_response();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&token, 12 * 3600));
    Ok(resp)
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        store::users::close_session(&state.db, &token).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie("", 0));
    Ok(resp)
}

pub async fn me(ctx: Ctx) -> ApiResult<Value> {
    let p = ctx.me()?;
    Ok(Json(json!({
        "id": p.user_id, "username": p.username, "display_name": p.display_name, "role": p.role,
        "community_code": p.community, "district_code": p.district, "department": p.department,
        "csrf": p.csrf
    })))
}
