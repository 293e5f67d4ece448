//! Meetings: the list and the form to convene one (on the overview), a
//! meeting's page with its agenda, votes and minutes, and the chair's writes
//! on it — attendance, minutes, a vote.

use super::{base_name, held_tag, index_with, kind_name, passed_tag, status_tag, write};
use crate::AppState;
use crate::actions::deliberation::{self as act, MeetingView};
use crate::error::ApiError;
use crate::pages::form::{Failed, from_pairs, input, select, textarea};
use crate::pages::{Ctx, error_page, page};
use crate::policy::{DELIB_CHAIRS, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::Capped;
use store::deliberation::{Meeting, MeetingKind, Topic, TopicStatus, Totals};

/// The overview's meetings: the list in scope and, for the chair, the form to convene one.
pub(super) fn section(
    ctx: &Ctx,
    f: &Failed,
    me: &Principal,
    topics: &[Topic],
    meetings: &Capped<Meeting>,
    totals: Option<&Totals>,
) -> Markup {
    let chair = DELIB_CHAIRS.contains(&me.role);
    html! {
        h2 #meetings { (ctx.t("会议", "Meetings")) " (" (meetings.len()) ")" }
        div.table-wrap { table #meeting-list {
            thead { tr { th { (ctx.t("会议", "Meeting")) } th { (ctx.t("类型", "Kind")) } th { (ctx.t("日期", "Date")) } th { (ctx.t("应到", "Base")) } th { (ctx.t("出席", "Present")) } th { (ctx.t("是否有效", "Valid")) } } }
            tbody { @for m in meetings { tr {
                td { a href={"/deliberation/meetings/" (m.id)} { (m.title) } }
                td { (kind_name(ctx, m.kind)) } td { (m.held_on) }
                td { (m.base_count) " " span.muted { (base_name(ctx, m.base_kind.as_deref())) } }
                td { (m.present.map(|p| p.to_string()).unwrap_or_else(|| "—".into())) }
                td { (held_tag(ctx, m)) }
            } } }
        } }
        (crate::pages::cut_note(ctx, meetings))
        @if chair {
            h2 { (ctx.t("召集会议", "Convene a meeting")) }
            form.stack method="post" action="/deliberation/meetings" {
                (ctx.csrf_field())
                (f.general("meeting", &["kind", "title", "held_on", "base_kind", "base_count", "topics"]))
                (select(f, "meeting", ctx.t("会议类型", "Kind"), "kind", &[
                    ("council".into(), ctx.t("议事会", "Deliberation council").into()),
                    ("assembly".into(), ctx.t("居民会议", "Residents' meeting").into()),
                ]))
                (input(f, "meeting", ctx.t("会议名称", "Title"), "title", "text"))
                (input(f, "meeting", ctx.t("日期", "Date"), "held_on", "date"))
                (select(f, "meeting", ctx.t("居民会议的组成", "Base of a residents' meeting"), "base_kind", &[
                    (String::new(), ctx.t("（议事会不适用）", "(not for a council)").into()),
                    ("all_adults".into(), base_name(ctx, Some("all_adults"))),
                    ("households".into(), base_name(ctx, Some("households"))),
                    ("group_representatives".into(), base_name(ctx, Some("group_representatives"))),
                ]))
                (input(f, "meeting", ctx.t("应到人数（仅居民小组代表会议填写；全体成年居民或户代表会议按居民登记自动计算）", "Base count (group representatives only; all adults and households are counted from the registry)"), "base_count", "number"))
                @if let Some(t) = &totals { p.muted { (ctx.t("本社区登记：成年居民", "Registry: adults")) " " (t.adults) " · " (ctx.t("户", "households")) " " (t.households) " · " (ctx.t("居民小组", "groups")) " " (t.groups) } }
                fieldset {
                    legend { (ctx.t("议程（协商中的议题）", "Agenda (open topics)")) }
                    @for t in topics.iter().filter(|t| t.status == TopicStatus::Open) {
                        div { label { input type="checkbox" name="topics" value=(t.id) style="width:auto" checked[f.checked("meeting", "topics", &t.id.to_string())]; " " (t.title) } }
                    }
                    @if let Some(e) = f.err("meeting", "topics") { div.field-error role="alert" { (e) } }
                }
                p { button type="submit" { (ctx.t("召集", "Convene")) } }
            }
        }

    }
}

pub async fn create_meeting(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "meeting",
        &body,
        |pairs| async move {
            let m = act::convene(st, c.me()?, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/meetings/{}", m.id))
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn meeting(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    meeting_with(&state, &ctx, id, &Failed::default(), StatusCode::OK).await
}

async fn meeting_with(state: &AppState, ctx: &Ctx, id: i64, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let MeetingView { meeting: m, agenda, resolutions } = match act::meeting(state, me, id).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let chair = DELIB_CHAIRS.contains(&me.role);
    let title_of = |tid: i64| agenda.iter().find(|t| t.id == tid).map(|t| t.title.clone()).unwrap_or_default();
    let body = html! {
        h1 { (m.title) }
        p { span.tag { (kind_name(ctx, m.kind)) } " " (m.held_on) " · " (ctx.t("应到", "base")) " " strong { (m.base_count) } " (" (base_name(ctx, m.base_kind.as_deref())) ") · "
            (ctx.t("出席", "present")) " " strong #present { (m.present.map(|p| p.to_string()).unwrap_or_else(|| "—".into())) } " " (held_tag(ctx, &m)) }
        @if let Some(Err(msg)) = m.validly_held() { div.flash.error role="status" { (ctx.lang.msg(&msg)) } }
        @if m.kind == MeetingKind::Assembly { p.muted { (ctx.t("居民会议须有应到人员过半数出席才能举行；决定须经出席人员过半数通过，弃权计入出席（居组法第九条）。",
                                                     "A residents' meeting is held only if more than half of its base attend; a decision needs more than half of those present, abstentions counting as present (Organic Law Art 9).")) } }
        h2 { (ctx.t("议程", "Agenda")) }
        ol { @for t in &agenda { li { a href={"/deliberation/topics/" (t.id)} { (t.title) } " " (status_tag(ctx, t)) } } }
        h2 { (ctx.t("表决结果", "Resolutions")) }
        div.table-wrap { table #resolutions {
            thead { tr { th { (ctx.t("表决事项", "Motion")) } th { (ctx.t("议题", "Topic")) } th { (ctx.t("出席", "Present")) } th { (ctx.t("赞成", "Yes")) } th { (ctx.t("反对", "No")) } th { (ctx.t("弃权", "Abstain")) } th { (ctx.t("结果", "Outcome")) } } }
            tbody { @for r in &resolutions { tr {
                td { (r.motion) } td { (r.topic_id.map(title_of).unwrap_or_default()) }
                td { (r.present) } td { (r.votes_yes) } td { (r.votes_no) } td { (r.votes_abstain) }
                td { (passed_tag(ctx, r.passed == 1)) }
            } } }
        } }
        h2 { (ctx.t("会议记录", "Minutes")) }
        @if m.minutes.is_empty() { p.muted { (ctx.t("尚无记录", "None yet")) } } @else { div.card style="white-space:pre-wrap" { (m.minutes) } }
        @if chair && !m.attendees.is_empty() {
            details { summary { (ctx.t("出席人员名单", "Who attended")) } div style="white-space:pre-wrap" { (m.attendees) } }
        }
        @if chair {
            h2 { (ctx.t("登记出席", "Record attendance")) }
            form.stack method="post" action={"/deliberation/meetings/" (m.id) "/attendance"} {
                (ctx.csrf_field())
                (f.general("attendance", &["present", "attendees"]))
                (input(f, "attendance", ctx.t("出席人数", "Number present"), "present", "number"))
                (textarea(f, "attendance", ctx.t("出席人员姓名（可选，每行一人）", "Names of those present (optional, one a line)"), "attendees", 3))
                p { button type="submit" { (ctx.t("登记", "Record")) } }
            }
            h2 { (ctx.t("表决", "Record a vote")) }
            form.stack method="post" action={"/deliberation/meetings/" (m.id) "/resolutions"} {
                (ctx.csrf_field())
                (f.general("resolution", &["motion", "topic_id", "yes", "no", "abstain"]))
                (input(f, "resolution", ctx.t("表决事项", "Motion"), "motion", "text"))
                (select(f, "resolution", ctx.t("所决定的议题", "Topic decided"), "topic_id",
                    &std::iter::once((String::new(), "—".to_string())).chain(agenda.iter().map(|t| (t.id.to_string(), t.title.clone()))).collect::<Vec<_>>()))
                (input(f, "resolution", ctx.t("赞成", "Yes"), "yes", "number"))
                (input(f, "resolution", ctx.t("反对", "No"), "no", "number"))
                (input(f, "resolution", ctx.t("弃权", "Abstain"), "abstain", "number"))
                p { button type="submit" { (ctx.t("记录表决", "Record the vote")) } }
            }
            h2 { (ctx.t("会议记录", "Minutes")) }
            form.stack method="post" action={"/deliberation/meetings/" (m.id) "/minutes"} {
                (ctx.csrf_field())
                (f.general("minutes", &["minutes"]))
                label for="minutes-minutes" { (ctx.t("记录", "Minutes")) }
                textarea id="minutes-minutes" name="minutes" rows="6" aria-invalid=[f.err("minutes", "minutes").map(|_| "true")] {
                    @if f.form == "minutes" { (f.val("minutes", "minutes")) } @else { (m.minutes) }
                }
                @if let Some(e) = f.err("minutes", "minutes") { div.field-error role="alert" { (e) } }
                p { button type="submit" { (ctx.t("保存", "Save")) } }
            }
        }
        p { a href="/deliberation" { (ctx.t("返回协商议事", "Back to deliberation")) } }
    };
    (status, page(ctx, &m.title, body)).into_response()
}
pub async fn attendance(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "attendance",
        &body,
        |pairs| async move {
            act::record_attendance(st, c.me()?, id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/meetings/{id}"))
        },
        |f| async move { meeting_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn minutes(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "minutes",
        &body,
        |pairs| async move {
            act::record_minutes(st, c.me()?, id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/meetings/{id}"))
        },
        |f| async move { meeting_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn resolve(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "resolution",
        &body,
        |pairs| async move {
            act::resolve(st, c.me()?, id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/meetings/{id}"))
        },
        |f| async move { meeting_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}
