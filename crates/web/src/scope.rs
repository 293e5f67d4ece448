//! Scope in one place: every record a handler takes by id or code is loaded
//! through [`load`], which answers the same way everywhere for a record
//! outside the principal's reach — 404, as if it did not exist — except for a
//! record that is itself public (a community, whose public page anyone may
//! read), where it answers 403. Whether a principal reaches a place is
//! decided by [`Principal::can_reach`] (and, for records of a district as a
//! whole, [`Principal::can_reach_district`]).

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use store::Capped;
use store::Db;
use store::budgeting::{self as bg, Call, Project};
use store::cases::Case;
use store::deliberation::{self as dl, Followup, Meeting, Topic};
use store::dispatch::Dispatch;
use store::elections::Election;
use store::finance::Claim;
use store::lists::{AppRow, TaskRow};
use store::party;
use store::providers::Provider;
use store::residents::{ImportRun, Resident};
use store::stewards::{Issue, Steward};
use store::structure::Community;

/// Where a record lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// A record of one community, in its district.
    Community { community: &'a str, district: &'a str },
    /// A record of a district as a whole (`None`: of the city).
    District(Option<&'a str>),
}

/// May this principal touch a record in this place?
pub fn reaches(me: &Principal, place: Place<'_>) -> bool {
    match place {
        Place::Community { community, district } => me.can_reach(community, district),
        Place::District(d) => me.can_reach_district(d),
    }
}

/// A record kind that handlers take by id or code.
pub trait Scoped: Sized + Send {
    type Id: Send;
    /// A public record exists for everyone: out of reach it answers 403, not 404.
    const PUBLIC: bool = false;
    fn fetch(db: &Db, id: Self::Id) -> impl Future<Output = store::Result<Self>> + Send;
    fn place(&self) -> Place<'_>;
}

/// What a principal is told about a record out of their reach.
pub fn out_of_reach<T: Scoped>() -> ApiError {
    if T::PUBLIC { ApiError::Forbidden } else { ApiError::NotFound }
}

/// A record already loaded: is it in reach?
pub fn check<T: Scoped>(me: &Principal, record: &T) -> Result<(), ApiError> {
    if reaches(me, record.place()) { Ok(()) } else { Err(out_of_reach::<T>()) }
}

/// The one loader: the record if it exists and is in reach; else 404 (403 for a public record).
pub async fn load<T: Scoped>(state: &AppState, me: &Principal, id: T::Id) -> Result<T, ApiError> {
    let record = T::fetch(&state.db, id).await?;
    check(me, &record)?;
    Ok(record)
}

/// A community named in a request body: one that does not exist is an invalid
/// field (422); one out of reach answers as [`load`] does (403: communities are public).
pub async fn named_community(state: &AppState, me: &Principal, field: &str, code: &str) -> Result<Community, ApiError> {
    match load::<Community>(state, me, code.trim().to_string()).await {
        Err(ApiError::NotFound) => Err(ApiError::invalid(field, "社区不存在", "no such community")),
        other => other,
    }
}

/// A dispatch handled by a provider's worker: theirs, or it does not exist.
pub async fn my_dispatch(state: &AppState, me: &Principal, id: i64) -> Result<(Provider, Dispatch), ApiError> {
    let p = store::providers::of_user(&state.db, &me.username).await?.ok_or(ApiError::NotFound)?;
    let d = store::dispatch::dispatch(&state.db, id).await?;
    if d.provider_id != p.id {
        return Err(ApiError::NotFound);
    }
    Ok((p, d))
}

/// What a principal sees: a resident sees approved stewards and their own
/// records; staff see every steward in scope.
pub async fn stewards(state: &AppState, me: &Principal) -> Result<Capped<Steward>, ApiError> {
    let (c, d) = me.scope();
    let resident = (me.role == store::users::Role::Resident).then_some(me.user_id);
    Ok(store::stewards::stewards(&state.db, c.as_deref(), d.as_deref(), resident).await?)
}

/// Issues: a resident steward sees their areas' open issues; staff see all in scope.
pub async fn issues(state: &AppState, me: &Principal) -> Result<Capped<Issue>, ApiError> {
    let (c, d) = me.scope();
    if me.role == store::users::Role::Resident {
        let mut out = Capped::default();
        let mine = store::stewards::of_user(&state.db, me.user_id).await?;
        let mut areas: Vec<&str> = mine
            .iter()
            .filter(|s| {
                s.status == store::stewards::StewardStatus::Approved && Some(&s.community_code) == me.community.as_ref()
            })
            .map(|s| s.area.as_str())
            .collect();
        areas.dedup();
        for a in areas {
            let some = store::stewards::issues(
                &state.db,
                c.as_deref(),
                None,
                Some(a),
                Some(store::stewards::IssueState::Open),
            )
            .await?;
            // Each area's list is cut on its own; the union is cut if any was,
            // and then shows what it holds.
            out.more |= some.more;
            out.rows.extend(some.rows);
        }
        out.cap = out.rows.len();
        Ok(out)
    } else {
        Ok(store::stewards::issues(&state.db, c.as_deref(), d.as_deref(), None, None).await?)
    }
}

/// Elections in the principal's scope (a community's own, a district's, the city's).
pub async fn elections(state: &AppState, me: &Principal) -> Result<Capped<Election>, ApiError> {
    let (c, d) = me.scope();
    Ok(store::elections::elections(&state.db, c.as_deref(), d.as_deref()).await?)
}

/// A resident's own case; anyone else's answers 404.
pub async fn own_case(state: &AppState, me: &Principal, id: i64) -> Result<Case, ApiError> {
    let rid = match store::cases::linked_resident(&state.db, me.user_id).await {
        Ok((rid, _, _)) => rid,
        // An account linked to no registry record has no cases: this one is not theirs.
        Err(store::StoreError::Invalid { .. }) => return Err(ApiError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let c = store::cases::case(&state.db, id).await?;
    if c.resident_id != Some(rid) {
        return Err(ApiError::NotFound);
    }
    Ok(c)
}

macro_rules! community_record {
    ($t:ty, $fetch:path) => {
        impl Scoped for $t {
            type Id = i64;
            async fn fetch(db: &Db, id: i64) -> store::Result<Self> {
                $fetch(db, id).await
            }
            fn place(&self) -> Place<'_> {
                Place::Community { community: &self.community_code, district: &self.district_code }
            }
        }
    };
}

community_record!(Case, store::cases::case);
community_record!(Claim, store::finance::claim);
community_record!(TaskRow, store::lists::task);
community_record!(Topic, dl::topic);
community_record!(Meeting, dl::meeting);
community_record!(Followup, dl::followup);
community_record!(Call, bg::call);
community_record!(Project, bg::project);
community_record!(Steward, store::stewards::steward);
community_record!(store::between::Covenant, store::between::covenant);
community_record!(Issue, store::stewards::issue);
community_record!(Dispatch, store::dispatch::dispatch);
community_record!(store::outbox::Message, store::notify::message);
community_record!(Resident, store::residents::get);
community_record!(ImportRun, store::residents::import_run);
community_record!(party::Seat, party::seat_by_id);
community_record!(party::Agreement, party::agreement);
community_record!(party::Commitment, party::commitment);
community_record!(party::Fulfilment, party::fulfilment);
community_record!(party::Evaluation, party::evaluation);
community_record!(party::CadreReview, party::cadre_review);
community_record!(party::Veto, party::veto_by_id);

// ----- party building with resident units ---------------------------------------------

/// Whose party-building records a principal sees: those of their scope and,
/// for a unit's liaison officer, only their own unit's (an unbound liaison sees nothing).
#[derive(Debug, Clone)]
pub struct PartyReach {
    pub community: Option<String>,
    pub district: Option<String>,
    pub unit: Option<i64>,
    /// Cadre promotion reviews (personal data): see [`Principal::reads_cadre_reviews`].
    pub cadre_reviews: bool,
}

/// No unit has this id: what an unbound liaison is cut to.
const NO_UNIT: i64 = -1;

pub async fn party_reach(state: &AppState, me: &Principal) -> Result<PartyReach, ApiError> {
    let (community, district) = me.scope();
    let unit = if me.role == store::users::Role::UnitLiaison {
        Some(party::liaison_unit(&state.db, &me.username).await?.unwrap_or(NO_UNIT))
    } else {
        None
    };
    Ok(PartyReach { community, district, unit, cadre_reviews: me.reads_cadre_reviews() })
}

/// A party record that belongs to one unit.
pub trait OfUnit {
    /// Personal data: only those who read cadre reviews reach it.
    const PERSONAL: bool = false;
    fn unit_id(&self) -> i64;
}

macro_rules! of_unit {
    ($($t:ty),*) => { $(impl OfUnit for $t { fn unit_id(&self) -> i64 { self.unit_id } })* };
}
of_unit!(party::Agreement, party::Commitment, party::Fulfilment, party::Evaluation, party::Veto);

impl OfUnit for party::CadreReview {
    const PERSONAL: bool = true;
    fn unit_id(&self) -> i64 {
        self.unit_id
    }
}

/// A party record by id: in reach by place and, for a liaison, of their own unit;
/// a cadre review only for those who read them. Anything else answers 404.
pub async fn party_record<T: Scoped<Id = i64> + OfUnit>(
    state: &AppState,
    me: &Principal,
    id: i64,
) -> Result<T, ApiError> {
    let r = load::<T>(state, me, id).await?;
    let reach = party_reach(state, me).await?;
    if reach.unit.is_some_and(|u| u != r.unit_id()) {
        return Err(ApiError::NotFound);
    }
    if T::PERSONAL && !reach.cadre_reviews {
        return Err(ApiError::NotFound);
    }
    Ok(r)
}
community_record!(Election, store::elections::election);
// Community social organisations and purchases of services (issue 17).
community_record!(store::orgs::Org, store::orgs::org);
community_record!(store::orgs::Inspection, store::orgs::inspection);
community_record!(store::orgs::Project, store::orgs::project);
community_record!(store::orgs::ServiceRecord, store::orgs::record);

impl Scoped for Community {
    type Id = String;
    const PUBLIC: bool = true;
    async fn fetch(db: &Db, code: String) -> store::Result<Self> {
        store::structure::community(db, &code).await
    }
    fn place(&self) -> Place<'_> {
        Place::Community { community: &self.code, district: &self.district_code }
    }
}

/// An access application belongs to the district of the department that filed it.
impl Scoped for AppRow {
    type Id = i64;
    async fn fetch(db: &Db, id: i64) -> store::Result<Self> {
        store::lists::application(db, id).await
    }
    fn place(&self) -> Place<'_> {
        Place::District(self.district_code.as_deref())
    }
}

/// A project with its milestones, budget and spending.
impl Scoped for bg::Execution {
    type Id = i64;
    async fn fetch(db: &Db, id: i64) -> store::Result<Self> {
        bg::execution(db, id).await
    }
    fn place(&self) -> Place<'_> {
        self.project.place()
    }
}

/// A milestone lives in its project.
pub struct Milestone {
    pub id: i64,
    pub project: Project,
}

impl Scoped for Milestone {
    type Id = i64;
    async fn fetch(db: &Db, id: i64) -> store::Result<Self> {
        let project = bg::project(db, bg::milestone_project(db, id).await?).await?;
        Ok(Milestone { id, project })
    }
    fn place(&self) -> Place<'_> {
        self.project.place()
    }
}

/// A ledger transaction: of a community's books, or of the district's own.
pub struct Transaction {
    pub id: i64,
    pub community: Option<String>,
    pub district: String,
}

impl Scoped for Transaction {
    type Id = i64;
    async fn fetch(db: &Db, id: i64) -> store::Result<Self> {
        let (community, district) = store::finance::transaction_scope(db, id).await?;
        Ok(Transaction { id, community, district })
    }
    fn place(&self) -> Place<'_> {
        match &self.community {
            Some(c) => Place::Community { community: c, district: &self.district },
            None => Place::District(Some(&self.district)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::users::Role;

    fn who(role: Role, community: Option<&str>, district: Option<&str>) -> Principal {
        Principal::sample(role, community, district)
    }

    const OURS: Place<'static> = Place::Community { community: "340705402", district: "340705" };

    #[test]
    fn a_community_role_reaches_only_its_community() {
        let desk = who(Role::FrontDesk, Some("340705402"), Some("340705"));
        assert!(reaches(&desk, OURS));
        assert!(!reaches(&desk, Place::Community { community: "340705403", district: "340705" }));
        assert!(!reaches(&desk, Place::District(Some("340705"))), "a district's own record is not a community's");
    }

    #[test]
    fn a_district_role_reaches_its_district_and_the_city_everything() {
        let district = who(Role::DistrictDepartment, None, Some("340705"));
        assert!(reaches(&district, OURS));
        assert!(reaches(&district, Place::District(Some("340705"))));
        assert!(!reaches(&district, Place::District(Some("340706"))));
        assert!(!reaches(&district, Place::District(None)), "a city record is out of a district's reach");
        assert!(!reaches(&district, Place::Community { community: "340706001", district: "340706" }));
        let civil = who(Role::CityCivilAffairs, None, None);
        assert!(reaches(&civil, OURS) && reaches(&civil, Place::District(None)));
    }

    #[test]
    fn out_of_reach_is_404_except_for_public_records() {
        assert!(matches!(out_of_reach::<Case>(), ApiError::NotFound));
        assert!(matches!(out_of_reach::<AppRow>(), ApiError::NotFound));
        assert!(matches!(out_of_reach::<Community>(), ApiError::Forbidden));
    }
}

/// The district a district-wide view is about: the principal's own, or (city level) the one asked for.
pub async fn view_district(s: &AppState, me: &Principal, asked: Option<&str>) -> Result<String, ApiError> {
    if let Some(d) = &me.district {
        return Ok(d.clone());
    }
    match asked.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(d.to_string()),
        None => Ok(store::structure::communities(&s.db, None)
            .await?
            .first()
            .map(|c| c.district_code.clone())
            .unwrap_or_default()),
    }
}
