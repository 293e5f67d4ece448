use super::{ApiResult, body};
use crate::AppState;
use crate::actions::registry as act;
use crate::pages::Ctx;
use crate::pages::residents::upload;
use crate::privacy::ResidentView;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use serde_json::{Value, json};

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
    let mut f = act::resident_filter(ctx.me()?, q.community)?;
    f.q = q.q;
    f.building = q.building;
    f.hukou = q.hukou;
    f.after = q.after;
    f.limit = q.limit;
    let me = ctx.me()?;
    let p = act::search(&s, me, &f).await?;
    let rows = ResidentView::many(me.role, &p.rows);
    Ok(Json(
        json!({ "residents": rows, "total": p.total, "total_is_lower_bound": p.total_capped, "next_after": p.next_after }),
    ))
}

pub async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::ResidentInput>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(ResidentView::of(me.role, &act::register(&s, me, body(b)?).await?))))
}

pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(ResidentView::of(me.role, &act::resident(&s, me, id).await?))))
}

pub async fn reveal(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let full = act::reveal(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "id": id, "id_number": full })))
}

pub async fn import(State(s): State<AppState>, ctx: Ctx, mp: Multipart) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(act::import(&s, me, upload(mp).await?).await?)))
}

pub async fn import_result(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let (run, rejected, counts) = act::import_run(&s, ctx.me()?, id).await?;
    let rejected_total = run.rejected_total.max(rejected.len() as i64);
    Ok(Json(json!({
        "id": run.id, "file_name": run.file_name, "total": run.total, "inserted": run.inserted,
        "unchanged": run.unchanged, "rejected": rejected, "rejected_total": rejected_total,
        "rejected_counts": counts, "at": run.at, "community_code": run.community_code
    })))
}
