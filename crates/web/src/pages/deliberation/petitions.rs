//! Petitions to convene a residents' meeting (居组法 Art 10), handed in at
//! the counter, and follow-up actions — those a petition forces and those
//! that carry out a resolution.

use super::{index_with, write};
use crate::AppState;
use crate::actions::deliberation as act;
use crate::pages::Ctx;
use crate::pages::form::{Failed, from_pairs, input, select};
use crate::policy::{DELIB_CHAIRS, DELIB_CLERKS, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use store::Capped;
use store::deliberation::{Followup, Meeting, MeetingKind, Petition, Resolution, Topic};

/// The overview's petitions and, for the counter, the form to record one.
pub(super) fn section(ctx: &Ctx, f: &Failed, me: &Principal, petitions: &Capped<Petition>) -> Markup {
    html! {
        h2 #petitions { (ctx.t("居民提议召开居民会议", "Petitions to convene a residents' meeting")) }
        p.muted { (ctx.t("五分之一以上的十八周岁以上居民、五分之一以上的户或三分之一以上的居民小组提议，应当召集居民会议（居组法第十条）。",
                         "When 1/5 of adult residents, 1/5 of households or 1/3 of residents' groups ask, a residents' meeting must be convened (Organic Law Art 10).")) }
        div.table-wrap { table #petition-list {
            thead { tr { th { (ctx.t("提议事项", "Subject")) } th { (ctx.t("成年居民", "Adults")) } th { (ctx.t("户", "Households")) } th { (ctx.t("居民小组", "Groups")) } th { (ctx.t("结果", "Outcome")) } } }
            tbody { @for p in petitions { tr {
                td { (p.subject) }
                td { (p.adults_signed) " / " (p.adults_total) } td { (p.households_signed) " / " (p.households_total) } td { (p.groups_signed) " / " (p.groups_total) }
                td { @if p.forces_meeting == 1 { span.tag.warn { (ctx.t("应当召集居民会议", "a residents' meeting must be convened")) } } @else { span.tag { (ctx.t("未达法定比例", "below the thresholds")) } } }
            } } }
        } }
        (crate::pages::cut_note(ctx, petitions))
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

    }
}

/// The overview's follow-ups and, for the chair, marking one done and adding one.
pub(super) fn followups_section(
    ctx: &Ctx,
    f: &Failed,
    me: &Principal,
    followups: &Capped<Followup>,
    meetings: &[Meeting],
    topics: &[Topic],
    resolutions: &[Resolution],
) -> Markup {
    let chair = DELIB_CHAIRS.contains(&me.role);
    let title_of = |id: i64| topics.iter().find(|t| t.id == id).map(|t| t.title.clone()).unwrap_or_default();
    let assemblies: Vec<&Meeting> = meetings.iter().filter(|m| m.kind == MeetingKind::Assembly).collect();
    html! {
        h2 #followups { (ctx.t("待办事项", "Follow-up actions")) }
        div.table-wrap { table #followup-list {
            thead { tr { th { (ctx.t("事项", "Action")) } th { (ctx.t("负责人", "Owner")) } th { (ctx.t("期限", "Due")) } th { (ctx.t("状态", "Status")) } } }
            tbody { @for fu in followups { tr {
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
        (crate::pages::cut_note(ctx, followups))
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
    }
}

pub async fn create_petition(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "petition",
        &body,
        |pairs| async move {
            act::petition(st, c.me()?, from_pairs(&pairs)?).await?;
            Ok("/deliberation#petitions".to_string())
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn create_followup(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "followup",
        &body,
        |pairs| async move {
            act::add_followup(st, c.me()?, from_pairs(&pairs)?).await?;
            Ok("/deliberation#followups".to_string())
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}

pub async fn followup_done(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let (st, c) = (&state, &ctx);
    write(
        c,
        "done",
        &body,
        |pairs| async move {
            act::followup_done(st, c.me()?, id, from_pairs(&pairs)?).await?;
            Ok("/deliberation#followups".to_string())
        },
        |f| async move { index_with(st, c, &f, StatusCode::UNPROCESSABLE_ENTITY).await },
    )
    .await
}
