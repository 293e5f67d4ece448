//! The four lists (public), access applications (社区准入) and community tasks as JSON.

use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::lists::{applicant, reachable_app, reachable_task};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use store::lists::{self as sl, Decision, NewApplication, NewPush, Refusal};

/// The four lists in force today.
pub async fn index(State(s): State<AppState>) -> ApiResult<Value> {
    let lists = sl::in_force(&s.db, store::clock::today()).await?;
    let out: Vec<Value> = lists::ListKind::ALL
        .iter()
        .map(|k| {
            let v = lists.list(*k).version();
            json!({
                "kind": sl::kind_code(*k), "name": k.name(), "version": v.version(),
                "effective": v.effective().map(|d| d.to_string()), "note": v.note(), "entries": v.entries(),
            })
        })
        .collect();
    Ok(Json(json!({ "lists": out })))
}

#[derive(serde::Deserialize, Default)]
pub struct DiffQuery {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// A list's versions, and the diff between two of them (`?from=1&to=2`).
pub async fn kind(State(s): State<AppState>, Path(kind): Path<String>, Query(q): Query<DiffQuery>) -> ApiResult<Value> {
    let k = sl::parse_kind(&kind).ok_or(ApiError::NotFound)?;
    let rows = sl::versions(&s.db, Some(k)).await?;
    let diff = match (q.from, q.to) {
        (Some(a), Some(b)) => {
            let old = sl::version(&s.db, k, a).await?.parse()?;
            let new = sl::version(&s.db, k, b).await?.parse()?;
            Some(lists::diff(&old, &new))
        }
        _ => None,
    };
    let versions: Vec<Value> = rows
        .iter()
        .map(|r| Ok(json!({ "row": r, "entries": r.parse()?.entries() })))
        .collect::<Result<_, store::StoreError>>()?;
    Ok(Json(json!({ "kind": kind, "name": k.name(), "versions": versions, "diff": diff })))
}

pub async fn applications(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (_, d) = ctx.me()?.scope();
    Ok(Json(json!({
        "applications": sl::applications(&s.db, d.as_deref(), None).await?,
        "departments": sl::department_burden(&s.db, d.as_deref()).await?,
        "communities": sl::community_burden(&s.db, None, d.as_deref()).await?,
    })))
}

pub async fn file(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewApplication>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let n = body(b)?;
    Ok(Json(json!(sl::file(&s.db, &applicant(me), n).await?)))
}

pub async fn application(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let a = reachable_app(&s, ctx.me()?, id).await?;
    let approval = sl::approval(&s.db, id).await?;
    let funding = approval.as_ref().and_then(sl::funding_plan);
    Ok(Json(json!({
        "application": a, "data": a.application()?, "report": sl::report(&s.db, id).await?,
        "approval": approval, "funding": funding,
    })))
}

pub async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Decision>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    reachable_app(&s, me, id).await?;
    Ok(Json(json!(sl::decide(&s.db, &me.actor(), id, body(b)?).await?)))
}

pub async fn tasks(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let rows = sl::tasks(&s.db, c.as_deref(), d.as_deref()).await?;
    let tasks: Vec<Value> = rows.iter().map(|t| json!({ "task": t, "refusable": t.refusable() })).collect();
    Ok(Json(json!({ "tasks": tasks, "communities": sl::community_burden(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn push(State(s): State<AppState>, ctx: Ctx, b: Result<Json<NewPush>, JsonRejection>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let (_, d) = me.scope();
    Ok(Json(json!(sl::record_push(&s.db, &me.actor(), d.as_deref(), body(b)?).await?)))
}

pub async fn refuse(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Refusal>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    reachable_task(&s, me, id).await?;
    Ok(Json(json!(sl::refuse(&s.db, &me.actor(), id, body(b)?).await?)))
}
