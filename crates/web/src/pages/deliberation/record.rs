//! A community's public record of deliberation: open to everyone.

use super::{base_name, kind_name, passed_tag};
use crate::AppState;
use crate::pages::{Ctx, error_page, page, when};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use store::deliberation::{self as dl, TopicStatus};

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
                td { @if t.status == TopicStatus::Open { (ctx.t("协商中", "open")) } @else { (ctx.t("已结案", "closed")) " " (when(&t.closed_at.clone().unwrap_or_default())) } }
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
