//! Who may do what: decided here and only here.
//!
//! Every route is declared once in [`ROUTES`] (see [`crate::routes`]) with
//! its access rule, and the router mounts exactly that table, so no route can
//! be unguarded; [`guard`] enforces the rule before any handler runs. Scope (which
//! community or district a principal may touch) is decided by
//! [`Principal::can_reach`] and [`Principal::scope`].

use crate::error::ApiError;
use crate::i18n::Lang;
use axum::response::{IntoResponse, Response};
use store::users::{Role, ScopeLevel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user.
    Authenticated,
    /// Only these roles (each within its own scope).
    Roles(&'static [Role]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Api,
    Ops,
}

use Role::*;

/// People who work with the residents registry.
pub const REGISTRY_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// People who register residents at the counter.
pub const REGISTRY_WRITERS: &[Role] = &[FrontDesk, CommunityAdmin];
pub const REGISTRY_EXPORTERS: &[Role] = &[CommunityAdmin, DistrictDepartment, CityCivilAffairs];
pub const STAFF_READERS: &[Role] = &[CommunityAdmin, DistrictDepartment, CityCivilAffairs, SystemAdmin];
pub const UNIT_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
pub const UNIT_WRITERS: &[Role] = &[CommunityAdmin];
pub const AUDIT_READERS: &[Role] = &[Auditor, SystemAdmin];
/// Everyone who lives or works in a community may follow its service projects.
pub const PB_READERS: &[Role] =
    &[Resident, FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs, Organisation];
pub const PB_PROPOSERS: &[Role] = &[Resident, FrontDesk, CommunityAdmin, Organisation];
/// The committee runs calls, reviews feasibility and closes the vote.
pub const PB_ORGANISERS: &[Role] = &[CommunityAdmin];
pub const PB_VOTERS: &[Role] = &[Resident];
/// Paper ballots from a polling table are entered by community staff.
pub const PB_CLERKS: &[Role] = &[FrontDesk, CommunityAdmin];
/// Everyone who lives or works in a community may follow its deliberation.
pub const DELIB_READERS: &[Role] =
    &[Resident, FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs, Organisation];
/// Topics come from residents, from resident units (through the counter or an
/// organisation's account) and from the committee.
pub const DELIB_RAISERS: &[Role] = &[Resident, FrontDesk, CommunityAdmin, Organisation];
pub const DELIB_DISCUSSANTS: &[Role] = &[Resident, FrontDesk, BackOffice, CommunityAdmin, Organisation];
/// The residents' committee convenes meetings, records attendance, votes,
/// minutes and follow-ups, and closes topics.
pub const DELIB_CHAIRS: &[Role] = &[CommunityAdmin];
/// Petitions are handed in on paper at the counter.
pub const DELIB_CLERKS: &[Role] = &[FrontDesk, CommunityAdmin];
pub const STEWARD_READERS: &[Role] =
    &[Resident, FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// Only residents volunteer as stewards and raise their area's issues.
pub const STEWARD_VOLUNTEERS: &[Role] = &[Resident];
pub const STEWARD_APPROVERS: &[Role] = &[CommunityAdmin];
/// The one-stop service center's cases: read by the center's staff and the
/// district departments that handle routed cases.
pub const CASE_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// The front desk takes cases at the counter (and on the hotline).
pub const CASE_INTAKE: &[Role] = &[FrontDesk, CommunityAdmin];
/// Everyone who acts on a case; the case engine decides which event each may trigger.
pub const CASE_HANDLERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment];
/// The community's administrator adopts catalogue items for its service center.
pub const CASE_ITEM_ADMINS: &[Role] = &[CommunityAdmin];
/// The community's own staff, who see which items their center takes.
pub const CASE_COMMUNITY_STAFF: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin];
/// Residents make requests online, follow and rate their own.
pub const CASE_RESIDENTS: &[Role] = &[Resident];
/// The front desk turns stewards' issues into service cases (for now: forwards or closes them).
pub const STEWARD_DESK: &[Role] = &[FrontDesk, CommunityAdmin];

/// Residents' committee elections: residents check the published roll,
/// candidates and result; the district receives the filing.
pub const ELECTION_READERS: &[Role] =
    &[Resident, FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// The community admin acts for the election committee: opens the election,
/// publishes the roll and the candidates, counts, seats the committee.
pub const ELECTION_ORGANISERS: &[Role] = &[CommunityAdmin];
/// Community staff enter each box's tally sheet at the counting desk.
pub const ELECTION_CLERKS: &[Role] = &[FrontDesk, CommunityAdmin];
/// The district receives a community's filed election result (rules §2.20).
pub const ELECTION_DISTRICT: &[Role] = &[DistrictDepartment];
/// The committee between elections (rules §1.10, §1.12): staff in scope read the roster, its
/// changes and the covenants; the community admin records a change on a 居民会议 decision and
/// drafts covenants; the district records a covenant's filing.
pub const COMMITTEE_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
pub const COMMITTEE_KEEPERS: &[Role] = &[CommunityAdmin];
pub const COVENANT_FILERS: &[Role] = &[DistrictDepartment];

/// Community finance: who sees the books of their scope.
pub const FIN_READERS: &[Role] =
    &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs, Auditor];
/// Community workers file reimbursement claims (报账).
pub const FIN_CLAIMANTS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin];
/// The community head approves first, district finance second (large claims).
pub const FIN_APPROVERS: &[Role] = &[CommunityAdmin, DistrictDepartment];
/// District finance allocates (核拨), closes periods and reverses transactions.
pub const FIN_ALLOCATORS: &[Role] = &[DistrictDepartment];
/// The community head moves money between the community's own funds.
pub const FIN_TREASURERS: &[Role] = &[CommunityAdmin];
/// The city reopens a closed period of any district's books, with a reason (issue 12, point 11).
pub const FIN_REOPENERS: &[Role] = &[CityCivilAffairs];
pub const FIN_DISTRICT_READERS: &[Role] = &[DistrictDepartment, CityCivilAffairs, Auditor];

/// Access applications (社区准入): departments file, the city's civil affairs reviews.
pub const ACCESS_READERS: &[Role] = &[DistrictDepartment, CityCivilAffairs];
pub const ACCESS_APPLICANTS: &[Role] = &[DistrictDepartment];
pub const ACCESS_REVIEWERS: &[Role] = &[CityCivilAffairs];
/// The four lists are owned by the city: only its civil affairs drafts, reviews and publishes them.
pub const LIST_EDITORS: &[Role] = &[CityCivilAffairs];
/// Work that reached a community: its staff see it, departments see their district's.
pub const TASK_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// A department records work it pushed without approval (so it can be refused and counted).
pub const TASK_PUSHERS: &[Role] = &[DistrictDepartment];
/// The community refuses unapproved work in one click.
pub const TASK_REFUSERS: &[Role] = &[FrontDesk, CommunityAdmin];

/// The 2881890 hotline: the front desk answers, finds the caller, takes and dispatches cases.
pub const HOTLINE_OPERATORS: &[Role] = &[FrontDesk, CommunityAdmin];
/// Open311 requests the registry could not place: the hotline routes them by hand
/// (each into a community of its reach).
pub const TRIAGE_ROUTERS: &[Role] = &[FrontDesk, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// A provider's workers accept, decline, arrive and complete their dispatches.
pub const PROVIDER_WORKERS: &[Role] = &[Provider];
/// Who sees the providers serving their district (the operators choose among them).
pub const PROVIDER_READERS: &[Role] = &[FrontDesk, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// Who registers providers (for their own district; the city for any).
pub const PROVIDER_ADMINS: &[Role] = &[CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// Dispatches: a provider sees its own, staff those of their scope.
pub const DISPATCH_READERS: &[Role] =
    &[Provider, FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// The notification outbox of a community.
pub const OUTBOX_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];
/// Who records a recipient's channels and consent (issue 19, rules §6): the community's own staff.
pub const NOTIFY_DESK: &[Role] = &[FrontDesk, CommunityAdmin];
/// Who edits the city's notification templates.
pub const TEMPLATE_EDITORS: &[Role] = &[CityCivilAffairs];
/// A resident's own notifications.
pub const NOTIFICATION_READERS: &[Role] = &[Resident];

/// The living circle (issue 16): the city's planners compute coverage for the whole city
/// (one run over one network); the city's and the districts' planners keep the facilities
/// registry (a district only for facilities standing in its communities, `actions::circle`)
/// and propose sites (a district over its own communities' homes); community staff read
/// their own community's coverage, a district its communities', the city all.
pub const CIRCLE_CITY: &[Role] = &[CityCivilAffairs];
pub const CIRCLE_PLANNERS: &[Role] = &[DistrictDepartment, CityCivilAffairs];
pub const CIRCLE_READERS: &[Role] = &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs];

/// Party building with resident units (大党工委, 共驻共建): the community's
/// party organisation (its administrator acts for the committee's secretary),
/// the units' liaison officers (their own unit only, see `scope::party_reach`)
/// and the district that receives evaluations and reviews vetoes.
pub const PARTY_READERS: &[Role] = &[CommunityAdmin, UnitLiaison, DistrictDepartment, CityCivilAffairs];
/// Seats, agreements and commitments, confirmations, evaluations, cadre reviews, vetoes.
pub const PARTY_SECRETARIES: &[Role] = &[CommunityAdmin];
/// A unit's liaison officer reports fulfilment and replies to evaluations and reviews.
pub const PARTY_UNITS: &[Role] = &[UnitLiaison];
/// The district reviews vetoes (its party organisation department, see [`party_district`]).
pub const PARTY_DISTRICT: &[Role] = &[DistrictDepartment];

/// Community social organisations, their federation and purchases of services (issue 17):
/// the registry and the projects are read by the community's staff, the district, the city
/// and the organisations' own log-ins (their own organisation's writes only, see
/// `actions::orgs::own_org`).
pub const ORG_READERS: &[Role] =
    &[FrontDesk, BackOffice, CommunityAdmin, DistrictDepartment, CityCivilAffairs, Organisation];
/// The community records organisations and binds their log-ins; confirms service records,
/// evaluates projects and pays instalments from its service-purchase fund.
pub const ORG_COMMUNITY: &[Role] = &[CommunityAdmin];
/// An organisation's record, members, activities and annual report: its community or its own log-in.
pub const ORG_KEEPERS: &[Role] = &[CommunityAdmin, Organisation];
/// The district: local thresholds, inspection years, decisions, reminders, catalogue, budget lines.
pub const ORG_DISTRICT: &[Role] = &[DistrictDepartment];
/// Who records a purchase for a buyer (a state organ, rule 5.1): the district's departments
/// and the community acting for them.
pub const PURCHASE_BUYERS: &[Role] = &[CommunityAdmin, DistrictDepartment];
/// An organisation's own log-in: applications and service records.
pub const ORG_SELF: &[Role] = &[Organisation];

/// The logged-in user as the policy sees them.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub community: Option<String>,
    pub district: Option<String>,
    /// The department a department account is (铜官区财政局); see [`applicant`].
    pub department: Option<String>,
    pub csrf: String,
}

impl Principal {
    /// The (community, district) filter every list query must apply.
    pub fn scope(&self) -> (Option<String>, Option<String>) {
        match self.role.scope_level() {
            ScopeLevel::Community => (Some(self.community.clone().unwrap_or_default()), None),
            ScopeLevel::District => (None, Some(self.district.clone().unwrap_or_default())),
            ScopeLevel::City => (None, None),
        }
    }

    /// May this principal touch a row of this community and district?
    pub fn can_reach(&self, community: &str, district: &str) -> bool {
        match self.role.scope_level() {
            ScopeLevel::Community => self.community.as_deref() == Some(community),
            ScopeLevel::District => self.district.as_deref() == Some(district),
            ScopeLevel::City => true,
        }
    }

    pub fn actor(&self) -> String {
        format!("{}#{}", self.username, self.user_id)
    }
}

pub const SESSION_COOKIE: &str = "shequ_session";

pub use crate::http::cookie;

/// A page the guard refused to a logged-in user whose role may not open it;
/// the router answers it with a page saying so.
#[derive(Debug, Clone)]
pub struct PageRefused {
    pub lang: Lang,
    pub path: String,
    pub principal: Principal,
}

// ---- Scope of district records, and the role- and stage-deciding helpers ----

impl Principal {
    /// May this principal touch a record of a district as a whole (`None`: of the city)?
    /// The city reaches every district; a district role its own; a community role none.
    pub fn can_reach_district(&self, district: Option<&str>) -> bool {
        match self.role.scope_level() {
            ScopeLevel::City => true,
            ScopeLevel::District => district.is_some() && self.district.as_deref() == district,
            ScopeLevel::Community => false,
        }
    }

    /// Is this the district's finance bureau (财政局), which allocates (核拨) and approves money?
    pub fn is_finance_bureau(&self) -> bool {
        self.role == DistrictDepartment && self.department.as_deref().is_some_and(is_finance_bureau)
    }
}

/// What a finance bureau's name ends with (铜官区财政局).
pub const FINANCE_BUREAU: &str = "财政局";

/// Is this department the finance bureau? Its account's department names it.
pub fn is_finance_bureau(department: &str) -> bool {
    department.trim().ends_with(FINANCE_BUREAU)
}

/// Only the finance bureau among the district's departments moves the district's money:
/// allocations (核拨), period closing, reversals.
pub fn finance_bureau(me: &Principal) -> Result<(), ApiError> {
    if me.is_finance_bureau() { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// What the district's party organisation department's name ends with (铜官区委组织部).
pub const ORGANISATION_DEPARTMENT: &str = "组织部";

impl Principal {
    /// Is this the district's party organisation department, which receives cadre
    /// reviews and reviews vetoes? Its account's department names it.
    pub fn is_party_district(&self) -> bool {
        self.role == DistrictDepartment
            && self.department.as_deref().is_some_and(|d| d.trim().ends_with(ORGANISATION_DEPARTMENT))
    }

    /// May this principal read cadre promotion reviews (personal data) at all: the
    /// community's party organisation, a unit's liaison (its own unit's) and the
    /// district's organisation department; nobody else.
    pub fn reads_cadre_reviews(&self) -> bool {
        matches!(self.role, CommunityAdmin | UnitLiaison) || self.is_party_district()
    }
}

/// Only the district's organisation department reviews a veto.
pub fn party_district(me: &Principal) -> Result<(), ApiError> {
    if me.is_party_district() { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// The engine role a user acts in on a case.
pub fn engine_role(r: Role) -> Option<cases::Role> {
    Some(match r {
        FrontDesk => cases::Role::FrontDesk,
        BackOffice | DistrictDepartment => cases::Role::Handler,
        CommunityAdmin => cases::Role::Supervisor,
        Resident => cases::Role::Resident,
        Provider => cases::Role::Provider,
        _ => return None,
    })
}

/// Which approval step of a claim the principal gives: the community head
/// first, the district's finance bureau second; nobody else approves.
pub fn stage_of(me: &Principal) -> Result<store::finance::Stage, ApiError> {
    match me.role {
        CommunityAdmin => Ok(store::finance::Stage::Head),
        DistrictDepartment if me.is_finance_bureau() => Ok(store::finance::Stage::District),
        _ => Err(ApiError::Forbidden),
    }
}

/// The department filing an access application: the one the account says it
/// is, never a name typed into the form.
pub fn applicant(me: &Principal) -> Result<store::lists::Applicant, ApiError> {
    let department = me.department.as_deref().map(str::trim).filter(|d| !d.is_empty()).ok_or_else(|| {
        ApiError::invalid(
            "department",
            "您的账号未登记所属部门，请联系系统管理员",
            "your account names no department; ask the system administrator",
        )
    })?;
    let level = if me.role == DistrictDepartment { lists::DeptLevel::District } else { lists::DeptLevel::City };
    Ok(store::lists::Applicant {
        actor: me.actor(),
        department: department.to_string(),
        level,
        district: me.district.clone(),
    })
}

/// Does this registry user name the provider's district (the city), or is it their own?
pub fn names_provider_district(me: &Principal) -> bool {
    me.role == CityCivilAffairs
}

/// The district a provider registry user works in: their own, or (the city) the one they name.
pub fn provider_input(me: &Principal, mut n: store::providers::NewProvider) -> store::providers::NewProvider {
    if !names_provider_district(me) {
        n.district_code = me.district.clone().unwrap_or_default();
    }
    n
}

/// The district whose providers a principal sees (`None`: the whole city).
pub fn provider_district(me: &Principal) -> Option<String> {
    me.scope().1.or(me.district.clone())
}

/// Whose dispatches a principal sees: a provider's worker those of their provider, staff those in scope.
pub fn sees_own_dispatches_only(me: &Principal) -> bool {
    me.role == Provider
}

/// The community a write acts in: the principal's own (a role above a community has none: 403).
pub fn own_community(me: &Principal) -> Result<&str, ApiError> {
    me.community.as_deref().ok_or(ApiError::Forbidden)
}

/// Who raises a deliberation topic: a resident raises as a resident under
/// their own name; an organisation as a resident unit (under its account's
/// name unless it gives one); the committee's administrator as the committee;
/// the front desk records topics from residents, units or the committee.
pub fn topic_input(
    me: &Principal,
    mut n: store::deliberation::NewTopic,
) -> Result<store::deliberation::NewTopic, ApiError> {
    let kind = n.raised_by_kind.trim().to_string();
    match me.role {
        Resident => {
            if !kind.is_empty() && kind != "resident" {
                return Err(ApiError::invalid(
                    "raised_by_kind",
                    "居民只能以个人名义提出议题",
                    "a resident raises topics in their own name",
                ));
            }
            n.raised_by_kind = "resident".into();
            n.raised_by_name = me.display_name.clone();
        }
        Organisation if kind.is_empty() => {
            n.raised_by_kind = "unit".into();
            if n.raised_by_name.trim().is_empty() {
                n.raised_by_name = me.display_name.clone();
            }
        }
        CommunityAdmin if kind.is_empty() => n.raised_by_kind = "committee".into(),
        _ => {}
    }
    if n.raised_by_kind == "committee" && n.raised_by_name.trim().is_empty() {
        n.raised_by_name = "社区居民委员会".into();
    }
    Ok(n)
}

/// A principal for unit tests: this role in this community and district.
#[cfg(test)]
impl Principal {
    pub fn sample(role: Role, community: Option<&str>, district: Option<&str>) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            community: community.map(Into::into),
            district: district.map(Into::into),
            department: None,
            csrf: String::new(),
        }
    }
}

#[cfg(test)]
mod deliberation_tests {
    use super::*;
    use store::deliberation::NewTopic;

    fn who(role: Role) -> Principal {
        Principal { display_name: "王芳".into(), ..Principal::sample(role, Some("340705402"), Some("340705")) }
    }

    fn raised(kind: &str, name: &str) -> NewTopic {
        NewTopic { title: "t".into(), raised_by_kind: kind.into(), raised_by_name: name.into(), ..Default::default() }
    }

    #[test]
    fn a_resident_raises_only_in_their_own_name() {
        let n = topic_input(&who(Resident), raised("", "别人")).unwrap();
        assert_eq!((n.raised_by_kind.as_str(), n.raised_by_name.as_str()), ("resident", "王芳"));
        assert!(matches!(topic_input(&who(Resident), raised("unit", "某公司")), Err(ApiError::Invalid { .. })));
    }

    #[test]
    fn units_and_the_committee_are_named_by_default() {
        let n = topic_input(&who(Organisation), raised("", "")).unwrap();
        assert_eq!((n.raised_by_kind.as_str(), n.raised_by_name.as_str()), ("unit", "王芳"));
        let n = topic_input(&who(CommunityAdmin), raised("", "")).unwrap();
        assert_eq!((n.raised_by_kind.as_str(), n.raised_by_name.as_str()), ("committee", "社区居民委员会"));
        // The front desk records what the resident or unit said, as given.
        let n = topic_input(&who(FrontDesk), raised("unit", "铜陵某公司")).unwrap();
        assert_eq!((n.raised_by_kind.as_str(), n.raised_by_name.as_str()), ("unit", "铜陵某公司"));
    }

    #[test]
    fn a_write_acts_in_the_principals_own_community() {
        assert_eq!(own_community(&who(FrontDesk)).unwrap(), "340705402");
        let mut district = who(DistrictDepartment);
        district.community = None;
        assert!(matches!(own_community(&district), Err(ApiError::Forbidden)));
    }
}

/// The session lookup failed (the database did not answer): not "logged out", but 503.
pub fn session_unavailable() -> Response {
    ApiError::Unavailable.into_response()
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    fn who(role: Role, department: Option<&str>) -> Principal {
        Principal {
            display_name: "周涛（铜陵市公安局）".into(),
            department: department.map(Into::into),
            ..Principal::sample(role, None, Some("340705"))
        }
    }

    #[test]
    fn only_the_finance_bureau_allocates_and_approves_as_the_district() {
        let finance = who(DistrictDepartment, Some("铜官区财政局"));
        let civil = who(DistrictDepartment, Some("铜官区民政局"));
        let none = who(DistrictDepartment, None);
        assert!(finance_bureau(&finance).is_ok());
        assert!(matches!(stage_of(&finance), Ok(store::finance::Stage::District)));
        for p in [&civil, &none] {
            assert!(matches!(finance_bureau(p), Err(ApiError::Forbidden)));
            assert!(matches!(stage_of(p), Err(ApiError::Forbidden)));
        }
        // A city role named after the finance bureau is still not the district's finance bureau.
        assert!(!who(CityCivilAffairs, Some("铜陵市财政局")).is_finance_bureau());
        assert!(matches!(stage_of(&who(CommunityAdmin, None)), Ok(store::finance::Stage::Head)));
    }

    #[test]
    fn the_applicant_is_the_accounts_department_not_the_display_name() {
        let a = applicant(&who(DistrictDepartment, Some("铜官区民政局"))).unwrap();
        assert_eq!(a.department, "铜官区民政局");
        assert_eq!(a.level, lists::DeptLevel::District);
        assert!(matches!(applicant(&who(DistrictDepartment, None)), Err(ApiError::Invalid { .. })));
        assert!(matches!(applicant(&who(DistrictDepartment, Some("  "))), Err(ApiError::Invalid { .. })));
    }

    #[test]
    fn only_the_organisation_department_reads_cadre_reviews_for_the_district() {
        let zz = who(DistrictDepartment, Some("铜官区委组织部"));
        assert!(zz.is_party_district() && zz.reads_cadre_reviews() && party_district(&zz).is_ok());
        let finance = who(DistrictDepartment, Some("铜官区财政局"));
        assert!(!finance.reads_cadre_reviews() && matches!(party_district(&finance), Err(ApiError::Forbidden)));
        assert!(!who(CityCivilAffairs, Some("铜陵市委组织部")).reads_cadre_reviews());
        assert!(who(UnitLiaison, None).reads_cadre_reviews());
    }

    #[test]
    fn engine_roles() {
        assert_eq!(engine_role(DistrictDepartment), Some(cases::Role::Handler));
        assert_eq!(engine_role(Auditor), None);
    }

    #[test]
    fn a_district_registry_user_cannot_register_for_another_district() {
        let n = store::providers::NewProvider { district_code: "340706".into(), ..Default::default() };
        assert_eq!(provider_input(&who(DistrictDepartment, None), n).district_code, "340705");
    }
}
