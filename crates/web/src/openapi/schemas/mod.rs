//! The JSON schemas the OpenAPI document names: request bodies (read off
//! the structs the handlers deserialise, required = no serde default) and
//! answers (the store's records as they serialise: every field present,
//! `null` when empty). Written by hand; keep them in step with the structs.

mod administration;
mod circle;
mod elections;
mod governance;
mod notify;
mod orgs;
mod party;
mod requests;

use serde_json::{Map, Value, json};

fn t(ty: &str) -> Value {
    json!({ "type": ty })
}

fn string() -> Value {
    t("string")
}

fn int() -> Value {
    t("integer")
}

fn num() -> Value {
    t("number")
}

fn boolean() -> Value {
    t("boolean")
}

/// Any JSON value.
fn any() -> Value {
    json!({})
}

/// A nested record this document does not spell out.
fn other(name: &str) -> Value {
    json!({ "type": "object", "title": name })
}

/// A number given as text or as a JSON number (the forms send text).
fn loose() -> Value {
    json!({ "type": ["string", "integer", "number", "boolean"] })
}

/// A checkbox: a JSON boolean, or `true`/`on`/`1` as text.
fn flag() -> Value {
    json!({ "type": ["boolean", "string"] })
}

/// A file part of a multipart body.
fn upload() -> Value {
    json!({ "type": "string", "contentMediaType": "application/octet-stream" })
}

fn arr(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn null(v: Value) -> Value {
    match v.get("type").and_then(Value::as_str) {
        Some(ty) => {
            let mut v = v.clone();
            v["type"] = json!([ty, "null"]);
            v
        }
        None => json!({ "anyOf": [v, { "type": "null" }] }),
    }
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn d(mut v: Value, description: &str) -> Value {
    v["description"] = json!(description);
    v
}

fn props(fields: &[(&str, Value)]) -> Map<String, Value> {
    fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// A request body: only `required` must be present; unknown members are ignored.
fn input(fields: &[(&str, Value)], required: &[&str]) -> Value {
    json!({ "type": "object", "required": required, "properties": props(fields) })
}

/// An answer: every field is always present.
fn record(fields: &[(&str, Value)]) -> Value {
    let required: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    json!({ "type": "object", "required": required, "properties": props(fields) })
}

/// A record serialised with another one's fields inlined (`#[serde(flatten)]`).
fn flattened(base: Value, extra: Value) -> Value {
    json!({ "allOf": [base, extra] })
}

pub fn components() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "Problem".into(),
        json!({"type": "object", "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "code": {"type": "string"}, "field": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"}}}}}}),
    );
    m.insert(
        "Open311Errors".into(),
        json!({"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}),
    );
    m.insert(
        "Open311Request".into(),
        json!({"type": "object", "required": ["api_key", "service_code"], "properties": {
            "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"}, "service_code": {"type": "string"},
            "lat": {"type": "number"}, "long": {"type": "number"}, "address_string": {"type": "string"}, "address_id": {"type": "string"},
            "email": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"}, "phone": {"type": "string"},
            "description": {"type": "string"}, "media_url": {"type": "string"}},
            "additionalProperties": {"type": "string", "description": "attribute[code]=value answers from the service definition"}}),
    );
    requests::add(&mut m);
    elections::add(&mut m);
    governance::add(&mut m);
    administration::add(&mut m);
    party::add(&mut m);
    notify::add(&mut m);
    orgs::add(&mut m);
    circle::add(&mut m);
    m
}
