use super::{ApiResult, body};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::deliberation::{own_community, topic_input};
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::deliberation::{
    self as dl, Attendance, Close, Done, Minutes, NewComment, NewFollowup, NewMeeting, NewPetition, NewResolution,
    NewTopic,
};

pub async fn topics(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "topics": dl::topics(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn create_topic(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewTopic>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let n = topic_input(me, body(b)?)?;
    Ok(Json(json!(dl::create_topic(&s.db, &me.actor(), &own_community(me)?, n).await?)))
}

pub async fn topic(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let t = load::<store::deliberation::Topic>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({
        "topic": t,
        "comments": dl::comments(&s.db, id).await?,
        "meetings": dl::meetings_of_topic(&s.db, id).await?,
        "resolutions": dl::resolutions_of_topic(&s.db, id).await?,
    })))
}

pub async fn comment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewComment>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::deliberation::Topic>(&s, me, id).await?;
    Ok(Json(json!(dl::comment(&s.db, &me.actor(), &me.display_name, id, body(b)?).await?)))
}

pub async fn close_topic(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Close>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::deliberation::Topic>(&s, me, id).await?;
    Ok(Json(json!(dl::close_topic(&s.db, &me.actor(), id, body(b)?).await?)))
}

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
    Ok(Json(json!({ "meetings": ms.iter().map(meeting_json).collect::<Vec<_>>() })))
}

pub async fn create_meeting(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewMeeting>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let m = dl::create_meeting(&s.db, &me.actor(), &own_community(me)?, body(b)?).await?;
    Ok(Json(meeting_json(&m)))
}

pub async fn meeting(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let m = load::<store::deliberation::Meeting>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({
        "meeting": meeting_json(&m),
        "agenda": dl::agenda(&s.db, id).await?,
        "resolutions": dl::resolutions(&s.db, id).await?,
    })))
}

pub async fn attendance(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Attendance>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::deliberation::Meeting>(&s, me, id).await?;
    Ok(Json(meeting_json(&dl::record_attendance(&s.db, &me.actor(), id, body(b)?).await?)))
}

pub async fn minutes(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Minutes>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::deliberation::Meeting>(&s, me, id).await?;
    Ok(Json(meeting_json(&dl::record_minutes(&s.db, &me.actor(), id, body(b)?).await?)))
}

pub async fn resolve(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewResolution>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::deliberation::Meeting>(&s, me, id).await?;
    Ok(Json(json!(dl::resolve(&s.db, &me.actor(), id, body(b)?).await?)))
}

pub async fn petitions(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let me = ctx.me()?;
    let (c, d) = me.scope();
    let totals = match &me.community {
        Some(code) => Some(dl::totals(&s.db, code).await?),
        None => None,
    };
    Ok(Json(json!({ "petitions": dl::petitions(&s.db, c.as_deref(), d.as_deref()).await?, "totals": totals })))
}

pub async fn create_petition(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewPetition>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    let (p, f) = dl::petition(&s.db, &me.actor(), &own_community(me)?, body(b)?).await?;
    Ok(Json(json!({ "petition": p, "followup": f })))
}

pub async fn followups(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let (c, d) = ctx.me()?.scope();
    Ok(Json(json!({ "followups": dl::followups(&s.db, c.as_deref(), d.as_deref()).await? })))
}

pub async fn create_followup(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewFollowup>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    Ok(Json(json!(dl::create_followup(&s.db, &me.actor(), &own_community(me)?, body(b)?).await?)))
}

pub async fn followup_done(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Done>, JsonRejection>,
) -> ApiResult<Value> {
    let me = ctx.me()?;
    load::<store::deliberation::Followup>(&s, me, id).await?;
    Ok(Json(json!(dl::followup_done(&s.db, &me.actor(), id, body(b)?).await?)))
}

/// Public: the community's meetings, votes and outcomes, without residents' names.
pub async fn record(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Value> {
    Ok(Json(json!(dl::public_record(&s.db, &code).await.map_err(ApiError::from)?)))
}
