use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::cases::{ListQuery, engine_role, reachable_case, visible};
use crate::pages::deliberation::own_community;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use store::cases::{self as cs, NewCase, NewEvent};

/// The service items catalogue (事项目录).
pub async fn items(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(json!({ "items": cs::items(&s.db).await? })))
}

pub async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> ApiResult<Value> {
    Ok(Json(json!({ "cases": visible(&s, ctx.me()?, q.queue.as_deref()).await? })))
}

pub async fn create(State(s): State<AppState>, ctx: Ctx, b: Result<Json<NewCase>, JsonRejection>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = own_community(me)?;
    Ok(Json(json!(cs::create(&s.db, &me.actor(), cases::Role::FrontDesk, &community, body(b)?).await?)))
}

pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = reachable_case(&s, me, id).await?;
    let history = cs::history(&s.db, id).await?;
    let allowed = cs::allowed(&s.db, id, engine_role(me.role)).await?;
    Ok(Json(json!({ "case": cs::view(&s.db, c).await?, "history": history, "allowed_events": allowed })))
}

pub async fn event(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewEvent>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    reachable_case(&s, me, id).await?;
    let role = engine_role(me.role).ok_or_else(|| {
        ApiError::from(store::error::bad("event", "您的角色不能办理案件", "your role does not act on cases"))
    })?;
    Ok(Json(json!(cs::apply(&s.db, &me.actor(), role, id, body(b)?).await?)))
}
