//! Actions: registry. Every write of the residents registry and the
//! community's structure — register a resident, import a file of residents,
//! reveal an ID number (audited), register a resident unit, record a
//! residents' committee roster — decided once for the page and the API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use crate::policy::own_community;
use crate::scope::{load, named_community};
use store::residents::{Filter, ImportReport, ImportRun, ReasonCount, Rejected, Resident};
use store::structure::Unit;

pub use store::residents::ResidentInput;
pub use store::structure::NewUnit;

/// A file of residents to import (CSV or XLSX, told apart by its name).
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Register one resident in the worker's community.
pub async fn register(state: &AppState, me: &Principal, input: ResidentInput) -> Result<Resident, ApiError> {
    let community = own_community(me)?;
    Ok(store::residents::add(&state.db, &me.actor(), me.user_id, community, input).await?)
}

/// Import a file of residents into the worker's community: every bad row is
/// reported, none stops the good ones.
pub async fn import(state: &AppState, me: &Principal, file: Upload) -> Result<ImportReport, ApiError> {
    let community = own_community(me)?;
    // Read as a stream: the upload is in memory (at most the body limit), its rows never all at once.
    let rows = store::residents_file::open(&file.file_name, file.bytes.len() as u64, std::io::Cursor::new(&file.bytes))
        .map_err(|m| ApiError::Invalid { field: "file".into(), msg: m })?;
    Ok(store::residents::import(&state.db, &me.actor(), me.user_id, community, &file.file_name, rows, |_| {}).await?)
}

/// A resident's full ID number, for one in reach (the store audits it).
pub async fn reveal(state: &AppState, me: &Principal, id: i64) -> Result<String, ApiError> {
    resident(state, me, id).await?;
    Ok(store::residents::reveal(&state.db, &me.actor(), id).await?)
}

/// Register a resident unit (驻区单位) in a community in reach; none named: the principal's own.
pub async fn add_unit(state: &AppState, me: &Principal, mut unit: NewUnit) -> Result<Unit, ApiError> {
    if unit.community_code.is_empty() {
        unit.community_code = me.community.clone().unwrap_or_default();
    }
    named_community(state, me, "community_code", &unit.community_code).await?;
    Ok(store::structure::add_unit(&state.db, &me.actor(), unit).await?)
}

// ---- Reads both twins share ----

/// The registry filter the principal may run: their scope always applies; a
/// community role asking for another community is refused.
pub fn resident_filter(me: &Principal, community: Option<String>) -> Result<Filter, ApiError> {
    let (c, d) = me.scope();
    let community = match (c, community.filter(|s| !s.is_empty())) {
        (Some(own), Some(asked)) if own != asked => return Err(ApiError::Forbidden),
        (Some(own), _) => Some(own),
        (None, asked) => asked,
    };
    let mut f = Filter { community, district: d, ..Default::default() };
    crate::privacy::restrict(me.role, &mut f, store::clock::today());
    Ok(f)
}

/// A resident in reach whom this role may see (a child below reveal answers 404, rules §6.5).
pub async fn resident(state: &AppState, me: &Principal, id: i64) -> Result<Resident, ApiError> {
    let r = load::<Resident>(state, me, id).await?;
    if !crate::privacy::may_see(me.role, &r, store::clock::today()) {
        return Err(ApiError::NotFound);
    }
    Ok(r)
}

/// Run a registry search: a query that is a full ID number confirms that
/// number, so it runs only within the role's daily allowance and is audited
/// (`privacy::full_id_searches_per_day`); any other search is a plain read.
pub async fn search(state: &AppState, me: &Principal, f: &Filter) -> Result<store::residents::Page, ApiError> {
    if f.q.as_deref().and_then(store::residents::full_id).is_none() {
        return Ok(store::residents::list(&state.db, f).await?);
    }
    let scope = store::audit::Scope { community: me.community.as_deref(), district: me.district.as_deref() };
    let cap = crate::privacy::full_id_searches_per_day(me.role);
    Ok(store::residents::search_full_id(&state.db, &me.actor(), scope, cap, f).await?)
}

/// An import run in reach, with the rows it kept in full and every refused row counted by reason.
pub async fn import_run(
    state: &AppState,
    me: &Principal,
    id: i64,
) -> Result<(ImportRun, Vec<Rejected>, Vec<ReasonCount>), ApiError> {
    let run = load::<ImportRun>(state, me, id).await?;
    let rejected = serde_json::from_str(&run.rejected_json)
        .map_err(|e| ApiError::Internal(format!("import run {id}: rejected rows unreadable: {e}")))?;
    let counts = serde_json::from_str(&run.rejected_counts)
        .map_err(|e| ApiError::Internal(format!("import run {id}: rejection counts unreadable: {e}")))?;
    Ok((run, rejected, counts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::users::Role;

    fn who(role: Role, community: Option<&str>, district: Option<&str>) -> Principal {
        Principal::sample(role, community, district)
    }

    #[test]
    fn the_registry_filter_keeps_the_principals_scope() {
        let desk = who(Role::FrontDesk, Some("340705402"), Some("340705"));
        assert_eq!(resident_filter(&desk, None).unwrap().community.as_deref(), Some("340705402"));
        assert_eq!(resident_filter(&desk, Some(String::new())).unwrap().community.as_deref(), Some("340705402"));
        assert!(matches!(resident_filter(&desk, Some("340705403".into())), Err(ApiError::Forbidden)));
        let district = who(Role::DistrictDepartment, None, Some("340705"));
        let f = resident_filter(&district, Some("340705403".into())).unwrap();
        assert_eq!((f.community.as_deref(), f.district.as_deref()), (Some("340705403"), Some("340705")));
    }
}
