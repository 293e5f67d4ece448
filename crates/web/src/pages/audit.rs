//! The audit log viewer, for auditors.

use super::audit_words as words;
use super::{Ctx, error_page, page};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
    community: Option<String>,
}

/// A record's number as the page shows it (#5); a non-numeric key as it is.
fn record_no(id: &str) -> String {
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) { format!("#{id}") } else { id.to_string() }
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Response {
    let community = q.community.filter(|c| !c.is_empty());
    let (rows, verdict, users, names) = match tokio::try_join!(
        store::audit::recent(&state.db, community.as_deref(), None, q.before, 100),
        store::audit::verify(&state.db),
        store::users::list(&state.db, None, None),
        store::structure::community_names(&state.db)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let people: std::collections::HashMap<String, String> =
        users.into_iter().map(|u| (u.username, u.display_name)).collect();
    let body = html! {
        h1 { (ctx.t("审计日志", "Audit log")) }
        @match &verdict {
            store::audit::Verdict::Intact { entries } => div.flash.ok { (ctx.t("哈希链完整", "The hash chain is intact")) " · " (entries) }
            store::audit::Verdict::Broken { seq, reason } => div.flash.error role="alert" { (ctx.t("哈希链在此处断裂：", "The hash chain breaks at entry ")) (seq) " — " (reason) }
        }
        form.inline method="get" action="/audit" {
            div { label for="community" { (ctx.t("社区代码", "Community code")) } br; input id="community" name="community" value=(community.clone().unwrap_or_default()); }
            button type="submit" { (ctx.t("筛选", "Filter")) }
        }
        div.table-wrap { table {
            thead { tr { th { "#" } th { (ctx.t("时间", "When")) } th { (ctx.t("操作人", "Who")) } th { (ctx.t("操作", "Action")) } th { (ctx.t("对象", "Entity")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("哈希", "Hash")) } } }
            tbody { @for r in &rows { tr {
                td { (r.seq) } td { (super::when(&r.at)) } td title=(r.actor) { (words::actor(&ctx, &r.actor, &people)) }
                td title=(r.action) { (words::action(&ctx, &r.action)) } td { (words::entity(&ctx, &r.entity)) " " (record_no(&r.entity_id)) }
                td { @if let Some(c) = &r.community_code { (super::community_name(&names, c)) } } td { code title=(r.hash) { (&r.hash[..12]) } }
            } } }
        } }
        @if let Some(last) = rows.last() { @if last.seq > 1 {
            div.pager { a.button.secondary href={"/audit?before=" (last.seq) "&community=" (community.clone().unwrap_or_default())} { (ctx.t("更早", "Older")) } }
        } }
    };
    page(&ctx, ctx.t("审计日志", "Audit log"), body)
}
