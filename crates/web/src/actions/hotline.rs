//! Actions: the 2881890 hotline. The operator takes a case for the caller and
//! dispatches a case to a provider — decided once for the console page and
//! the JSON API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use crate::policy::own_community;
use crate::scope::load;
use serde::Deserialize;
use store::cases::{self as cs, Case, NewCase};
use store::dispatch::Dispatch;

pub use store::dispatch::NewDispatch;

/// A case taken on the phone (the console's quick form).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HotlineCase {
    /// The service item's code.
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub caller_name: String,
    /// As typed; kept as digits and dashes.
    #[serde(default)]
    pub caller_phone: String,
    /// The registered resident calling, when the number names exactly one.
    #[serde(default, deserialize_with = "store::deliberation::loose")]
    pub resident_id: Option<String>,
}

impl HotlineCase {
    /// The caller's number as the console searches it.
    pub fn phone(&self) -> String {
        store::hotline::normalise(self.caller_phone.trim())
    }
}

/// Take a case on the hotline for the operator's community (the front desk's intake).
pub async fn take_case(state: &AppState, me: &Principal, cmd: HotlineCase) -> Result<Case, ApiError> {
    let community = own_community(me)?;
    let resident_id = match cmd.resident_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| ApiError::invalid("resident_id", "居民编号格式不正确", "malformed resident_id"))?,
        ),
    };
    let n = NewCase {
        channel: "hotline".into(),
        caller_phone: cmd.phone(),
        item: cmd.item.trim().to_string(),
        caller_name: cmd.caller_name.trim().to_string(),
        description: cmd.description.trim().to_string(),
        address: cmd.address.trim().to_string(),
        building: cmd.building.trim().to_string(),
        resident_id,
        ..Default::default()
    };
    Ok(cs::create(&state.db, &me.actor(), cases::Role::FrontDesk, community, n).await?)
}

/// A case dispatched to a provider, with the case it was offered for.
pub struct Dispatched {
    pub case: Case,
    pub dispatch: Dispatch,
}

/// Offer a case in reach to a provider (the store checks the case's stage and the provider).
pub async fn dispatch(
    state: &AppState,
    me: &Principal,
    case_id: i64,
    cmd: NewDispatch,
) -> Result<Dispatched, ApiError> {
    let case = load::<Case>(state, me, case_id).await?;
    let dispatch = store::providers::offer(&state.db, &me.actor(), case_id, cmd).await?;
    Ok(Dispatched { case, dispatch })
}

/// Route a request waiting in the triage queue to a community the operator
/// reaches (a front desk: its own; a district: one of its own; the city: any).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RouteTriage {
    #[serde(default)]
    pub community: String,
}

pub async fn route_triage(state: &AppState, me: &Principal, id: i64, cmd: RouteTriage) -> Result<Case, ApiError> {
    if cmd.community.trim().is_empty() {
        return Err(ApiError::invalid("community", "请选择要分派到的社区", "choose the community to route it to"));
    }
    let community = crate::scope::named_community(state, me, "community", &cmd.community).await?;
    Ok(store::triage::route(&state.db, &me.actor(), id, &community.code).await?)
}
