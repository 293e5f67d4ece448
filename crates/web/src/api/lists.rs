//! The four lists (public), access applications (社区准入) and community tasks as JSON.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::lists::{self as act, DraftEdit, list_kind};
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::scope::load;
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
    let mut rows = sl::versions(&s.db, Some(k)).await?;
    rows.retain(|r| r.status == store::lists::VersionStatus::Published);
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
    let o = act::access_overview(&s, ctx.me()?).await?;
    Ok(Json(json!({ "applications": o.applications, "departments": o.departments, "communities": o.communities })))
}

pub async fn file(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewApplication>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::file(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn application(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let a = load::<store::lists::AppRow>(&s, ctx.me()?, id).await?;
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
    Ok(Json(json!(act::decide(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn tasks(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let rows = sl::tasks(&s.db, c.as_deref(), d.as_deref()).await?;
    let tasks: Vec<Value> = rows.iter().map(|t| json!({ "task": t, "refusable": t.refusable() })).collect();
    Ok(Json(json!({ "tasks": tasks, "communities": sl::community_burden(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn push(State(s): State<AppState>, ctx: Ctx, b: Result<Json<NewPush>, JsonRejection>) -> ApiResult<Value> {
    Ok(Json(json!(act::push(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn refuse(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Refusal>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::refuse(&s, ctx.me()?, id, body(b)?).await?)))
}

// ----- editing the lists (city civil affairs) ----------------------------------------------------

fn version_json(r: &sl::VersionRow) -> Result<Value, ApiError> {
    Ok(json!({ "row": r, "entries": r.parse()?.entries() }))
}

/// Open drafts of a list.
pub async fn drafts(State(s): State<AppState>, Path(kind): Path<String>) -> ApiResult<Value> {
    let k = list_kind(&kind)?;
    let rows = sl::drafts(&s.db, k).await?;
    Ok(Json(json!({ "drafts": rows.iter().map(version_json).collect::<Result<Vec<_>, _>>()? })))
}

/// Open a draft: a copy of the version in force with the next number.
pub async fn create_draft(State(s): State<AppState>, ctx: Ctx, Path(kind): Path<String>) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(version_json(&act::open_draft(&s, me, list_kind(&kind)?).await?)?))
}

pub async fn draft(State(s): State<AppState>, Path((kind, version)): Path<(String, i64)>) -> ApiResult<Value> {
    let k = list_kind(&kind)?;
    Ok(Json(version_json(&sl::version(&s.db, k, version).await?)?))
}

async fn edit(s: &AppState, ctx: &Ctx, kind: &str, version: i64, edit: DraftEdit) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(version_json(&act::edit_draft(s, me, list_kind(kind)?, version, edit).await?)?))
}

pub async fn add_entry(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    b: Result<Json<sl::EntryForm>, JsonRejection>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, DraftEdit::Add(body(b)?)).await
}

pub async fn replace_entry(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
    b: Result<Json<sl::EntryForm>, JsonRejection>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, DraftEdit::Replace { code, entry: body(b)? }).await
}

pub async fn remove_entry(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, DraftEdit::Remove { code }).await
}

pub async fn review(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, DraftEdit::Review).await
}

pub async fn publish(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    b: Result<Json<sl::PublishForm>, JsonRejection>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, DraftEdit::Publish(body(b)?)).await
}

/// Import entries from an XLSX workbook (the body is the file, the export's
/// format); rejected rows are listed with their reasons.
pub async fn import_entries(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    bytes: axum::body::Bytes,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let r = act::import_entries(&s, me, list_kind(&kind)?, version, &bytes).await?;
    Ok(Json(json!({
        "version": version_json(&r.version)?, "imported": r.imported, "rejected": r.rejected,
    })))
}
