use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::cases::{ListQuery, visible};
use crate::pages::deliberation::own_community;
use crate::policy::engine_role;
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use store::cases::{self as cs, NewCase, NewEvent};

/// The service items catalogue (事项目录).
pub async fn items(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(json!({ "items": cs::items(&s.db).await? })))
}

/// A page of cases in scope: `?queue=&status=open|overdue|callback|done|all&offset=`.
pub async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> ApiResult<Value> {
    let q = ListQuery { status: Some(q.status.clone().unwrap_or_else(|| "all".into())), ..q };
    Ok(Json(json!(visible(&s, ctx.me()?, &q).await?)))
}

pub async fn create(State(s): State<AppState>, ctx: Ctx, b: Result<Json<NewCase>, JsonRejection>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = own_community(me)?;
    Ok(Json(json!(cs::create(&s.db, &me.actor(), cases::Role::FrontDesk, &community, body(b)?).await?)))
}

pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = load::<store::cases::Case>(&s, me, id).await?;
    let history = cs::history(&s.db, id).await?;
    let allowed = cs::allowed(&s.db, id, engine_role(me.role)).await?;
    let files = cs::attachments(&s.db, id).await?;
    Ok(Json(
        json!({ "case": cs::view(&s.db, c).await?, "history": history, "allowed_events": allowed, "attachments": files }),
    ))
}

pub async fn event(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewEvent>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::cases::Case>(&s, me, id).await?;
    let role = engine_role(me.role).ok_or_else(|| {
        ApiError::from(store::error::bad("event", "您的角色不能办理案件", "your role does not act on cases"))
    })?;
    Ok(Json(json!(cs::apply(&s.db, &me.actor(), role, id, body(b)?).await?)))
}

#[derive(Debug, Default, Deserialize)]
pub struct LinkBody {
    #[serde(default)]
    pub original: Option<i64>,
}

pub async fn link(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<LinkBody>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::cases::Case>(&s, me, id).await?;
    let original = body(b)?.original.ok_or_else(|| {
        ApiError::from(store::error::bad("original", "请填写原始案件编号", "the original case's number is required"))
    })?;
    Ok(Json(json!(cs::link_duplicate(&s.db, &me.actor(), id, original).await?)))
}

pub async fn attach(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, mp: Multipart) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = load::<store::cases::Case>(&s, me, id).await?;
    let (name, bytes) = crate::pages::case::read_file(mp).await?;
    Ok(Json(json!(cs::attach(&s.db, &me.actor(), &c, &name, &bytes).await?)))
}

pub async fn stats(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!(cs::stats(&s.db, c.as_deref(), d.as_deref()).await?)))
}

pub async fn league(State(s): State<AppState>) -> ApiResult<Value> {
    let (stats, units) = tokio::try_join!(cs::stats(&s.db, None, None), cs::league(&s.db, None))?;
    Ok(Json(json!({ "city": stats, "units": units })))
}

pub async fn mine(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (rid, _, _) = cs::linked_resident(&s.db, ctx.me()?.user_id).await?;
    Ok(Json(json!({ "cases": cs::mine(&s.db, rid).await? })))
}

pub async fn create_mine(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewCase>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = own_community(me)?;
    Ok(Json(json!(cs::create_for_resident(&s.db, &me.actor(), me.user_id, &community, body(b)?).await?)))
}

pub async fn adopted(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let community = own_community(ctx.me()?)?;
    Ok(Json(json!({ "community": community, "items": cs::adopted(&s.db, &community).await? })))
}

#[derive(Debug, Default, Deserialize)]
pub struct AdoptBody {
    #[serde(default)]
    pub items: Vec<String>,
}

pub async fn set_adopted(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<AdoptBody>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let community = own_community(me)?;
    let items = cs::set_adopted(&s.db, &me.actor(), &community, &body(b)?.items).await?;
    Ok(Json(json!({ "community": community, "items": items })))
}
