//! The router: the route table ([`crate::routes::ROUTES`]) mounted as it
//! stands, behind the policy's guard, so every route has a rule.

use crate::error::ApiError;
use crate::{AppState, api, ops, pages, policy, routes};
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;

/// The largest request body taken (an upload included); the residents import page states it.
pub const MAX_BODY: usize = 64 << 20;

pub fn router(state: AppState) -> Router {
    // Routes sharing a path merge into one method router.
    let router = routes::ROUTES.iter().fold(Router::new(), |r, route| r.route(route.path, (route.mount)()));
    router
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), crate::guard::guard))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), around))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::secure::headers))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Around the guard, on every route: a refused page shown as a page, the
/// access log line and counters, the API's plain-text rejections as problems.
/// One layer rather than three: every layer costs each request a boxed future
/// and a clone of the route's service stack (measured on intake; BENCHMARKS.md).
async fn around(State(state): State<AppState>, matched: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let start = std::time::Instant::now();
    let resp = refused_page(next.run(req).await);
    let route = matched.as_ref().map(MatchedPath::as_str).unwrap_or_default();
    ops::record(&state, &method, route, resp.status(), start.elapsed().as_secs_f64());
    crate::error::api_problem(api, resp).await
}

/// A page route the guard refused answers with a page saying so.
fn refused_page(resp: Response) -> Response {
    match resp.extensions().get::<policy::PageRefused>() {
        Some(refused) => pages::forbidden_page(refused),
        None => resp,
    }
}

/// No route serves the address: the API and Open311 answer in their own error shapes, the rest with a page.
async fn not_found(req: Request) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") {
        return ApiError::NotFound.into_response();
    }
    if path.starts_with("/open311/") {
        return api::open311::not_found(path);
    }
    pages::not_found(req).await
}

/// Serve until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address reaches the handlers (a trusted proxy's headers are believed only from it).
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
