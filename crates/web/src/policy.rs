//! Who may do what: decided here and only here.
//!
//! Every route is declared once in [`ROUTES`] with its access rule. The
//! router refuses to start if a route lacks an entry ([`crate::app::route`]),
//! and [`guard`] enforces the rule before any handler runs. Scope (which
//! community or district a principal may touch) is decided by
//! [`Principal::can_reach`] and [`Principal::scope`].

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
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

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub kind: Kind,
    pub summary: &'static str,
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
pub const COMMITTEE_WRITERS: &[Role] = &[CommunityAdmin, CityCivilAffairs];
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
/// A resident's own notifications.
pub const NOTIFICATION_READERS: &[Role] = &[Resident];

const fn r(method: &'static str, path: &'static str, access: Access, kind: Kind, summary: &'static str) -> RouteSpec {
    RouteSpec { method, path, access, kind, summary }
}

use Access::{Authenticated as A, Public as P, Roles as R};
use Kind::{Api, Ops, Page};

pub const ROUTES: &[RouteSpec] = &[
    // Operations
    r("GET", "/healthz", P, Ops, "Liveness"),
    r("GET", "/readyz", P, Ops, "Readiness: the database answers"),
    r("GET", "/metrics", P, Ops, "Prometheus metrics"),
    r("GET", "/api/openapi.json", P, Ops, "This OpenAPI document"),
    r("GET", "/assets/{*file}", P, Ops, "Static assets"),
    r("GET", "/lang", P, Ops, "Switch the interface language"),
    // Public pages
    r("GET", "/", P, Page, "City home: districts, communities, service centers"),
    r("GET", "/communities/{code}", P, Page, "A community's public page"),
    r("GET", "/functions", P, Page, "Functions register of the abolished street offices"),
    r("GET", "/dashboard", P, Page, "City dashboard: the burden on communities, computed live"),
    r("GET", "/login", P, Page, "Log-in form"),
    r("POST", "/login", P, Page, "Log in"),
    r("POST", "/logout", A, Page, "Log out"),
    // Staff pages
    r("GET", "/residents", R(REGISTRY_READERS), Page, "Residents registry: search, filter, page"),
    r("GET", "/residents/new", R(REGISTRY_WRITERS), Page, "Form: register a resident"),
    r("POST", "/residents", R(REGISTRY_WRITERS), Page, "Register a resident"),
    r("GET", "/residents/import", R(REGISTRY_WRITERS), Page, "Form: import residents from CSV or XLSX"),
    r("POST", "/residents/import", R(REGISTRY_WRITERS), Page, "Import residents"),
    r("GET", "/residents/import/{id}", R(REGISTRY_WRITERS), Page, "Import result with every rejected row"),
    r("GET", "/residents/export", R(REGISTRY_EXPORTERS), Page, "Export residents (CSV or XLSX, ID numbers masked)"),
    r("GET", "/residents/{id}", R(REGISTRY_READERS), Page, "One resident"),
    r("POST", "/residents/{id}/reveal", R(REGISTRY_WRITERS), Page, "Show the full ID number (audited)"),
    r("GET", "/units", R(UNIT_READERS), Page, "Resident units (驻区单位)"),
    r("POST", "/units", R(UNIT_WRITERS), Page, "Register a resident unit"),
    r("GET", "/staff", R(STAFF_READERS), Page, "Staff and their roles"),
    r("POST", "/communities/{code}/committee", R(COMMITTEE_WRITERS), Page, "Record a residents' committee roster"),
    r("GET", "/audit", R(AUDIT_READERS), Page, "Audit log viewer"),
    r("GET", "/pb", R(PB_READERS), Page, "Community service projects chosen by residents"),
    r("POST", "/pb", R(PB_ORGANISERS), Page, "Open a call for projects"),
    r("GET", "/pb/{id}", R(PB_READERS), Page, "A call: proposals, review, voting, results"),
    r("POST", "/pb/{id}/projects", R(PB_PROPOSERS), Page, "Propose a project"),
    r("POST", "/pb/{id}/advance", R(PB_ORGANISERS), Page, "Move a call to its next phase"),
    r("POST", "/pb/{id}/ballots", R(PB_VOTERS), Page, "Cast a ballot"),
    r("POST", "/pb/{id}/paper-ballots", R(PB_CLERKS), Page, "Enter a paper ballot"),
    r("POST", "/pb/projects/{id}/review", R(PB_ORGANISERS), Page, "Review a proposal"),
    r("GET", "/pb/projects/{id}", R(PB_READERS), Page, "A selected project: milestones, spending, rating"),
    r("POST", "/pb/projects/{id}/milestones", R(PB_ORGANISERS), Page, "Add a milestone"),
    r("POST", "/pb/milestones/{id}/complete", R(PB_ORGANISERS), Page, "Mark a milestone done"),
    r("POST", "/pb/projects/{id}/evaluations", R(PB_VOTERS), Page, "Rate a finished project"),
    r("GET", "/deliberation", R(DELIB_READERS), Page, "Resident deliberation: topics, meetings, petitions, follow-ups"),
    r("POST", "/deliberation/topics", R(DELIB_RAISERS), Page, "Raise a topic"),
    r("GET", "/deliberation/topics/{id}", R(DELIB_READERS), Page, "A topic with its discussion and resolutions"),
    r("POST", "/deliberation/topics/{id}/comments", R(DELIB_DISCUSSANTS), Page, "Speak on a topic"),
    r(
        "POST",
        "/deliberation/topics/{id}/close",
        R(DELIB_CHAIRS),
        Page,
        "Close a topic (important questions: only by a residents' meeting)",
    ),
    r("POST", "/deliberation/meetings", R(DELIB_CHAIRS), Page, "Convene a council or residents' meeting"),
    r(
        "GET",
        "/deliberation/meetings/{id}",
        R(DELIB_READERS),
        Page,
        "A meeting: agenda, attendance, minutes, resolutions",
    ),
    r("POST", "/deliberation/meetings/{id}/attendance", R(DELIB_CHAIRS), Page, "Record attendance"),
    r("POST", "/deliberation/meetings/{id}/minutes", R(DELIB_CHAIRS), Page, "Record minutes"),
    r("POST", "/deliberation/meetings/{id}/resolutions", R(DELIB_CHAIRS), Page, "Record a vote"),
    r("POST", "/deliberation/petitions", R(DELIB_CLERKS), Page, "Record a petition to convene a residents' meeting"),
    r("POST", "/deliberation/followups", R(DELIB_CHAIRS), Page, "Add a follow-up action"),
    r("POST", "/deliberation/followups/{id}/done", R(DELIB_CHAIRS), Page, "Mark a follow-up done"),
    r("GET", "/communities/{code}/record", P, Page, "A community's public record of meetings and resolutions"),
    r("GET", "/cases", R(CASE_READERS), Page, "One-stop service center: counter intake and the back-office queue"),
    r("POST", "/cases", R(CASE_INTAKE), Page, "Take a case at the counter"),
    r("GET", "/cases/{id}", R(CASE_READERS), Page, "A case: history timeline, deadline, actions"),
    r("POST", "/cases/{id}/events", R(CASE_HANDLERS), Page, "Apply an event to a case"),
    r("GET", "/cases/new", R(CASE_INTAKE), Page, "Full counter intake: an item's questions and materials"),
    r("POST", "/cases/{id}/attachments", R(CASE_HANDLERS), Page, "Attach a file (JPEG/PNG/PDF, checksummed) to a case"),
    r("GET", "/cases/{id}/attachments/{aid}", R(CASE_READERS), Page, "Download a case's file (checksum verified)"),
    r("POST", "/cases/{id}/link", R(CASE_INTAKE), Page, "Link a case to the earlier case it duplicates"),
    r("GET", "/service/stats", R(CASE_READERS), Page, "Service center statistics for the user's scope"),
    r("GET", "/service/items", R(CASE_READERS), Page, "The city's service items and the ones this community adopted"),
    r("POST", "/service/items", R(CASE_ITEM_ADMINS), Page, "Set the items this community's service center takes"),
    r("GET", "/service/league", P, Page, "Public: the city's service figures and the league table of handling units"),
    r("GET", "/me/cases", R(CASE_RESIDENTS), Page, "A resident's own requests, and the online request form"),
    r("POST", "/me/cases", R(CASE_RESIDENTS), Page, "A resident makes a request online"),
    r("GET", "/me/cases/{id}", R(CASE_RESIDENTS), Page, "A resident's own request: progress and rating"),
    r("POST", "/me/cases/{id}/rate", R(CASE_RESIDENTS), Page, "A resident rates a resolved request"),
    r("GET", "/stewards", R(STEWARD_READERS), Page, "Stewards (管家计划): volunteers, areas, issues"),
    r("POST", "/stewards", R(STEWARD_VOLUNTEERS), Page, "Volunteer as steward of a building or area"),
    r("POST", "/stewards/{id}/decide", R(STEWARD_APPROVERS), Page, "Approve or reject a steward"),
    r("POST", "/stewards/issues", R(STEWARD_VOLUNTEERS), Page, "Raise an issue for the steward's area"),
    r("POST", "/stewards/issues/{id}/status", R(STEWARD_DESK), Page, "Forward or close a steward's issue"),
    r("GET", "/finance", R(FIN_READERS), Page, "Community finance: funds, claims, allocations"),
    r("POST", "/finance/claims", R(FIN_CLAIMANTS), Page, "File a reimbursement claim (multipart, optional voucher)"),
    r("POST", "/finance/claims/{id}/approve", R(FIN_APPROVERS), Page, "Approve a claim; the final approval pays it"),
    r("POST", "/finance/claims/{id}/reject", R(FIN_APPROVERS), Page, "Reject a claim with a reason"),
    r("GET", "/finance/vouchers/{id}", R(FIN_READERS), Page, "Download a claim's voucher"),
    r("POST", "/finance/allocations", R(FIN_ALLOCATORS), Page, "Allocate funds to a community"),
    r("GET", "/finance/district", R(FIN_DISTRICT_READERS), Page, "A district's communities side by side for a quarter"),
    r("GET", "/communities/{code}/finance", P, Page, "A community's public accounts for a quarter (居务公开)"),
    r("GET", "/communities/{code}/finance.xlsx", P, Page, "A community's public accounts as XLSX"),
    r(
        "GET",
        "/hotline",
        R(HOTLINE_OPERATORS),
        Page,
        "2881890 hotline console: find the caller by phone (?phone=), quick-create, dispatch",
    ),
    r("POST", "/hotline/cases", R(HOTLINE_OPERATORS), Page, "Take a hotline case for the caller"),
    r("POST", "/cases/{id}/dispatch", R(HOTLINE_OPERATORS), Page, "Dispatch a case to a provider"),
    r("GET", "/provider", R(PROVIDER_WORKERS), Page, "A provider's dispatches: accept, decline, arrive, complete"),
    r("POST", "/provider/dispatches/{id}/accept", R(PROVIDER_WORKERS), Page, "Accept a dispatch"),
    r("POST", "/provider/dispatches/{id}/decline", R(PROVIDER_WORKERS), Page, "Decline a dispatch with a reason"),
    r("POST", "/provider/dispatches/{id}/arrive", R(PROVIDER_WORKERS), Page, "Record arrival on site"),
    r("POST", "/provider/dispatches/{id}/complete", R(PROVIDER_WORKERS), Page, "Record completion with a summary"),
    r("GET", "/providers", R(PROVIDER_READERS), Page, "Service providers of the district"),
    r("POST", "/providers", R(PROVIDER_ADMINS), Page, "Register a service provider"),
    r("GET", "/providers/performance", R(PROVIDER_ADMINS), Page, "Performance per provider"),
    r("GET", "/outbox", R(OUTBOX_READERS), Page, "Notifications queued for residents, providers and staff"),
    r("GET", "/me/notifications", R(NOTIFICATION_READERS), Page, "A resident's own notifications"),
    // JSON API
    r("POST", "/api/v1/session", P, Api, "Log in; returns the CSRF token for later writes"),
    r("DELETE", "/api/v1/session", A, Api, "Log out"),
    r("GET", "/api/v1/me", A, Api, "The logged-in user"),
    r("GET", "/api/v1/districts", P, Api, "Districts with their GB/T 2260 codes and history"),
    r("GET", "/api/v1/communities", P, Api, "Big communities"),
    r("GET", "/api/v1/communities/{code}", P, Api, "A community with its bodies, groups and units count"),
    r("PUT", "/api/v1/communities/{code}/committee", R(COMMITTEE_WRITERS), Api, "Record a residents' committee roster"),
    r("GET", "/api/v1/functions", P, Api, "Functions register"),
    r("GET", "/api/v1/residents", R(REGISTRY_READERS), Api, "Residents, filtered and paged by keyset"),
    r("POST", "/api/v1/residents", R(REGISTRY_WRITERS), Api, "Register a resident"),
    r("POST", "/api/v1/residents/import", R(REGISTRY_WRITERS), Api, "Import residents (multipart file: CSV or XLSX)"),
    r("GET", "/api/v1/residents/import/{id}", R(REGISTRY_WRITERS), Api, "An import's result"),
    r("GET", "/api/v1/residents/{id}", R(REGISTRY_READERS), Api, "One resident (ID number masked)"),
    r("POST", "/api/v1/residents/{id}/reveal", R(REGISTRY_WRITERS), Api, "The full ID number (audited)"),
    r("GET", "/api/v1/units", R(UNIT_READERS), Api, "Resident units"),
    r("POST", "/api/v1/units", R(UNIT_WRITERS), Api, "Register a resident unit"),
    r("GET", "/api/v1/staff", R(STAFF_READERS), Api, "Staff in scope"),
    r("GET", "/api/v1/audit", R(AUDIT_READERS), Api, "Audit entries, newest first"),
    r("GET", "/api/v1/audit/verify", R(AUDIT_READERS), Api, "Verify the audit hash chain"),
    r("GET", "/api/v1/pb/calls", R(PB_READERS), Api, "Calls for community service projects"),
    r("POST", "/api/v1/pb/calls", R(PB_ORGANISERS), Api, "Open a call"),
    r("GET", "/api/v1/pb/calls/{id}", R(PB_READERS), Api, "A call with its projects, tally and result"),
    r("POST", "/api/v1/pb/calls/{id}/projects", R(PB_PROPOSERS), Api, "Propose a project"),
    r("POST", "/api/v1/pb/calls/{id}/advance", R(PB_ORGANISERS), Api, "Next phase; closing the vote runs the rule"),
    r("POST", "/api/v1/pb/calls/{id}/ballots", R(PB_VOTERS), Api, "Cast a ballot"),
    r("POST", "/api/v1/pb/calls/{id}/paper-ballots", R(PB_CLERKS), Api, "Enter a paper ballot"),
    r("POST", "/api/v1/pb/projects/{id}/review", R(PB_ORGANISERS), Api, "Review a proposal"),
    r("GET", "/api/v1/pb/projects/{id}", R(PB_READERS), Api, "A project's execution: milestones, spending, rating"),
    r("POST", "/api/v1/pb/projects/{id}/milestones", R(PB_ORGANISERS), Api, "Add a milestone"),
    r("POST", "/api/v1/pb/milestones/{id}/complete", R(PB_ORGANISERS), Api, "Mark a milestone done"),
    r("POST", "/api/v1/pb/projects/{id}/evaluations", R(PB_VOTERS), Api, "Rate a finished project (once per resident)"),
    r("GET", "/api/v1/deliberation/topics", R(DELIB_READERS), Api, "Deliberation topics in scope"),
    r("POST", "/api/v1/deliberation/topics", R(DELIB_RAISERS), Api, "Raise a topic"),
    r(
        "GET",
        "/api/v1/deliberation/topics/{id}",
        R(DELIB_READERS),
        Api,
        "A topic with comments, meetings and resolutions",
    ),
    r("POST", "/api/v1/deliberation/topics/{id}/comments", R(DELIB_DISCUSSANTS), Api, "Speak on a topic"),
    r(
        "POST",
        "/api/v1/deliberation/topics/{id}/close",
        R(DELIB_CHAIRS),
        Api,
        "Close a topic (important questions: only by a passed residents' meeting resolution)",
    ),
    r("GET", "/api/v1/deliberation/meetings", R(DELIB_READERS), Api, "Meetings in scope"),
    r("POST", "/api/v1/deliberation/meetings", R(DELIB_CHAIRS), Api, "Convene a council or residents' meeting"),
    r("GET", "/api/v1/deliberation/meetings/{id}", R(DELIB_READERS), Api, "A meeting with agenda and resolutions"),
    r("POST", "/api/v1/deliberation/meetings/{id}/attendance", R(DELIB_CHAIRS), Api, "Record attendance"),
    r("POST", "/api/v1/deliberation/meetings/{id}/minutes", R(DELIB_CHAIRS), Api, "Record minutes"),
    r(
        "POST",
        "/api/v1/deliberation/meetings/{id}/resolutions",
        R(DELIB_CHAIRS),
        Api,
        "Record a vote (quorum and majority per 居组法 Art 9)",
    ),
    r("GET", "/api/v1/deliberation/petitions", R(DELIB_READERS), Api, "Petitions, with the community's totals"),
    r(
        "POST",
        "/api/v1/deliberation/petitions",
        R(DELIB_CLERKS),
        Api,
        "Record a petition; at a threshold of Art 10 a convene follow-up is created",
    ),
    r("GET", "/api/v1/deliberation/followups", R(DELIB_READERS), Api, "Follow-up actions"),
    r("POST", "/api/v1/deliberation/followups", R(DELIB_CHAIRS), Api, "Add a follow-up action"),
    r("POST", "/api/v1/deliberation/followups/{id}/done", R(DELIB_CHAIRS), Api, "Mark a follow-up done"),
    r("GET", "/api/v1/communities/{code}/record", P, Api, "A community's public record of meetings and resolutions"),
    r("GET", "/open311/v2/discovery.json", P, Api, "Open311 GeoReport v2 (JSON): discovery"),
    r("GET", "/open311/v2/services.json", P, Api, "Open311 GeoReport v2 (JSON): services offered (?jurisdiction_id=)"),
    r(
        "GET",
        "/open311/v2/requests.json",
        P,
        Api,
        "Open311 GeoReport v2 (JSON): search requests (service_request_id, service_code, start_date, end_date, status)",
    ),
    r(
        "POST",
        "/open311/v2/requests.json",
        P,
        Api,
        "Open311 GeoReport v2 (JSON): post a request (form-encoded, api_key checked by the handler); becomes a case",
    ),
    r("GET", "/open311/v2/discovery.xml", P, Api, "Open311 GeoReport v2 (XML): discovery"),
    r("GET", "/open311/v2/services.xml", P, Api, "Open311 GeoReport v2 (XML): services offered (?jurisdiction_id=)"),
    r(
        "GET",
        "/open311/v2/requests.xml",
        P,
        Api,
        "Open311 GeoReport v2 (XML): search requests (service_request_id, service_code, start_date, end_date, status)",
    ),
    r(
        "POST",
        "/open311/v2/requests.xml",
        P,
        Api,
        "Open311 GeoReport v2 (XML): post a request (form-encoded, api_key checked by the handler); becomes a case",
    ),
    r(
        "GET",
        "/open311/v2/services/{file}",
        P,
        Api,
        "Open311 GeoReport v2: a service definition ({service_code}.json|.xml)",
    ),
    r(
        "GET",
        "/open311/v2/requests/{file}",
        P,
        Api,
        "Open311 GeoReport v2: one request ({service_request_id}.json|.xml)",
    ),
    r(
        "GET",
        "/open311/v2/tokens/{file}",
        P,
        Api,
        "Open311 GeoReport v2: the request a token stands for ({token}.json|.xml)",
    ),
    r("GET", "/api/v1/service-items", P, Api, "The service items catalogue (事项目录)"),
    r(
        "GET",
        "/api/v1/cases",
        R(CASE_READERS),
        Api,
        "Cases in scope (optionally ?queue=) with computed deadline and overdue flag",
    ),
    r("POST", "/api/v1/cases", R(CASE_INTAKE), Api, "Take a case at the counter: accepted, routed to its lead queue"),
    r(
        "POST",
        "/api/v1/cases/{id}/link",
        R(CASE_INTAKE),
        Api,
        "Link a case to the earlier case it duplicates ({original})",
    ),
    r("POST", "/api/v1/cases/{id}/attachments", R(CASE_HANDLERS), Api, "Attach a file (multipart field `file`)"),
    r("GET", "/api/v1/service/stats", R(CASE_READERS), Api, "Service center statistics for the caller's scope"),
    r(
        "GET",
        "/api/v1/service/adopted",
        R(CASE_COMMUNITY_STAFF),
        Api,
        "The service items the caller's community adopted",
    ),
    r(
        "POST",
        "/api/v1/service/adopted",
        R(CASE_ITEM_ADMINS),
        Api,
        "Set the community's adopted items ({items: [code…]})",
    ),
    r("GET", "/api/v1/service/league", P, Api, "Public: city service figures and the league table of handling units"),
    r("GET", "/api/v1/me/cases", R(CASE_RESIDENTS), Api, "A resident's own requests"),
    r("POST", "/api/v1/me/cases", R(CASE_RESIDENTS), Api, "A resident makes a request (channel web)"),
    r(
        "GET",
        "/api/v1/cases/{id}",
        R(CASE_READERS),
        Api,
        "A case with its history, SLA and the events the caller may trigger",
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/events",
        R(CASE_HANDLERS),
        Api,
        "Apply an event to a case (start, resolve, send_back…)",
    ),
    r("GET", "/api/v1/stewards", R(STEWARD_READERS), Api, "Stewards in scope"),
    r("POST", "/api/v1/stewards", R(STEWARD_VOLUNTEERS), Api, "Volunteer as steward"),
    r("POST", "/api/v1/stewards/{id}/decide", R(STEWARD_APPROVERS), Api, "Approve or reject a steward"),
    r(
        "GET",
        "/api/v1/stewards/issues",
        R(STEWARD_READERS),
        Api,
        "Stewards' issues (a steward: their area's open issues)",
    ),
    r("POST", "/api/v1/stewards/issues", R(STEWARD_VOLUNTEERS), Api, "Raise an issue for the steward's area"),
    r("POST", "/api/v1/stewards/issues/{id}/status", R(STEWARD_DESK), Api, "Forward or close a steward's issue"),
    r("GET", "/api/v1/finance/accounts", R(FIN_READERS), Api, "Ledger accounts in scope with their balances"),
    r("GET", "/api/v1/finance/transactions", R(FIN_READERS), Api, "Ledger transactions in scope, newest first"),
    r("POST", "/api/v1/finance/allocations", R(FIN_ALLOCATORS), Api, "Allocate funds to a community (idempotency key)"),
    r("GET", "/api/v1/finance/claims", R(FIN_READERS), Api, "Reimbursement claims in scope"),
    r("POST", "/api/v1/finance/claims", R(FIN_CLAIMANTS), Api, "File a reimbursement claim"),
    r("GET", "/api/v1/finance/claims/{id}", R(FIN_READERS), Api, "A claim with its vouchers"),
    r(
        "POST",
        "/api/v1/finance/claims/{id}/approve",
        R(FIN_APPROVERS),
        Api,
        "Approve a claim; the final approval pays it",
    ),
    r("POST", "/api/v1/finance/claims/{id}/reject", R(FIN_APPROVERS), Api, "Reject a claim with a reason"),
    r("POST", "/api/v1/finance/claims/{id}/vouchers", R(FIN_CLAIMANTS), Api, "Attach a voucher (the body is the file)"),
    r("POST", "/api/v1/finance/transfers", R(FIN_TREASURERS), Api, "Move money between the community's funds"),
    r("POST", "/api/v1/finance/closings", R(FIN_ALLOCATORS), Api, "Close a month or year of a community's books"),
    r("POST", "/api/v1/finance/transactions/{id}/reverse", R(FIN_ALLOCATORS), Api, "Reverse a transaction exactly"),
    r("GET", "/api/v1/finance/district", R(FIN_DISTRICT_READERS), Api, "A district's communities side by side"),
    r("GET", "/api/v1/communities/{code}/finance", P, Api, "A community's public accounts for a quarter"),
    r("GET", "/lists", P, Page, "The four community lists in force"),
    r("GET", "/lists/{kind}", P, Page, "One list: versions and the diff between two"),
    r("GET", "/lists/{kind}/export.xlsx", P, Page, "A list version as XLSX (?version=, default the newest)"),
    r("GET", "/lists/{kind}/drafts", R(LIST_EDITORS), Page, "Open drafts of a list, and opening a new one"),
    r(
        "POST",
        "/lists/{kind}/drafts",
        R(LIST_EDITORS),
        Page,
        "Open a draft: a copy of the version in force with the next version number",
    ),
    r(
        "GET",
        "/lists/{kind}/drafts/{version}",
        R(LIST_EDITORS),
        Page,
        "A draft with its entries and the forms to edit, review and publish it",
    ),
    r("POST", "/lists/{kind}/drafts/{version}/entries", R(LIST_EDITORS), Page, "Add an entry to a draft"),
    r("POST", "/lists/{kind}/drafts/{version}/entries/{entry}", R(LIST_EDITORS), Page, "Replace an entry of a draft"),
    r(
        "POST",
        "/lists/{kind}/drafts/{version}/entries/{entry}/remove",
        R(LIST_EDITORS),
        Page,
        "Remove an entry from a draft",
    ),
    r(
        "POST",
        "/lists/{kind}/drafts/{version}/import",
        R(LIST_EDITORS),
        Page,
        "Import entries into a draft from XLSX (multipart; rejected rows listed)",
    ),
    r("POST", "/lists/{kind}/drafts/{version}/review", R(LIST_EDITORS), Page, "Review a draft (validates its entries)"),
    r(
        "POST",
        "/lists/{kind}/drafts/{version}/publish",
        R(LIST_EDITORS),
        Page,
        "Publish a reviewed draft with its effective date",
    ),
    r("GET", "/access", R(ACCESS_READERS), Page, "Access applications: file (department), review queue (city), burden"),
    r("POST", "/access", R(ACCESS_APPLICANTS), Page, "File an access application (automatic checks run)"),
    r("GET", "/access/{id}", R(ACCESS_READERS), Page, "An application with its check report"),
    r("POST", "/access/{id}/decide", R(ACCESS_REVIEWERS), Page, "Approve (number, expiry) or reject an application"),
    r("GET", "/tasks", R(TASK_READERS), Page, "Tasks that reached the community, with refusal of unapproved ones"),
    r("POST", "/tasks", R(TASK_PUSHERS), Page, "Record work pushed without approval"),
    r("POST", "/tasks/{id}/refuse", R(TASK_REFUSERS), Page, "Refuse a task without an approval in force"),
    r("GET", "/api/v1/lists", P, Api, "The four lists in force"),
    r("GET", "/api/v1/lists/{kind}", P, Api, "A list's versions and the diff between two (?from=&to=)"),
    r("GET", "/api/v1/lists/{kind}/drafts", R(LIST_EDITORS), Api, "Open drafts of a list, and opening a new one"),
    r(
        "POST",
        "/api/v1/lists/{kind}/drafts",
        R(LIST_EDITORS),
        Api,
        "Open a draft: a copy of the version in force with the next version number",
    ),
    r(
        "GET",
        "/api/v1/lists/{kind}/drafts/{version}",
        R(LIST_EDITORS),
        Api,
        "A draft with its entries and the forms to edit, review and publish it",
    ),
    r("POST", "/api/v1/lists/{kind}/drafts/{version}/entries", R(LIST_EDITORS), Api, "Add an entry to a draft"),
    r(
        "POST",
        "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}",
        R(LIST_EDITORS),
        Api,
        "Replace an entry of a draft",
    ),
    r(
        "POST",
        "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}/remove",
        R(LIST_EDITORS),
        Api,
        "Remove an entry from a draft",
    ),
    r(
        "POST",
        "/api/v1/lists/{kind}/drafts/{version}/import",
        R(LIST_EDITORS),
        Api,
        "Import entries into a draft from XLSX (the body is the file)",
    ),
    r(
        "POST",
        "/api/v1/lists/{kind}/drafts/{version}/review",
        R(LIST_EDITORS),
        Api,
        "Review a draft (validates its entries)",
    ),
    r(
        "POST",
        "/api/v1/lists/{kind}/drafts/{version}/publish",
        R(LIST_EDITORS),
        Api,
        "Publish a reviewed draft with its effective date",
    ),
    r("GET", "/api/v1/access", R(ACCESS_READERS), Api, "Access applications in scope, with burden counts"),
    r("POST", "/api/v1/access", R(ACCESS_APPLICANTS), Api, "File an access application; returns the check report"),
    r("GET", "/api/v1/access/{id}", R(ACCESS_READERS), Api, "An application, its check report, approval and funding"),
    r("POST", "/api/v1/access/{id}/decide", R(ACCESS_REVIEWERS), Api, "Approve or reject an application"),
    r("GET", "/api/v1/tasks", R(TASK_READERS), Api, "Community tasks in scope"),
    r("POST", "/api/v1/tasks", R(TASK_PUSHERS), Api, "Record work pushed without approval"),
    r("POST", "/api/v1/tasks/{id}/refuse", R(TASK_REFUSERS), Api, "Refuse a task without an approval in force"),
    r(
        "GET",
        "/api/v1/hotline/caller",
        R(HOTLINE_OPERATORS),
        Api,
        "The caller by phone (?phone=): residents and their cases",
    ),
    r("GET", "/api/v1/providers", R(PROVIDER_READERS), Api, "Service providers in scope"),
    r("POST", "/api/v1/providers", R(PROVIDER_ADMINS), Api, "Register a service provider"),
    r("GET", "/api/v1/providers/performance", R(PROVIDER_ADMINS), Api, "Performance per provider"),
    r("POST", "/api/v1/cases/{id}/dispatch", R(HOTLINE_OPERATORS), Api, "Dispatch a case to a provider"),
    r("GET", "/api/v1/dispatches", R(DISPATCH_READERS), Api, "Dispatches: a provider's own, or those in scope"),
    r("POST", "/api/v1/dispatches/{id}/accept", R(PROVIDER_WORKERS), Api, "Accept a dispatch"),
    r("POST", "/api/v1/dispatches/{id}/decline", R(PROVIDER_WORKERS), Api, "Decline a dispatch (reason required)"),
    r("POST", "/api/v1/dispatches/{id}/arrive", R(PROVIDER_WORKERS), Api, "Record arrival; the case goes in progress"),
    r("POST", "/api/v1/dispatches/{id}/complete", R(PROVIDER_WORKERS), Api, "Record completion; the case is resolved"),
    r("GET", "/api/v1/outbox", R(OUTBOX_READERS), Api, "Notifications in scope, newest first"),
];

pub fn spec(method: &str, path: &str) -> Option<&'static RouteSpec> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|s| s.method == method && s.path == path)
}

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

pub fn cookie(req_headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    req_headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        },
    )
}

/// The one gate: find the route's rule, identify the user, check role and
/// CSRF, and pass the principal on to the handler.
pub async fn guard(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map(|m| m.as_str().to_string()).unwrap_or_default();
    let Some(spec) = spec(req.method().as_str(), &path) else {
        // The path exists but not for this method: a form's address opened as a page (a reload,
        // a language switch, history) goes back to the page the form was on.
        if req.method() == Method::GET && !path.starts_with("/api/") {
            let parent = req.uri().path().rsplit_once('/').map(|(p, _)| p).filter(|p| !p.is_empty()).unwrap_or("/");
            return Redirect::to(parent).into_response();
        }
        return (axum::http::StatusCode::METHOD_NOT_ALLOWED, ApiError::Forbidden).into_response();
    };
    let principal = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => match store::users::session(&state.db, &token).await {
            Ok(Some((u, role, csrf))) => Some(Principal {
                user_id: u.id,
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role,
                community: u.community_code.clone(),
                district: u.district_code.clone(),
                department: u.department.clone(),
                csrf,
            }),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return session_unavailable();
            }
        },
        None => None,
    };
    let is_page = spec.kind == Kind::Page;
    match (spec.access, &principal) {
        (Access::Public, _) => {}
        (_, None) => {
            if is_page && req.method() == Method::GET {
                let next_url = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                return Redirect::to(&format!("/login?next={}", crate::pages::urlencode(next_url))).into_response();
            }
            return ApiError::Unauthenticated.into_response();
        }
        (Access::Roles(roles), Some(p)) if !roles.contains(&p.role) => {
            return if is_page {
                crate::pages::forbidden_page(&req, p).into_response()
            } else {
                ApiError::Forbidden.into_response()
            };
        }
        _ => {}
    }
    if let Some(p) = &principal
        && !matches!(*req.method(), Method::GET | Method::HEAD)
    {
        let (parts, body) = req.into_parts();
        let (ok, body) = crate::csrf::check(&parts, body, &p.csrf).await;
        if !ok {
            return ApiError::Csrf.into_response();
        }
        req = Request::from_parts(parts, body);
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
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

/// The session lookup failed (the database did not answer): not "logged out", but 503.
pub fn session_unavailable() -> Response {
    ApiError::Unavailable.into_response()
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    fn who(role: Role, department: Option<&str>) -> Principal {
        Principal {
            user_id: 7,
            username: "d".into(),
            display_name: "周涛（铜陵市公安局）".into(),
            role,
            community: None,
            district: Some("340705".into()),
            department: department.map(Into::into),
            csrf: String::new(),
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
