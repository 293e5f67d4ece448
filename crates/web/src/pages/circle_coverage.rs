//! Living-circle coverage from the residents registry (issue 16, rules §7.3): the stored run's
//! shares per facility type for the city and each community, and one community's page — its
//! shares, its buildings on a map (those outside the standard in red) and the list of those
//! buildings with their households and residents (buildings, never people).

use super::{Ctx, error_page, page};
use crate::AppState;
use crate::scope::load;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{Markup, PreEscaped, html};
use serde_json::json;
use store::circle::homes::{Gap, Row, Run};
use store::circle::{Facility, FacilityType};
use store::structure::Community;

/// Colours of a building on the map: within the standard, outside it.
pub const HOME_SHADES: [&str; 2] = ["#27ae60", "#c0392b"];

/// A share as a percentage with one decimal ("—" when there is no one to count).
pub fn share(covered: i64, residents: i64) -> String {
    if residents == 0 { "—".into() } else { format!("{:.1}%", 100.0 * covered as f64 / residents as f64) }
}

pub fn type_name<'a>(types: &'a [FacilityType], code: &'a str) -> &'a str {
    types.iter().find(|t| t.code == code).map_or(code, |t| t.name.as_str())
}

/// One building on the map: its label, position and whether it is outside the standard.
pub struct HomeMark {
    pub label: String,
    pub lon: f64,
    pub lat: f64,
    pub gap: bool,
}

pub fn homes_geojson(homes: &[HomeMark]) -> serde_json::Value {
    let features: Vec<_> = homes
        .iter()
        .map(|h| {
            json!({ "type": "Feature",
                    "properties": { "label": h.label, "color": HOME_SHADES[usize::from(h.gap)] },
                    "geometry": { "type": "Point", "coordinates": [h.lon, h.lat] } })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// What the run was computed on, and how many homes it could not place.
pub fn run_line(ctx: &Ctx, run: &Run) -> Markup {
    html! {
        p {
            (ctx.t("计算日期：", "Computed on: ")) (run.computed_on) " · "
            (ctx.t("路网：", "Network: ")) (run.network_name) " · "
            (ctx.t("已定位楼栋 ", "Buildings placed: ")) (run.buildings) (ctx.t(" 栋，居民 ", ", residents ")) (run.residents) (ctx.t(" 人", ""))
            @if run.unplaced_buildings > 0 {
                " · " (ctx.t("未定位楼栋 ", "Not placed: ")) (run.unplaced_buildings) (ctx.t(" 栋（居民 ", " buildings (")) (run.unplaced_residents)
                (ctx.t(" 人，不计入比例）", " residents, not counted)"))
            }
        }
    }
}

/// The shares per facility type, one row per type in catalogue order.
pub fn shares_table(ctx: &Ctx, types: &[FacilityType], rows: &[Row]) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr {
                th { (ctx.t("设施类型", "Facility type")) } th { (ctx.t("步行距离（米）", "Walking distance (m)")) }
                th { (ctx.t("全市设施数", "Facilities (city)")) } th { (ctx.t("居民", "Residents")) }
                th { (ctx.t("达标居民", "Within the standard")) } th { (ctx.t("达标比例", "Share")) }
            } }
            tbody { @for t in types { @if let Some(r) = rows.iter().find(|r| r.type_code == t.code) { tr {
                td { (t.name) } td { (r.walk_m) } td { (r.facilities) } td { (r.residents) } td { (r.covered) }
                td { (share(r.covered, r.residents)) }
            } } } }
        } }
    }
}

#[derive(serde::Deserialize)]
pub struct TypeQuery {
    #[serde(rename = "type")]
    pub type_code: Option<String>,
}

pub async fn community(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<TypeQuery>,
) -> Response {
    match render(&state, &ctx, code, q.type_code.filter(|t| !t.is_empty())).await {
        Ok(r) => r,
        Err(e) => error_page(&ctx, e),
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    code: String,
    type_code: Option<String>,
) -> Result<Response, crate::error::ApiError> {
    let db = &state.db;
    let c: Community = load(state, ctx.me()?, code).await?;
    let types = store::circle::facility_types(db).await?;
    let title = format!("{} · {}", c.name, ctx.t("十五分钟生活圈覆盖", "15-minute living circle coverage"));
    let Some(run) = store::circle::homes::latest_run(db).await? else {
        let body =
            html! { h1 { (title) } p.muted { (ctx.t("尚未计算覆盖情况。", "Coverage has not been computed yet.")) } };
        return Ok(page(ctx, &title, body));
    };
    let chosen = type_code.as_deref().and_then(|t| types.iter().find(|x| x.code == t));
    let (rows, gaps, placed) = tokio::try_join!(
        store::circle::homes::rows(db, run.id, Some(&c.code)),
        store::circle::homes::gaps(db, run.id, Some(&c.code), chosen.map(|t| t.code.as_str())),
        store::circle::homes::placed(db, &c.code),
    )?;
    // The buildings outside the standard, each with the types it misses.
    // (Gaps come ordered by building, so each building's rows are consecutive.)
    let mut by_building: Vec<(&Gap, Vec<&str>)> = Vec::new();
    for g in &gaps {
        match by_building.last_mut() {
            Some((b, missing)) if b.building == g.building => missing.push(type_name(&types, &g.type_code)),
            _ => by_building.push((g, vec![type_name(&types, &g.type_code)])),
        }
    }
    let index: std::collections::HashMap<&str, usize> =
        by_building.iter().enumerate().map(|(k, (g, _))| (g.building.as_str(), k)).collect();
    let marks: Vec<HomeMark> = placed
        .iter()
        .map(|(b, lon, lat, _)| {
            let gap = index.get(b.as_str()).map(|&k| &by_building[k]);
            let label = match gap {
                Some((g, missing)) => {
                    format!(
                        "{b}（{}户 {}人）{}{}",
                        g.households,
                        g.residents,
                        ctx.t("未达标：", " outside: "),
                        missing.join("、")
                    )
                }
                None => b.clone(),
            };
            HomeMark { label, lon: *lon, lat: *lat, gap: gap.is_some() }
        })
        .collect();
    let illustrative = placed.iter().any(|p| p.3 != 0);
    let pad = 0.004;
    let bbox = placed.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
        [b[0].min(p.1 - pad), b[1].min(p.2 - pad), b[2].max(p.1 + pad), b[3].max(p.2 + pad)]
    });
    let streets =
        if placed.is_empty() { Vec::new() } else { store::circle::homes::streets_in(db, run.network_id, bbox).await? };
    let facilities: Vec<Facility> = store::circle::facilities(db)
        .await?
        .into_iter()
        .filter(|f| f.lon >= bbox[0] && f.lat >= bbox[1] && f.lon <= bbox[2] && f.lat <= bbox[3])
        .collect();
    let r = |x: f64| (x * 1e6).round() / 1e6;
    let lines: Vec<_> = streets.iter().map(|s| json!([[r(s[0]), r(s[1])], [r(s[2]), r(s[3])]])).collect();
    let points: Vec<_> = facilities
        .iter()
        .map(|f| {
            json!({ "type": "Feature", "properties": { "label": format!("{}（{}）", f.name, type_name(&types, &f.type_code)) },
                    "geometry": { "type": "Point", "coordinates": [f.lon, f.lat] } })
        })
        .collect();
    let data = json!({
        "attribution": if illustrative { ctx.t("示例：楼栋位置与路网为程序生成", "Illustrative: generated building positions and streets") } else { "" },
        "streets": { "type": "FeatureCollection", "features": [{ "type": "Feature", "properties": { "color": "#7f8c8d" },
                     "geometry": { "type": "MultiLineString", "coordinates": lines } }] },
        "facilities": { "type": "FeatureCollection", "features": points },
        "homes": homes_geojson(&marks),
    });
    let body = html! {
        h1 { (title) }
        (run_line(ctx, &run))
        @if illustrative { p { (super::illustrative(ctx)) " " (ctx.t("楼栋位置为程序生成的示例，非真实位置。", "Building positions are generated for the demo, not real.")) } }
        h2 { (ctx.t("各类设施的步行覆盖", "Walking coverage per facility type")) }
        (shares_table(ctx, &types, &rows))
        h2 { (ctx.t("未达标的楼栋", "Buildings outside the standard")) }
        form.stack method="get" action=(format!("/circle/communities/{}", c.code)) {
            label for="type" { (ctx.t("设施类型", "Facility type")) }
            select #type name="type" {
                option value="" { (ctx.t("（全部类型）", "(every type)")) }
                @for t in &types { option value=(t.code) selected[chosen.is_some_and(|c| c.code == t.code)] { (t.name) } }
            }
            button type="submit" { (ctx.t("筛选", "Filter")) }
        }
        @if let Some(t) = chosen { p { (ctx.t("只看：", "Only: ")) (t.name) } }
        div.circle-split {
            div #circle-map {}
            div.table-wrap.circle-table { table {
                thead { tr { th { (ctx.t("楼栋", "Building")) } th { (ctx.t("户数", "Households")) } th { (ctx.t("人数", "Residents")) } th { (ctx.t("未达标的设施类型", "Facility types outside the standard")) } } }
                tbody { @for (g, missing) in &by_building { tr {
                    td { (g.building) } td { (g.households) } td { (g.residents) } td { (missing.join("、")) }
                } } }
            } }
        }
        p.muted {
            (ctx.t("图例：", "Legend: "))
            span style=(format!("color: {}", HOME_SHADES[0])) { "● " (ctx.t("达标楼栋", "building within the standard")) } " · "
            span style=(format!("color: {}", HOME_SHADES[1])) { "● " (ctx.t("未达标楼栋", "building outside the standard")) } " · "
            span style="color: #2c3e50" { "● " (ctx.t("设施", "facility")) } " · "
            (ctx.t("灰线为步行路网。", "grey lines are the walking network."))
        }
        p { a href="/circle" { (ctx.t("返回全市生活圈", "Back to the city's living circle")) } }
        link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css";
        script type="application/json" #circle-data { (PreEscaped(data.to_string().replace("</", "<\\/"))) }
        script src="/assets/vendor/leaflet/leaflet.js" {}
        script src="/assets/circle-map.js" {}
    };
    Ok(page(ctx, &title, body))
}

/// A planner computes coverage again (on the first network); back to /circle.
pub async fn recompute(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async { crate::actions::circle::recompute(&state, ctx.me()?).await }.await;
    match r {
        Ok(_) => super::done::redirect("/circle", "coverage"),
        Err(e) => error_page(&ctx, e),
    }
}
