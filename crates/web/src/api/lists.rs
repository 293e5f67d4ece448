//! The four lists (public), access applications (社区准入) and community tasks as JSON.

use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::policy::applicant;
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
    let who = applicant(me)?;
    let mut n = body(b)?;
    // A department in the request is ignored: the account says which department files.
    n.department = who.department.clone();
    Ok(Json(json!(sl::file(&s.db, &who, n).await?)))
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
    let me = ctx.me()?;
    load::<store::lists::AppRow>(&s, me, id).await?;
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
    load::<store::lists::TaskRow>(&s, me, id).await?;
    Ok(Json(json!(sl::refuse(&s.db, &me.actor(), id, body(b)?).await?)))
}

// ----- editing the lists (city civil affairs) ----------------------------------------------------

fn list_kind(kind: &str) -> Result<lists::ListKind, ApiError> {
    sl::parse_kind(kind).ok_or(ApiError::NotFound)
}

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
    let k = list_kind(&kind)?;
    Ok(Json(version_json(&sl::create_draft(&s.db, &me.actor(), k).await?)?))
}

pub async fn draft(State(s): State<AppState>, Path((kind, version)): Path<(String, i64)>) -> ApiResult<Value> {
    let k = list_kind(&kind)?;
    Ok(Json(version_json(&sl::version(&s.db, k, version).await?)?))
}

async fn edit(
    s: &AppState,
    ctx: &Ctx,
    kind: &str,
    version: i64,
    edit: impl FnOnce(lists::ListKind) -> Result<sl::VersionEdit, store::StoreError>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let k = list_kind(kind)?;
    let e = edit(k)?;
    Ok(Json(version_json(&sl::edit_version(&s.db, &me.actor(), k, version, e).await?)?))
}

pub async fn add_entry(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    b: Result<Json<sl::EntryForm>, JsonRejection>,
) -> ApiResult<Value> {
    let f = body(b)?;
    edit(&s, &ctx, &kind, version, |k| Ok(sl::VersionEdit::Add(sl::parse_entry(k, &f)?))).await
}

pub async fn replace_entry(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
    b: Result<Json<sl::EntryForm>, JsonRejection>,
) -> ApiResult<Value> {
    let mut f = body(b)?;
    f.code = code;
    edit(&s, &ctx, &kind, version, |k| Ok(sl::VersionEdit::Replace(sl::parse_entry(k, &f)?))).await
}

pub async fn remove_entry(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, |_| Ok(sl::VersionEdit::Remove(code))).await
}

pub async fn review(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
) -> ApiResult<Value> {
    edit(&s, &ctx, &kind, version, |_| Ok(sl::VersionEdit::Review)).await
}

pub async fn publish(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    b: Result<Json<sl::PublishForm>, JsonRejection>,
) -> ApiResult<Value> {
    let f = body(b)?;
    edit(&s, &ctx, &kind, version, |_| Ok(sl::VersionEdit::Publish(f.date()?))).await
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
    let k = list_kind(&kind)?;
    let r = sl::import_entries(&s.db, &me.actor(), k, version, &bytes).await?;
    Ok(Json(json!({
        "version": version_json(&r.version)?, "imported": r.imported, "rejected": r.rejected,
    })))
}
