//! Actions: cases — every write of the one-stop service center, for a
//! principal: counter intake, an event on a case, an attachment, linking a
//! duplicate, the community's adopted items, and a resident's own request and
//! its rating. Each takes a typed command (the store's input type where there
//! is one: [`NewCase`], [`NewEvent`]) that the page builds from its form and
//! the API from its JSON body, checks scope and role, and calls the store.
//! The reads both twins share (the case list, one case, a resident's cases)
//! are here too.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::own_community;
use crate::policy::{Principal, engine_role};
use crate::scope::{self, load};
use cases::HistoryRecord;
use cases::state::EventKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use store::cases::{self as cs, Attachment, Case, CaseView, ListFilter};

pub use store::cases::{NewCase, NewEvent};

/// The front desk takes a case at the counter, in its own community. First the counter's
/// own rules (`cases::intake`), every error at once: the applicant's ID number where the
/// item needs one (I1; the registered resident it names is linked, and the case keeps only
/// the masked number), and a location that is a place of the community (I2).
pub async fn take_at_counter(
    state: &AppState,
    me: &Principal,
    mut n: NewCase,
    id_number: &str,
) -> Result<Case, ApiError> {
    let community = own_community(me)?;
    let mut errs = Vec::new();
    // An unknown item is the store's error, said below.
    let needs = match cs::item_cached(&state.db, n.item.trim()).await {
        Ok(it) => cases::intake::i1_needs_id_number(it.materials_list()),
        Err(_) => false,
    };
    match cases::intake::i1_id_number(needs, id_number, store::clock::today()) {
        Ok(Some(id)) => {
            if n.resident_id.is_none() {
                n.resident_id = cs::resident_by_id_number(&state.db, &community, id.as_str()).await?;
            }
            let mut answers = n.answers.take().unwrap_or_else(|| serde_json::json!({}));
            if let Some(a) = answers.as_object_mut() {
                a.insert("id_number".into(), serde_json::json!(id.masked()));
            }
            n.answers = Some(answers);
        }
        Ok(None) => {}
        Err(m) => errs.push(("id_number".to_string(), m)),
    }
    // The registered places are read only for a location not in the form of an address
    // (reading a community's buildings costs a scan of its residents).
    let looked_up = |t: &str| !t.trim().is_empty() && !cases::intake::i2_has_address_form(t.trim());
    if looked_up(&n.building) || looked_up(&n.address) {
        let known = cs::known_places(&state.db, &community).await?;
        for (field, text) in [("building", &n.building), ("address", &n.address)] {
            if let Err(m) = cases::intake::i2_location(text, &known) {
                errs.push((field.to_string(), m));
            }
        }
    }
    if !errs.is_empty() {
        return Err(ApiError::fields(errs));
    }
    Ok(cs::create(&state.db, &me.actor(), cases::Role::FrontDesk, &community, n).await?)
}

/// A resident makes a request online (channel web), as the resident their account is linked to.
pub async fn request_online(state: &AppState, me: &Principal, n: NewCase) -> Result<Case, ApiError> {
    let community = own_community(me)?;
    Ok(cs::create_for_resident(&state.db, &me.actor(), me.user_id, &community, n).await?)
}

/// Staff apply an event to a case in reach, as their role in the case engine.
pub async fn apply_event(state: &AppState, me: &Principal, id: i64, n: NewEvent) -> Result<Case, ApiError> {
    load::<Case>(state, me, id).await?;
    let role = engine_role(me.role)
        .ok_or_else(|| ApiError::invalid("event", "您的角色不能办理案件", "your role does not act on cases"))?;
    Ok(cs::apply(&state.db, &me.actor(), role, id, n).await?)
}

/// Link a case to the earlier case it duplicates.
#[derive(Debug, Default, Deserialize)]
pub struct LinkDuplicate {
    #[serde(default)]
    pub original: Option<i64>,
}

pub async fn link_duplicate(state: &AppState, me: &Principal, id: i64, l: LinkDuplicate) -> Result<Case, ApiError> {
    load::<Case>(state, me, id).await?;
    let original = l
        .original
        .ok_or_else(|| ApiError::invalid("original", "请填写原始案件编号", "the original case's number is required"))?;
    Ok(cs::link_duplicate(&state.db, &me.actor(), id, original).await?)
}

/// A file to attach to a case, as uploaded.
#[derive(Debug, Default)]
pub struct NewFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Attach a file to a case in reach. The file is read only once the case is
/// known to be in reach (an upload to a case out of reach is not read at all).
pub async fn attach(
    state: &AppState,
    me: &Principal,
    id: i64,
    file: impl Future<Output = Result<NewFile, ApiError>>,
) -> Result<Attachment, ApiError> {
    let c = load::<Case>(state, me, id).await?;
    let f = file.await?;
    Ok(cs::attach(&state.db, &me.actor(), &c, &f.name, &f.bytes).await?)
}

/// The service items the principal's community takes (codes from the city catalogue).
#[derive(Debug, Default, Deserialize)]
pub struct Adopt {
    #[serde(default)]
    pub items: Vec<String>,
}

/// A community's adopted items.
#[derive(Debug, Serialize)]
pub struct Adopted {
    pub community: String,
    pub items: BTreeSet<String>,
}

pub async fn set_adopted(state: &AppState, me: &Principal, a: Adopt) -> Result<Adopted, ApiError> {
    let community = own_community(me)?;
    let items = cs::set_adopted(&state.db, &me.actor(), &community, &a.items).await?;
    Ok(Adopted { community: community.to_string(), items })
}

/// A resident's rating of their resolved request: three scores (1–5) and a comment.
#[derive(Debug, Default, Deserialize)]
pub struct Rating {
    #[serde(default)]
    pub overall: Option<String>,
    #[serde(default)]
    pub speed: Option<String>,
    #[serde(default)]
    pub attitude: Option<String>,
    #[serde(default)]
    pub reason: String,
}

pub async fn rate(state: &AppState, me: &Principal, id: i64, r: Rating) -> Result<Case, ApiError> {
    scope::own_case(state, me, id).await?;
    let ev = NewEvent {
        event: "rate".into(),
        overall: r.overall,
        speed: r.speed,
        attitude: r.attitude,
        reason: r.reason,
        ..Default::default()
    };
    Ok(cs::apply(&state.db, &me.actor(), cases::Role::Resident, id, ev).await?)
}

/// Which cases to list: `?queue=&status=open|overdue|callback|done|all&offset=`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub queue: Option<String>,
    /// open | overdue | callback | done | all (default: open)
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// A page of the cases in the principal's scope.
pub async fn list(state: &AppState, me: &Principal, q: &ListQuery) -> Result<cs::Page, ApiError> {
    let (community, district) = me.scope();
    let f = ListFilter {
        community,
        district,
        queue: q.queue.clone().filter(|q| !q.is_empty()),
        status: Some(q.status.clone().unwrap_or_else(|| "open".into())),
        offset: q.offset.unwrap_or(0),
        limit: 50,
    };
    Ok(cs::list(&state.db, &f).await?)
}

/// One case in reach, with its history, the events this principal may apply
/// now, and its files.
pub struct Detail {
    pub view: CaseView,
    pub history: Vec<HistoryRecord>,
    pub allowed: Vec<EventKind>,
    pub attachments: Vec<Attachment>,
    /// The case's dispatches to providers (offers, acceptances, refusals), for its timeline.
    pub dispatches: Vec<store::dispatch::DispatchView>,
}

pub async fn detail(state: &AppState, me: &Principal, id: i64) -> Result<Detail, ApiError> {
    let c = load::<Case>(state, me, id).await?;
    let history = cs::history(&state.db, id).await?;
    let allowed = cs::allowed(&state.db, id, engine_role(me.role)).await?;
    let attachments = cs::attachments(&state.db, id).await?;
    let view = cs::view(&state.db, c).await?;
    let dispatches = store::dispatch::in_scope(&state.db, None, None, Some(id)).await?;
    // One case's dispatches: a handful, never the list's cap.
    Ok(Detail { view, history, allowed, attachments, dispatches: dispatches.rows })
}

/// A resident's own requests, newest first.
pub async fn mine(state: &AppState, me: &Principal) -> Result<store::Capped<CaseView>, ApiError> {
    let (rid, _, _) = cs::linked_resident(&state.db, me.user_id).await?;
    Ok(cs::mine(&state.db, rid).await?)
}
