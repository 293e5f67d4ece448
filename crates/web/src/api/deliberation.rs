//! The deliberation API: the same actions as the pages ([`crate::actions::deliberation`]), as JSON.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::deliberation::{
    self as act, Attendance, Close, Done, Minutes, NewComment, NewFollowup, NewMeeting, NewPetition, NewResolution,
    NewTopic,
};
use crate::error::ApiError;
use crate::pages::Ctx;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::capped::cut;
use store::deliberation as dl;

pub async fn topics(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let topics = dl::topics(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(json!({ "topics": topics, "cut": cut(&[("topics", topics.more)]) })))
}

pub async fn create_topic(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewTopic>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::raise_topic(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn topic(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(act::topic(&s, ctx.me()?, id).await?)))
}

pub async fn comment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewComment>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::comment(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn close_topic(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Close>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::close_topic(&s, ctx.me()?, id, body(b)?).await?)))
}

/// A meeting as JSON, with whether it was validly held (and if not, why).
fn meeting_json(m: &dl::Meeting) -> Value {
    let mut v = json!(m);
    v["validly_held"] = json!(m.validly_held().map(|r| r.is_ok()));
    if let Some(Err(msg)) = m.validly_held() {
        v["not_held_because"] = json!(msg);
    }
    v
}

pub async fn meetings(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let ms = dl::meetings(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(
        json!({ "meetings": ms.iter().map(meeting_json).collect::<Vec<_>>(), "cut": cut(&[("meetings", ms.more)]) }),
    ))
}

pub async fn create_meeting(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewMeeting>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(meeting_json(&act::convene(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn meeting(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let v = act::meeting(&s, ctx.me()?, id).await?;
    Ok(Json(json!({
        "meeting": meeting_json(&v.meeting),
        "agenda": v.agenda,
        "resolutions": v.resolutions,
    })))
}

pub async fn attendance(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Attendance>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(meeting_json(&act::record_attendance(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn minutes(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Minutes>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(meeting_json(&act::record_minutes(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn resolve(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewResolution>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::resolve(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn petitions(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let me = ctx.me()?;
    let (c, d) = me.scope();
    let totals = match &me.community {
        Some(code) => Some(dl::totals(&s.db, code).await?),
        None => None,
    };
    let petitions = dl::petitions(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(json!({ "cut": cut(&[("petitions", petitions.more)]), "petitions": petitions, "totals": totals })))
}

pub async fn create_petition(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewPetition>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::petition(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn followups(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    let followups = dl::followups(&s.db, c.as_deref(), d.as_deref()).await?;
    Ok(Json(json!({ "cut": cut(&[("followups", followups.more)]), "followups": followups })))
}

pub async fn create_followup(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewFollowup>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::add_followup(&s, ctx.me()?, body(b)?).await?)))
}

pub async fn followup_done(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Done>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(act::followup_done(&s, ctx.me()?, id, body(b)?).await?)))
}

/// Public: the community's meetings, votes and outcomes, without residents' names.
pub async fn record(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Value> {
    Ok(Json(json!(dl::public_record(&s.db, &code).await.map_err(ApiError::from)?)))
}
