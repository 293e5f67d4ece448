//! The OpenAPI 3.1 document, generated from the policy table, so it can
//! never list a route the server lacks or miss one it has.

use crate::policy::{Access, Kind, ROUTES};
use axum::Json;
use serde_json::{Map, Value, json};

fn request_schema(method: &str, path: &str) -> Option<Value> {
    let name = match (method, path) {
        ("POST", "/api/v1/session") => "Login",
        ("POST", "/api/v1/residents") => "ResidentInput",
        ("POST", "/api/v1/units") => "NewUnit",
        ("PUT", "/api/v1/communities/{code}/committee") => "CommitteeRoster",
        ("POST", "/api/v1/residents/import") => {
            return Some(json!({"content": {"multipart/form-data": {"schema": {"type": "object",
                "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"},
                               "community": {"type": "string", "description": "community code; defaults to the user's own"}}}}}}));
        }
        _ => return None,
    };
    Some(
        json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}}),
    )
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
        op["requestBody"] = json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Open311Request"}}}});
    }
    if !params.is_empty() {
        op["parameters"] = json!(params);
    }
}

pub fn build() -> Value {
    let mut paths = Map::new();
    for s in ROUTES.iter().filter(|s| s.kind == Kind::Api) {
        let mut op = json!({
            "summary": s.summary,
            "operationId": format!("{}_{}", s.method.to_lowercase(), s.path.trim_start_matches("/api/").replace(['/', '{', '}', '.'], "_")),
            "responses": {
                "200": {"description": "OK"},
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
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
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
        if let Some(body) = request_schema(s.method, s.path) {
            op["requestBody"] = body;
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
            "schemas": {
                "Problem": {"type": "object", "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}, "code": {"type": "string"}, "field": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"}}}}}},
                "Open311Errors": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}},
                "Open311Request": {"type": "object", "required": ["api_key", "service_code"], "properties": {
                    "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"}, "service_code": {"type": "string"},
                    "lat": {"type": "number"}, "long": {"type": "number"}, "address_string": {"type": "string"}, "address_id": {"type": "string"},
                    "email": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"}, "phone": {"type": "string"},
                    "description": {"type": "string"}, "media_url": {"type": "string"}},
                    "additionalProperties": {"type": "string", "description": "attribute[code]=value answers from the service definition"}},
                "Login": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
                "ResidentInput": {"type": "object", "required": ["name", "id_number"], "properties": {
                    "community": {"type": "string"}, "name": {"type": "string"}, "id_number": {"type": "string", "description": "GB 11643-1999, 18 characters"},
                    "household": {"type": "string"}, "building": {"type": "string"}, "address": {"type": "string"}, "phone": {"type": "string"},
                    "hukou": {"type": "string", "description": "是/否 or yes/no"}, "moved_in": {"type": "string", "format": "date"}, "group": {"type": "string"}}},
                "NewUnit": {"type": "object", "required": ["community_code", "name", "kind", "uscc"], "properties": {
                    "community_code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}, "uscc": {"type": "string", "description": "GB 32100-2015"},
                    "party_org": {"type": "string"}, "contact_name": {"type": "string"}, "contact_phone": {"type": "string"}}},
                "CommitteeRoster": {"type": "object", "required": ["elected", "members"], "properties": {
                    "elected": {"type": "string", "format": "date"},
                    "members": {"type": "array", "minItems": 5, "maxItems": 9, "items": {"type": "object", "properties": {"name": {"type": "string"}, "post": {"enum": ["主任", "副主任", "委员"]}}}}}}
            }
        },
        "security": [{"session": []}]
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}
