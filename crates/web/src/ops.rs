//! Health, readiness, Prometheus metrics, static assets, language switch.

use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

#[derive(Default)]
pub struct Metrics {
    /// (method, route, status) → (count, total seconds)
    requests: Mutex<BTreeMap<(String, String, u16), (u64, f64)>>,
}

/// The access log line and the request counters for one answered request.
pub fn record(state: &AppState, method: &axum::http::Method, route: &str, status: StatusCode, secs: f64) {
    // Spans record the matched route, never the raw URI (which may carry a query).
    tracing::info!(%method, %route, status = status.as_u16(), ms = secs * 1000.0, "request");
    if let Ok(mut m) = state.metrics.requests.lock() {
        let e = m.entry((method.to_string(), route.to_string(), status.as_u16())).or_default();
        e.0 += 1;
        e.1 += secs;
    }
}

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::from(
        "# HELP shequ_http_requests_total HTTP requests by route and status.\n# TYPE shequ_http_requests_total counter\n",
    );
    let snapshot = state.metrics.requests.lock().map(|m| m.clone()).unwrap_or_default();
    for ((method, route, status), (n, _)) in &snapshot {
        out.push_str(&format!(
            "shequ_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}\n"
        ));
    }
    out.push_str("# HELP shequ_http_request_seconds_sum Total time spent serving requests.\n# TYPE shequ_http_request_seconds_sum counter\n");
    for ((method, route, status), (_, s)) in &snapshot {
        out.push_str(&format!(
            "shequ_http_request_seconds_sum{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {s:.6}\n"
        ));
    }
    if let Ok(n) = store::residents::count(&state.db).await {
        out.push_str(&format!(
            "# HELP shequ_residents Residents in the registry.\n# TYPE shequ_residents gauge\nshequ_residents {n}\n"
        ));
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

pub async fn asset(Path(file): Path<String>) -> Response {
    match Assets::get(&file) {
        Some(f) => {
            let mime = match file.rsplit('.').next() {
                Some("css") => "text/css; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            let mut resp = f.data.into_owned().into_response();
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            resp
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct LangQuery {
    to: String,
    back: Option<String>,
}

pub async fn switch_lang(Query(q): Query<LangQuery>) -> Response {
    let lang = if q.to == "en" { "en" } else { "zh" };
    // Only local paths, so the switch cannot be used as an open redirect.
    let back = q.back.as_deref().and_then(crate::http::local_path).unwrap_or("/");
    let mut resp = Redirect::to(back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax")) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}
