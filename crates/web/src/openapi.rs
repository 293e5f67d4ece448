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
        let params: Vec<Value> = s
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !params.is_empty() {
            op["parameters"] = json!(params);
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
