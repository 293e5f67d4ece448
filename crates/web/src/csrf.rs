//! CSRF: every state-changing request from a logged-in user carries the
//! session's token, in the `X-CSRF-Token` header (API, htmx) or the `csrf`
//! form field. A multipart form (a file upload) carries no token in its
//! address (addresses end up in logs and `Referer`): a browser's `Origin`
//! naming this site stands for it ([`crate::secure::same_site`]).

use axum::body::{Body, to_bytes};
use axum::http::request::Parts;

const MAX_FORM: usize = 1 << 20;

pub async fn check(parts: &Parts, body: Body, expected: &str, same_site: bool) -> (bool, Body) {
    if let Some(h) = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return (h == expected, body);
    }
    let content_type = parts.headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if content_type.is_some_and(|v| v.starts_with("multipart/form-data")) {
        return (same_site, body);
    }
    let is_form = content_type.is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, body);
    }
    match to_bytes(body, MAX_FORM).await {
        Ok(bytes) => {
            let ok =
                std::str::from_utf8(&bytes).ok().and_then(|s| form_field(s, "csrf")).is_some_and(|v| v == expected);
            (ok, Body::from(bytes))
        }
        Err(_) => (false, Body::empty()),
    }
}

fn form_field(encoded: &str, name: &str) -> Option<String> {
    encoded.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}
