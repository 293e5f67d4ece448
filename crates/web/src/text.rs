//! Every value a request carries passes [`rules::text::check`] (T1 control
//! characters such as NUL, T2 bidirectional overrides, T3 invisible-only
//! values) before any handler runs: the guard screens JSON and form bodies
//! here ([`screen`]), and the form kit screens multipart fields
//! (`pages::form::from_pairs`). A refused body is 422 naming every field at
//! once (the API's problem+json, a page's error page, Open311's own error
//! shape) and changes nothing.

use crate::error::ApiError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header;
use rules::Msg;
use serde_json::Value;

/// The largest body screened; a larger JSON or form body is refused (the
/// uploads that may be larger are multipart, screened field by field).
const MAX_SCREENED: usize = 16 << 20;

/// Every field of these form pairs that breaks a text rule, with why.
pub fn pair_errors(pairs: &[(String, String)]) -> Vec<(String, Msg)> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        if let Err(m) = rules::text::check(k) {
            out.push(("form".to_string(), m));
        } else if let Err(m) = rules::text::check(v) {
            out.push((k.clone(), m));
        }
    }
    out
}

/// Every string in this JSON value (keys included) that breaks a text rule,
/// named by its path (`choices.0.title`).
pub fn json_errors(v: &Value) -> Vec<(String, Msg)> {
    fn walk(v: &Value, path: &str, out: &mut Vec<(String, Msg)>) {
        let at = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
        match v {
            Value::String(s) => {
                if let Err(m) = rules::text::check(s) {
                    out.push((if path.is_empty() { "body".to_string() } else { path.to_string() }, m));
                }
            }
            Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| walk(x, &at(&i.to_string()), out)),
            Value::Object(m) => {
                for (k, x) in m {
                    match rules::text::check(k) {
                        Err(msg) => out.push(("body".to_string(), msg)),
                        Ok(()) => walk(x, &at(k), out),
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

/// Why a request's JSON or form body may not be taken, if it may not: the
/// body is handed back (read into memory) either way.
pub async fn screen(req: Request) -> (Request, Option<ApiError>) {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let is_json = content_type.starts_with("application/json") || content_type.contains("+json");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_json && !is_form {
        return (req, None);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_SCREENED).await else {
        let e = ApiError::invalid("body", "请求体过大", "the body is too large");
        return (Request::from_parts(parts, Body::empty()), Some(e));
    };
    let errs = if is_form {
        std::str::from_utf8(&bytes).map(|s| pair_errors(&crate::http::form_pairs(s))).unwrap_or_default()
    } else {
        // A body that is no JSON is the handler's to answer (it names the syntax error).
        serde_json::from_slice::<Value>(&bytes).map(|v| json_errors(&v)).unwrap_or_default()
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    (req, (!errs.is_empty()).then(|| ApiError::fields(errs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rule_t1_t2_t3_every_field_of_a_body_is_named() {
        let v = json!({"title": "好", "choices": [{"name": "a\u{0}b"}], "note": "\u{202E}x", "ok": 3});
        let errs = json_errors(&v);
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["choices.0.name", "note"]);
        assert!(json_errors(&json!({"title": "社区议事会", "n": [1, 2]})).is_empty());
        let pairs = vec![("name".to_string(), "\u{200B}".to_string()), ("csrf".to_string(), "x".to_string())];
        assert_eq!(pair_errors(&pairs).len(), 1);
    }
}
