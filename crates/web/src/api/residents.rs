use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::residents::{read_upload, run_import, scoped_filter};
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use serde_json::{Value, json};
use store::residents::{Resident, ResidentInput};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    community: Option<String>,
    q: Option<String>,
    building: Option<String>,
    hukou: Option<i64>,
    after: Option<i64>,
    limit: Option<i64>,
}

pub async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> ApiResult<Value> {
    let mut f = scoped_filter(&ctx, q.community)?;
    f.q = q.q;
    f.building = q.building;
    f.hukou = q.hukou;
    f.after = q.after;
    f.limit = q.limit;
    let p = store::residents::list(&s.db, &f).await?;
    Ok(Json(
        json!({ "residents": p.rows, "total": p.total, "total_is_lower_bound": p.total_capped, "next_after": p.next_after }),
    ))
}

pub async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<ResidentInput>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let input = body(b)?;
    let community = me.community.clone().ok_or(ApiError::Forbidden)?;
    Ok(Json(json!(store::residents::add(&s.db, &me.actor(), me.user_id, &community, input).await?)))
}

pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(load::<Resident>(&s, ctx.me()?, id).await?)))
}

pub async fn reveal(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    load::<Resident>(&s, ctx.me()?, id).await?;
    let full = store::residents::reveal(&s.db, &ctx.me()?.actor(), id).await?;
    Ok(Json(json!({ "id": id, "id_number": full })))
}

pub async fn import(State(s): State<AppState>, ctx: Ctx, mp: Multipart) -> ApiResult<Value> {
    let me = ctx.me()?.clone();
    let (fname, bytes, _) = read_upload(mp).await?;
    Ok(Json(json!(run_import(&s, &me, &fname, &bytes).await?)))
}

pub async fn import_result(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let run = load::<store::residents::ImportRun>(&s, me, id).await?;
    let rejected: Value = serde_json::from_str(&run.rejected_json).unwrap_or(json!([]));
    Ok(Json(json!({
        "id": run.id, "file_name": run.file_name, "total": run.total, "inserted": run.inserted,
        "unchanged": run.unchanged, "rejected": rejected, "at": run.at, "community_code": run.community_code
    })))
}
