use super::ApiResult;
use crate::AppState;
use axum::Json;
use axum::extract::{Query, State};
use serde_json::{Value, json};

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
    community: Option<String>,
    limit: Option<i64>,
}

pub async fn list(State(s): State<AppState>, Query(q): Query<AuditQuery>) -> ApiResult<Value> {
    let rows =
        store::audit::recent(&s.db, q.community.as_deref(), None, q.before, q.limit.unwrap_or(100).clamp(1, 1000))
            .await?;
    Ok(Json(json!({ "entries": rows })))
}

pub async fn verify(State(s): State<AppState>) -> ApiResult<Value> {
    Ok(Json(match store::audit::verify(&s.db).await? {
        store::audit::Verdict::Intact { entries } => json!({ "intact": true, "entries": entries }),
        store::audit::Verdict::Broken { seq, reason } => {
            json!({ "intact": false, "broken_at": seq, "reason": reason })
        }
    }))
}
