//! Actions: community social organisations, their federation and government
//! purchase of services (issue 17). The community records organisations and
//! confirms, evaluates and pays; the district keeps the settings, the inspection
//! calendar, the catalogue and the budget lines; an organisation's own log-in
//! keeps its record, files its annual report, applies and records its service.
//! Decided once for the pages and the JSON API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, own_community};
use crate::scope::{check, load};
use serde::Serialize;
use store::Capped;
use store::orgs::{
    self as so, Activity, Application, BudgetLine, CatalogueItem, CommunityFigures, FederationFigures, Inspection,
    Member, Org, Payment, Project, PurchaseEvaluation, Reminded, ServiceRecord, Settings, Standing,
};
use store::users::Role;

pub use store::orgs::{
    AnnualReport, InspectionDecision, NewAccount, NewActivity, NewApplication, NewBudgetLine, NewCatalogueItem,
    NewContract, NewMember, NewOrg, NewPayment, NewProject, NewPurchaseEvaluation, NewRecord, NewSettings, OpenYear,
    OrgEdit, RecordDecision,
};

/// No organisation has this id: what an unbound organisation log-in is cut to.
const NO_ORG: i64 = -1;

/// The organisation an `organisation` log-in acts for (`None` for every other role).
pub async fn own_org(state: &AppState, me: &Principal) -> Result<Option<i64>, ApiError> {
    if me.role != Role::Organisation {
        return Ok(None);
    }
    Ok(Some(so::account_org(&state.db, &me.username).await?.unwrap_or(NO_ORG)))
}

/// An organisation in reach that this principal keeps: its community's administrator, or its
/// own log-in; another organisation's log-in is told it does not exist.
async fn kept_org(state: &AppState, me: &Principal, id: i64) -> Result<Org, ApiError> {
    let o = load::<Org>(state, me, id).await?;
    match own_org(state, me).await? {
        Some(mine) if mine != o.id => Err(ApiError::NotFound),
        _ => Ok(o),
    }
}

fn district(me: &Principal) -> Result<&str, ApiError> {
    me.district.as_deref().ok_or(ApiError::Forbidden)
}

// ----- the registry --------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct Overview {
    pub orgs: Vec<Org>,
    pub figures: Vec<CommunityFigures>,
    /// The roll-up over the whole scope (the district's, or the city's): each organisation once.
    pub total: CommunityFigures,
    pub inspections: Capped<Inspection>,
    /// Overdue on today (an organisation's log-in: its own), read on their own.
    pub overdue: Capped<Inspection>,
    pub federations: Vec<FederationFigures>,
    /// The organisation this log-in acts for.
    pub my_org: Option<i64>,
    pub settings: Option<Settings>,
    /// The lists above cut at their length ([`store::capped::cut`]).
    pub cut: Vec<&'static str>,
}

pub async fn overview(state: &AppState, me: &Principal) -> Result<Overview, ApiError> {
    let (c, d) = me.scope();
    let (c, d) = (c.as_deref(), d.as_deref());
    let db = &state.db;
    let orgs = so::orgs(db, c, d).await?;
    let mine = own_org(state, me).await?;
    let mut federations = Vec::new();
    for o in orgs.iter().filter(|o| o.is_federation == 1) {
        federations.push(so::federation_figures(db, o).await?);
    }
    let inspections = so::inspections(db, c, d, mine).await?;
    let today = store::clock::today();
    let overdue = so::overdue(db, c, d, mine, today).await?;
    let settings = match me.district.as_deref() {
        Some(dc) => Some(so::settings(db, dc).await?),
        None => None,
    };
    let roll = so::roll_up(db, c, d).await?;
    let mut orgs = orgs;
    for o in &mut orgs {
        crate::privacy::org_person(me, o, mine == Some(o.id));
    }
    Ok(Overview {
        cut: store::capped::cut(&[("inspections", inspections.more), ("overdue", overdue.more)]),
        figures: roll.communities,
        total: roll.total,
        orgs,
        inspections,
        overdue,
        federations,
        my_org: mine,
        settings,
    })
}

#[derive(Debug, Serialize)]
pub struct OrgDetail {
    pub org: Org,
    /// People's names only for the organisation itself and its community's administrator.
    pub members: Vec<Member>,
    pub activities: Capped<Activity>,
    pub inspections: Capped<Inspection>,
    pub roll_up: FederationFigures,
    pub mine: bool,
    /// §5.15 against the members table: why a registered social group falls short (None: it does not).
    pub short_of_members: Option<rules::Msg>,
    /// The lists above cut at their length ([`store::capped::cut`]).
    pub cut: Vec<&'static str>,
}

pub async fn org(state: &AppState, me: &Principal, id: i64) -> Result<OrgDetail, ApiError> {
    let mut o = load::<Org>(state, me, id).await?;
    let mine = own_org(state, me).await? == Some(o.id);
    crate::privacy::org_person(me, &mut o, mine);
    let names = mine || me.role == Role::CommunityAdmin;
    let mut members = so::members(&state.db, id).await?;
    if !names {
        for m in &mut members {
            if m.person.is_some() {
                m.person = Some(String::new());
            }
        }
    }
    let activities = so::activities(&state.db, id).await?;
    let inspections = so::inspections(&state.db, None, None, Some(id)).await?;
    Ok(OrgDetail {
        short_of_members: so::thresholds_held(&state.db, &o).await?.err(),
        roll_up: so::federation_figures(&state.db, &o).await?,
        members,
        cut: store::capped::cut(&[("activities", activities.more), ("inspections", inspections.more)]),
        activities,
        inspections,
        org: o,
        mine,
    })
}

/// The community records an organisation of its own (§5.11–§5.16).
pub async fn register(state: &AppState, me: &Principal, cmd: NewOrg) -> Result<Org, ApiError> {
    let community = own_community(me)?;
    Ok(so::register(&state.db, &me.actor(), community, district(me)?, cmd).await?)
}

pub async fn edit(state: &AppState, me: &Principal, id: i64, cmd: OrgEdit) -> Result<Org, ApiError> {
    kept_org(state, me, id).await?;
    Ok(so::edit(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn add_member(state: &AppState, me: &Principal, id: i64, cmd: NewMember) -> Result<Member, ApiError> {
    kept_org(state, me, id).await?;
    Ok(so::add_member(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn add_activity(state: &AppState, me: &Principal, id: i64, cmd: NewActivity) -> Result<Activity, ApiError> {
    kept_org(state, me, id).await?;
    Ok(so::add_activity(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn bind_account(state: &AppState, me: &Principal, id: i64, cmd: NewAccount) -> Result<Org, ApiError> {
    load::<Org>(state, me, id).await?;
    Ok(so::bind_account(&state.db, &me.actor(), id, cmd).await?)
}

// ----- the annual inspection ---------------------------------------------------------------

pub async fn set_settings(state: &AppState, me: &Principal, cmd: NewSettings) -> Result<Settings, ApiError> {
    Ok(so::set_settings(&state.db, &me.actor(), district(me)?, cmd).await?)
}

#[derive(Debug, Serialize)]
pub struct Opened {
    pub opened: u64,
}

pub async fn open_year(state: &AppState, me: &Principal, cmd: OpenYear) -> Result<Opened, ApiError> {
    Ok(Opened { opened: so::open_year(&state.db, &me.actor(), district(me)?, cmd).await? })
}

pub async fn remind(state: &AppState, me: &Principal) -> Result<Reminded, ApiError> {
    Ok(so::remind(&state.db, &me.actor(), district(me)?, store::clock::today()).await?)
}

/// The organisation (or its community) files the annual report of an inspection in reach.
pub async fn submit_report(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: AnnualReport,
) -> Result<Inspection, ApiError> {
    let i = load::<Inspection>(state, me, id).await?;
    kept_org(state, me, i.org_id).await?;
    Ok(so::submit_report(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn decide_inspection(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: InspectionDecision,
) -> Result<Inspection, ApiError> {
    load::<Inspection>(state, me, id).await?;
    Ok(so::decide_inspection(&state.db, &me.actor(), id, cmd).await?)
}

// ----- purchases -------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct Purchases {
    pub catalogue: Vec<CatalogueItem>,
    pub budget_lines: Vec<BudgetLine>,
    pub projects: Capped<Project>,
    /// The lists above cut at their length ([`store::capped::cut`]).
    pub cut: Vec<&'static str>,
}

pub async fn purchases(state: &AppState, me: &Principal) -> Result<Purchases, ApiError> {
    let (c, d) = me.scope();
    let (c, d) = (c.as_deref(), d.as_deref());
    let catalogue_district = me.district.as_deref().filter(|_| d.is_some() || c.is_some());
    let projects = so::projects(&state.db, c, d).await?;
    Ok(Purchases {
        catalogue: so::catalogue(&state.db, catalogue_district).await?,
        budget_lines: so::budget_lines(&state.db, c, d).await?,
        cut: store::capped::cut(&[("projects", projects.more)]),
        projects,
    })
}

pub async fn add_catalogue_item(
    state: &AppState,
    me: &Principal,
    cmd: NewCatalogueItem,
) -> Result<CatalogueItem, ApiError> {
    Ok(so::add_catalogue_item(&state.db, &me.actor(), district(me)?, cmd).await?)
}

pub async fn add_budget_line(state: &AppState, me: &Principal, cmd: NewBudgetLine) -> Result<BudgetLine, ApiError> {
    Ok(so::add_budget_line(&state.db, &me.actor(), district(me)?, cmd).await?)
}

/// A buyer opens a project: in the administrator's own community, or in a community of the
/// department's district that it names.
pub async fn open_project(state: &AppState, me: &Principal, cmd: NewProject) -> Result<Project, ApiError> {
    let d = district(me)?.to_string();
    let community = match me.community.as_deref() {
        Some(c) if me.role == Role::CommunityAdmin => c.to_string(),
        _ => {
            let c = store::structure::community(&state.db, cmd.community.trim())
                .await
                .ok()
                .filter(|c| c.district_code == d);
            match c {
                Some(c) => c.code,
                None => {
                    return Err(ApiError::invalid("community", "本区没有该社区", "no such community in this district"));
                }
            }
        }
    };
    Ok(so::open_project(&state.db, &me.actor(), &community, &d, cmd).await?)
}

#[derive(Debug, Serialize)]
pub struct ProjectDetail {
    pub project: Project,
    pub standing: Standing,
    pub records: Vec<ServiceRecord>,
    pub evaluations: Vec<PurchaseEvaluation>,
    pub payments: Vec<Payment>,
    pub applications: Vec<Application>,
    /// This log-in is the project's provider.
    pub provider: bool,
}

pub async fn project(state: &AppState, me: &Principal, id: i64) -> Result<ProjectDetail, ApiError> {
    let p = load::<Project>(state, me, id).await?;
    let mine = own_org(state, me).await?;
    let mut applications = so::applications(&state.db, id).await?;
    if let Some(m) = mine {
        applications.retain(|a| a.org_id == m);
    }
    Ok(ProjectDetail {
        standing: so::standing(&state.db, &p).await?,
        records: so::records(&state.db, id).await?,
        evaluations: so::evaluations(&state.db, id).await?,
        payments: so::payments(&state.db, id).await?,
        applications,
        provider: mine.is_some() && p.provider_org_id == mine,
        project: p,
    })
}

/// What anyone may read of a contracted project: the published contract and its figures,
/// no personal data (no names of people, no records' notes).
#[derive(Debug, Serialize)]
pub struct PublicProject {
    pub id: i64,
    pub title: String,
    pub community_code: String,
    pub buyer_name: String,
    pub provider_name: Option<String>,
    pub method: Option<String>,
    pub content: String,
    pub targets: String,
    pub measure: store::orgs::Measure,
    pub term_from: Option<String>,
    pub term_to: Option<String>,
    pub published_on: Option<String>,
    pub catalogue_title: String,
    pub standing: Standing,
    /// (stage, evaluator, score) of each evaluation.
    pub evaluations: Vec<(store::orgs::Stage, store::orgs::Evaluator, i64)>,
    pub illustrative: i64,
    pub from_source: i64,
}

pub async fn public_project(state: &AppState, id: i64) -> Result<PublicProject, ApiError> {
    let p = so::project(&state.db, id).await.map_err(|_| ApiError::NotFound)?;
    if p.status != so::ProjectStatus::Contracted {
        return Err(ApiError::NotFound);
    }
    let evaluations =
        so::evaluations(&state.db, id).await?.into_iter().map(|e| (e.stage, e.evaluator, e.score)).collect();
    Ok(PublicProject {
        standing: so::standing(&state.db, &p).await?,
        id: p.id,
        title: p.title,
        community_code: p.community_code,
        buyer_name: p.buyer_name,
        provider_name: p.provider_name,
        method: p.method,
        content: p.content,
        targets: p.targets,
        measure: p.measure,
        term_from: p.term_from,
        term_to: p.term_to,
        published_on: p.published_on,
        catalogue_title: p.catalogue_title,
        evaluations,
        illustrative: p.illustrative,
        from_source: p.from_source,
    })
}

pub async fn contract(state: &AppState, me: &Principal, id: i64, cmd: NewContract) -> Result<Project, ApiError> {
    load::<Project>(state, me, id).await?;
    Ok(so::contract(&state.db, &me.actor(), id, cmd).await?)
}

/// The organisation's own log-in applies to provide a project in reach.
pub async fn apply(state: &AppState, me: &Principal, id: i64, cmd: NewApplication) -> Result<Application, ApiError> {
    load::<Project>(state, me, id).await?;
    let Some(org) = own_org(state, me).await?.filter(|o| *o != NO_ORG) else {
        return Err(ApiError::invalid("note", "本账号尚未关联社会组织", "this account acts for no organisation"));
    };
    Ok(so::apply(&state.db, &me.actor(), org, id, cmd).await?)
}

/// The provider's own log-in enters a service record; to anyone else the project has no records to enter.
pub async fn report_service(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: NewRecord,
) -> Result<ServiceRecord, ApiError> {
    let p = load::<Project>(state, me, id).await?;
    let mine = own_org(state, me).await?;
    if mine.is_none() || p.provider_org_id != mine {
        return Err(ApiError::NotFound);
    }
    Ok(so::report_service(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn decide_record(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: RecordDecision,
) -> Result<ServiceRecord, ApiError> {
    load::<ServiceRecord>(state, me, id).await?;
    Ok(so::decide_record(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn evaluate(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: NewPurchaseEvaluation,
) -> Result<PurchaseEvaluation, ApiError> {
    load::<Project>(state, me, id).await?;
    Ok(so::evaluate_project(&state.db, &me.actor(), id, cmd).await?)
}

pub async fn pay(state: &AppState, me: &Principal, id: i64, cmd: NewPayment) -> Result<Payment, ApiError> {
    let p = load::<Project>(state, me, id).await?;
    check(me, &p)?;
    Ok(so::pay(&state.db, &me.actor(), id, cmd).await?)
}
