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

#[derive(Clone)]
pub struct AppState {
    pub db: store::Db,
    pub metrics: Arc<ops::Metrics>,
    /// How the server is reached (HTTPS, a trusted proxy): see [`secure`].
    pub settings: Arc<secure::Settings>,
    /// The secret delivery receipts are signed with (SHEQU_SMS_SECRET); empty: receipts are refused.
    pub receipt_secret: Arc<Vec<u8>>,
    /// Whether the database holds the demo's invented data (asked once; see [`pages::InventedData`]).
    pub invented: Arc<tokio::sync::OnceCell<bool>>,
}

impl AppState {
    pub fn new(db: store::Db) -> AppState {
        AppState {
            db,
            metrics: Default::default(),
            settings: Default::default(),
            receipt_secret: Default::default(),
            invented: Default::default(),
        }
    }

    pub fn with_settings(self, settings: secure::Settings) -> AppState {
        AppState { settings: Arc::new(settings), ..self }
    }

    pub fn with_receipt_secret(self, secret: Vec<u8>) -> AppState {
        AppState { receipt_secret: Arc::new(secret), ..self }
    }
}

pub use app::{router, serve};
