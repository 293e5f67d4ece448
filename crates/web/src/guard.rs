//! The one gate every route passes: the route's entry in the table gives its
//! access rule; the session cookie gives the principal; role and CSRF are
//! checked here, before any handler runs. The rules themselves are
//! [`crate::policy`]'s; the table is [`crate::routes`].

use crate::AppState;
use crate::error::ApiError;
use crate::http::cookie;
use crate::i18n::Lang;
use crate::policy::{Access, Kind, PageRefused, Principal, SESSION_COOKIE, session_unavailable};
use crate::routes::find as spec;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The one gate: find the route's rule, identify the user, check role and
/// CSRF, and pass the principal on to the handler.
pub async fn guard(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map(|m| m.as_str().to_string()).unwrap_or_default();
    let Some(spec) = spec(req.method().as_str(), &path) else {
        // The path exists but not for this method: a form's address opened as a page (a reload,
        // a language switch, history) goes back to the page the form was on.
        if req.method() == Method::GET && !path.starts_with("/api/") {
            let parent = req.uri().path().rsplit_once('/').map(|(p, _)| p).filter(|p| !p.is_empty()).unwrap_or("/");
            return Redirect::to(parent).into_response();
        }
        return (axum::http::StatusCode::METHOD_NOT_ALLOWED, ApiError::Forbidden).into_response();
    };
    let principal = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => match store::users::session(&state.db, &token).await {
            Ok(Some((u, role, csrf))) => Some(Principal {
                user_id: u.id,
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role,
                community: u.community_code.clone(),
                district: u.district_code.clone(),
                department: u.department.clone(),
                csrf,
            }),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return session_unavailable();
            }
        },
        None => None,
    };
    let is_page = spec.kind == Kind::Page;
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD);
    // A page's form posted from another site (log-in CSRF included) is refused whoever is logged in.
    if is_page && unsafe_method && crate::secure::cross_site(&state.settings, req.headers(), req.extensions()) {
        return ApiError::Csrf.into_response();
    }
    match (spec.access, &principal) {
        (Access::Public, _) => {}
        (_, None) => {
            if is_page && req.method() == Method::GET {
                let next_url = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                return Redirect::to(&format!("/login?next={}", crate::http::urlencode(next_url))).into_response();
            }
            return ApiError::Unauthenticated.into_response();
        }
        (Access::Roles(roles), Some(p)) if !roles.contains(&p.role) => {
            let mut refused = ApiError::Forbidden.into_response();
            if is_page {
                // The router shows this as a page (the policy renders no HTML).
                let path = req.uri().path().to_string();
                refused.extensions_mut().insert(PageRefused {
                    lang: Lang::from_headers(req.headers()),
                    path,
                    principal: p.clone(),
                });
            }
            return refused;
        }
        _ => {}
    }
    if let Some(p) = &principal
        && unsafe_method
    {
        let (parts, body) = req.into_parts();
        let same_site = crate::secure::same_site(&state.settings, &parts.headers, &parts.extensions);
        let (ok, body) = crate::csrf::check(&parts, body, &p.csrf, same_site).await;
        if !ok {
            return ApiError::Csrf.into_response();
        }
        req = Request::from_parts(parts, body);
    }
    if unsafe_method {
        // Every value of a JSON or form body passes the text rules (`crate::text`).
        let (screened, refused) = crate::text::screen(req).await;
        req = screened;
        if let Some(e) = refused {
            return refuse_text(&req, is_page, principal, e);
        }
    }
    if is_page && principal.is_some() {
        let db = &state.db;
        let invented = *state
            .invented
            .get_or_init(|| async { store::structure::holds_invented_data(db).await.unwrap_or(false) })
            .await;
        req.extensions_mut().insert(crate::pages::InventedData(invented));
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

/// A body refused by the text rules, answered as the route answers: a page, Open311's shape, or problem+json.
fn refuse_text(req: &Request, is_page: bool, principal: Option<Principal>, e: ApiError) -> Response {
    let path = req.uri().path().to_string();
    if is_page {
        let ctx = crate::pages::Ctx { lang: Lang::from_headers(req.headers()), principal, path, invented: false };
        return crate::pages::error_page(&ctx, e);
    }
    if path.starts_with("/open311/") {
        return crate::api::open311::refused_text(&path, e);
    }
    e.into_response()
}
