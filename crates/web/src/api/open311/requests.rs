//! `requests`: search (GET), post (form-encoded, with an `api_key`) and one
//! request by id.

use super::format::{self, F, Format, Rec, txt};
use super::{cst, field, file_name, jurisdiction, notice, query, questions, store_err};
use crate::AppState;
use crate::http::form_pairs;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;
use store::cases::{self as cs, CaseView, NewCase};
use store::typed::Word;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

/// At most this many requests per search, and this window by default.
const MAX: i64 = 1000;
const WINDOW_DAYS: i64 = 90;

fn bad(fmt: Format, d: impl Into<String>) -> Response {
    format::error(fmt, StatusCode::BAD_REQUEST, d)
}

/// The agency a lead queue stands for: the community's name or the unit's.
fn agency(queue: Option<&str>, names: &HashMap<String, String>) -> String {
    let q = queue.unwrap_or_default();
    match q.split_once(':') {
        Some(("community", code)) => names.get(code).cloned().unwrap_or_else(|| code.to_string()),
        Some((_, unit)) => unit.to_string(),
        None => q.to_string(),
    }
}

fn record(v: &CaseView, it_notice: String, names: &HashMap<String, String>) -> Rec {
    let c = &v.case;
    // What a resident said at the counter or on the phone, and where they
    // live, is not published: only requests posted through Open311 show them.
    let public = c.channel == store::cases::Channel::Open311;
    // Even then, ID-number-like and phone-like strings are redacted (rules §6.4).
    let shown = |x: &str| if public { rules::redact::text(x) } else { String::new() };
    let closed = matches!(c.status, cases::Status::Closed | cases::Status::Rejected);
    let opt = |x: Option<String>| x.map(F::S).unwrap_or(F::Null);
    vec![
        ("service_request_id", txt(c.id.to_string())),
        ("status", txt(if closed { "closed" } else { "open" })),
        ("status_notes", txt(c.status.word())),
        ("service_name", txt(&v.item_name)),
        ("service_code", txt(&c.item_code)),
        ("description", txt(shown(&c.description))),
        ("agency_responsible", txt(agency(c.lead_queue.as_deref(), names))),
        ("service_notice", txt(it_notice)),
        ("requested_datetime", txt(cst(&c.created_at))),
        ("updated_datetime", txt(cst(&c.updated_at))),
        ("expected_datetime", opt(v.deadline.as_deref().map(cst))),
        ("address", txt(shown(&c.address))),
        ("address_id", F::Null),
        ("zipcode", F::Null),
        ("lat", F::N(c.lat.filter(|_| public))),
        ("long", F::N(c.lon.filter(|_| public))),
        ("media_url", F::Null),
    ]
}

/// Renders cases as the spec's requests, in order.
async fn render(s: &AppState, fmt: Format, cases: Vec<store::cases::Case>) -> Response {
    let names = match store::structure::community_names(&s.db).await {
        Ok(n) => n,
        Err(e) => return store_err(fmt, e),
    };
    let mut notices: HashMap<String, String> = HashMap::new();
    let mut recs = Vec::with_capacity(cases.len());
    for c in cases {
        let v = match cs::view(&s.db, c).await {
            Ok(v) => v,
            Err(e) => return store_err(fmt, e),
        };
        if !notices.contains_key(&v.case.item_code) {
            match cs::item(&s.db, &v.case.item_code).await {
                Ok(it) => notices.insert(it.code.clone(), notice(&it)),
                Err(e) => return store_err(fmt, e),
            };
        }
        recs.push(record(&v, notices[&v.case.item_code].clone(), &names));
    }
    format::list(fmt, StatusCode::OK, "service_requests", "request", &recs)
}

fn split(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

/// ISO 8601 with a time zone (RFC 3339), as the spec asks.
fn datetime(fmt: Format, k: &str, v: &str) -> Result<Option<OffsetDateTime>, Response> {
    if v.is_empty() {
        return Ok(None);
    }
    // An unencoded `+08:00` in a query string arrives as a space.
    OffsetDateTime::parse(&v.replace(' ', "+"), &Rfc3339).map(Some).map_err(|_| {
        bad(fmt, format!("{k}: a date and time with its zone, e.g. 2026-11-01T00:00:00+08:00 / 时间格式无效"))
    })
}

fn utc(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).unwrap_or_default()
}

pub async fn search(State(s): State<AppState>, uri: Uri) -> Response {
    let fmt = Format::of_path(uri.path());
    let q = query(&uri);
    let community = match jurisdiction(&s, fmt, &field(&q, "jurisdiction_id")).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    let mut f = store::open311::Filter { community, limit: MAX, ..Default::default() };
    for id in split(&field(&q, "service_request_id")) {
        match id.parse::<i64>() {
            Ok(i) => f.ids.push(i),
            Err(_) => return bad(fmt, format!("service_request_id: {id} is not a request id / 编号无效")),
        }
    }
    if f.ids.is_empty() {
        f.service_codes = split(&field(&q, "service_code"));
        let statuses = split(&field(&q, "status"));
        if let Some(x) = statuses.iter().find(|x| !matches!(x.as_str(), "open" | "closed")) {
            return bad(fmt, format!("status: {x} is neither open nor closed / 状态应为 open 或 closed"));
        }
        f.open = match (statuses.iter().any(|x| x == "open"), statuses.iter().any(|x| x == "closed")) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        };
        let (from, to) = match (
            datetime(fmt, "start_date", &field(&q, "start_date")),
            datetime(fmt, "end_date", &field(&q, "end_date")),
        ) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        let window = Duration::days(WINDOW_DAYS);
        let (from, to) = match (from, to) {
            (None, None) => (OffsetDateTime::now_utc() - window, None),
            (Some(a), None) => (a, Some(a + window)),
            (None, Some(b)) => (b - window, Some(b)),
            (Some(a), Some(b)) if b < a => return bad(fmt, "end_date is before start_date / 结束时间早于开始时间"),
            (Some(a), Some(b)) if b - a > window => {
                return bad(fmt, format!("a search spans at most {WINDOW_DAYS} days / 查询范围不超过{WINDOW_DAYS}天"));
            }
            (Some(a), Some(b)) => (a, Some(b)),
        };
        f.from = Some(utc(from));
        f.to = to.map(utc);
    }
    match store::open311::requests(&s.db, &f).await {
        Ok(cases) => render(&s, fmt, cases).await,
        Err(e) => store_err(fmt, e),
    }
}

pub async fn one(State(s): State<AppState>, Path(file): Path<String>, uri: Uri) -> Response {
    let (id, fmt) = match file_name(&file) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<i64>() else { return format::error(fmt, StatusCode::NOT_FOUND, "not found / 未找到") };
    let j = match jurisdiction(&s, fmt, &field(&query(&uri), "jurisdiction_id")).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    match cs::case(&s.db, id).await {
        Ok(c) if j.as_ref().is_none_or(|j| *j == c.community_code) => render(&s, fmt, vec![c]).await,
        Ok(_) => format::error(fmt, StatusCode::NOT_FOUND, "not found / 未找到"),
        Err(e) => store_err(fmt, e),
    }
}

/// `attribute[code]=v` (and `attribute[code][]=v` for multi-value lists),
/// checked against the item's questions.
pub(crate) fn answers(
    fmt: Format,
    item: &str,
    qs: &[Value],
    pairs: &[(String, String)],
) -> Result<serde_json::Map<String, Value>, Response> {
    let mut given: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in pairs {
        let code = k.strip_prefix("attribute[").and_then(|r| r.strip_suffix("[]").unwrap_or(r).strip_suffix(']'));
        if let Some(code) = code {
            let v = v.trim();
            if !v.is_empty() {
                given.entry(code.to_string()).or_default().push(v.to_string());
            }
        }
    }
    let mut out = serde_json::Map::new();
    for code in given.keys() {
        if !qs.iter().any(|q| q["key"] == code.as_str()) {
            return Err(bad(fmt, format!("attribute[{code}]: not an attribute of {item} / 该事项没有此项")));
        }
    }
    for q in qs {
        let code = q["key"].as_str().unwrap_or_default();
        let kind = q["kind"].as_str().unwrap_or("text");
        let Some(vals) = given.remove(code) else {
            if q["required"].as_bool().unwrap_or(false) {
                return Err(bad(
                    fmt,
                    format!("attribute[{code}] is required / 请填写「{}」", q["label"].as_str().unwrap_or(code)),
                ));
            }
            continue;
        };
        let options: Vec<&str> =
            q["options"].as_array().map(|o| o.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let wrong = |v: &str| bad(fmt, format!("attribute[{code}]: {v} is not one of its values / 取值无效"));
        match kind {
            "single" | "multi" => {
                if let Some(v) = vals.iter().find(|v| !options.contains(&v.as_str())) {
                    return Err(wrong(v));
                }
                if kind == "single" && vals.len() > 1 {
                    return Err(bad(fmt, format!("attribute[{code}] takes one value / 只能选一项")));
                }
            }
            "number" => {
                if let Some(v) = vals.iter().find(|v| v.parse::<f64>().is_err()) {
                    return Err(bad(fmt, format!("attribute[{code}]: {v} is not a number / 应为数字")));
                }
            }
            _ => {}
        }
        let value = if kind == "multi" { json!(vals) } else { json!(vals.last().cloned().unwrap_or_default()) };
        out.insert(code.to_string(), value);
    }
    Ok(out)
}

/// Where a request is: lat and long together (finite decimals), or else an
/// address (`address_string`, or `address_id`). Pure: the fuzz target
/// (`crate::fuzz::fuzz_open311_form`) calls it as `post` does.
pub(crate) fn location(fmt: Format, pairs: &[(String, String)]) -> Result<(Option<(f64, f64)>, String), Response> {
    let get = |k: &str| field(pairs, k);
    let coord = |k: &str| -> Result<Option<f64>, Response> {
        let v = get(k);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| bad(fmt, format!("{k} must be a decimal number / 应为小数")))
    };
    let (lat, lon) = match (coord("lat"), coord("long")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return Err(r),
    };
    if lat.is_some() != lon.is_some() {
        return Err(bad(fmt, "lat and long go together / 经纬度须同时提供"));
    }
    let address = get("address_string");
    if lat.is_none() && address.is_empty() && get("address_id").is_empty() {
        return Err(bad(fmt, "a location is required: lat and long, address_string or address_id / 请提供位置"));
    }
    let address = if address.is_empty() { get("address_id") } else { address };
    Ok((lat.zip(lon), address))
}

pub async fn post(State(s): State<AppState>, uri: Uri, body: String) -> Response {
    let fmt = Format::of_path(uri.path());
    let pairs = form_pairs(&body);
    let get = |k: &str| field(&pairs, k);
    let key = Some(get("api_key")).filter(|k| !k.is_empty()).unwrap_or_else(|| field(&query(&uri), "api_key"));
    let client = match store::open311::client_for_key(&s.db, &key).await {
        Ok(Some(c)) => c,
        Ok(None) if key.is_empty() => {
            return format::error(fmt, StatusCode::FORBIDDEN, "api_key is required / 缺少 api_key");
        }
        Ok(None) => return format::error(fmt, StatusCode::FORBIDDEN, "api_key is not valid / api_key 无效"),
        Err(e) => return store_err(fmt, e),
    };
    let jurisdiction = match jurisdiction(&s, fmt, &get("jurisdiction_id")).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    let service_code = get("service_code");
    if service_code.is_empty() {
        return bad(fmt, "service_code is required / 请提供 service_code");
    }
    let it = match cs::item_cached(&s.db, &service_code).await {
        Ok(it) if it.takes(store::cases::Channel::Open311) => it,
        Ok(_) => {
            return bad(
                fmt,
                format!("service_code {service_code} is not offered through Open311 / 该事项不通过此渠道受理"),
            );
        }
        Err(store::StoreError::NotFound) => {
            return bad(fmt, format!("service_code {service_code} is unknown / 未知的服务事项"));
        }
        Err(e) => return store_err(fmt, e),
    };
    let (point, address) = match location(fmt, &pairs) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let (lat, lon) = (point.map(|p| p.0), point.map(|p| p.1));
    // The jurisdiction names the community; without one, the point does; with
    // neither, the address (None: the registry cannot place it — triage).
    let community = match (jurisdiction, point) {
        (Some(j), Some((la, lo))) => match store::structure::contains(&s.db, &j, la, lo).await {
            Ok(true) => Some(j),
            Ok(false) => return bad(fmt, format!("lat/long lie outside jurisdiction {j} / 位置不在该社区")),
            Err(e) => return store_err(fmt, e),
        },
        (Some(j), None) => Some(j),
        (None, Some((la, lo))) => match store::structure::locate(&s.db, la, lo).await {
            Ok(Some(c)) => Some(c),
            Ok(None) => return bad(fmt, "lat/long lie outside every community of the city / 位置不在本市任何社区"),
            Err(e) => return store_err(fmt, e),
        },
        (None, None) => match store::triage::place(&s.db, &address).await {
            Ok(c) => c,
            Err(e) => return store_err(fmt, e),
        },
    };
    let by_address = point.is_none() && !address.is_empty();
    let mut answers = match answers(fmt, &it.code, &questions(&it), &pairs) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let email = get("email");
    if !email.is_empty() {
        answers.insert("email".into(), json!(email));
    }
    let name = format!("{}{}", get("last_name"), get("first_name"));
    let n = NewCase {
        item: it.code.clone(),
        channel: "open311".into(),
        caller_name: if name.is_empty() { format!("Open311 {}", client.name) } else { name },
        caller_phone: get("phone"),
        description: get("description"),
        address,
        building: String::new(),
        lat,
        lon,
        answers: Some(Value::Object(answers)),
        resident_id: None,
    };
    let Some(community) = community else {
        // No community named, no point, an address the registry cannot place:
        // the hotline routes it by hand; the client follows it by its token.
        let q = match store::triage::queue(&s.db, &client.name, &it.code, &n).await {
            Ok(q) => q,
            Err(e) => return store_err(fmt, e),
        };
        let rec: Rec = vec![
            ("token", F::S(store::triage::token_for(&s.db, q.id))),
            ("service_notice", txt(triage_notice())),
            ("account_id", F::Null),
        ];
        return format::list(fmt, StatusCode::OK, "service_requests", "request", &[rec]);
    };
    let c = match cs::create(&s.db, &format!("open311:{}", client.name), cases::Role::System, &community, n).await {
        Ok(c) => c,
        Err(e) => return store_err(fmt, e),
    };
    let token = F::S(store::open311::token_for(&s.db, c.id));
    let mut said = notice(&it);
    if by_address {
        said.push_str(" · 已按地址定位到所属社区 / located by its address");
    }
    let rec: Rec = vec![
        ("service_request_id", txt(c.id.to_string())),
        ("token", token),
        ("service_notice", txt(said)),
        ("account_id", F::Null),
    ];
    format::list(fmt, StatusCode::OK, "service_requests", "request", &[rec])
}

/// What a client is told of a request the hotline will route by hand.
fn triage_notice() -> String {
    let h = store::triage::TRIAGE_HOURS;
    format!(
        "地址未能自动定位，已转2881890热线人工分派（{h}小时内） / the address could not be placed automatically: the hotline will route it by hand within {h} hours"
    )
}
