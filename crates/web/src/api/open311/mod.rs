//! Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), in JSON and
//! XML: discovery, services, service definitions, requests (search, post,
//! one) and tokens. Every answer, errors included, is in the spec's shape
//! (`[{"code", "description"}]` / `<errors>` with 400/403/404), never
//! problem+json. The routes are public; posting needs an `api_key` issued with
//! `shequ open311 key add`, checked here. A request becomes a case on the
//! `open311` channel, in the community named by `jurisdiction_id` or, without
//! one, the community whose service area holds the point.
#![allow(clippy::result_large_err)] // handlers answer spec-shaped error responses directly

mod format;
pub mod fuzz;
pub mod requests;

use crate::AppState;
use crate::http::form_pairs;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use format::{F, Format, Rec, txt};
use serde_json::Value;
use store::StoreError;
use store::cases::{self as cs, Item};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// When this endpoint's behaviour last changed (discovery's changeset).
const CHANGESET: &str = "2026-11-28T00:00:00+08:00";

pub(crate) fn store_err(fmt: Format, e: StoreError) -> Response {
    match e {
        StoreError::NotFound => format::error(fmt, StatusCode::NOT_FOUND, "not found / 未找到"),
        StoreError::Invalid { field, msg } => {
            // The spec's names for the fields a client sent.
            let field = open311_name(&field);
            format::error(fmt, StatusCode::BAD_REQUEST, format!("{field}: {} / {}", msg.en, msg.zh))
        }
        e => {
            tracing::error!(%e, "open311");
            format::error(fmt, StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// A body the text rules refused (`crate::text`), in the spec's error shape: 400 naming every field.
pub(crate) fn refused_text(path: &str, e: crate::error::ApiError) -> Response {
    let fmt = if path.ends_with(".xml") { Format::Xml } else { Format::Json };
    let fields: Vec<String> =
        e.field_errors().iter().map(|(f, m)| format!("{}: {} / {}", open311_name(f), m.en, m.zh)).collect();
    format::error(fmt, StatusCode::BAD_REQUEST, fields.join("; "))
}

/// The spec's name for a field of ours.
fn open311_name(field: &str) -> String {
    match field {
        "caller_phone" => "phone".to_string(),
        "caller_name" => "last_name".to_string(),
        "item" => "service_code".to_string(),
        f => match f.strip_prefix("answers.") {
            Some(code) => format!("attribute[{code}]"),
            None => f.to_string(),
        },
    }
}

/// The last value of a form or query field, trimmed.
pub(crate) fn field(pairs: &[(String, String)], k: &str) -> String {
    pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    form_pairs(uri.query().unwrap_or(""))
}

/// An unknown jurisdiction is 404; none means the city's endpoint.
pub(crate) async fn jurisdiction(s: &AppState, fmt: Format, j: &str) -> Result<Option<String>, Response> {
    if j.is_empty() {
        return Ok(None);
    }
    // Cached with the intake's catalogue: a POST costs no lookup round trip.
    match store::cases::place_of(&s.db, j).await {
        Ok(_) => Ok(Some(j.to_string())),
        Err(StoreError::NotFound) => {
            Err(format::error(fmt, StatusCode::NOT_FOUND, format!("unknown jurisdiction_id {j} / 未知的辖区")))
        }
        Err(e) => Err(store_err(fmt, e)),
    }
}

/// A `{name}.{json,xml}` path segment; another extension is 404.
pub(crate) fn file_name(file: &str) -> Result<(&str, Format), Response> {
    match Format::split(file) {
        Some((n, f)) if !n.is_empty() => Ok((n, f)),
        _ => Err(format::error(Format::Json, StatusCode::NOT_FOUND, "not found: use .json or .xml / 未找到")),
    }
}

/// Any other path under `/open311/` (the router's fallback): the spec's 404.
pub fn not_found(path: &str) -> Response {
    format::error(Format::of_path(path), StatusCode::NOT_FOUND, "not found / 未找到")
}

/// Stored UTC times shown in China time, zone included.
pub(crate) fn cst(t: &str) -> String {
    OffsetDateTime::parse(t, &Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(time::macros::offset!(+8)).format(&Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

pub(crate) fn notice(it: &Item) -> String {
    format!("{}个工作日内办结 / to be completed within {} working days", it.limit_days, it.limit_days)
}

pub(crate) fn questions(it: &Item) -> Vec<Value> {
    // The stored text: the catalogue has already parsed it as typed questions.
    serde_json::from_str(&it.questions.text).unwrap_or_default()
}

pub async fn discovery(headers: HeaderMap, uri: Uri) -> Response {
    let fmt = Format::of_path(uri.path());
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    let endpoint: Rec = vec![
        ("specification", txt("http://wiki.open311.org/GeoReport_v2")),
        ("url", txt(format!("{scheme}://{host}/open311/v2"))),
        ("changeset", txt(CHANGESET)),
        ("type", txt("production")),
        ("formats", F::Strs("format", vec!["text/xml".into(), "application/json".into()])),
    ];
    let rec: Rec = vec![
        ("changeset", txt(CHANGESET)),
        ("contact", txt("铜陵市一站式服务中心，热线12345 / Tongling one-stop service center, hotline 12345")),
        (
            "key_service",
            txt("api_key 由系统管理员以 `shequ open311 key add 名称` 签发 / \
               api keys are issued by the system administrator with `shequ open311 key add NAME`"),
        ),
        ("endpoints", F::List("endpoint", vec![endpoint])),
    ];
    format::one(fmt, "discovery", &rec)
}

fn service(it: &Item) -> Rec {
    vec![
        ("service_code", txt(&it.code)),
        ("service_name", txt(&it.name)),
        ("description", txt(format!("{}；承办：{}；时限{}个工作日", it.category, it.unit_name, it.limit_days))),
        ("metadata", F::B(!questions(it).is_empty())),
        ("type", txt("realtime")),
        ("keywords", txt(format!("{},{}", it.category, it.unit_name))),
        ("group", txt(&it.category)),
    ]
}

pub async fn services(State(s): State<AppState>, uri: Uri) -> Response {
    let fmt = Format::of_path(uri.path());
    let j = match jurisdiction(&s, fmt, &field(&query(&uri), "jurisdiction_id")).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    // A community's endpoint lists what its center has adopted; the city's, the whole catalogue.
    let items = match &j {
        Some(c) => cs::offered(&s.db, c).await,
        None => cs::items(&s.db).await,
    };
    match items {
        Ok(items) => {
            let recs: Vec<Rec> =
                items.iter().filter(|i| i.takes(store::cases::Channel::Open311)).map(service).collect();
            format::list(fmt, StatusCode::OK, "services", "service", &recs)
        }
        Err(e) => store_err(fmt, e),
    }
}

fn datatype(kind: &str) -> &'static str {
    match kind {
        "number" => "number",
        "date" => "datetime",
        "single" => "singlevaluelist",
        "multi" => "multivaluelist",
        _ => "string",
    }
}

fn datatype_description(kind: &str) -> &'static str {
    match kind {
        "number" => "数字 / a number",
        "date" => "日期，如 2026-05-01 / a date such as 2026-05-01",
        "multi" => "可多选 / one or more of the values",
        _ => "",
    }
}

pub async fn definition(State(s): State<AppState>, Path(file): Path<String>, uri: Uri) -> Response {
    let (code, fmt) = match file_name(&file) {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Err(r) = jurisdiction(&s, fmt, &field(&query(&uri), "jurisdiction_id")).await {
        return r;
    }
    let it = match cs::item(&s.db, code).await {
        Ok(it) if it.takes(store::cases::Channel::Open311) => it,
        Ok(_) => return format::error(fmt, StatusCode::NOT_FOUND, "service not offered through Open311"),
        Err(StoreError::NotFound) => {
            return format::error(fmt, StatusCode::NOT_FOUND, format!("unknown service_code {code} / 未知的服务事项"));
        }
        Err(e) => return store_err(fmt, e),
    };
    let attributes: Vec<Rec> = questions(&it)
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let kind = q["kind"].as_str().unwrap_or("text");
            let values: Vec<Rec> = q["options"]
                .as_array()
                .map(|o| o.iter().filter_map(Value::as_str).map(|v| vec![("key", txt(v)), ("name", txt(v))]).collect())
                .unwrap_or_default();
            vec![
                ("variable", F::B(true)),
                ("code", txt(q["key"].as_str().unwrap_or_default())),
                ("datatype", txt(datatype(kind))),
                ("required", F::B(q["required"].as_bool().unwrap_or(false))),
                ("datatype_description", txt(datatype_description(kind))),
                ("order", F::I(i as i64 + 1)),
                ("description", txt(q["label"].as_str().unwrap_or_default())),
                ("values", F::List("value", values)),
            ]
        })
        .collect();
    let rec: Rec = vec![("service_code", txt(&it.code)), ("attributes", F::List("attribute", attributes))];
    format::one(fmt, "service_definition", &rec)
}

pub async fn token(State(s): State<AppState>, Path(file): Path<String>, uri: Uri) -> Response {
    let (token, fmt) = match file_name(&file) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let j = match jurisdiction(&s, fmt, &field(&query(&uri), "jurisdiction_id")).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    if token.starts_with('q') {
        // A request waiting in the hotline's triage queue: its number once routed.
        return match store::triage::token_triage(&s.db, token).await {
            Ok(q) => {
                let id = q.case_id.map_or(F::Null, |id| txt(id.to_string()));
                let rec: Rec = vec![("service_request_id", id), ("token", txt(token))];
                format::list(fmt, StatusCode::OK, "service_requests", "request", &[rec])
            }
            Err(e) => store_err(fmt, e),
        };
    }
    match store::open311::token_case(&s.db, token).await {
        Ok(c) if j.as_ref().is_none_or(|j| *j == c.community_code) => {
            let rec: Rec = vec![("service_request_id", txt(c.id.to_string())), ("token", txt(token))];
            format::list(fmt, StatusCode::OK, "service_requests", "request", &[rec])
        }
        Ok(_) => format::error(fmt, StatusCode::NOT_FOUND, "not found / 未找到"),
        Err(e) => store_err(fmt, e),
    }
}
