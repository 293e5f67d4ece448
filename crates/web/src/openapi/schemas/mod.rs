//! The JSON schemas the OpenAPI document names: request bodies (read off
//! the structs the handlers deserialise, required = no serde default) and
//! answers (the store's records as they serialise: every field present,
//! `null` when empty). Written by hand; keep them in step with the structs.

mod administration;
mod between;
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

/// The characters no text field takes (rules::text T1, T2): control
/// characters other than tab, CR and LF, and bidirectional overrides.
const BANNED: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069";

/// [`BANNED`] as character ranges (for the test that holds it to rules::text).
pub fn banned_ranges() -> Vec<(char, char)> {
    let chars: Vec<char> = BANNED
        .split("\\u")
        .filter(|s| !s.is_empty())
        .map(|s| char::from_u32(u32::from_str_radix(&s[..4], 16).unwrap()).unwrap())
        .collect();
    let mut out = Vec::new();
    let mut rest = BANNED;
    let mut i = 0;
    while !rest.is_empty() {
        // Each item is \uXXXX, optionally followed by -\uXXXX.
        let ranged = rest[6..].starts_with('-');
        if ranged {
            out.push((chars[i], chars[i + 1]));
            i += 2;
            rest = &rest[13..];
        } else {
            out.push((chars[i], chars[i]));
            i += 1;
            rest = &rest[6..];
        }
    }
    out
}

/// Free text: any characters but the banned ones (rules::text T1, T2).
fn text_pattern() -> String {
    format!("^[^{BANNED}]*$")
}

/// Text that must say something: at least one visible character
/// (whitespace-only text is refused as missing).
fn said(description: &str) -> Value {
    json!({ "type": "string", "minLength": 1, "pattern": format!("^[^{BANNED}]*[^{BANNED}\\s][^{BANNED}]*$"),
            "description": description })
}

/// Like [`said`], at most `max` characters.
fn said_max(max: usize, description: &str) -> Value {
    let mut v = said(description);
    v["maxLength"] = json!(max);
    v
}

/// One of these codes.
fn one_of(codes: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": codes, "description": description })
}

/// A calendar date, YYYY-MM-DD.
fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": description })
}

/// A whole number in this range, as a JSON number or its text (the forms send text).
fn whole(min: i64, max: i64, description: &str) -> Value {
    json!({ "anyOf": [
        { "type": "integer", "minimum": min, "maximum": max },
        { "type": "string", "pattern": r"^[0-9]{1,9}$" }
    ], "description": description })
}

/// A sum above zero in yuan as text, at most two decimals (`12.50`).
const YUAN: &str = r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$";

/// Yuan above zero: a JSON number or its text with at most two decimals.
fn yuan(description: &str) -> Value {
    json!({ "anyOf": [
        { "type": "number", "exclusiveMinimum": 0, "maximum": 1e12 },
        { "type": "string", "pattern": YUAN }
    ], "description": description })
}

/// Yuan as text, at most two decimals (`12.50`).
fn yuan_text(description: &str) -> Value {
    json!({ "type": "string", "pattern": YUAN, "description": description })
}

/// Every text of a request body is screened (web::text): a string member
/// with no stricter pattern, format or list of codes gets the T1/T2 pattern.
fn screened(v: &mut Value) {
    let Some(obj) = v.as_object_mut() else { return };
    let is_string = match obj.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string && !obj.contains_key("pattern") && !obj.contains_key("enum") && !obj.contains_key("contentMediaType") {
        obj.insert("pattern".into(), json!(text_pattern()));
    }
    // A map's keys are text too (a tally sheet's posts, a ballot's names).
    if obj.get("additionalProperties").is_some_and(Value::is_object) {
        obj.insert("propertyNames".into(), json!({ "pattern": text_pattern() }));
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = obj.get_mut(key) {
            screened(inner);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(all)) = obj.get_mut(key) {
            all.iter_mut().for_each(screened);
        }
    }
}

/// A request body: `required` must be present, every text is screened, and
/// members the action does not read are not part of it (the server ignores
/// them, but screens their text too).
fn input(fields: &[(&str, Value)], required: &[&str]) -> Value {
    let mut properties = props(fields);
    properties.values_mut().for_each(screened);
    json!({ "type": "object", "required": required, "properties": properties, "additionalProperties": false })
}

/// Per name, a count (`[["closed", 11], ["routed", 3]]`), largest first.
fn tally() -> Value {
    // (A name and a count; `prefixItems` would say which is which, but schemathesis 4.32 refuses it.)
    json!({ "type": "array", "items": { "type": "array", "items": { "type": ["string", "integer"] },
            "minItems": 2, "maxItems": 2 } })
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
    between::add(&mut m);
    governance::add(&mut m);
    administration::add(&mut m);
    party::add(&mut m);
    notify::add(&mut m);
    orgs::add(&mut m);
    circle::add(&mut m);
    m
}
