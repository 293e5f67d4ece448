//! Resident deliberation (居民协商议事): topics and their discussion, the
//! deliberation council (议事会) and the residents' meeting (居民会议) with
//! agenda, attendance, minutes and votes, petitions (居组法 Art 10),
//! follow-up actions, and each community's public record.
//!
//! One module per sub-concept: [`topics`], [`meetings`], [`petitions`] (and
//! follow-ups), [`record`]. The overview page here puts their sections
//! together. Every write goes through [`crate::actions::deliberation`], which
//! the API calls too.

mod meetings;
mod petitions;
mod record;
mod topics;

pub use meetings::{attendance, create_meeting, meeting, minutes, resolve};
pub use petitions::{create_followup, create_petition, followup_done};
pub use record::record;
pub use topics::{close_topic, comment, create_topic, topic};

/// Moved to the policy; kept here for the page modules that still import it from here.
use super::form::Failed;
use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::error::ApiError;
use crate::policy::{DELIB_CHAIRS, DELIB_CLERKS};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::deliberation::{self as dl, Meeting, MeetingKind, Topic, TopicStatus};

pub fn kind_name(ctx: &Ctx, kind: MeetingKind) -> String {
    match kind {
        MeetingKind::Assembly => ctx.t("居民会议", "Residents' meeting"),
        MeetingKind::Council => ctx.t("议事会", "Deliberation council"),
    }
    .to_string()
}

pub fn base_name(ctx: &Ctx, base: Option<&str>) -> String {
    match base {
        Some("all_adults") => ctx.t("全体18周岁以上居民", "all residents aged 18+"),
        Some("households") => ctx.t("每户代表", "one representative per household"),
        Some("group_representatives") => ctx.t("居民小组代表", "residents' group representatives"),
        _ => ctx.t("议事会成员", "council members"),
    }
    .to_string()
}

pub(super) fn raiser_name(ctx: &Ctx, kind: &str) -> String {
    match kind {
        "resident" => ctx.t("居民", "resident"),
        "unit" => ctx.t("驻区单位", "resident unit"),
        _ => ctx.t("居委会", "committee"),
    }
    .to_string()
}

pub(super) fn status_tag(ctx: &Ctx, t: &Topic) -> Markup {
    html! {
        @if t.status == TopicStatus::Open { span.tag.ok { (ctx.t("协商中", "open")) } } @else { span.tag { (ctx.t("已结案", "closed")) } }
        @if t.important == 1 { " " span.tag.warn title=(ctx.t("须由居民会议讨论决定（居组法第十条）", "to be decided by a residents' meeting (Organic Law Art 10)")) { (ctx.t("涉及全体居民利益的重要问题", "important question for all residents")) } }
    }
}

pub(super) fn held_tag(ctx: &Ctx, m: &Meeting) -> Markup {
    html! {
        @match m.validly_held() {
            None => span.tag { (ctx.t("未登记出席", "attendance not recorded")) },
            Some(Ok(())) => span.tag.ok { (ctx.t("有效举行", "validly held")) },
            Some(Err(_)) => span.tag.warn { (ctx.t("未达法定人数，不能举行", "no quorum: not validly held")) },
        }
    }
}

pub(super) fn passed_tag(ctx: &Ctx, passed: bool) -> Markup {
    html! { @if passed { span.tag.ok { (ctx.t("通过", "passed")) } } @else { span.tag.warn { (ctx.t("未通过", "not passed")) } } }
}

// ------------------------------------------------------------------ index

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    index_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

/// The overview: topics, meetings, petitions and follow-ups in scope, each with its form.
async fn index_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let (c, d) = (c.as_deref(), d.as_deref());
    let db = &state.db;
    let (topics, meetings, petitions, followups, names) = match tokio::try_join!(
        dl::topics(db, c, d),
        dl::meetings(db, c, d),
        dl::petitions(db, c, d),
        dl::followups(db, c, d),
        store::structure::community_names(db)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let chair = DELIB_CHAIRS.contains(&me.role);
    let (totals, resolutions) = match (&me.community, chair || DELIB_CLERKS.contains(&me.role)) {
        (Some(code), true) => match tokio::try_join!(dl::totals(db, code), dl::community_resolutions(db, code)) {
            Ok((t, r)) => (Some(t), r),
            Err(e) => return error_page(ctx, e.into()),
        },
        _ => (None, Vec::new()),
    };
    let body = html! {
        h1 { (ctx.t("居民协商议事", "Resident deliberation")) }
        p.muted { (ctx.t("居民、驻区单位和居委会提出议题，经议事会协商；涉及全体居民利益的重要问题提请居民会议讨论决定（居组法第九、十条）。",
                         "Residents, resident units and the committee raise topics for the deliberation council; questions affecting all residents go to a residents' meeting (Organic Law Art 9–10).")) }
        @if let Some(code) = &me.community { p { a href={"/communities/" (code) "/record"} { (ctx.t("本社区公开议事记录", "This community's public record")) } } }

        (topics::section(ctx, f, me, &topics, &names))
        (meetings::section(ctx, f, me, &topics, &meetings, totals.as_ref()))
        (petitions::section(ctx, f, me, &petitions))
        (petitions::followups_section(ctx, f, me, &followups, &meetings, &topics, &resolutions))
    };
    (status, page(ctx, ctx.t("居民协商议事", "Resident deliberation"), body)).into_response()
}

/// Run a write from a form; on success go to `to`, on bad input show `form` again with the error.
async fn write<F, Fut, P, PFut>(ctx: &Ctx, form: &'static str, body: &str, act: F, show: P) -> Response
where
    F: FnOnce(Vec<(String, String)>) -> Fut,
    Fut: Future<Output = Result<String, ApiError>>,
    P: FnOnce(Failed) -> PFut,
    PFut: Future<Output = Response>,
{
    let pairs = form_pairs(body);
    match act(pairs.clone()).await {
        Ok(to) => crate::pages::done::redirect(&to, form),
        Err(ApiError::Invalid { field, msg }) => {
            show(Failed { form, field, msg: ctx.lang.msg(&msg), values: pairs }).await
        }
        Err(e) => error_page(ctx, e),
    }
}
