//! Actions: service providers. District staff register a provider; a
//! provider's worker answers a dispatch (accept, decline with a reason,
//! arrive, complete with a summary and, for a market provider, the price) —
//! decided once for the pages and the JSON API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, provider_input};
use serde::Deserialize;
use store::Capped;
use store::dispatch::Dispatch;
use store::providers::{self as pv, DispatchView, Provider};

pub use store::dispatch::Completion;
pub use store::providers::NewProvider;

/// Register a provider in the principal's district (the city names the district).
pub async fn register(state: &AppState, me: &Principal, cmd: NewProvider) -> Result<Provider, ApiError> {
    Ok(pv::add(&state.db, &me.actor(), provider_input(me, cmd)).await?)
}

/// Why a provider refuses a dispatch.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Decline {
    #[serde(default)]
    pub reason: String,
}

/// A provider's answer to one of its dispatches.
#[derive(Debug, Clone)]
pub enum Answer {
    Accept,
    Decline(Decline),
    Arrive,
    Complete(Completion),
}

/// A provider's worker answers a dispatch of their provider; anyone else's does not exist (404).
pub async fn answer(state: &AppState, me: &Principal, id: i64, a: Answer) -> Result<Dispatch, ApiError> {
    let (p, _) = crate::scope::my_dispatch(state, me, id).await?;
    let (db, actor) = (&state.db, me.actor());
    Ok(match a {
        Answer::Accept => pv::accept(db, &actor, &p, id).await?,
        Answer::Decline(d) => pv::decline(db, &actor, &p, id, &d.reason).await?,
        Answer::Arrive => pv::arrive(db, &actor, &p, id).await?,
        Answer::Complete(c) => pv::complete(db, &actor, &p, id, c).await?,
    })
}

/// A provider's worker's own: their provider and its dispatches, of one case
/// when `case_id` is given (None: the account is linked to no provider).
pub async fn my_dispatches(
    state: &AppState,
    me: &Principal,
    case_id: Option<i64>,
) -> Result<Option<(Provider, Capped<DispatchView>)>, ApiError> {
    let Some(p) = pv::of_user(&state.db, &me.username).await? else { return Ok(None) };
    let list = pv::for_provider(&state.db, p.id, case_id).await?;
    Ok(Some((p, list)))
}
