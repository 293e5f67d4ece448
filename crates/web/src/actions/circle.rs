//! The 15-minute living circle's user actions (issue 16): a planner adds, moves or closes a
//! facility, imports a facilities file, or computes coverage again. Each command is built from a
//! form (or JSON) with every field error at once, and runs one store transaction with its audit
//! entry; the facility's position is checked against the first stored walking network.
//! A district's planner reaches only the facilities standing in its own communities (the
//! community whose service area holds the point, `store::structure::locate`); the city's, all.
//! Coverage is read in scope: a community's staff their community, a district its communities.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use rules::Msg;
use serde::Serialize;
use std::collections::HashSet;
use store::circle::homes::{Gap, Row, Run};
use store::circle::{Facility, NewFacility, Rejected};

/// A facility farther than this from the walking network is refused (as the CLI's default).
pub const MAX_SNAP_M: f64 = 500.0;

/// The first stored network (the one the map draws), if any.
async fn network(state: &AppState) -> Result<Option<(store::circle::Network, circle::Graph)>, ApiError> {
    match store::circle::networks(&state.db).await?.first() {
        Some(n) => Ok(store::circle::load_network(&state.db, &n.name).await?),
        None => Ok(None),
    }
}

fn rejected(r: Vec<Rejected>) -> ApiError {
    ApiError::fields(r.into_iter().map(|r| (r.field, r.msg)))
}

fn text<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().rev().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}

/// A longitude and latitude from a form: both numbers, or each named as wrong.
fn lon_lat(pairs: &[(String, String)], errs: &mut Vec<(String, Msg)>) -> (f64, f64) {
    let mut num = |field: &str, zh: &str, en: &str| {
        text(pairs, field).parse::<f64>().unwrap_or_else(|_| {
            errs.push((
                field.into(),
                Msg::new(format!("{zh}应为数字（度）"), format!("the {en} must be a number (degrees)")),
            ));
            f64::NAN
        })
    };
    (num("lon", "经度", "longitude"), num("lat", "纬度", "latitude"))
}

/// Add a facility: type (catalogue code or name), name, lon, lat; capacity, opening hours,
/// owner and whether it is a former street office's building optional.
pub fn add_command(pairs: &[(String, String)]) -> Result<NewFacility, ApiError> {
    let mut errs = Vec::new();
    let (lon, lat) = lon_lat(pairs, &mut errs);
    let capacity = match text(pairs, "capacity") {
        "" => None,
        v => v.parse::<i64>().map(Some).unwrap_or_else(|_| {
            errs.push(("capacity".into(), Msg::new("容量应为整数", "the capacity must be a whole number")));
            None
        }),
    };
    if text(pairs, "type").is_empty() {
        errs.push(("type".into(), Msg::new("请选择设施类型", "choose a facility type")));
    }
    if text(pairs, "name").is_empty() {
        errs.push(("name".into(), Msg::new("请填写名称", "give a name")));
    }
    if !errs.is_empty() {
        return Err(ApiError::fields(errs));
    }
    Ok(NewFacility {
        line: 1,
        type_text: text(pairs, "type").into(),
        name: text(pairs, "name").into(),
        lon,
        lat,
        capacity,
        opening_hours: text(pairs, "opening_hours").into(),
        owner: text(pairs, "owner").into(),
        former_street_office: matches!(text(pairs, "former_street_office"), "1" | "on" | "是" | "true"),
    })
}

pub async fn add(state: &AppState, me: &Principal, f: NewFacility) -> Result<Facility, ApiError> {
    let g = network(state).await?;
    placeable(g.as_ref().map(|x| &x.1), f.lon, f.lat)?;
    if !in_reach(state, me, f.lon, f.lat).await? {
        return Err(outside_reach("lon"));
    }
    store::circle::edit::add(&state.db, &me.actor(), &f, g.as_ref().map(|x| &x.1), MAX_SNAP_M).await?.map_err(rejected)
}

/// Move a facility: its new lon, lat.
pub async fn relocate(
    state: &AppState,
    me: &Principal,
    id: i64,
    pairs: &[(String, String)],
) -> Result<Facility, ApiError> {
    let mut errs = Vec::new();
    let (lon, lat) = lon_lat(pairs, &mut errs);
    if !errs.is_empty() {
        return Err(ApiError::fields(errs));
    }
    let g = network(state).await?;
    reach_facility(state, me, id).await?;
    placeable(g.as_ref().map(|x| &x.1), lon, lat)?;
    if !in_reach(state, me, lon, lat).await? {
        return Err(outside_reach("lon"));
    }
    Ok(store::circle::edit::relocate(&state.db, &me.actor(), id, lon, lat, g.as_ref().map(|x| &x.1), MAX_SNAP_M)
        .await?)
}

/// Close a facility from a date, with the reason.
pub async fn close(
    state: &AppState,
    me: &Principal,
    id: i64,
    pairs: &[(String, String)],
) -> Result<Facility, ApiError> {
    let mut errs = Vec::new();
    if time::Date::parse(text(pairs, "closed_on"), &time::format_description::well_known::Iso8601::DATE).is_err() {
        errs.push(("closed_on".into(), Msg::new("关闭日期应为 年-月-日", "the closing date must be YYYY-MM-DD")));
    }
    if text(pairs, "reason").is_empty() {
        errs.push(("reason".into(), Msg::new("请说明关闭原因", "say why it closes")));
    }
    reach_facility(state, me, id).await?;
    if !errs.is_empty() {
        return Err(ApiError::fields(errs));
    }
    Ok(store::circle::edit::close(&state.db, &me.actor(), id, text(pairs, "closed_on"), text(pairs, "reason")).await?)
}

/// Import a facilities file (CSV or XLSX), all or nothing; the number added.
pub async fn import(state: &AppState, me: &Principal, file_name: &str, bytes: &[u8]) -> Result<usize, ApiError> {
    let t =
        store::circle::file::table(file_name, bytes).map_err(|m| ApiError::Invalid { field: "file".into(), msg: m })?;
    let rows = store::circle::file::facilities_from(&t).map_err(|r| lined(r))?;
    let g = network(state).await?;
    let mut outside = Vec::new();
    for r in &rows {
        // A position the engine refuses is named by the store's checks, with every other refusal.
        if placeable(g.as_ref().map(|x| &x.1), r.lon, r.lat).is_ok() && !in_reach(state, me, r.lon, r.lat).await? {
            outside.push(Rejected { line: r.line, field: "lon".into(), msg: outside_msg() });
        }
    }
    if !outside.is_empty() {
        return Err(lined(outside));
    }
    store::circle::import_facilities(&state.db, &me.actor(), &rows, g.as_ref().map(|x| &x.1), MAX_SNAP_M)
        .await?
        .map_err(lined)
}

/// A file's refusals, each with its line in the message.
fn lined(r: Vec<Rejected>) -> ApiError {
    ApiError::fields(r.into_iter().map(|r| {
        (r.field, Msg::new(format!("第 {} 行：{}", r.line, r.msg.zh), format!("line {}: {}", r.line, r.msg.en)))
    }))
}

/// Compute coverage again on the first network.
pub async fn recompute(state: &AppState, me: &Principal) -> Result<store::circle::homes::Run, ApiError> {
    let nets = store::circle::networks(&state.db).await?;
    let n =
        nets.first().ok_or_else(|| ApiError::invalid("network", "尚未导入步行路网", "no walking network imported"))?;
    Ok(store::circle::homes::compute_coverage(&state.db, &me.actor(), &n.name).await?)
}

/// Where to build next (issue 16, siting): for one facility type, k new sites among the
/// candidates that cover the most registry residents not yet within its walking distance.
pub struct SitingAsk {
    pub type_code: String,
    pub k: usize,
    /// Every street node, or (default) the places of the other facilities — community rooms,
    /// service centers, converted street-office buildings, venues — as the sites one could reuse.
    pub every_node: bool,
}

/// The command from a query: type required, k 1–10.
pub fn siting_ask(type_code: Option<&str>, k: Option<&str>, candidates: Option<&str>) -> Result<SitingAsk, ApiError> {
    let mut errs = Vec::new();
    let type_code = type_code.unwrap_or("").trim().to_string();
    if type_code.is_empty() {
        errs.push(("type".into(), Msg::new("请选择设施类型", "choose a facility type")));
    }
    let k = match k.unwrap_or("3").trim().parse::<usize>() {
        Ok(k) if (1..=10).contains(&k) => k,
        _ => {
            errs.push(("k".into(), Msg::new("新址数量应为 1–10", "the number of new sites must be 1–10")));
            0
        }
    };
    if !errs.is_empty() {
        return Err(ApiError::fields(errs));
    }
    Ok(SitingAsk { type_code, k, every_node: candidates == Some("nodes") })
}

#[derive(Debug, Serialize)]
pub struct SitingResult {
    pub type_code: String,
    pub type_name: String,
    pub walk_m: i64,
    /// (lon, lat, residents added), in the order chosen.
    pub sites: Vec<(f64, f64, u64)>,
    pub candidates: usize,
    pub before: u64,
    pub after: u64,
    pub residents: u64,
}

pub async fn site(state: &AppState, me: &Principal, ask: &SitingAsk) -> Result<SitingResult, ApiError> {
    let db = &state.db;
    let reach = communities_in_reach(state, me).await?;
    let (_, g) = network(state)
        .await?
        .ok_or_else(|| ApiError::invalid("network", "尚未导入步行路网", "no walking network imported"))?;
    let types = store::circle::facility_types(db).await?;
    let t = types
        .iter()
        .find(|t| t.code == ask.type_code || t.name == ask.type_code)
        .ok_or_else(|| ApiError::invalid("type", "设施类型不在目录中", "the facility type is not in the catalogue"))?;
    let levels = store::circle::levels(db).await?;
    let level = levels
        .iter()
        .find(|l| l.code == t.level_code)
        .ok_or_else(|| ApiError::invalid("type", "该设施类型没有层级", "the facility type has no level"))?;
    let walk_m = t.radius_m.map_or(level.walk_m, |r| r.min(level.walk_m));
    let loc = circle::Locator::new(&g);
    let homes: Vec<circle::Home> = store::circle::homes::registry_buildings(db)
        .await?
        .iter()
        .filter(|b| reach.contains(&b.community_code))
        .filter_map(|b| {
            let s = loc.locate(&g, b.lon?, b.lat?, store::circle::homes::HOME_SNAP_M).ok()?;
            Some(circle::Home { node: s.node, residents: u32::try_from(b.residents).unwrap_or(u32::MAX) })
        })
        .collect();
    let facilities = store::circle::facilities(db).await?;
    let node = |f: &Facility| loc.locate(&g, f.lon, f.lat, MAX_SNAP_M).ok().map(|s| s.node);
    let existing: Vec<u32> = facilities.iter().filter(|f| f.type_code == t.code).filter_map(node).collect();
    let mut candidates: Vec<u32> = if ask.every_node {
        (0..g.node_count() as u32).collect()
    } else {
        facilities.iter().filter(|f| f.type_code != t.code).filter_map(node).collect()
    };
    candidates.sort_unstable();
    candidates.dedup();
    let s = circle::site(&g, &homes, &existing, &candidates, walk_m as f64, ask.k);
    Ok(SitingResult {
        type_code: t.code.clone(),
        type_name: t.name.clone(),
        walk_m,
        sites: s.sites.iter().map(|&(n, add)| (g.lon[n as usize], g.lat[n as usize], add)).collect(),
        candidates: candidates.len(),
        before: s.covered_before,
        after: s.covered_after,
        residents: s.residents,
    })
}

/// Is a position one the engine can place (on the network when one is stored)? Else the
/// engine's reason (swapped, projected metres, off the network) on the position's field.
fn placeable(g: Option<&circle::Graph>, lon: f64, lat: f64) -> Result<(), ApiError> {
    let r = match g {
        Some(g) => circle::Locator::new(g).locate(g, lon, lat, MAX_SNAP_M).map(|_| ()),
        None if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 => Ok(()),
        None => Err(circle::Error::NotDegrees { lon, lat }),
    };
    r.map_err(|e| ApiError::Invalid { field: "lon".into(), msg: e.msg() })
}

fn outside_msg() -> Msg {
    Msg::new("该位置不在您所辖的社区内", "the position is not in one of your communities")
}

fn outside_reach(field: &str) -> ApiError {
    ApiError::Invalid { field: field.into(), msg: outside_msg() }
}

/// May this planner keep a facility standing here? The city's: anywhere; a district's: where the
/// community whose service area holds the point is one of its own.
async fn in_reach(state: &AppState, me: &Principal, lon: f64, lat: f64) -> Result<bool, ApiError> {
    if me.can_reach_district(None) {
        return Ok(true);
    }
    let Some(code) = store::structure::locate(&state.db, lat, lon).await? else {
        return Ok(false);
    };
    let c = store::structure::community(&state.db, &code).await?;
    Ok(me.can_reach(&c.code, &c.district_code))
}

/// A facility to change: one outside the planner's reach answers as one that does not exist.
async fn reach_facility(state: &AppState, me: &Principal, id: i64) -> Result<Facility, ApiError> {
    let f = store::circle::edit::facility(&state.db, id).await?;
    if in_reach(state, me, f.lon, f.lat).await? { Ok(f) } else { Err(ApiError::NotFound) }
}

/// The codes of the communities this principal reaches.
async fn communities_in_reach(state: &AppState, me: &Principal) -> Result<HashSet<String>, ApiError> {
    let (_, district) = me.scope();
    Ok(store::structure::communities(&state.db, district.as_deref())
        .await?
        .into_iter()
        .filter(|c| me.can_reach(&c.code, &c.district_code))
        .map(|c| c.code)
        .collect())
}

/// A facility type named in a query: none, or one of the catalogue (by code or name).
async fn chosen_type(state: &AppState, t: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(t) = t.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    store::circle::facility_types(&state.db)
        .await?
        .into_iter()
        .find(|x| x.code == t || x.name == t)
        .map(|x| Some(x.code))
        .ok_or_else(|| ApiError::invalid("type", "设施类型不在目录中", "the facility type is not in the catalogue"))
}

/// The latest coverage run as far as a principal reaches: per community and facility type, and
/// the totals per type over those communities (the city's figure for the city's planners).
#[derive(Debug, Serialize)]
pub struct Coverage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
    pub rows: Vec<Row>,
    pub totals: Vec<Row>,
}

pub async fn coverage(state: &AppState, me: &Principal, type_code: Option<&str>) -> Result<Coverage, ApiError> {
    let t = chosen_type(state, type_code).await?;
    let Some(run) = store::circle::homes::latest_run(&state.db).await? else {
        return Ok(Coverage { run: None, rows: Vec::new(), totals: Vec::new() });
    };
    let reach = communities_in_reach(state, me).await?;
    let rows: Vec<Row> = store::circle::homes::rows(&state.db, run.id, None)
        .await?
        .into_iter()
        .filter(|r| reach.contains(&r.community_code) && t.as_ref().is_none_or(|t| *t == r.type_code))
        .collect();
    let totals = store::circle::homes::city(&rows);
    Ok(Coverage { run: Some(run), rows, totals })
}

/// One community's coverage per type and its buildings outside the standard (buildings with their
/// households and residents counted, never people).
#[derive(Debug, Serialize)]
pub struct CommunityCoverage {
    pub community_code: String,
    pub community_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
    pub rows: Vec<Row>,
    pub gaps: Vec<Gap>,
}

pub async fn community_coverage(
    state: &AppState,
    me: &Principal,
    code: String,
    type_code: Option<&str>,
) -> Result<CommunityCoverage, ApiError> {
    let c: store::structure::Community = crate::scope::load(state, me, code).await?;
    let t = chosen_type(state, type_code).await?;
    let mut out =
        CommunityCoverage { community_code: c.code, community_name: c.name, run: None, rows: vec![], gaps: vec![] };
    if let Some(run) = store::circle::homes::latest_run(&state.db).await? {
        let db = &state.db;
        out.rows = store::circle::homes::rows(db, run.id, Some(&out.community_code))
            .await?
            .into_iter()
            .filter(|r| t.as_ref().is_none_or(|t| *t == r.type_code))
            .collect();
        out.gaps = store::circle::homes::gaps(db, run.id, Some(&out.community_code), t.as_deref()).await?;
        out.run = Some(run);
    }
    Ok(out)
}

/// A JSON object as a form's pairs, so the API runs the same commands as the pages: text as it
/// is, numbers and booleans as their text, null as empty; a nested value is refused by its name.
pub fn json_pairs(body: serde_json::Map<String, serde_json::Value>) -> Result<Vec<(String, String)>, ApiError> {
    use serde_json::Value;
    let mut errs = Vec::new();
    let mut pairs = Vec::new();
    for (k, v) in body {
        let text = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
            Value::Array(_) | Value::Object(_) => {
                errs.push((k.clone(), Msg::new("应为文字或数字", "must be text or a number")));
                continue;
            }
        };
        pairs.push((k, text));
    }
    if errs.is_empty() { Ok(pairs) } else { Err(ApiError::fields(errs)) }
}
