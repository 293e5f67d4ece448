use super::{ApiResult, body};
use crate::AppState;
use crate::actions::registry as act;
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::structure;

pub async fn districts(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(
        json!({ "city": { "code": rules::division::CITY_CODE, "name": rules::division::CITY_NAME }, "districts": structure::districts(&s.db).await? }),
    ))
}

pub async fn communities(State(s): State<AppState>) -> ApiResult<Value> {
    let counts = structure::resident_counts(&s.db).await?;
    let list: Vec<Value> = structure::communities(&s.db, None)
        .await?
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.code).copied().unwrap_or(0);
            let mut v = json!(c);
            v["residents"] = json!(n);
            v
        })
        .collect();
    Ok(Json(json!({ "communities": list })))
}

pub async fn community(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Value> {
    let c = structure::community(&s.db, &code).await?;
    let bodies: Vec<Value> =
        structure::bodies(&s.db, &code).await?.into_iter().map(|(b, m)| json!({ "body": b, "members": m })).collect();
    Ok(Json(json!({
        "community": c, "bodies": bodies, "groups": structure::groups(&s.db, &code).await?,
        "units": structure::unit_count(&s.db, &code).await?
    })))
}

pub async fn functions(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(json!({ "functions": structure::functions(&s.db).await? })))
}

pub async fn units(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "units": structure::units(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn add_unit(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<act::NewUnit>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::add_unit(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn staff(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "staff": store::users::list(&s.db, c.as_deref(), d.as_deref()).await? })))
}
