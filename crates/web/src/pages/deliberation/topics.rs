//! Topics: the list and the form to raise one (on the overview), a topic's
//! page with its discussion, meetings and votes, commenting and closing.

use super::{held_tag, index_with, kind_name, passed_tag, raiser_name, status_tag, write};
use crate::AppState;
use crate::actions::deliberation::{self as act, TopicView};
use crate::error::ApiError;
use crate::pages::form::{Failed, from_pairs, input, select, textarea};
use crate::pages::{Ctx, error_page, page, when};
use crate::policy::{DELIB_CHAIRS, DELIB_DISCUSSANTS, DELIB_RAISERS, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::Capped;
use store::deliberation::{Topic, TopicStatus};
use store::users::Role;

/// The overview's topics: the list in scope and, for those who may, the form to raise one.
pub(super) fn section(
    ctx: &Ctx,
    f: &Failed,
    me: &Principal,
    topics: &Capped<Topic>,
    names: &std::collections::HashMap<String, String>,
) -> Markup {
    html! {
        h2 #topics { (ctx.t("议题", "Topics")) " (" (topics.len()) ")" }
        div.table-wrap { table #topic-list {
            thead { tr { th { (ctx.t("议题", "Topic")) } th { (ctx.t("提出方", "Raised by")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("社区", "Community")) } } }
            tbody { @for t in topics { tr {
                td { a href={"/deliberation/topics/" (t.id)} { (t.title) } }
                td { (raiser_name(ctx, &t.raised_by_kind)) @if !t.raised_by_name.is_empty() { " · " (t.raised_by_name) } }
                td { (status_tag(ctx, t)) }
                td { (crate::pages::community_name(names, &t.community_code)) }
            } } }
        } }
        (crate::pages::cut_note(ctx, topics))
        @if DELIB_RAISERS.contains(&me.role) {
            h2 { (ctx.t("提出议题", "Raise a topic")) }
            form.stack method="post" action="/deliberation/topics" {
                (ctx.csrf_field())
                (f.general("topic", &["title", "description", "raised_by_kind", "raised_by_name"]))
                (input(f, "topic", ctx.t("议题", "Title"), "title", "text"))
                (textarea(f, "topic", ctx.t("说明", "Description"), "description", 3))
                @if me.role != Role::Resident {
                    (select(f, "topic", ctx.t("提出方", "Raised by"), "raised_by_kind", &[
                        ("resident".into(), ctx.t("居民", "A resident").into()),
                        ("unit".into(), ctx.t("驻区单位", "A resident unit").into()),
                        ("committee".into(), ctx.t("居委会", "The committee").into()),
                    ]))
                    (input(f, "topic", ctx.t("提出人或单位名称", "Name of the person or unit"), "raised_by_name", "text"))
                }
                label { input type="checkbox" name="important" value="on" style="width:auto" checked[f.checked("topic", "important", "on")]; " " (ctx.t("涉及全体居民利益的重要问题（须由居民会议决定）", "An important question for all residents (a residents' meeting decides)")) }
                p { button type="submit" { (ctx.t("提出", "Raise")) } }
            }
        }

    }
}

pub async fn create_topic(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "topic",
        &body,
        |pairs| async move {
            let t = act::raise_topic(st, c.me()?, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/topics/{}", t.id))
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn topic(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    topic_with(&state, &ctx, id, &Failed::default(), StatusCode::OK).await
}

async fn topic_with(state: &AppState, ctx: &Ctx, id: i64, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let TopicView { topic: t, comments, meetings, resolutions } = match act::topic(state, me, id).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let meeting_of = |mid: i64| meetings.iter().find(|m| m.id == mid);
    let body = html! {
        h1 { (t.title) }
        p { (status_tag(ctx, &t)) " " span.muted { (ctx.t("提出方", "Raised by")) ": " (raiser_name(ctx, &t.raised_by_kind)) @if !t.raised_by_name.is_empty() { " · " (t.raised_by_name) } " · " (when(&t.created_at)) } }
        @if !t.description.is_empty() { div.card { (t.description) } }
        @if t.status == TopicStatus::Closed {
            div.card #closing {
                strong { (ctx.t("结案", "Closed")) } " " (when(&t.closed_at.clone().unwrap_or_default()))
                @if let Some(rid) = t.closing_resolution_id { @if let Some(r) = resolutions.iter().find(|r| r.id == rid) {
                    br; (ctx.t("依据决议：", "By resolution: ")) (r.motion) " "
                    @if let Some(m) = meeting_of(r.meeting_id) { "（" a href={"/deliberation/meetings/" (m.id)} { (kind_name(ctx, m.kind)) " " (m.held_on) } "）" }
                } }
                @if !t.closing_note.is_empty() { br; span.muted { (t.closing_note) } }
            }
        }
        h2 { (ctx.t("上会情况", "Meetings")) }
        ul { @for m in &meetings { li { a href={"/deliberation/meetings/" (m.id)} { (m.held_on) " " (m.title) } " · " (kind_name(ctx, m.kind)) " " (held_tag(ctx, m)) } } }
        @if meetings.is_empty() { p.muted { (ctx.t("尚未列入会议议程", "Not on any meeting's agenda yet")) } }
        h2 { (ctx.t("表决", "Votes")) }
        div.table-wrap { table #topic-resolutions {
            thead { tr { th { (ctx.t("表决事项", "Motion")) } th { (ctx.t("会议", "Meeting")) } th { (ctx.t("出席/赞成/反对/弃权", "Present/yes/no/abstain")) } th { (ctx.t("结果", "Outcome")) } } }
            tbody { @for r in &resolutions { tr {
                td { (r.motion) }
                td { @if let Some(m) = meeting_of(r.meeting_id) { (kind_name(ctx, m.kind)) " " (m.held_on) } }
                td { (r.present) " / " (r.votes_yes) " / " (r.votes_no) " / " (r.votes_abstain) }
                td { (passed_tag(ctx, r.passed == 1)) }
            } } }
        } }
        h2 { (ctx.t("协商发言", "Discussion")) " (" (comments.len()) ")" }
        @for c in &comments { div.card { strong { (c.author_name) } " " span.muted { (when(&c.created_at)) } br; (c.body) } }
        @if t.status == TopicStatus::Open && DELIB_DISCUSSANTS.contains(&me.role) {
            form.stack method="post" action={"/deliberation/topics/" (t.id) "/comments"} {
                (ctx.csrf_field())
                (f.general("comment", &["body"]))
                (textarea(f, "comment", ctx.t("发言", "Say"), "body", 3))
                p { button type="submit" { (ctx.t("发言", "Post")) } }
            }
        }
        @if t.status == TopicStatus::Open && DELIB_CHAIRS.contains(&me.role) {
            h2 { (ctx.t("结案", "Close the topic")) }
            @if t.important == 1 { p.muted { (ctx.t("此议题涉及全体居民利益，只能依据居民会议通过的决议结案。", "This question affects all residents: it closes only by a resolution a residents' meeting passed.")) } }
            form.stack method="post" action={"/deliberation/topics/" (t.id) "/close"} {
                (ctx.csrf_field())
                (f.general("close", &["resolution_id", "note"]))
                (select(f, "close", ctx.t("依据的决议", "Resolution"), "resolution_id",
                    &std::iter::once((String::new(), ctx.t("（无，由居委会说明理由）", "(none: the committee gives a reason)").to_string()))
                        .chain(resolutions.iter().map(|r| (r.id.to_string(), format!("{} · {} · {}", r.motion,
                            meeting_of(r.meeting_id).map(|m| kind_name(ctx, m.kind)).unwrap_or_default(),
                            if r.passed == 1 { ctx.t("通过", "passed") } else { ctx.t("未通过", "not passed") }))))
                        .collect::<Vec<_>>()))
                (textarea(f, "close", ctx.t("结案说明", "Note"), "note", 2))
                p { button type="submit" { (ctx.t("结案", "Close")) } }
            }
        }
        p { a href="/deliberation" { (ctx.t("返回协商议事", "Back to deliberation")) } }
    };
    (status, page(ctx, &t.title, body)).into_response()
}
pub async fn comment(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "comment",
        &body,
        |pairs| async move {
            act::comment(st, c.me()?, id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/topics/{id}"))
        },
        |f| async move { topic_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn close_topic(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "close",
        &body,
        |pairs| async move {
            act::close_topic(st, c.me()?, id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/topics/{id}"))
        },
        |f| async move { topic_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}
