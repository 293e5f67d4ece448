//! The JSON API under /api/v1: every action the web UI offers.

pub mod audit;
pub mod cases;
pub mod deliberation;
pub mod finance;
pub mod lists;
pub mod open311;
pub mod pb;
pub mod providers;
pub mod residents;
pub mod session;
pub mod stewards;
pub mod structure;

use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;

pub type ApiResult<T> = Result<Json<T>, ApiError>;

/// A JSON body, or a problem naming what is wrong with it.
pub fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(v)| v)
        .map_err(|e| ApiError::invalid("body", &format!("请求体不是有效的JSON：{}", e.body_text()), &e.body_text()))
}
