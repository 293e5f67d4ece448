//! Resident deliberation (居民协商议事): topics and their discussion, the
//! deliberation council (议事会) and the residents' meeting (居民会议) with
//! agenda, attendance, minutes and votes, petitions (居组法 Art 10),
//! follow-up actions, and each community's public record.

use super::form::{Failed, from_pairs, input, select, textarea};
use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::error::ApiError;
use crate::policy::{DELIB_CHAIRS, DELIB_CLERKS, DELIB_DISCUSSANTS, DELIB_RAISERS, Principal};
use crate::scope::load;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use store::deliberation::{self as dl, Meeting, MeetingKind, NewTopic, Topic, TopicStatus};
use store::users::Role;

/// The community a write acts in: the principal's own.
pub fn own_community(me: &Principal) -> Result<String, ApiError> {
    me.community.clone().ok_or(ApiError::Forbidden)
}

/// Who raises a topic: a resident raises as a resident under their own
/// name; staff record topics from residents, units or the committee.
pub fn topic_input(me: &Principal, mut n: NewTopic) -> Result<NewTopic, ApiError> {
    let kind = n.raised_by_kind.trim().to_string();
    match me.role {
        Role::Resident => {
            if !kind.is_empty() && kind != "resident" {
                return Err(ApiError::invalid(
                    "raised_by_kind",
                    "居民只能以个人名义提出议题",
                    "a resident raises topics in their own name",
                ));
            }
            n.raised_by_kind = "resident".into();
            n.raised_by_name = me.display_name.clone();
        }
        Role::Organisation if kind.is_empty() => {
            n.raised_by_kind = "unit".into();
            if n.raised_by_name.trim().is_empty() {
                n.raised_by_name = me.display_name.clone();
            }
        }
        Role::CommunityAdmin if kind.is_empty() => n.raised_by_kind = "committee".into(),
        _ => {}
    }
    if n.raised_by_kind == "committee" && n.raised_by_name.trim().is_empty() {
        n.raised_by_name = "社区居民委员会".into();
    }
    Ok(n)
}

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

fn raiser_name(ctx: &Ctx, kind: &str) -> String {
    match kind {
        "resident" => ctx.t("居民", "resident"),
        "unit" => ctx.t("驻区单位", "resident unit"),
        _ => ctx.t("居委会", "committee"),
    }
    .to_string()
}

fn status_tag(ctx: &Ctx, t: &Topic) -> Markup {
    html! {
        @if t.status == TopicStatus::Open { span.tag.ok { (ctx.t("协商中", "open")) } } @else { span.tag { (ctx.t("已结案", "closed")) } }
        @if t.important == 1 { " " span.tag.warn title=(ctx.t("须由居民会议讨论决定（居组法第十条）", "to be decided by a residents' meeting (Organic Law Art 10)")) { (ctx.t("涉及全体居民利益的重要问题", "important question for all residents")) } }
    }
}

fn held_tag(ctx: &Ctx, m: &Meeting) -> Markup {
    html! {
        @match m.validly_held() {
            None => span.tag { (ctx.t("未登记出席", "attendance not recorded")) },
            Some(Ok(())) => span.tag.ok { (ctx.t("有效举行", "validly held")) },
            Some(Err(_)) => span.tag.warn { (ctx.t("未达法定人数，不能举行", "no quorum: not validly held")) },
        }
    }
}

fn passed_tag(ctx: &Ctx, passed: bool) -> Markup {
    html! { @if passed { span.tag.ok { (ctx.t("通过", "passed")) } } @else { span.tag.warn { (ctx.t("未通过", "not passed")) } } }
}

// ------------------------------------------------------------------ index

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    index_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn index_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let (c, d) = (c.as_deref(), d.as_deref());
    let db = &state.db;
    let (topics, meetings, petitions, followups) = match tokio::try_join!(
        dl::topics(db, c, d),
        dl::meetings(db, c, d),
        dl::petitions(db, c, d),
        dl::followups(db, c, d)
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
    let title_of = |id: i64| topics.iter().find(|t| t.id == id).map(|t| t.title.clone()).unwrap_or_default();
    let assemblies: Vec<&Meeting> = meetings.iter().filter(|m| m.kind == MeetingKind::Assembly).collect();
    let body = html! {
        h1 { (ctx.t("居民协商议事", "Resident deliberation")) }
        p.muted { (ctx.t("居民、驻区单位和居委会提出议题，经议事会协商；涉及全体居民利益的重要问题提请居民会议讨论决定（居组法第九、十条）。",
                         "Residents, resident units and the committee raise topics for the deliberation council; questions affecting all residents go to a residents' meeting (Organic Law Art 9–10).")) }
        @if let Some(code) = &me.community { p { a href={"/communities/" (code) "/record"} { (ctx.t("本社区公开议事记录", "This community's public record")) } } }

        h2 #topics { (ctx.t("议题", "Topics")) " (" (topics.len()) ")" }
        div.table-wrap { table #topic-list {
            thead { tr { th { (ctx.t("议题", "Topic")) } th { (ctx.t("提出方", "Raised by")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("社区", "Community")) } } }
            tbody { @for t in &topics { tr {
                td { a href={"/deliberation/topics/" (t.id)} { (t.title) } }
                td { (raiser_name(ctx, &t.raised_by_kind)) @if !t.raised_by_name.is_empty() { " · " (t.raised_by_name) } }
                td { (status_tag(ctx, t)) }
                td { (t.community_code) }
            } } }
        } }
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

        h2 #meetings { (ctx.t("会议", "Meetings")) " (" (meetings.len()) ")" }
        div.table-wrap { table #meeting-list {
            thead { tr { th { (ctx.t("会议", "Meeting")) } th { (ctx.t("类型", "Kind")) } th { (ctx.t("日期", "Date")) } th { (ctx.t("应到", "Base")) } th { (ctx.t("出席", "Present")) } th { (ctx.t("是否有效", "Valid")) } } }
            tbody { @for m in &meetings { tr {
                td { a href={"/deliberation/meetings/" (m.id)} { (m.title) } }
                td { (kind_name(ctx, m.kind)) } td { (m.held_on) }
                td { (m.base_count) " " span.muted { (base_name(ctx, m.base_kind.as_deref())) } }
                td { (m.present.map(|p| p.to_string()).unwrap_or_else(|| "—".into())) }
                td { (held_tag(ctx, m)) }
            } } }
        } }
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
                (input(f, "meeting", ctx.t("应到人数（居民会议按全体成年居民或户组成时可留空，按登记自动计算）", "Base count (for all adults or households, leave empty to count the registry)"), "base_count", "number"))
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

        h2 #petitions { (ctx.t("居民提议召开居民会议", "Petitions to convene a residents' meeting")) }
        p.muted { (ctx.t("五分之一以上的十八周岁以上居民、五分之一以上的户或三分之一以上的居民小组提议，应当召集居民会议（居组法第十条）。",
                         "When 1/5 of adult residents, 1/5 of households or 1/3 of residents' groups ask, a residents' meeting must be convened (Organic Law Art 10).")) }
        div.table-wrap { table #petition-list {
            thead { tr { th { (ctx.t("提议事项", "Subject")) } th { (ctx.t("成年居民", "Adults")) } th { (ctx.t("户", "Households")) } th { (ctx.t("居民小组", "Groups")) } th { (ctx.t("结果", "Outcome")) } } }
            tbody { @for p in &petitions { tr {
                td { (p.subject) }
                td { (p.adults_signed) " / " (p.adults_total) } td { (p.households_signed) " / " (p.households_total) } td { (p.groups_signed) " / " (p.groups_total) }
                td { @if p.forces_meeting == 1 { span.tag.warn { (ctx.t("应当召集居民会议", "a residents' meeting must be convened")) } } @else { span.tag { (ctx.t("未达法定比例", "below the thresholds")) } } }
            } } }
        } }
        @if DELIB_CLERKS.contains(&me.role) {
            form.stack method="post" action="/deliberation/petitions" {
                (ctx.csrf_field())
                (f.general("petition", &["subject", "adults", "households", "groups"]))
                (input(f, "petition", ctx.t("提议事项", "Subject"), "subject", "text"))
                (input(f, "petition", ctx.t("联名的十八周岁以上居民人数", "Adult residents who signed"), "adults", "number"))
                (input(f, "petition", ctx.t("联名的户数", "Households that signed"), "households", "number"))
                (input(f, "petition", ctx.t("联名的居民小组数", "Residents' groups that signed"), "groups", "number"))
                p { button type="submit" { (ctx.t("登记提议", "Record the petition")) } }
            }
        }

        h2 #followups { (ctx.t("待办事项", "Follow-up actions")) }
        div.table-wrap { table #followup-list {
            thead { tr { th { (ctx.t("事项", "Action")) } th { (ctx.t("负责人", "Owner")) } th { (ctx.t("期限", "Due")) } th { (ctx.t("状态", "Status")) } } }
            tbody { @for fu in &followups { tr {
                td { (fu.title) @if fu.mandatory == 1 { " " span.tag.warn { (ctx.t("法定", "mandatory")) } }
                     @if fu.source == "resolution" { @if let Some(r) = fu.source_id.and_then(|id| resolutions.iter().find(|r| r.id == id)) { br; span.muted { (ctx.t("落实决议：", "carries out: ")) (r.motion) } } } }
                td { (fu.owner) } td { (fu.due_on) }
                td {
                    @if fu.done == 1 { span.tag.ok { (ctx.t("已完成", "done")) } }
                    @else {
                        span.tag { (ctx.t("未完成", "open")) }
                        @if chair {
                            form.inline method="post" action={"/deliberation/followups/" (fu.id) "/done"} {
                                (ctx.csrf_field())
                                @if fu.kind == "convene_assembly" {
                                    select name="meeting_id" aria-label=(ctx.t("已召集的居民会议", "The residents' meeting convened")) {
                                        option value="" { (ctx.t("选择已召集的居民会议", "choose the residents' meeting")) }
                                        @for m in &assemblies { option value=(m.id) { (m.held_on) " " (m.title) } }
                                    }
                                }
                                button.secondary type="submit" { (ctx.t("完成", "Done")) }
                            }
                        }
                    }
                }
            } } }
        } }
        @if f.form == "done" { div.flash.error role="alert" { (f.msg) } }
        @if chair {
            h2 { (ctx.t("新增待办", "Add a follow-up")) }
            form.stack method="post" action="/deliberation/followups" {
                (ctx.csrf_field())
                (f.general("followup", &["title", "owner", "due_on", "resolution_id"]))
                (input(f, "followup", ctx.t("事项", "Action"), "title", "text"))
                (input(f, "followup", ctx.t("负责人", "Owner"), "owner", "text"))
                (input(f, "followup", ctx.t("期限", "Due"), "due_on", "date"))
                (select(f, "followup", ctx.t("落实的决议（可选）", "Resolution it carries out (optional)"), "resolution_id",
                    &std::iter::once((String::new(), "—".to_string())).chain(resolutions.iter().filter(|r| r.passed == 1).map(|r| (r.id.to_string(), format!("{} {}", r.motion, r.topic_id.map(title_of).unwrap_or_default())))).collect::<Vec<_>>()))
                p { button type="submit" { (ctx.t("新增", "Add")) } }
            }
        }
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
        Ok(to) => Redirect::to(&to).into_response(),
        Err(ApiError::Invalid { field, msg }) => {
            show(Failed { form, field, msg: ctx.lang.msg(&msg), values: pairs }).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn create_topic(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        "topic",
        &body,
        |pairs| async move {
            let me = c.me()?;
            let n = topic_input(me, from_pairs(&pairs)?)?;
            let t = dl::create_topic(&st.db, &me.actor(), &own_community(me)?, n).await?;
            Ok(format!("/deliberation/topics/{}", t.id))
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn create_meeting(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        "meeting",
        &body,
        |pairs| async move {
            let me = c.me()?;
            let m = dl::create_meeting(&st.db, &me.actor(), &own_community(me)?, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/meetings/{}", m.id))
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn create_petition(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        "petition",
        &body,
        |pairs| async move {
            let me = c.me()?;
            dl::petition(&st.db, &me.actor(), &own_community(me)?, from_pairs(&pairs)?).await?;
            Ok("/deliberation#petitions".to_string())
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn create_followup(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        "followup",
        &body,
        |pairs| async move {
            let me = c.me()?;
            dl::create_followup(&st.db, &me.actor(), &own_community(me)?, from_pairs(&pairs)?).await?;
            Ok("/deliberation#followups".to_string())
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn followup_done(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        "done",
        &body,
        |pairs| async move {
            let me = c.me()?;
            load::<store::deliberation::Followup>(st, me, id).await?;
            dl::followup_done(&st.db, &me.actor(), id, from_pairs(&pairs)?).await?;
            Ok("/deliberation#followups".to_string())
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

// ------------------------------------------------------------------ topic

pub async fn topic(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    topic_with(&state, &ctx, id, &Failed::default(), StatusCode::OK).await
}

async fn topic_with(state: &AppState, ctx: &Ctx, id: i64, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let t = match load::<store::deliberation::Topic>(state, me, id).await {
        Ok(t) => t,
        Err(e) => return error_page(ctx, e),
    };
    let db = &state.db;
    let (comments, meetings, resolutions) =
        match tokio::try_join!(dl::comments(db, id), dl::meetings_of_topic(db, id), dl::resolutions_of_topic(db, id)) {
            Ok(x) => x,
            Err(e) => return error_page(ctx, e.into()),
        };
    let meeting_of = |mid: i64| meetings.iter().find(|m| m.id == mid);
    let body = html! {
        h1 { (t.title) }
        p { (status_tag(ctx, &t)) " " span.muted { (ctx.t("提出方", "Raised by")) ": " (raiser_name(ctx, &t.raised_by_kind)) @if !t.raised_by_name.is_empty() { " · " (t.raised_by_name) } " · " (super::when(&t.created_at)) } }
        @if !t.description.is_empty() { div.card { (t.description) } }
        @if t.status == TopicStatus::Closed {
            div.card #closing {
                strong { (ctx.t("结案", "Closed")) } " " (super::when(&t.closed_at.clone().unwrap_or_default()))
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
        @for c in &comments { div.card { strong { (c.author_name) } " " span.muted { (super::when(&c.created_at)) } br; (c.body) } }
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
    let st = &state;
    let c = &ctx;
    write(
        c,
        "comment",
        &body,
        |pairs| async move {
            let me = c.me()?;
            load::<store::deliberation::Topic>(st, me, id).await?;
            dl::comment(&st.db, &me.actor(), &me.display_name, id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/topics/{id}"))
        },
        |f| async move { topic_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn close_topic(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        "close",
        &body,
        |pairs| async move {
            let me = c.me()?;
            load::<store::deliberation::Topic>(st, me, id).await?;
            dl::close_topic(&st.db, &me.actor(), id, from_pairs(&pairs)?).await?;
            Ok(format!("/deliberation/topics/{id}"))
        },
        |f| async move { topic_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

// ---------------------------------------------------------------- meeting

pub async fn meeting(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    meeting_with(&state, &ctx, id, &Failed::default(), StatusCode::OK).await
}

async fn meeting_with(state: &AppState, ctx: &Ctx, id: i64, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let m = match load::<store::deliberation::Meeting>(state, me, id).await {
        Ok(m) => m,
        Err(e) => return error_page(ctx, e),
    };
    let (agenda, resolutions) = match tokio::try_join!(dl::agenda(&state.db, id), dl::resolutions(&state.db, id)) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
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

/// A write on a meeting: (database, actor, meeting id, form pairs).
type MeetingAct = fn(
    &store::Db,
    String,
    i64,
    Vec<(String, String)>,
) -> std::pin::Pin<Box<dyn Future<Output = store::Result<()>> + Send + '_>>;

async fn meeting_write(
    state: AppState,
    ctx: Ctx,
    id: i64,
    body: String,
    form: &'static str,
    act: MeetingAct,
) -> Response {
    let st = &state;
    let c = &ctx;
    write(
        c,
        form,
        &body,
        |pairs| async move {
            let me = c.me()?;
            load::<store::deliberation::Meeting>(st, me, id).await?;
            act(&st.db, me.actor(), id, pairs).await?;
            Ok(format!("/deliberation/meetings/{id}"))
        },
        |f| async move { meeting_with(st, c, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn attendance(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    meeting_write(state, ctx, id, body, "attendance", |db, actor, id, pairs| {
        Box::pin(async move { dl::record_attendance(db, &actor, id, from_pairs(&pairs)?).await.map(|_| ()) })
    })
    .await
}

pub async fn minutes(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    meeting_write(state, ctx, id, body, "minutes", |db, actor, id, pairs| {
        Box::pin(async move { dl::record_minutes(db, &actor, id, from_pairs(&pairs)?).await.map(|_| ()) })
    })
    .await
}

pub async fn resolve(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    meeting_write(state, ctx, id, body, "resolution", |db, actor, id, pairs| {
        Box::pin(async move { dl::resolve(db, &actor, id, from_pairs(&pairs)?).await.map(|_| ()) })
    })
    .await
}

// ----------------------------------------------------------- public record

/// A community's public record: meetings, attendance counts, votes and how
/// topics ended. No resident's name is shown.
pub async fn record(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let r = match dl::public_record(&state.db, &code).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (r.community_name) " · " (ctx.t("议事公开", "Public record of deliberation")) }
        p.muted { (ctx.t("依法公开居民会议和议事会的出席情况、表决结果与议题办理结果。", "Attendance, votes and the outcome of every topic of the residents' meetings and the deliberation council.")) }
        h2 { (ctx.t("会议与表决", "Meetings and votes")) }
        @if r.meetings.is_empty() { p.muted { (ctx.t("尚无会议", "No meetings yet")) } }
        @for m in &r.meetings {
            div.card.meeting {
                strong { (m.held_on) " " (m.title) } " " span.tag { (kind_name(&ctx, m.kind)) } " "
                @match m.validly_held { None => span.tag { (ctx.t("未登记出席", "attendance not recorded")) }, Some(true) => span.tag.ok { (ctx.t("有效举行", "validly held")) }, Some(false) => span.tag.warn { (ctx.t("未达法定人数", "no quorum")) } }
                br; span.muted { (ctx.t("应到", "Base")) " " (m.base_count) " (" (base_name(&ctx, m.base_kind.as_deref())) ") · " (ctx.t("出席", "present")) " " (m.present.map(|p| p.to_string()).unwrap_or_else(|| "—".into())) }
                @if !m.agenda.is_empty() { br; span.muted { (ctx.t("议程：", "Agenda: ")) (m.agenda.join("；")) } }
                @if !m.resolutions.is_empty() {
                    ul { @for x in &m.resolutions { li {
                        (x.motion) " — " (ctx.t("赞成", "yes")) " " (x.yes) " · " (ctx.t("反对", "no")) " " (x.no) " · " (ctx.t("弃权", "abstain")) " " (x.abstain) " · " (ctx.t("出席", "present")) " " (x.present) " "
                        (passed_tag(&ctx, x.passed))
                    } } }
                }
            }
        }
        h2 { (ctx.t("议题办理结果", "Outcome of topics")) }
        div.table-wrap { table #record-topics {
            thead { tr { th { (ctx.t("议题", "Topic")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("结果", "Outcome")) } } }
            tbody { @for t in &r.topics { tr {
                td { (t.title) @if t.important { " " span.tag.warn { (ctx.t("重要问题", "important")) } } }
                td { @if t.status == TopicStatus::Open { (ctx.t("协商中", "open")) } @else { (ctx.t("已结案", "closed")) " " (super::when(&t.closed_at.clone().unwrap_or_default())) } }
                td {
                    @if let Some(rid) = t.closing_resolution_id {
                        @if let Some(x) = r.meetings.iter().flat_map(|m| m.resolutions.iter()).find(|x| x.id == rid) { (ctx.t("依据决议：", "by resolution: ")) (x.motion) }
                    }
                    @if !t.closing_note.is_empty() { " " span.muted { (t.closing_note) } }
                }
            } } }
        } }
        p { a href={"/communities/" (r.community_code)} { (ctx.t("返回社区主页", "Back to the community")) } }
    };
    page(&ctx, ctx.t("议事公开", "Public record"), body)
}
