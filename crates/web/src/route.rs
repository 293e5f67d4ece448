//! What a route is: method, path, access rule, kind, summary, what an API
//! route reads and answers, and its handler. The table of every route is
//! [`crate::routes`]; the guard, the router and the OpenAPI document read it.

use crate::AppState;
use crate::policy::{Access, Kind};
use axum::routing::MethodRouter;

/// What an API write operation reads from the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Nothing: the path says it all.
    Empty,
    /// A JSON object: the named schema in [`crate::openapi::schemas`].
    Json(&'static str),
    /// `multipart/form-data`: the named schema.
    Multipart(&'static str),
    /// `application/x-www-form-urlencoded`: the named schema.
    Form(&'static str),
    /// The body is a file itself, in its own content type: what it is.
    File(&'static str),
}

/// What an API route answers with on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// The named schema in [`crate::openapi::schemas`].
    Schema(&'static str),
    /// A JSON object with these members; `name: Schema`, `name: Schema[]`
    /// or `name: Schema|null` names a member's schema, a bare name is any JSON value, and `name?`
    /// is a member only some answers carry.
    Object(&'static [&'static str]),
    /// 204, no body.
    NoContent,
    /// Open311 GeoReport v2's own JSON or XML, by the path's suffix.
    Open311,
}

#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub kind: Kind,
    pub summary: &'static str,
    /// API writes: the request body (None: not an API write).
    pub body: Option<Body>,
    /// API routes: the answer (None: a page or an operations route).
    pub reply: Option<Reply>,
    /// The handler under its method.
    pub mount: fn() -> MethodRouter<AppState>,
}
