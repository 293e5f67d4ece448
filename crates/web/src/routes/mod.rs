//! Every route, declared once: method, path, handler, access rule, kind,
//! summary and, for the JSON API, what the request body and the answer are.
//! The router ([`crate::app::router`]), the guard ([`crate::guard`])
//! and the OpenAPI document ([`crate::openapi::build`]) are all built from
//! [`ROUTES`]. Each concept's routes — its pages and its JSON API — are a
//! table of their own in this directory (`elections.rs`, `finance.rs`, …),
//! written with the one `routes!` macro; [`ROUTES`] joins them. A line's method token picks both the method string and axum's
//! method router, so the two cannot disagree; a method other than GET, POST,
//! PUT or DELETE does not compile.

pub use crate::route::{Body, Reply, Route};

use std::sync::LazyLock;

use crate::policy::*;
use crate::{api, ops, pages};

/// This table as an OpenAPI document (served here, so that `openapi` needs
/// only the route types, not the table that names its handler).
pub async fn openapi_document() -> axum::Json<serde_json::Value> {
    axum::Json(crate::openapi::build(&ROUTES))
}

/// The route serving this method and matched path (HEAD is served by GET).
pub fn find(method: &str, path: &str) -> Option<&'static Route> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|s| s.method == method && s.path == path)
}

macro_rules! routes {
    ($($method:ident $path:literal => $handler:path, $access:expr, $kind:ident, $summary:literal
        $(, body $body:expr)? $(, reply $reply:expr)?;)*) => {
        pub(super) static TABLE: &[Route] = &[$(Route {
            method: stringify!($method),
            path: $path,
            access: $access,
            kind: Kind::$kind,
            summary: $summary,
            body: routes!(@opt $($body)?),
            reply: routes!(@opt $($reply)?),
            mount: || routes!(@mount $method $handler),
        }),*];
    };
    (@opt) => { None };
    (@opt $e:expr) => { Some($e) };
    (@mount GET $h:path) => { axum::routing::get($h) };
    (@mount POST $h:path) => { axum::routing::post($h) };
    (@mount PUT $h:path) => { axum::routing::put($h) };
    (@mount DELETE $h:path) => { axum::routing::delete($h) };
}

use Access::{Authenticated as A, Public as P, Roles as R};

// After the macro (macro_rules! is in scope only below its definition).
mod circle;
mod committee;
mod deliberation;
mod elections;
mod finance;
mod lists;
mod notify;
mod operations;
mod orgs;
mod party;
mod pb;
mod public;
mod registry;
mod service;
mod stewards;

/// Every route of every concept, in one list (built once, on first use).
pub static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| {
    [
        operations::TABLE,
        public::TABLE,
        registry::TABLE,
        service::TABLE,
        lists::TABLE,
        finance::TABLE,
        pb::TABLE,
        deliberation::TABLE,
        stewards::TABLE,
        elections::TABLE,
        committee::TABLE,
        party::TABLE,
        orgs::TABLE,
        circle::TABLE,
        notify::TABLE,
    ]
    .concat()
});
use Body::*;
use Reply::*;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_method_and_path_appears_once() {
        let mut seen = HashSet::new();
        for r in ROUTES.iter() {
            assert!(seen.insert((r.method, r.path)), "duplicate route {} {}", r.method, r.path);
            assert!(std::ptr::eq(find(r.method, r.path).unwrap(), r), "the guard finds {} {}", r.method, r.path);
        }
        assert!(std::ptr::eq(find("HEAD", "/healthz").unwrap(), find("GET", "/healthz").unwrap()));
    }

    #[test]
    fn api_routes_say_what_they_read_and_answer_and_pages_do_not() {
        for r in ROUTES.iter() {
            let api = r.kind == Kind::Api;
            let write = r.method != "GET";
            assert_eq!(r.body.is_some(), api && write, "{} {}: a body exactly on API writes", r.method, r.path);
            assert_eq!(r.reply.is_some(), api, "{} {}: an answer exactly on API routes", r.method, r.path);
        }
    }

    /// The router built by `app::router` serves every line of the table: adding the
    /// same method on the same path again is refused by axum as an overlap.
    #[tokio::test]
    async fn the_router_mounts_every_route() {
        let dir = std::env::temp_dir().join(format!("shequ-web-routes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/shequ.db", dir.display());
        let db = store::Db::connect(&url, store::seal::Seal::new([7; 32])).await.unwrap();
        let router = crate::app::router(crate::AppState::new(db));
        // The overlaps below are expected: keep their panic messages out of the output.
        let hook = std::sync::Arc::new(std::panic::take_hook());
        let other = hook.clone();
        std::panic::set_hook(Box::new(move |info| {
            if !info.to_string().contains("Overlapping method route") {
                other(info)
            }
        }));
        for r in ROUTES.iter() {
            let method = axum::http::Method::from_bytes(r.method.as_bytes()).unwrap();
            let filter = axum::routing::MethodFilter::try_from(method).unwrap();
            let again = axum::routing::on(filter, || async {});
            let overlap =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| router.clone().route(r.path, again))).is_err();
            assert!(overlap, "{} {} is in the table but not mounted", r.method, r.path);
        }
        // A method the table does not list for a path is not mounted either.
        let unlisted = axum::routing::on(axum::routing::MethodFilter::PATCH, || async {});
        assert!(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| router.clone().route("/healthz", unlisted)))
                .is_ok()
        );
        drop(std::panic::take_hook());
        if let Ok(hook) = std::sync::Arc::try_unwrap(hook) {
            std::panic::set_hook(hook);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
