//! Actions: stewards (管家计划). A resident volunteers for a building or area,
//! the community admin decides, an approved steward raises an issue of their
//! area, and the front desk forwards or closes it — decided once for the page
//! and the JSON API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use crate::policy::own_community;
use crate::scope::load;
use store::stewards::{self as sw, Issue, Steward};

pub use store::stewards::{Decision, IssueStatus, NewIssue, Volunteer};

/// A resident volunteers as steward of a building or area of their community.
pub async fn volunteer(state: &AppState, me: &Principal, cmd: Volunteer) -> Result<Steward, ApiError> {
    let community = own_community(me)?;
    Ok(sw::volunteer(&state.db, &me.actor(), me.user_id, community, cmd).await?)
}

/// The community admin approves or rejects a volunteer in reach.
pub async fn decide(state: &AppState, me: &Principal, id: i64, cmd: Decision) -> Result<Steward, ApiError> {
    load::<Steward>(state, me, id).await?;
    Ok(sw::decide(&state.db, &me.actor(), id, cmd).await?)
}

/// An approved steward raises an issue of their area.
pub async fn raise_issue(state: &AppState, me: &Principal, cmd: NewIssue) -> Result<Issue, ApiError> {
    let community = own_community(me)?;
    Ok(sw::raise_issue(&state.db, &me.actor(), me.user_id, community, cmd).await?)
}

/// The front desk forwards an issue in reach (to become a service case) or closes it.
pub async fn set_issue_status(state: &AppState, me: &Principal, id: i64, cmd: IssueStatus) -> Result<Issue, ApiError> {
    load::<Issue>(state, me, id).await?;
    Ok(sw::set_issue_status(&state.db, &me.actor(), id, cmd).await?)
}
