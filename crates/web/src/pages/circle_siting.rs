//! Where to build next (issue 16): a planner picks a facility type and k; the page proposes k new
//! sites by greedy maximum coverage over the registry's residents and shows coverage before and
//! after. Nothing is written.

use super::{Ctx, error_page, page};
use crate::AppState;
use crate::actions::circle as act;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

#[derive(serde::Deserialize)]
pub struct SitingQuery {
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    pub k: Option<String>,
    pub candidates: Option<String>,
}

fn pct(x: u64, of: u64) -> String {
    if of == 0 { "—".into() } else { format!("{:.1}%", 100.0 * x as f64 / of as f64) }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<SitingQuery>) -> Response {
    let types = match store::circle::facility_types(&state.db).await {
        Ok(t) => t,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let asked = q.type_code.is_some();
    let result = if asked {
        match act::siting_ask(q.type_code.as_deref(), q.k.as_deref(), q.candidates.as_deref()) {
            Ok(ask) => Some(match ctx.me() {
                Ok(me) => act::site(&state, me, &ask).await,
                Err(e) => Err(e),
            }),
            Err(e) => Some(Err(e)),
        }
    } else {
        None
    };
    let result = match result {
        Some(Err(e)) if e.field_errors().is_empty() => return error_page(&ctx, e),
        other => other,
    };
    let nodes = q.candidates.as_deref() == Some("nodes");
    let body = html! {
        h1 { (ctx.t("新设施选址", "Where to build next")) }
        p.muted { (ctx.t("按居民登记的楼栋，为所选设施类型在候选地点中贪心地选出能新覆盖最多居民的 k 处新址（贪心最大覆盖：覆盖人数不少于最优 k 处的 1 − 1/e ≈ 63%）。只计算，不写入。",
                         "Over the registry's buildings, k new sites for the chosen type among the candidates, chosen greedily to cover the most residents not yet covered (greedy maximum coverage: at least 1 − 1/e ≈ 63% of the best k sites). Computed only, nothing is written.")) }
        form.stack method="get" action="/circle/siting" {
            label for="type" { (ctx.t("设施类型", "Facility type")) }
            select #type name="type" { @for t in &types { option value=(t.code) selected[q.type_code.as_deref() == Some(t.code.as_str())] { (t.name) } } }
            label for="k" { (ctx.t("新址数量", "New sites")) }
            input #k name="k" type="number" min="1" max="10" value=(q.k.clone().unwrap_or_else(|| "3".into()));
            label for="candidates" { (ctx.t("候选地点", "Candidates")) }
            select #candidates name="candidates" {
                option value="facilities" selected[!nodes] { (ctx.t("其他设施所在地（社区用房、服务中心、原街道办用房、共建场所）", "Other facilities' places (community rooms, service centers, former street offices, venues)")) }
                option value="nodes" selected[nodes] { (ctx.t("路网上的每个节点", "Every street node")) }
            }
            button type="submit" { (ctx.t("计算", "Compute")) }
        }
        @match &result {
            Some(Ok(r)) => {
                h2 { (r.type_name) (ctx.t("：步行 ", ": within ")) (r.walk_m) (ctx.t(" 米内", " m")) }
                p { (ctx.t("覆盖居民：", "Residents covered: ")) (r.before) " → " strong { (r.after) } " / " (r.residents)
                    " （" (pct(r.before, r.residents)) " → " (pct(r.after, r.residents)) "）· "
                    (ctx.t("候选地点 ", "candidates: ")) (r.candidates) }
                @if r.sites.is_empty() { p.muted { (ctx.t("没有能新增覆盖的候选地点。", "No candidate adds anyone.")) } }
                @else { div.table-wrap { table {
                    thead { tr { th { (ctx.t("顺序", "Order")) } th { (ctx.t("经度", "Longitude")) } th { (ctx.t("纬度", "Latitude")) } th { (ctx.t("新增覆盖居民", "Residents added")) } } }
                    tbody { @for (k, (lon, lat, add)) in r.sites.iter().enumerate() { tr { td { (k + 1) } td { (format!("{lon:.6}")) } td { (format!("{lat:.6}")) } td { (add) } } } }
                } } }
            }
            Some(Err(e)) => {
                @for (_, m) in e.field_errors() { div.flash.error role="alert" { (ctx.lang.msg(m)) } }
            }
            None => {}
        }
        p { a href="/circle" { (ctx.t("返回十五分钟生活圈", "Back to the 15-minute living circle")) } }
    };
    let status = if matches!(result, Some(Err(_))) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, page(&ctx, ctx.t("新设施选址", "Where to build next"), body)).into_response()
}
