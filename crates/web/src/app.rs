//! The router: the route table ([`crate::routes::ROUTES`]) mounted as it
//! stands, behind the policy's guard, so every route has a rule.

use crate::{AppState, ops, pages, policy, routes};
use axum::Router;
use tokio::net::TcpListener;

pub fn router(state: AppState) -> Router {
    // Routes sharing a path merge into one method router.
    let router = routes::ROUTES.iter().fold(Router::new(), |r, route| r.route(route.path, (route.mount)()));
    router
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), policy::guard))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), ops::track))
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
        .with_state(state)
}

/// Serve until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
