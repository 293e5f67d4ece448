use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::structure::{self, NewUnit};

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

#[derive(serde::Deserialize)]
pub struct Roster {
    elected: String,
    members: Vec<RosterMember>,
}

#[derive(serde::Deserialize)]
pub struct RosterMember {
    name: String,
    post: String,
}

pub async fn set_committee(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    b: Result<Json<Roster>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<structure::Community>(&s, me, code.clone()).await?;
    let r = body(b)?;
    let mut members = Vec::new();
    for m in r.members {
        let post = rules::committee::Post::parse(&m.post).ok_or_else(|| {
            ApiError::invalid("members", "职务须为主任、副主任或委员", "post must be 主任, 副主任 or 委员")
        })?;
        members.push((m.name, post));
    }
    structure::set_committee(&s.db, &me.actor(), &code, &r.elected, &members).await?;
    community(State(s), Path(code)).await
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
    b: Result<Json<NewUnit>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let mut u = body(b)?;
    if u.community_code.is_empty() {
        u.community_code = me.community.clone().unwrap_or_default();
    }
    crate::scope::named_community(&s, me, "community_code", &u.community_code).await?;
    Ok(Json(json!(structure::add_unit(&s.db, &me.actor(), u).await?)))
}

pub async fn staff(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "staff": store::users::list(&s.db, c.as_deref(), d.as_deref()).await? })))
}
