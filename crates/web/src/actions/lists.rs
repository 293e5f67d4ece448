//! Actions: the four lists and community access. Editing a list's drafts
//! (city civil affairs), filing and deciding access applications, and the
//! tasks that reached a community (a push recorded, a refusal). The page
//! handlers (`pages::lists`) and the API (`api::lists`) both call these; the
//! route table has already checked the role.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, applicant};
use crate::scope::load;
use lists::{FieldError, ListKind};
use store::lists::{
    self as sl, AppRow, Decided, Decision, EntryForm, EntryImport, Filed, NewApplication, NewPush, PublishForm,
    Refusal, TaskRow, VersionEdit, VersionRow,
};

/// A list named in a path (`exit`, `duty`, `assistance`, `assessment_access`); any other is 404.
pub fn list_kind(kind: &str) -> Result<ListKind, ApiError> {
    sl::parse_kind(kind).ok_or(ApiError::NotFound)
}

/// The engine's field errors as one problem naming every field.
fn field_errors(errs: Vec<FieldError>) -> ApiError {
    ApiError::fields(errs.into_iter().map(|e| (e.field, e.msg)))
}

// ----- drafts of the lists ---------------------------------------------------------------------

/// Open a draft of a list: a copy of the version in force with the next number.
pub async fn open_draft(state: &AppState, me: &Principal, kind: ListKind) -> Result<VersionRow, ApiError> {
    Ok(sl::create_draft(&state.db, &me.actor(), kind).await?)
}

/// A change to an open draft: the entry's code comes from the path, the rest
/// from the form or JSON body ([`EntryForm`], [`PublishForm`]).
#[derive(Debug, Clone)]
pub enum DraftEdit {
    Add(EntryForm),
    Replace { code: String, entry: EntryForm },
    Remove { code: String },
    Review,
    Publish(PublishForm),
}

/// Apply one change to a draft (the engine refuses a published version: 422).
/// An entry is parsed by the engine, which reports every wrong field at once.
pub async fn edit_draft(
    state: &AppState,
    me: &Principal,
    kind: ListKind,
    version: i64,
    edit: DraftEdit,
) -> Result<VersionRow, ApiError> {
    let entry = |f: &EntryForm| lists::entry::parse(kind, f).map_err(field_errors);
    let edit = match edit {
        DraftEdit::Add(f) => VersionEdit::Add(entry(&f)?),
        DraftEdit::Replace { code, entry: mut f } => {
            f.code = code;
            VersionEdit::Replace(entry(&f)?)
        }
        DraftEdit::Remove { code } => VersionEdit::Remove(code),
        DraftEdit::Review => VersionEdit::Review,
        DraftEdit::Publish(f) => VersionEdit::Publish(f.date()?),
    };
    Ok(sl::edit_version(&state.db, &me.actor(), kind, version, edit).await?)
}

/// Import entries from an XLSX workbook into a draft: valid new rows are
/// added, every other row is listed with its reason.
pub async fn import_entries(
    state: &AppState,
    me: &Principal,
    kind: ListKind,
    version: i64,
    bytes: &[u8],
) -> Result<EntryImport, ApiError> {
    Ok(sl::import_entries(&state.db, &me.actor(), kind, version, bytes).await?)
}

// ----- access applications ---------------------------------------------------------------------

/// File an access application as the account's department (a department in
/// the input is ignored); the automatic checks run. Every wrong field is reported.
pub async fn file(state: &AppState, me: &Principal, mut n: NewApplication) -> Result<Filed, ApiError> {
    let who = applicant(me)?;
    n.department = who.department.clone();
    sl::try_file(&state.db, &who, n).await?.map_err(field_errors)
}

/// The city's decision on an application in reach (404 otherwise).
pub async fn decide(state: &AppState, me: &Principal, id: i64, d: Decision) -> Result<Decided, ApiError> {
    load::<AppRow>(state, me, id).await?;
    Ok(sl::decide(&state.db, &me.actor(), id, d).await?)
}

/// What a principal sees of access: the applications and burden counts in scope.
pub struct AccessOverview {
    pub applications: Vec<AppRow>,
    pub departments: Vec<sl::DeptBurden>,
    pub communities: Vec<sl::CommunityBurden>,
}

pub async fn access_overview(state: &AppState, me: &Principal) -> Result<AccessOverview, ApiError> {
    let (_, d) = me.scope();
    let (applications, departments, communities) = tokio::try_join!(
        sl::applications(&state.db, d.as_deref(), None),
        sl::department_burden(&state.db, d.as_deref()),
        sl::community_burden(&state.db, None, d.as_deref())
    )?;
    Ok(AccessOverview { applications, departments, communities })
}

// ----- tasks -----------------------------------------------------------------------------------

/// Record work a department pushed to a community without an approval (the
/// community must be in the principal's district).
pub async fn push(state: &AppState, me: &Principal, n: NewPush) -> Result<TaskRow, ApiError> {
    let (_, d) = me.scope();
    Ok(sl::record_push(&state.db, &me.actor(), d.as_deref(), n).await?)
}

/// A community refuses a task in reach that has no approval in force.
pub async fn refuse(state: &AppState, me: &Principal, id: i64, r: Refusal) -> Result<TaskRow, ApiError> {
    load::<TaskRow>(state, me, id).await?;
    Ok(sl::refuse(&state.db, &me.actor(), id, r).await?)
}
