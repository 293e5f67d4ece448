//! The 15-minute living circle (issue 16, rules §7): the GB 50180 catalogue as the city keeps it,
//! the imported walking networks, and a map of the first network's streets with the registry's
//! facilities — Leaflet drawing our own GeoJSON, no online tiles — with a table beside it.

use super::{Ctx, error_page, page};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use maud::{PreEscaped, html};
use serde_json::json;

/// Streets as one GeoJSON MultiLineString of every edge, facilities as points with Chinese labels.
fn map_data(
    g: &circle::Graph,
    facilities: &[store::circle::Facility],
    types: &[store::circle::FacilityType],
    attribution: &str,
) -> String {
    let r = |x: f64| (x * 1e6).round() / 1e6;
    let lines: Vec<_> = g
        .edge_u
        .iter()
        .zip(&g.edge_v)
        .map(|(&u, &v)| {
            let (u, v) = (u as usize, v as usize);
            json!([[r(g.lon[u]), r(g.lat[u])], [r(g.lon[v]), r(g.lat[v])]])
        })
        .collect();
    let points: Vec<_> = facilities
        .iter()
        .map(|f| {
            let ty = types.iter().find(|t| t.code == f.type_code).map_or(f.type_code.as_str(), |t| t.name.as_str());
            json!({ "type": "Feature", "properties": { "label": format!("{}（{ty}）", f.name) },
                    "geometry": { "type": "Point", "coordinates": [f.lon, f.lat] } })
        })
        .collect();
    let data = json!({
        "attribution": attribution,
        "streets": { "type": "Feature", "properties": {}, "geometry": { "type": "MultiLineString", "coordinates": lines } },
        "facilities": { "type": "FeatureCollection", "features": points },
    });
    // Inside <script>, only "</" could end the element early.
    data.to_string().replace("</", "<\\/")
}

pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Response {
    let db = &state.db;
    let loaded = async {
        Ok::<_, store::StoreError>((
            store::circle::levels(db).await?,
            store::circle::facility_types(db).await?,
            store::circle::networks(db).await?,
            store::circle::facilities(db).await?,
        ))
    }
    .await;
    let (levels, types, nets, facilities) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let graph = match nets.first() {
        Some(n) => match store::circle::load_network(db, &n.name).await {
            Ok(g) => g,
            Err(e) => return error_page(&ctx, e.into()),
        },
        None => None,
    };
    // An imported extract is OpenStreetMap's (ODbL); anything else is the demo's generated grid.
    let attribution = match &graph {
        Some((n, _)) if n.source.ends_with(".pbf") => {
            ctx.t("路网数据 © OpenStreetMap 贡献者（ODbL）", "Street data © OpenStreetMap contributors (ODbL)")
        }
        _ => ctx.t("示例路网：程序生成，非真实街道", "Demo network: generated, not real streets"),
    };
    let level_name = |code: &str| levels.iter().find(|l| l.code == code).map_or("", |l| l.name.as_str());
    let body = html! {
        h1 { (ctx.t("十五分钟生活圈", "The 15-minute living circle")) }
        @if let Some((net, g)) = &graph {
            h2 { (ctx.t("步行路网与设施", "Walking network and facilities")) " · " (net.name) }
            div.circle-split style="display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start" {
                div #circle-map style="height: 480px; min-width: 320px; flex: 2 1 480px; background: #fafafa; border: 1px solid #ddd" {}
                div.table-wrap style="flex: 1 1 380px; min-width: 380px" { table {
                    thead { tr { th { (ctx.t("设施", "Facility")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("容量", "Capacity")) } th { (ctx.t("开放时间", "Hours")) } th { (ctx.t("原街道办用房", "Former street office")) } } }
                    tbody { @for f in &facilities { tr {
                        td { (f.name) }
                        td { (types.iter().find(|t| t.code == f.type_code).map_or("", |t| t.name.as_str())) }
                        td { @if let Some(c) = f.capacity { (c) } }
                        td { (f.opening_hours) }
                        td { @if f.former_street_office != 0 { (ctx.t("是", "yes")) } }
                    } } }
                } }
            }
            p.muted { (ctx.t("图例：灰线为步行路网，红点为设施。", "Legend: grey lines are the walking network, red dots the facilities.")) " " (attribution) }
            link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css";
            script type="application/json" #circle-data { (PreEscaped(map_data(g, &facilities, &types, attribution))) }
            script src="/assets/vendor/leaflet/leaflet.js" {}
            script src="/assets/circle-map.js" {}
        } @else {
            p.muted { (ctx.t("尚未导入步行路网：由系统管理员在服务器上导入 OpenStreetMap 路网文件后，这里显示路网、设施和覆盖情况。",
                             "No walking network imported yet: once the system administrator imports an OpenStreetMap extract on the server, the network, facilities and coverage show here.")) }
        }
        h2 { (ctx.t("生活圈层级（可按地方标准修改）", "Living-circle levels (editable for a local standard)")) }
        @if levels.is_empty() {
            p.muted { (ctx.t("目录在首次导入路网或设施时载入。", "The catalogue is loaded with the first network or facility import.")) }
        } @else {
            div.table-wrap { table {
                thead { tr { th { (ctx.t("层级", "Level")) } th { (ctx.t("步行距离（米）", "Walking distance (m)")) } th { (ctx.t("标准表述", "The standard's wording")) } th { (ctx.t("依据", "Source")) } } }
                tbody { @for l in &levels { tr { td { (l.name) } td { (l.walk_m) } td { (l.range_text) } td.muted { (l.source) } } } }
            } }
            div.table-wrap { table {
                thead { tr { th { (ctx.t("设施类型", "Facility type")) } th { (ctx.t("层级", "Level")) } th { (ctx.t("服务半径（米）", "Service radius (m)")) } th { (ctx.t("依据", "Source")) } } }
                tbody { @for t in &types { tr { td { (t.name) } td { (level_name(&t.level_code)) } td { @if let Some(r) = t.radius_m { (r) } } td.muted { (t.source) } } } }
            } }
        }
        h2 { (ctx.t("已导入的步行路网", "Imported walking networks")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("名称", "Name")) } th { (ctx.t("来源文件", "Source file")) } th { (ctx.t("节点", "Nodes")) } th { (ctx.t("路段", "Edges")) } th { (ctx.t("导入时间", "Imported")) } } }
            tbody { @for n in &nets { tr { td { (n.name) } td { (n.source) } td { (n.node_count) } td { (n.edge_count) } td { (n.imported_at) } } } }
        } }
    };
    page(&ctx, ctx.t("十五分钟生活圈", "15-minute living circle"), body)
}
