//! Who may do what: decided here and only here.
//!
//! Every route is declared once in [`ROUTES`] with its access rule. The
//! router refuses to start if a route lacks an entry ([`crate::app::route`]),
//! and [`guard`] enforces the rule before any handler runs. Scope (which
//! community or district a principal may touch) is decided by
//! [`Principal::can_reach`] and [`Principal::scope`].

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use store::users::{Role, ScopeLevel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user.
    Authenticated,
    /// Only these roles (each within its own scope).
    Roles(&'static [Role]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Api,
    Ops,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub kind: Kind,
    pub summary: &'static str,
}

use Role::*;

/// People who work with the residents registry.
pub const REGISTRY_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// People who register residents at the counter.
pub const REGISTRY_WRITERS: &[Role] = &[FrontDesk, CommunityAdmin];
pub const REGISTRY_EXPORTERS: &[Role] = &[CommunityAdmin, DistrictDepartment, CityCivilAffairs];
pub const STAFF_READERS: &[Role] = &[CommunityAdmin, DistrictDepartment, CityCivilAffairs, SystemAdmin];
pub const UNIT_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
pub const UNIT_WRITERS: &[Role] = &[CommunityAdmin];
pub const COMMITTEE_WRITERS: &[Role] = &[CommunityAdmin, CityCivilAffairs];
pub const AUDIT_READERS: &[Role] = &[Auditor, SystemAdmin];
/// Everyone who lives or works in a community may follow its service projects.
pub const PB_READERS: &[Role] =
    &[Resident, FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs, Organisation];
pub const PB_PROPOSERS: &[Role] = &[Resident, FrontDesk, CommunityAdmin, Organisation];
/// The committee runs calls, reviews feasibility and closes the vote.
pub const PB_ORGANISERS: &[Role] = &[CommunityAdmin];
pub const PB_VOTERS: &[Role] = &[Resident];
/// Paper ballots from a polling table are entered by community staff.
pub const PB_CLERKS: &[Role] = &[FrontDesk, CommunityAdmin];

const fn r(method: &'static str, path: &'static str, access: Access, kind: Kind, summary: &'static str) -> RouteSpec {
    RouteSpec { method, path, access, kind, summary }
}

use Access::{Authenticated as A, Public as P, Roles as R};
use Kind::{Api, Ops, Page};

pub const ROUTES: &[RouteSpec] = &[
    // Operations
    r("GET", "/healthz", P, Ops, "Liveness"),
    r("GET", "/readyz", P, Ops, "Readiness: the database answers"),
    r("GET", "/metrics", P, Ops, "Prometheus metrics"),
    r("GET", "/api/openapi.json", P, Ops, "This OpenAPI document"),
    r("GET", "/assets/{*file}", P, Ops, "Static assets"),
    r("GET", "/lang", P, Ops, "Switch the interface language"),
    // Public pages
    r("GET", "/", P, Page, "City home: districts, communities, service centers"),
    r("GET", "/communities/{code}", P, Page, "A community's public page"),
    r("GET", "/functions", P, Page, "Functions register of the abolished street offices"),
    r("GET", "/login", P, Page, "Log-in form"),
    r("POST", "/login", P, Page, "Log in"),
    r("POST", "/logout", A, Page, "Log out"),
    // Staff pages
    r("GET", "/residents", R(REGISTRY_READERS), Page, "Residents registry: search, filter, page"),
    r("GET", "/residents/new", R(REGISTRY_WRITERS), Page, "Form: register a resident"),
    r("POST", "/residents", R(REGISTRY_WRITERS), Page, "Register a resident"),
    r("GET", "/residents/import", R(REGISTRY_WRITERS), Page, "Form: import residents from CSV or XLSX"),
    r("POST", "/residents/import", R(REGISTRY_WRITERS), Page, "Import residents"),
    r("GET", "/residents/import/{id}", R(REGISTRY_WRITERS), Page, "Import result with every rejected row"),
    r("GET", "/residents/export", R(REGISTRY_EXPORTERS), Page, "Export residents (CSV or XLSX, ID numbers masked)"),
    r("GET", "/residents/{id}", R(REGISTRY_READERS), Page, "One resident"),
    r("POST", "/residents/{id}/reveal", R(REGISTRY_WRITERS), Page, "Show the full ID number (audited)"),
    r("GET", "/units", R(UNIT_READERS), Page, "Resident units (驻区单位)"),
    r("POST", "/units", R(UNIT_WRITERS), Page, "Register a resident unit"),
    r("GET", "/staff", R(STAFF_READERS), Page, "Staff and their roles"),
    r("POST", "/communities/{code}/committee", R(COMMITTEE_WRITERS), Page, "Record a residents' committee roster"),
    r("GET", "/audit", R(AUDIT_READERS), Page, "Audit log viewer"),
    r("GET", "/pb", R(PB_READERS), Page, "Community service projects chosen by residents"),
    r("POST", "/pb", R(PB_ORGANISERS), Page, "Open a call for projects"),
    r("GET", "/pb/{id}", R(PB_READERS), Page, "A call: proposals, review, voting, results"),
    r("POST", "/pb/{id}/projects", R(PB_PROPOSERS), Page, "Propose a project"),
    r("POST", "/pb/{id}/advance", R(PB_ORGANISERS), Page, "Move a call to its next phase"),
    r("POST", "/pb/{id}/ballots", R(PB_VOTERS), Page, "Cast a ballot"),
    r("POST", "/pb/{id}/paper-ballots", R(PB_CLERKS), Page, "Enter a paper ballot"),
    r("POST", "/pb/projects/{id}/review", R(PB_ORGANISERS), Page, "Review a proposal"),
    // JSON API
    r("POST", "/api/v1/session", P, Api, "Log in; returns the CSRF token for later writes"),
    r("DELETE", "/api/v1/session", A, Api, "Log out"),
    r("GET", "/api/v1/me", A, Api, "The logged-in user"),
    r("GET", "/api/v1/districts", P, Api, "Districts with their GB/T 2260 codes and history"),
    r("GET", "/api/v1/communities", P, Api, "Big communities"),
    r("GET", "/api/v1/communities/{code}", P, Api, "A community with its bodies, groups and units count"),
    r("PUT", "/api/v1/communities/{code}/committee", R(COMMITTEE_WRITERS), Api, "Record a residents' committee roster"),
    r("GET", "/api/v1/functions", P, Api, "Functions register"),
    r("GET", "/api/v1/residents", R(REGISTRY_READERS), Api, "Residents, filtered and paged by keyset"),
    r("POST", "/api/v1/residents", R(REGISTRY_WRITERS), Api, "Register a resident"),
    r("POST", "/api/v1/residents/import", R(REGISTRY_WRITERS), Api, "Import residents (multipart file: CSV or XLSX)"),
    r("GET", "/api/v1/residents/import/{id}", R(REGISTRY_WRITERS), Api, "An import's result"),
    r("GET", "/api/v1/residents/{id}", R(REGISTRY_READERS), Api, "One resident (ID number masked)"),
    r("POST", "/api/v1/residents/{id}/reveal", R(REGISTRY_WRITERS), Api, "The full ID number (audited)"),
    r("GET", "/api/v1/units", R(UNIT_READERS), Api, "Resident units"),
    r("POST", "/api/v1/units", R(UNIT_WRITERS), Api, "Register a resident unit"),
    r("GET", "/api/v1/staff", R(STAFF_READERS), Api, "Staff in scope"),
    r("GET", "/api/v1/audit", R(AUDIT_READERS), Api, "Audit entries, newest first"),
    r("GET", "/api/v1/audit/verify", R(AUDIT_READERS), Api, "Verify the audit hash chain"),
    r("GET", "/api/v1/pb/calls", R(PB_READERS), Api, "Calls for community service projects"),
    r("POST", "/api/v1/pb/calls", R(PB_ORGANISERS), Api, "Open a call"),
    r("GET", "/api/v1/pb/calls/{id}", R(PB_READERS), Api, "A call with its projects, tally and result"),
    r("POST", "/api/v1/pb/calls/{id}/projects", R(PB_PROPOSERS), Api, "Propose a project"),
    r("POST", "/api/v1/pb/calls/{id}/advance", R(PB_ORGANISERS), Api, "Next phase; closing the vote runs the rule"),
    r("POST", "/api/v1/pb/calls/{id}/ballots", R(PB_VOTERS), Api, "Cast a ballot"),
    r("POST", "/api/v1/pb/calls/{id}/paper-ballots", R(PB_CLERKS), Api, "Enter a paper ballot"),
    r("POST", "/api/v1/pb/projects/{id}/review", R(PB_ORGANISERS), Api, "Review a proposal"),
];

pub fn spec(method: &str, path: &str) -> Option<&'static RouteSpec> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|s| s.method == method && s.path == path)
}

/// The logged-in user as the policy sees them.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub community: Option<String>,
    pub district: Option<String>,
    pub csrf: String,
}

impl Principal {
    /// The (community, district) filter every list query must apply.
    pub fn scope(&self) -> (Option<String>, Option<String>) {
        match self.role.scope_level() {
            ScopeLevel::Community => (Some(self.community.clone().unwrap_or_default()), None),
            ScopeLevel::District => (None, Some(self.district.clone().unwrap_or_default())),
            ScopeLevel::City => (None, None),
        }
    }

    /// May this principal touch a row of this community and district?
    pub fn can_reach(&self, community: &str, district: &str) -> bool {
        match self.role.scope_level() {
            ScopeLevel::Community => self.community.as_deref() == Some(community),
            ScopeLevel::District => self.district.as_deref() == Some(district),
            ScopeLevel::City => true,
        }
    }

    pub fn reach(&self, community: &str, district: &str) -> Result<(), ApiError> {
        if self.can_reach(community, district) { Ok(()) } else { Err(ApiError::Forbidden) }
    }

    pub fn actor(&self) -> String {
        format!("{}#{}", self.username, self.user_id)
    }
}

pub const SESSION_COOKIE: &str = "shequ_session";

pub fn cookie(req_headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    req_headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        },
    )
}

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
        // Unreachable when the router is built through app::route; refuse rather than guess.
        return ApiError::Forbidden.into_response();
    };
    let principal = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => match store::users::session(&state.db, &token).await {
            Ok(Some((u, csrf))) => Some(Principal {
                user_id: u.id,
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role: u.role(),
                community: u.community_code.clone(),
                district: u.district_code.clone(),
                csrf,
            }),
            _ => None,
        },
        None => None,
    };
    let is_page = spec.kind == Kind::Page;
    match (spec.access, &principal) {
        (Access::Public, _) => {}
        (_, None) => {
            if is_page && req.method() == Method::GET {
                let next_url = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                return Redirect::to(&format!("/login?next={}", crate::pages::urlencode(next_url))).into_response();
            }
            return ApiError::Unauthenticated.into_response();
        }
        (Access::Roles(roles), Some(p)) if !roles.contains(&p.role) => {
            return if is_page {
                crate::pages::forbidden_page(&req, p).into_response()
            } else {
                ApiError::Forbidden.into_response()
            };
        }
        _ => {}
    }
    if let Some(p) = &principal
        && !matches!(*req.method(), Method::GET | Method::HEAD)
    {
        let (parts, body) = req.into_parts();
        let (ok, body) = crate::csrf::check(&parts, body, &p.csrf).await;
        if !ok {
            return ApiError::Csrf.into_response();
        }
        req = Request::from_parts(parts, body);
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}
