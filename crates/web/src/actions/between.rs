//! Actions: the residents' committee between elections (issue 15; rules
//! §1.10, §1.12, §2.21, §2.22) — a removal or by-election on a 居民会议
//! decision, a 居民公约 drafted, decided and filed with the district —
//! decided once for the page and the JSON API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use crate::scope::load;
use store::between::{self as bt, Change, Covenant};
use store::structure::Community;

pub use store::between::{CovenantDecision, CovenantFiling, NewChange, NewCovenant};

/// What the committee page and its API show of a community in reach.
pub struct View {
    pub community: Community,
    pub roster: Vec<(String, String, bool)>,
    pub changes: Vec<Change>,
    pub covenants: Vec<Covenant>,
}

pub async fn view(state: &AppState, me: &Principal, code: &str) -> Result<View, ApiError> {
    let community = load::<Community>(state, me, code.to_string()).await?;
    let (roster, changes, covenants) = tokio::try_join!(
        bt::roster(&state.db, &community.code),
        bt::changes(&state.db, &community.code),
        bt::covenants(&state.db, &community.code)
    )?;
    Ok(View { community, roster, changes, covenants })
}

/// The community's own admin records a removal or by-election (rule 1.10).
pub async fn change(state: &AppState, me: &Principal, code: &str, cmd: NewChange) -> Result<Change, ApiError> {
    let c = own(state, me, code).await?;
    Ok(bt::change(&state.db, &me.actor(), &c.code, cmd).await?)
}

/// The community's own admin drafts a covenant.
pub async fn draft(state: &AppState, me: &Principal, code: &str, cmd: NewCovenant) -> Result<Covenant, ApiError> {
    let c = own(state, me, code).await?;
    Ok(bt::draft_covenant(&state.db, &me.actor(), &c.code, cmd).await?)
}

/// The community's admin links the 居民会议 decision (rule 1.12 (a)).
pub async fn decide(state: &AppState, me: &Principal, id: i64, cmd: CovenantDecision) -> Result<Covenant, ApiError> {
    let cv = load::<Covenant>(state, me, id).await?;
    own(state, me, &cv.community_code).await?;
    Ok(bt::decide_covenant(&state.db, &me.actor(), id, cmd).await?)
}

/// The district records its filing (rule 1.12 (b)); the covenant takes effect.
pub async fn file(state: &AppState, me: &Principal, id: i64, cmd: CovenantFiling) -> Result<Covenant, ApiError> {
    load::<Covenant>(state, me, id).await?;
    Ok(bt::file_covenant(&state.db, &me.actor(), id, cmd).await?)
}

/// A community in reach that is the principal's own (writes only there).
async fn own(state: &AppState, me: &Principal, code: &str) -> Result<Community, ApiError> {
    let c = load::<Community>(state, me, code.to_string()).await?;
    if me.community.as_deref() != Some(c.code.as_str()) {
        return Err(ApiError::Forbidden);
    }
    Ok(c)
}
