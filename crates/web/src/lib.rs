//! The web crate: axum pages (maud, server-rendered, zh-CN first), the JSON
//! API with its OpenAPI document, sessions and the authorization policy.
//! Only this crate knows HTTP and HTML.
#![forbid(unsafe_code)]

pub mod actions;
pub mod api;
pub mod app;
pub mod csrf;
pub mod error;
pub mod guard;
pub mod http;
pub mod i18n;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod policy;
pub mod privacy;
pub mod route;
pub mod routes;
pub mod scope;
pub mod secure;
pub mod text;

use std::sync::Arc;

/// What every handler and middleware is given: one `Arc`, so that the clone
/// each middleware layer and extractor makes per request is one counter, not
/// one per field (measured on intake; BENCHMARKS.md).
#[derive(Clone)]
pub struct AppState(Arc<State>);

pub struct State {
    pub db: store::Db,
    pub metrics: ops::Metrics,
    /// How the server is reached (HTTPS, a trusted proxy): see [`secure`].
    pub settings: secure::Settings,
    /// The secret delivery receipts are signed with (SHEQU_SMS_SECRET); empty: receipts are refused.
    pub receipt_secret: Vec<u8>,
    /// Whether the database holds the demo's invented data (asked once; see [`pages::InventedData`]).
    pub invented: tokio::sync::OnceCell<bool>,
}

impl std::ops::Deref for AppState {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0
    }
}

impl AppState {
    pub fn new(db: store::Db) -> AppState {
        AppState(Arc::new(State {
            db,
            metrics: Default::default(),
            settings: Default::default(),
            receipt_secret: Default::default(),
            invented: Default::default(),
        }))
    }

    /// Only while the server is being set up, before any clone is made.
    fn parts(self) -> State {
        Arc::try_unwrap(self.0).unwrap_or_else(|shared| State {
            db: shared.db.clone(),
            metrics: Default::default(),
            settings: shared.settings.clone(),
            receipt_secret: shared.receipt_secret.clone(),
            invented: shared.invented.clone(),
        })
    }

    pub fn with_settings(self, settings: secure::Settings) -> AppState {
        AppState(Arc::new(State { settings, ..self.parts() }))
    }

    pub fn with_receipt_secret(self, secret: Vec<u8>) -> AppState {
        AppState(Arc::new(State { receipt_secret: secret, ..self.parts() }))
    }
}

pub use app::{router, serve};
