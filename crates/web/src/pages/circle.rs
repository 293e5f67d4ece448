//! The 15-minute living circle (issue 16, rules §7): the GB 50180 catalogue as the city keeps it,
//! the imported walking networks, and a map of the first network's streets with the registry's
//! facilities — Leaflet drawing our own GeoJSON, no online tiles — with a table beside it, and the
//! stored coverage of the registry's buildings for the city and per community.

use super::circle_coverage::{HomeMark, homes_geojson, run_line, share, shares_table};
use super::{Ctx, error_page, page};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{PreEscaped, html};
use serde_json::json;

/// Street colours by walking distance to the nearest facility of the chosen type: within the
/// type's distance, within twice it, farther or unreachable.
const SHADES: [&str; 3] = ["#27ae60", "#e67e22", "#c0392b"];

/// Streets as GeoJSON MultiLineStrings — one grey, or one per shade when `shade` gives each
/// edge's bucket — and facilities as points with Chinese labels.
fn map_data(
    g: &circle::Graph,
    shade: Option<&[u8]>,
    facilities: &[store::circle::Facility],
    types: &[store::circle::FacilityType],
    attribution: &str,
    homes: serde_json::Value,
) -> String {
    let r = |x: f64| (x * 1e6).round() / 1e6;
    let mut lines: Vec<Vec<serde_json::Value>> = vec![Vec::new(); 3];
    for (k, (&u, &v)) in g.edge_u.iter().zip(&g.edge_v).enumerate() {
        let (u, v) = (u as usize, v as usize);
        let b = shade.map_or(0, |s| s[k] as usize);
        lines[b].push(json!([[r(g.lon[u]), r(g.lat[u])], [r(g.lon[v]), r(g.lat[v])]]));
    }
    let streets: Vec<_> = lines
        .into_iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(b, l)| {
            let color = if shade.is_some() { SHADES[b] } else { "#7f8c8d" };
            json!({ "type": "Feature", "properties": { "color": color },
                    "geometry": { "type": "MultiLineString", "coordinates": l } })
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
        "streets": { "type": "FeatureCollection", "features": streets },
        "facilities": { "type": "FeatureCollection", "features": points },
        "homes": homes,
    });
    // Inside <script>, only "</" could end the element early.
    data.to_string().replace("</", "<\\/")
}

#[derive(serde::Deserialize)]
pub struct ShadeQuery {
    /// A facility type's code: shade the streets by walking distance to its facilities.
    #[serde(rename = "type")]
    pub type_code: Option<String>,
}

/// Each edge's bucket by the mean walking distance of its two ends (about its middle's): 0 within
/// `walk_m` of a facility, 1 within twice it, 2 farther or unreachable.
fn shade(g: &circle::Graph, facilities: &[store::circle::Facility], code: &str, walk_m: f64) -> Vec<u8> {
    let loc = circle::Locator::new(g);
    let sources: Vec<u32> = facilities
        .iter()
        .filter(|f| f.type_code == code)
        .filter_map(|f| loc.locate(g, f.lon, f.lat, 500.0).ok().map(|s| s.node))
        .collect();
    // Cut farther than the shades need: an edge's mean may fall within twice the distance
    // while one end lies beyond it.
    let r = circle::nearest(g, &sources, 4.0 * walk_m);
    g.edge_u
        .iter()
        .zip(&g.edge_v)
        .map(|(&u, &v)| {
            let d = (r.dist[u as usize] + r.dist[v as usize]) / 2.0;
            if d <= walk_m {
                0
            } else if d <= 2.0 * walk_m {
                1
            } else {
                2
            }
        })
        .collect()
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ShadeQuery>) -> Response {
    let db = &state.db;
    let loaded = async {
        Ok::<_, store::StoreError>((
            store::circle::levels(db).await?,
            store::circle::facility_types(db).await?,
            store::circle::networks(db).await?,
            store::circle::facilities(db).await?,
            store::circle::homes::latest_run(db).await?,
        ))
    }
    .await;
    let (levels, types, nets, facilities, run) = match loaded {
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
    // The chosen type and its walking distance (its level's, or its own stricter radius).
    let chosen = q.type_code.as_deref().and_then(|c| types.iter().find(|t| t.code == c)).and_then(|t| {
        let level = levels.iter().find(|l| l.code == t.level_code)?;
        Some((t, t.radius_m.map_or(level.walk_m, |r| r.min(level.walk_m))))
    });
    let shading = match (&graph, chosen) {
        (Some((_, g)), Some((t, m))) => Some(shade(g, &facilities, &t.code, m as f64)),
        _ => None,
    };
    // The stored coverage: each community's rows, and the chosen type's buildings outside the standard.
    let coverage = match &run {
        Some(run) => {
            let gaps = match chosen {
                Some((t, _)) => store::circle::homes::gaps(db, run.id, None, Some(&t.code)).await,
                None => Ok(Vec::new()),
            };
            match (
                store::circle::homes::rows(db, run.id, None).await,
                gaps,
                store::structure::communities(db, None).await,
            ) {
                (Ok(r), Ok(g), Ok(c)) => Some((run, r, g, c)),
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return error_page(&ctx, e.into()),
            }
        }
        None => None,
    };
    let gap_marks: Vec<HomeMark> = coverage.as_ref().map_or(Vec::new(), |(_, _, gaps, _)| {
        gaps.iter()
            .map(|g| HomeMark {
                label: format!("{}（{}户 {}人）", g.building, g.households, g.residents),
                lon: g.lon,
                lat: g.lat,
                gap: true,
            })
            .collect()
    });
    let planner = ctx.principal.as_ref().is_some_and(|me| crate::policy::CIRCLE_PLANNERS.contains(&me.role));
    let level_name = |code: &str| levels.iter().find(|l| l.code == code).map_or("", |l| l.name.as_str());
    let body = html! {
        h1 { (ctx.t("十五分钟生活圈", "The 15-minute living circle")) }
        @if let Some((net, g)) = &graph {
            h2 { (ctx.t("步行路网与设施", "Walking network and facilities")) " · " (net.name) }
            form.stack method="get" action="/circle" {
                label for="type" { (ctx.t("按设施类型的步行距离着色", "Shade by walking distance to a facility type")) }
                select #type name="type" {
                    option value="" { (ctx.t("（不着色）", "(no shading)")) }
                    @for t in &types { option value=(t.code) selected[chosen.is_some_and(|(c, _)| c.code == t.code)] { (t.name) } }
                }
                button type="submit" { (ctx.t("着色", "Shade")) }
            }
            @if let Some((t, m)) = chosen {
                p { (ctx.t("着色：", "Shading: ")) (t.name) " — "
                    span style=(format!("color: {}", SHADES[0])) { "■ " (m) (ctx.t(" 米内", " m or less")) } " · "
                    span style=(format!("color: {}", SHADES[1])) { "■ " (2 * m) (ctx.t(" 米内", " m or less")) } " · "
                    span style=(format!("color: {}", SHADES[2])) { "■ " (ctx.t("更远或不可达", "farther or unreachable")) }
                }
            }
            div.circle-split {
                div #circle-map {}
                div.table-wrap.circle-table { table {
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
            p.muted { (ctx.t("图例：灰线为步行路网，深色点为设施", "Legend: grey lines are the walking network, dark dots the facilities"))
                @if !gap_marks.is_empty() { (ctx.t("，红色小点为该类设施未达标的楼栋", ", small red dots the buildings outside the standard for this type")) }
                (ctx.t("。", ".")) " " (attribution) }
            @if planner { p { a href="/circle/facilities" { (ctx.t("设施登记：新增、移动、关闭、导入与导出", "Facilities registry: add, move, close, import and export")) } " · "
                a href="/circle/siting" { (ctx.t("新设施选址", "Where to build next")) } } }
            link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css";
            script type="application/json" #circle-data { (PreEscaped(map_data(g, shading.as_deref(), &facilities, &types, attribution, homes_geojson(&gap_marks)))) }
            script src="/assets/vendor/leaflet/leaflet.js" {}
            script src="/assets/circle-map.js" {}
        } @else {
            p.muted { (ctx.t("尚未导入步行路网：由系统管理员在服务器上导入 OpenStreetMap 路网文件后，这里显示路网、设施和覆盖情况。",
                             "No walking network imported yet: once the system administrator imports an OpenStreetMap extract on the server, the network, facilities and coverage show here.")) }
        }
        h2 { (ctx.t("居民步行覆盖（按居民登记的楼栋）", "Residents within walking distance (registry buildings)")) }
        @if let Some((run, rows, _, communities)) = &coverage {
            (run_line(&ctx, run))
            h3 { (ctx.t("全市", "The city")) }
            (shares_table(&ctx, &types, &store::circle::homes::city(rows)))
            h3 { (ctx.t("各社区达标比例", "Share within the standard, per community")) }
            div.table-wrap { table {
                thead { tr { th { (ctx.t("社区", "Community")) } @for t in &types { th { (t.name) } } } }
                tbody { @for c in communities { @if rows.iter().any(|r| r.community_code == c.code) { tr {
                    td { @if ctx.principal.as_ref().is_some_and(|me| me.can_reach(&c.code, &c.district_code)) {
                        a href=(format!("/circle/communities/{}", c.code)) { (c.name) } } @else { (c.name) } }
                    @for t in &types { td { @if let Some(r) = rows.iter().find(|r| r.community_code == c.code && r.type_code == t.code) { (share(r.covered, r.residents)) } } }
                } } } }
            } }
        } @else {
            p.muted { (ctx.t("尚未计算：居民登记的楼栋定位后，由规划人员计算覆盖情况。", "Not computed yet: once the registry's buildings are placed, a planner computes coverage.")) }
        }
        @if planner && !nets.is_empty() {
            form method="post" action="/circle/coverage" {
                (ctx.csrf_field())
                button type="submit" { (ctx.t("按当前设施与楼栋重新计算覆盖", "Compute coverage again with today's facilities and buildings")) }
            }
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
        p.muted { (ctx.t("路网文件中的建筑和设施点随路网一并保存，仅作参考，不自动并入登记：覆盖按居民登记的楼栋计算（楼栋位置由「定位楼栋」导入，社区＋楼栋名对应登记），设施以设施登记为准（可从文件导入）。OpenStreetMap 的建筑不与登记楼栋自动匹配。",
                         "The extract's buildings and amenities are stored with the network for reference and are not merged into the registers: coverage counts the residents registry's buildings (placed by a building-positions import, matched by community and building name), and facilities are those of the facilities registry (importable from a file). OpenStreetMap buildings are not matched to the registry's buildings automatically.")) }
    };
    page(&ctx, ctx.t("十五分钟生活圈", "15-minute living circle"), body)
}
