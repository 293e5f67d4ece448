//! The 15-minute living circle's user actions (issue 16): a planner adds, moves or closes a
//! facility, imports a facilities file, or computes coverage again. Each command is built from a
//! form (or JSON) with every field error at once, and runs one store transaction with its audit
//! entry; the facility's position is checked against the first stored walking network.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use rules::Msg;
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
