//! Open311 GeoReport v2 (JSON): services, service definitions, posting a
//! request (form-encoded, as the spec says) and reading one back. Arrays at
//! the top level; errors as `[{"code": …, "description": …}]` with 400/404.
//! A request becomes a case on the `open311` channel.
#![allow(clippy::result_large_err)] // handlers answer spec-shaped error responses directly

use crate::AppState;
use crate::pages::form_pairs;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use store::StoreError;
use store::cases::{self as cs, Item, NewCase};

fn err(status: StatusCode, description: impl Into<String>) -> Response {
    (status, Json(json!([{ "code": status.as_u16(), "description": description.into() }]))).into_response()
}

fn store_err(e: StoreError) -> Response {
    match e {
        StoreError::NotFound => err(StatusCode::NOT_FOUND, "not found"),
        StoreError::Invalid { field, msg } => err(StatusCode::BAD_REQUEST, format!("{field}: {} / {}", msg.en, msg.zh)),
        e => {
            tracing::error!(%e, "open311");
            err(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// `name.json` → `name`; any other format is refused.
fn json_name(file: &str) -> Result<&str, Response> {
    match file.strip_suffix(".json") {
        Some(n) if !n.is_empty() => Ok(n),
        _ if file.ends_with(".xml") => Err(err(StatusCode::BAD_REQUEST, "format not supported yet: use .json")),
        _ => Err(err(StatusCode::NOT_FOUND, "not found")),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Jurisdiction {
    #[serde(default)]
    pub jurisdiction_id: Option<String>,
}

/// An unknown jurisdiction is 404; none means the city's endpoint.
async fn jurisdiction(s: &AppState, j: Option<&str>) -> Result<Option<String>, Response> {
    match j.map(str::trim).filter(|j| !j.is_empty()) {
        None => Ok(None),
        Some(code) => match store::structure::community(&s.db, code).await {
            Ok(c) => Ok(Some(c.code)),
            Err(StoreError::NotFound) => Err(err(StatusCode::NOT_FOUND, "unknown jurisdiction_id")),
            Err(e) => Err(store_err(e)),
        },
    }
}

fn service(it: &Item) -> Value {
    let questions: Vec<Value> = serde_json::from_str(&it.questions).unwrap_or_default();
    json!({
        "service_code": it.code,
        "service_name": it.name,
        "description": format!("{}；承办：{}；时限{}个工作日", it.category, it.unit_name, it.limit_days),
        "metadata": !questions.is_empty(),
        "type": "batch",
        "keywords": it.category,
        "group": it.category,
    })
}

pub async fn services(State(s): State<AppState>, Query(q): Query<Jurisdiction>) -> Response {
    if let Err(r) = jurisdiction(&s, q.jurisdiction_id.as_deref()).await {
        return r;
    }
    match cs::items(&s.db).await {
        Ok(items) => {
            Json(Value::Array(items.iter().filter(|i| i.takes("open311")).map(service).collect())).into_response()
        }
        Err(e) => store_err(e),
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

pub async fn definition(
    State(s): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<Jurisdiction>,
) -> Response {
    let code = match json_name(&file) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = jurisdiction(&s, q.jurisdiction_id.as_deref()).await {
        return r;
    }
    let it = match cs::item(&s.db, code).await {
        Ok(it) if it.takes("open311") => it,
        Ok(_) => return err(StatusCode::NOT_FOUND, "service not offered through Open311"),
        Err(e) => return store_err(e),
    };
    let questions: Vec<Value> = serde_json::from_str(&it.questions).unwrap_or_default();
    let attributes: Vec<Value> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let values: Vec<Value> = q["options"]
                .as_array()
                .map(|o| o.iter().map(|v| json!({ "key": v, "name": v })).collect())
                .unwrap_or_default();
            json!({
                "variable": true,
                "code": q["key"],
                "datatype": datatype(q["kind"].as_str().unwrap_or("text")),
                "required": q["required"].as_bool().unwrap_or(false),
                "datatype_description": "",
                "order": i + 1,
                "description": q["label"],
                "values": values,
            })
        })
        .collect();
    Json(json!({ "service_code": it.code, "attributes": attributes })).into_response()
}

/// `POST /requests.json`, form-encoded. Needs `jurisdiction_id` (a community
/// code) until routing by location is wired, `service_code`, and a location:
/// `lat` + `long` or `address_string`.
pub async fn post_request(State(s): State<AppState>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let get = |k: &str| pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let community = match jurisdiction(&s, Some(&get("jurisdiction_id"))).await {
        Ok(Some(c)) => c,
        Ok(None) => return err(StatusCode::BAD_REQUEST, "jurisdiction_id is required (a community code)"),
        Err(r) => return r,
    };
    let service_code = get("service_code");
    if service_code.is_empty() {
        return err(StatusCode::BAD_REQUEST, "service_code is required");
    }
    let coord = |k: &str| -> Result<Option<f64>, Response> {
        let v = get(k);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| err(StatusCode::BAD_REQUEST, format!("{k} must be a decimal number")))
    };
    let (lat, lon) = match (coord("lat"), coord("long")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    if lat.is_some() != lon.is_some() {
        return err(StatusCode::BAD_REQUEST, "lat and long go together");
    }
    let address = get("address_string");
    if lat.is_none() && address.is_empty() {
        return err(StatusCode::BAD_REQUEST, "a location is required: lat and long, or address_string");
    }
    let description = get("description");
    if description.chars().count() > 4000 {
        return err(StatusCode::BAD_REQUEST, "description is longer than 4000 characters");
    }
    let mut answers = serde_json::Map::new();
    for (k, v) in &pairs {
        if let Some(code) = k.strip_prefix("attribute[").and_then(|r| r.strip_suffix(']')) {
            match answers.get_mut(code) {
                Some(Value::Array(a)) => a.push(json!(v)),
                Some(prev) => *prev = json!([prev.clone(), v]),
                None => {
                    answers.insert(code.to_string(), json!(v));
                }
            }
        }
    }
    let name = format!("{}{}", get("last_name"), get("first_name"));
    let n = NewCase {
        item: service_code,
        channel: "open311".into(),
        caller_name: if name.is_empty() { "Open311".into() } else { name },
        caller_phone: get("phone"),
        description,
        address,
        building: String::new(),
        lat,
        lon,
        answers: Some(Value::Object(answers)),
        resident_id: None,
    };
    match cs::create(&s.db, "open311", cases::Role::System, &community, n).await {
        Ok(c) => Json(json!([{ "service_request_id": c.id.to_string(), "service_notice": "", "account_id": null }]))
            .into_response(),
        Err(e) => store_err(e),
    }
}

pub async fn get_request(
    State(s): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<Jurisdiction>,
) -> Response {
    let id = match json_name(&file).map(|n| n.parse::<i64>()) {
        Ok(Ok(id)) => id,
        Ok(Err(_)) => return err(StatusCode::NOT_FOUND, "not found"),
        Err(r) => return r,
    };
    let j = match jurisdiction(&s, q.jurisdiction_id.as_deref()).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    let c = match cs::case(&s.db, id).await {
        Ok(c) if j.as_ref().is_none_or(|j| *j == c.community_code) => c,
        Ok(_) => return err(StatusCode::NOT_FOUND, "not found"),
        Err(e) => return store_err(e),
    };
    let v = match cs::view(&s.db, c).await {
        Ok(v) => v,
        Err(e) => return store_err(e),
    };
    let open =
        serde_json::from_value::<cases::state::Status>(json!(v.case.status)).map(|s| s.is_open()).unwrap_or(true);
    Json(json!([{
        "service_request_id": v.case.id.to_string(),
        "status": if open { "open" } else { "closed" },
        "status_notes": v.case.status,
        "service_name": v.item_name,
        "service_code": v.case.item_code,
        "description": v.case.description,
        "agency_responsible": v.case.lead_queue,
        "service_notice": "",
        "requested_datetime": v.case.created_at,
        "updated_datetime": v.case.updated_at,
        "expected_datetime": v.deadline,
        "address": v.case.address,
        "address_id": null,
        "zipcode": null,
        "lat": v.case.lat,
        "long": v.case.lon,
        "media_url": null,
    }]))
    .into_response()
}
