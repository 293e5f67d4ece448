//! JSON mirrors of the election pages.

use super::{ApiResult, body};
use crate::AppState;
use crate::actions::election_nomination::{self as nomination, Members, Nominate, OpenNomination};
use crate::actions::election_roll::{self as roll_actions, AbsenceNotice, Application, DecideObjection, FileObjection};
use crate::actions::election_rounds::{self as rounds, Announce, FileResult, NewRound, ReceiveFiling};
use crate::actions::elections::{self as actions, Candidates, NewElection, PublishRoll, TallySheet};
use crate::pages::Ctx;
use crate::scope::load;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::capped::cut;
use store::elections::{self as el, Election};

pub async fn list(State(s): State<AppState>, ctx: Ctx) -> ApiResult<Value> {
    let elections = crate::scope::elections(&s, ctx.me()?).await?;
    Ok(Json(json!({ "cut": cut(&[("elections", elections.more)]), "elections": elections })))
}

pub async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    b: Result<Json<NewElection>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::create(&s, ctx.me()?, body(b)?).await?)))
}

/// An election with its calendar (and what is still locked), posts, candidates, boxes and result.
pub async fn show(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let e = load::<Election>(&s, ctx.me()?, id).await?;
    let (posts, candidates, voters, boxes, result) = tokio::try_join!(
        el::posts(&s.db, id),
        el::candidates(&s.db, id),
        el::voter_count(&s.db, id),
        el::boxes(&s.db, id),
        el::result(&s.db, id)
    )?;
    let outcome: Option<Value> = result.as_ref().and_then(|r| serde_json::from_str(&r.outcome).ok());
    let later = rounds::view(&s, &e).await?;
    let (committee, nominations, open_counts) = tokio::try_join!(
        store::elections::nomination::committee(&s.db, id),
        store::elections::nomination::nominations(&s.db, id),
        store::elections::nomination::open_counts(&s.db, id)
    )?;
    Ok(Json(json!({
        "election": e,
        "ruleset": election::Ruleset::default().status(),
        "locked": e.locked(),
        "posts": posts,
        "candidates": candidates,
        "voters": voters,
        "boxes": boxes,
        "result": result.map(|r| json!({
            "registered_voters": r.registered_voters,
            "ballots_issued": r.ballots_issued,
            "ballots_returned": r.ballots_returned,
            "round_valid": r.round_valid == 1,
            "outcome": outcome,
            "counted_at": r.counted_at,
            "seated_at": r.seated_at,
        })),
        "next": later.next,
        "rounds": later.rounds.iter().map(|(r, posts, cands, boxes)| json!({
            "number": r.number,
            "kind": r.kind,
            "polling_day": r.polling_day,
            "status": r.status,
            "posts": posts,
            "candidates": cands,
            "boxes": boxes,
            "registered_voters": r.registered_voters,
            "ballots_issued": r.ballots_issued,
            "ballots_returned": r.ballots_returned,
            "outcome": r.outcome.as_deref().and_then(|o| serde_json::from_str::<Value>(o).ok()),
        })).collect::<Vec<_>>(),
        "filing": later.filing,
        "committee": committee,
        "nominations": nominations,
        "open_nomination": open_counts,
        "objections": store::elections::objections::objections(&s.db, id).await?,
        "notices": store::elections::objections::notices(&s.db, id).await?,
        "turnout_base": store::elections::objections::turnout_base(&s.db, &e).await?,
        "applications": store::elections::roll::applications(&s.db, id).await?,
    })))
}

/// The published roll: names and residents' groups only (rules §6).
pub async fn roll(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let e = load::<Election>(&s, ctx.me()?, id).await?;
    Ok(Json(json!({ "published_on": e.roll_published, "voters": el::roll_lines(&s.db, id).await? })))
}

pub async fn publish_roll(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<PublishRoll>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::publish_roll(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn candidates(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Candidates>, JsonRejection>,
) -> ApiResult<Value> {
    actions::set_candidates(&s, ctx.me()?, id, body(b)?).await?;
    Ok(Json(json!({ "candidates": el::candidates(&s.db, id).await? })))
}

pub async fn enter_box(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<TallySheet>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(actions::enter_box(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn count(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    Ok(Json(json!(actions::count(&s, ctx.me()?, id).await?)))
}

pub async fn seat(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult<Value> {
    let roster = actions::seat(&s, ctx.me()?, id).await?;
    let members: Vec<Value> = roster.iter().map(|(p, n)| json!({ "post": p, "name": n })).collect();
    Ok(Json(json!({ "members": members })))
}

// Later rounds (rules §2.17, §2.18) and the filing of the result (§2.20).

pub async fn open_round(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<NewRound>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(rounds::open_round(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn enter_round_box(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, number)): Path<(i64, i64)>,
    b: Result<Json<TallySheet>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(rounds::enter_round_box(&s, ctx.me()?, id, number, body(b)?).await?)))
}

pub async fn count_round(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, number)): Path<(i64, i64)>,
) -> ApiResult<Value> {
    Ok(Json(json!(rounds::count_round(&s, ctx.me()?, id, number).await?)))
}

pub async fn announce(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Announce>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(rounds::announce(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<FileResult>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(rounds::file(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn receive(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<ReceiveFiling>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(rounds::receive(&s, ctx.me()?, id, body(b)?).await?)))
}

// Nomination (rules §2.6, §2.7, §2.10).

pub async fn add_members(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Members>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!({ "committee": nomination::add_members(&s, ctx.me()?, id, body(b)?).await? })))
}

pub async fn nominate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Nominate>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(nomination::nominate(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn open_nomination(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<OpenNomination>, JsonRejection>,
) -> ApiResult<Value> {
    let lists = nomination::open_nomination(&s, ctx.me()?, id, body(b)?).await?;
    let candidates: Vec<Value> = lists.iter().map(|(p, names)| json!({ "post": p, "names": names })).collect();
    Ok(Json(json!({ "candidates": candidates })))
}

// The roll after publication (rules §2.4, §2.5).

pub async fn file_objection(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<FileObjection>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(roll_actions::file_objection(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn decide_objection(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, objection)): Path<(i64, i64)>,
    b: Result<Json<DecideObjection>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(roll_actions::decide_objection(&s, ctx.me()?, id, objection, body(b)?).await?)))
}

pub async fn add_notice(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<AbsenceNotice>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(roll_actions::add_notice(&s, ctx.me()?, id, body(b)?).await?)))
}

pub async fn apply(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    b: Result<Json<Application>, JsonRejection>,
) -> ApiResult<Value> {
    Ok(Json(json!(roll_actions::apply(&s, ctx.me()?, id, body(b)?).await?)))
}
