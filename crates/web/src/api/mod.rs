//! The JSON API under /api/v1: every action the web UI offers.

pub mod audit;
pub mod between;
pub mod cases;
pub mod circle;
pub mod deliberation;
pub mod election_polling;
pub mod elections;
pub mod finance;
pub mod lists;
pub mod notify;
pub mod open311;
pub mod orgs;
pub mod party;
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

/// A JSON body, or a problem naming what is wrong with it: the field whose
/// value has the wrong type, or `body` when the text is no JSON object at all.
pub fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(v)| v).map_err(|e| {
        let field = field_of(&e).unwrap_or_else(|| "body".to_string());
        ApiError::invalid(&field, &format!("请求体不是有效的JSON：{}", e.body_text()), &e.body_text())
    })
}

/// The path of the value a JSON body failed on (`lat`, `answers.floor`), if
/// it is a field's value of the wrong shape (a syntax error is the body's).
fn field_of(e: &JsonRejection) -> Option<String> {
    if !matches!(e, JsonRejection::JsonDataError(_)) {
        return None;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(p) = s.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            return crate::error::field_path(p);
        }
        source = s.source();
    }
    None
}
