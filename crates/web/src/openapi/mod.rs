//! The OpenAPI 3.1 document, generated from the route table, so it can
//! never list a route the server lacks or miss one it has; each API route's
//! request body and answer come from its line in the table, their schemas
//! from [`schemas`].

pub mod schemas;

use crate::policy::{Access, Kind};
use crate::route::{Body, Reply, Route};
use serde_json::{Map, Value, json};

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn request_body(body: Body) -> Option<Value> {
    let (mime, schema) = match body {
        Body::Empty => return None,
        Body::Json(name) => ("application/json", schema_ref(name)),
        Body::Multipart(name) => ("multipart/form-data", schema_ref(name)),
        Body::Form(name) => ("application/x-www-form-urlencoded", schema_ref(name)),
        Body::File(what) => {
            ("*/*", json!({ "type": "string", "contentMediaType": "application/octet-stream", "description": what }))
        }
    };
    Some(json!({ "required": true, "content": { mime: { "schema": schema } } }))
}

/// `name`, `name?`, `name: Schema`, `name: Schema[]` or `name: Schema|null`;
/// a lower-case `Schema` is a JSON type (`string`, `boolean`, `integer`).
fn member(spec: &str) -> (String, Value) {
    match spec.split_once(':') {
        None => (spec.to_string(), json!({})),
        Some((name, ty)) => {
            let ty = ty.trim();
            if let Some(one) = ty.strip_suffix("|null") {
                return (name.trim().to_string(), json!({ "anyOf": [schema_ref(one), { "type": "null" }] }));
            }
            let one = |t: &str| if t.starts_with(char::is_lowercase) { json!({ "type": t }) } else { schema_ref(t) };
            let schema = match ty.strip_suffix("[]") {
                Some(item) => json!({ "type": "array", "items": one(item) }),
                None => one(ty),
            };
            (name.trim().to_string(), schema)
        }
    }
}

/// The success answer of an operation.
fn response(reply: Reply, path: &str) -> (&'static str, Value) {
    let json = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    match reply {
        Reply::Schema(name) => ("200", json(schema_ref(name))),
        Reply::Object(members) => {
            let members: Vec<(String, Value)> = members.iter().map(|m| member(m)).collect();
            let names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).filter(|k| !k.ends_with('?')).collect();
            let props: Map<String, Value> =
                members.iter().map(|(k, v)| (k.trim_end_matches('?').to_string(), v.clone())).collect();
            ("200", json(json!({ "type": "object", "required": names, "properties": props })))
        }
        Reply::NoContent => ("204", json!({ "description": "Done; no body" })),
        Reply::Open311 if path.ends_with(".xml") => (
            "200",
            json!({ "description": "GeoReport v2 XML", "content": { "text/xml": { "schema": { "type": "string" } } } }),
        ),
        Reply::Open311 => {
            // Discovery and a service definition are objects; the rest are lists, as the spec has them.
            let ty = if path.contains("discovery") || path.contains("/services/") { "object" } else { "array" };
            (
                "200",
                json!({ "description": "GeoReport v2 JSON (a `.xml` file name answers in XML)",
                "content": { "application/json": { "schema": { "type": ty } } } }),
            )
        }
    }
}

/// Open311 GeoReport v2 speaks its own dialect: query parameters, a
/// form-encoded post with an `api_key`, and errors as `[{code, description}]`.
fn open311(op: &mut Value, method: &str, path: &str) {
    let (mime, body) = if path.ends_with(".xml") {
        ("text/xml", json!({"type": "string"}))
    } else {
        ("application/json", json!({"$ref": "#/components/schemas/Open311Errors"}))
    };
    op["responses"]["4XX"] =
        json!({"description": "The spec's error list (400, 403, 404)", "content": {mime: {"schema": body}}});
    let q = |name: &str, d: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": d});
    let mut params = vec![q("jurisdiction_id", "a community code; none: the city")];
    if method == "GET" && (path == "/open311/v2/requests.json" || path == "/open311/v2/requests.xml") {
        params.extend([
            q("service_request_id", "comma-separated ids; overrides the other filters"),
            q("service_code", "comma-separated service codes"),
            q("start_date", "ISO 8601 with zone; default 90 days before end_date"),
            q("end_date", "ISO 8601 with zone"),
            q("status", "open, closed or both (comma-separated)"),
        ]);
    }
    if path.contains("discovery") {
        params.clear();
    }
    if method == "POST" {
        params.clear();
    }
    if !params.is_empty() {
        op["parameters"] = json!(params);
    }
}

/// The path parameters the handlers read as numbers (`Path<i64>`): record
/// ids, a list's version, an election's round, an objection. The rest
/// (`{code}`, `{kind}`, `{file}`, `{entry}`) are text.
pub const NUMERIC_PATH_PARAMS: &[&str] = &["id", "version", "number", "objection"];

fn path_schema(name: &str) -> Value {
    if NUMERIC_PATH_PARAMS.contains(&name) {
        json!({"type": "integer", "format": "int64"})
    } else {
        json!({"type": "string", "minLength": 1})
    }
}

/// The OpenAPI 3.1 document of these routes (the API ones; pages and
/// operations are left out).
pub fn build(routes: &[Route]) -> Value {
    let mut paths = Map::new();
    for s in routes.iter().filter(|s| s.kind == Kind::Api) {
        let mut op = json!({
            "summary": s.summary,
            "operationId": format!("{}_{}", s.method.to_lowercase(), s.path.trim_start_matches("/api/").replace(['/', '{', '}', '.'], "_")),
            "responses": {
                "4XX": {"description": "Bad input or not permitted", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
        });
        if s.path.starts_with("/open311/") {
            open311(&mut op, s.method, s.path);
        }
        let params: Vec<Value> = s
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": path_schema(name)}))
            .collect();
        let mut params = params;
        if s.path == "/api/v1/notify/receipts" {
            params.push(json!({"name": "X-Shequ-Signature", "in": "header", "required": true,
                "schema": {"type": "string", "pattern": "^[ -~]*$"},
                "description": "HMAC-SHA256 of the body under the gateway's shared secret (notify::sign)"}));
        }
        if !params.is_empty() {
            let mut all: Vec<Value> = op["parameters"].as_array().cloned().unwrap_or_default();
            all.extend(params);
            op["parameters"] = json!(all);
        }
        match s.access {
            Access::Public => op["security"] = json!([]),
            Access::Authenticated => op["x-roles"] = json!("any"),
            Access::Roles(roles) => op["x-roles"] = json!(roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
        }
        if let Some(body) = s.body.and_then(request_body) {
            op["requestBody"] = body;
        }
        if let Some(reply) = s.reply {
            let (status, answer) = response(reply, s.path);
            op["responses"][status] = answer;
        }
        let item = paths.entry(s.path.to_string()).or_insert_with(|| json!({}));
        item[s.method.to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "shequ 社区 API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Community governance after the Tongling reform. Writes need the session cookie and the X-CSRF-Token header returned by POST /api/v1/session. Errors are application/problem+json with the field and messages in Chinese (detail) and English (title)."},
        "paths": paths,
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": crate::policy::SESSION_COOKIE}},
            "schemas": schemas::components(),
        },
        "security": [{"session": []}]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::ROUTES;

    fn build() -> Value {
        super::build(&ROUTES)
    }
    use std::collections::BTreeSet;

    fn refs(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.insert(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_api_write_describes_its_body_and_every_route_its_answer() {
        let doc = build();
        for r in ROUTES.iter().filter(|r| r.kind == Kind::Api) {
            let op = &doc["paths"][r.path][r.method.to_lowercase()];
            assert!(op.is_object(), "{} {} is documented", r.method, r.path);
            if r.method != "GET" {
                let body = r.body.unwrap_or_else(|| panic!("{} {} declares its body", r.method, r.path));
                assert_eq!(op["requestBody"].is_object(), body != Body::Empty, "{} {}", r.method, r.path);
                if body != Body::Empty {
                    let content = op["requestBody"]["content"].as_object().unwrap();
                    assert_eq!(content.len(), 1, "{} {}: one media type", r.method, r.path);
                }
            }
            let answered = op["responses"].as_object().unwrap().keys().any(|k| k.starts_with('2'));
            assert!(answered, "{} {} names its answer", r.method, r.path);
        }
    }

    /// Issue 12 point 13: every write describes its body (or says it has
    /// none) with the members the action reads, the ones it needs, and
    /// nothing else; every text member carries the screening pattern.
    #[test]
    fn every_api_write_body_is_an_object_schema_with_its_required_members() {
        let doc = build();
        let components = doc["components"]["schemas"].as_object().unwrap();
        let mut writes = 0;
        for r in ROUTES.iter().filter(|r| r.kind == Kind::Api && r.method != "GET") {
            writes += 1;
            let name = match r.body {
                Some(Body::Json(n) | Body::Form(n) | Body::Multipart(n)) => n,
                Some(Body::Empty | Body::File(_)) => continue,
                None => panic!("{} {} declares neither a body schema nor Empty", r.method, r.path),
            };
            let schema = &components[name];
            let props = schema["properties"].as_object().unwrap_or_else(|| panic!("{name} lists its members"));
            assert!(!props.is_empty(), "{name} has members");
            for req in schema["required"].as_array().unwrap() {
                assert!(props.contains_key(req.as_str().unwrap()), "{name}: required {req} is a member");
            }
            if name != "Open311Request" {
                assert_eq!(schema["additionalProperties"], json!(false), "{name} lists every member");
                for (k, v) in props {
                    if v["type"] == "string" {
                        assert!(
                            v["pattern"].is_string() || v["enum"].is_array() || v["contentMediaType"].is_string(),
                            "{name}.{k} is screened text"
                        );
                    }
                }
            }
        }
        assert!(writes > 100, "{writes} writes");
    }

    #[test]
    fn numeric_path_parameters_are_integers_and_text_ones_text() {
        let doc = build();
        let op = &doc["paths"]["/api/v1/lists/{kind}/drafts/{version}/entries/{entry}"]["post"];
        let ty = |name: &str| {
            op["parameters"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["schema"]["type"].clone()
        };
        assert_eq!(ty("kind"), "string");
        assert_eq!(ty("version"), "integer");
        assert_eq!(ty("entry"), "string");
        assert_eq!(doc["paths"]["/api/v1/cases/{id}"]["get"]["parameters"][0]["schema"]["type"], "integer");
    }

    /// The pattern on every text member refuses exactly what rules::text T1
    /// and T2 refuse, character by character.
    #[test]
    fn the_text_pattern_bans_what_rules_text_refuses() {
        let banned = schemas::banned_ranges();
        let in_pattern = |c: char| banned.iter().any(|(a, b)| (*a..=*b).contains(&c));
        for c in (0u32..0x3000).chain(0xFE00..0x10000).filter_map(char::from_u32) {
            let refused = rules::text::check(&format!("a{c}b")).is_err();
            assert_eq!(in_pattern(c), refused, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn object_answers_name_their_members() {
        let doc = build();
        let schema = |path: &str, method: &str| {
            doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"].clone()
        };
        let verify = schema("/api/v1/audit/verify", "get");
        assert_eq!(verify["required"], json!(["intact"]));
        assert!(verify["properties"]["broken_at"].is_object());
        let claim = schema("/api/v1/finance/claims/{id}", "get");
        assert_eq!(claim["properties"]["vouchers"]["items"]["$ref"], "#/components/schemas/VoucherInfo");
        assert_eq!(claim["required"], json!(["claim", "vouchers"]));
        // A petition below the thresholds makes no follow-up: `null` (schemathesis found the schema said object).
        let petition = schema("/api/v1/deliberation/petitions", "post");
        assert_eq!(petition["properties"]["followup"]["anyOf"][1], json!({"type": "null"}));
    }

    #[test]
    fn every_ref_resolves_and_every_schema_is_used() {
        let doc = build();
        let mut found = BTreeSet::new();
        refs(&doc, &mut found);
        let components = doc["components"]["schemas"].as_object().unwrap();
        for r in &found {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r} points into components"));
            assert!(components.contains_key(name), "{r} has no schema");
        }
        let unused: Vec<&String> =
            components.keys().filter(|name| !found.contains(&format!("#/components/schemas/{name}"))).collect();
        assert!(unused.is_empty(), "schemas not used: {unused:?}");
    }
}
