//! Actions: delivering notifications (issue 19). A staff member retries a
//! dead letter in reach; the community's desk records a recipient's channels
//! and consent; the city edits a kind's template; a gateway reports a
//! delivery receipt, signed with the shared secret.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, own_community};
use crate::scope::load;
use store::notify::prefs::{Prefs, SetPrefs};
use store::notify::templates::{SetTemplate, Template};
use store::outbox::Message;

/// A receipt as a gateway sends it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Receipt {
    pub idempotency_key: String,
    pub status: String,
    #[serde(default)]
    pub detail: String,
}

/// Sends a dead (or undelivered) message in reach again.
pub async fn retry(state: &AppState, me: &Principal, id: i64) -> Result<Message, ApiError> {
    load::<Message>(state, me, id).await?;
    Ok(store::notify::retry(&state.db, &me.actor(), id).await?)
}

/// Records a recipient's channels and consent in the staff member's community.
pub async fn set_prefs(state: &AppState, me: &Principal, cmd: SetPrefs) -> Result<Prefs, ApiError> {
    let community = own_community(me)?;
    let c = load::<store::structure::Community>(state, me, community.to_string()).await?;
    Ok(store::notify::prefs::set(&state.db, &me.actor(), (&c.code, &c.district_code), cmd).await?)
}

/// The city saves a kind's template.
pub async fn set_template(
    state: &AppState,
    me: &Principal,
    kind: &str,
    cmd: SetTemplate,
) -> Result<Template, ApiError> {
    Ok(store::notify::templates::set(&state.db, &me.actor(), kind, cmd).await?)
}

/// A gateway's receipt: the signature over the exact body must verify under
/// the configured secret (none configured: every receipt is refused), else
/// the `signature` field's 422 and nothing is recorded.
pub async fn receipt(state: &AppState, signature: &str, body: &[u8]) -> Result<Option<Message>, ApiError> {
    if state.receipt_secret.is_empty() || !notify::sign::verify(&state.receipt_secret, body, signature) {
        return Err(ApiError::invalid(
            "signature",
            "回执签名无效",
            "the X-Shequ-Signature header is missing or does not match the body",
        ));
    }
    let r: Receipt = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid("body", "回执格式不正确", &format!("not a receipt: {e}")))?;
    let delivered = match r.status.trim().to_ascii_lowercase().as_str() {
        "delivered" | "delivrd" | "ok" | "success" => true,
        "undelivered" | "failed" | "undeliv" | "rejected" | "expired" => false,
        _ => {
            return Err(ApiError::invalid(
                "status",
                "回执状态应为 delivered 或 undelivered",
                "status: delivered | undelivered",
            ));
        }
    };
    Ok(store::notify::receipt(&state.db, &r.idempotency_key, delivered, &r.detail).await?)
}
