//! Every route, declared once: method, path, handler, access rule, kind,
//! summary and, for the JSON API, what the request body and the answer are.
//! The router ([`crate::app::router`]), the guard ([`crate::guard`])
//! and the OpenAPI document ([`crate::openapi::build`]) are all built from
//! [`ROUTES`]. A line's method token picks both the method string and axum's
//! method router, so the two cannot disagree; a method other than GET, POST,
//! PUT or DELETE does not compile.

pub use crate::route::{Body, Reply, Route};

use crate::policy::*;
use crate::{api, ops, pages};

/// This table as an OpenAPI document (served here, so that `openapi` needs
/// only the route types, not the table that names its handler).
pub async fn openapi_document() -> axum::Json<serde_json::Value> {
    axum::Json(crate::openapi::build(ROUTES))
}

/// The route serving this method and matched path (HEAD is served by GET).
pub fn find(method: &str, path: &str) -> Option<&'static Route> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|s| s.method == method && s.path == path)
}

macro_rules! routes {
    ($($method:ident $path:literal => $handler:path, $access:expr, $kind:ident, $summary:literal
        $(, body $body:expr)? $(, reply $reply:expr)?;)*) => {
        pub static ROUTES: &[Route] = &[$(Route {
            method: stringify!($method),
            path: $path,
            access: $access,
            kind: Kind::$kind,
            summary: $summary,
            body: routes!(@opt $($body)?),
            reply: routes!(@opt $($reply)?),
            mount: || routes!(@mount $method $handler),
        }),*];
    };
    (@opt) => { None };
    (@opt $e:expr) => { Some($e) };
    (@mount GET $h:path) => { axum::routing::get($h) };
    (@mount POST $h:path) => { axum::routing::post($h) };
    (@mount PUT $h:path) => { axum::routing::put($h) };
    (@mount DELETE $h:path) => { axum::routing::delete($h) };
}

use Access::{Authenticated as A, Public as P, Roles as R};
use Body::*;
use Reply::*;

routes! {
    // Operations
    GET "/healthz" => ops::healthz, P, Ops, "Liveness";
    GET "/readyz" => ops::readyz, P, Ops, "Readiness: the database answers";
    GET "/metrics" => ops::metrics, P, Ops, "Prometheus metrics";
    GET "/api/openapi.json" => openapi_document, P, Ops, "This OpenAPI document";
    GET "/assets/{*file}" => ops::asset, P, Ops, "Static assets";
    GET "/lang" => ops::switch_lang, P, Ops, "Switch the interface language";
    // Public pages
    GET "/" => pages::public::home, P, Page, "City home: districts, communities, service centers";
    GET "/communities/{code}" => pages::public::community, P, Page, "A community's public page";
    GET "/functions" => pages::public::functions, P, Page, "Functions register of the abolished street offices";
    GET "/dashboard" => pages::dashboard::show, P, Page, "City dashboard: the burden on communities, computed live";
    // Open data (issue 14): the data dictionary, and each public table as CSV, JSON or XLSX.
    GET "/open-data" => pages::open_data::dictionary, P, Page, "Open data: the public tables and their data dictionary";
    GET "/open-data/{file}" => pages::open_data::download, P, Page,
        "A public table as {table}.csv, {table}.json or {table}.xlsx";
    GET "/circle" => pages::circle::show, A, Page,
        "The 15-minute living circle: GB 50180 catalogue, walking networks, facilities map and table";
    // The living circle's coverage from the residents registry and its facilities registry (issue 16)
    GET "/circle/communities/{code}" => pages::circle_coverage::community, A, Page,
        "A community's living-circle coverage: shares per type, buildings outside the standard on a map and listed";
    POST "/circle/coverage" => pages::circle_coverage::recompute, R(CIRCLE_CITY), Page,
        "Compute coverage again on the first network (stored with its date and network)";
    GET "/circle/facilities" => pages::circle_facilities::list, R(CIRCLE_PLANNERS), Page,
        "The facilities registry: every facility, add, move, close, import";
    POST "/circle/facilities" => pages::circle_facilities::add, R(CIRCLE_PLANNERS), Page, "Add a facility";
    POST "/circle/facilities/{id}/move" => pages::circle_facilities::relocate, R(CIRCLE_PLANNERS), Page,
        "Move a facility";
    POST "/circle/facilities/{id}/close" => pages::circle_facilities::close, R(CIRCLE_PLANNERS), Page,
        "Close a facility from a date";
    POST "/circle/facilities/import" => pages::circle_facilities::import, R(CIRCLE_PLANNERS), Page,
        "Import facilities from CSV or XLSX (all or nothing)";
    GET "/circle/siting" => pages::circle_siting::show, R(CIRCLE_PLANNERS), Page,
        "Where to build next: k new sites of a type by greedy maximum coverage, coverage before and after";
    GET "/circle/facilities/export" => pages::circle_facilities::export, R(CIRCLE_PLANNERS), Page,
        "Export the facilities registry as CSV or XLSX";
    // The living circle's JSON API (issue 16): coverage in scope, computing it again, the
    // facilities registry, siting. Scope: policy::CIRCLE_* and actions::circle.
    GET "/api/v1/circle/coverage" => api::circle::coverage, R(CIRCLE_READERS), Api,
        "The latest coverage run for the communities in reach: per community and type, and totals per type (?type=)",
        reply Object(&["run?: CoverageRun", "rows: CoverageRow[]", "totals: CoverageRow[]"]);
    GET "/api/v1/circle/communities/{code}/coverage" => api::circle::community, R(CIRCLE_READERS), Api,
        "A community's coverage per type and its buildings outside the standard (?type=)",
        reply Schema("CommunityCoverage");
    POST "/api/v1/circle/coverage" => api::circle::recompute, R(CIRCLE_CITY), Api,
        "Compute coverage again on the first network (stored with its date and network)", body Empty,
        reply Schema("CoverageRun");
    GET "/api/v1/circle/facilities" => api::circle::facilities, R(CIRCLE_PLANNERS), Api,
        "The facilities registry (closed ones too) and the catalogue's types: the export as JSON",
        reply Object(&["facilities: CircleFacility[]", "types: CircleFacilityType[]"]);
    POST "/api/v1/circle/facilities" => api::circle::add, R(CIRCLE_PLANNERS), Api,
        "Add a facility (a district: in its own communities)", body Json("NewCircleFacility"),
        reply Schema("CircleFacility");
    POST "/api/v1/circle/facilities/{id}/move" => api::circle::relocate, R(CIRCLE_PLANNERS), Api,
        "Move a facility", body Json("CirclePosition"), reply Schema("CircleFacility");
    POST "/api/v1/circle/facilities/{id}/close" => api::circle::close, R(CIRCLE_PLANNERS), Api,
        "Close a facility from a date", body Json("CircleClosing"), reply Schema("CircleFacility");
    POST "/api/v1/circle/facilities/import" => api::circle::import, R(CIRCLE_PLANNERS), Api,
        "Import facilities (all or nothing; the body is the file)",
        body File("A CSV or XLSX file in the export's columns (`?filename=` ending .csv or .xlsx says which)"),
        reply Object(&["added"]);
    GET "/api/v1/circle/siting" => api::circle::siting, R(CIRCLE_PLANNERS), Api,
        "Propose k new sites of a type by greedy maximum coverage over the homes in reach (?type=&k=&candidates=)",
        reply Schema("SitingProposal");
    GET "/login" => pages::session::login_form, P, Page, "Log-in form";
    POST "/login" => pages::session::login, P, Page, "Log in";
    POST "/logout" => pages::session::logout, A, Page, "Log out";
    // Staff pages
    GET "/residents" => pages::residents::list, R(REGISTRY_READERS), Page, "Residents registry: search, filter, page";
    GET "/residents/new" => pages::residents::new_form, R(REGISTRY_WRITERS), Page, "Form: register a resident";
    POST "/residents" => pages::residents::create, R(REGISTRY_WRITERS), Page, "Register a resident";
    GET "/residents/import" => pages::residents::import_form, R(REGISTRY_WRITERS), Page,
        "Form: import residents from CSV or XLSX";
    POST "/residents/import" => pages::residents::import, R(REGISTRY_WRITERS), Page, "Import residents";
    GET "/residents/import/{id}" => pages::residents::import_result, R(REGISTRY_WRITERS), Page,
        "Import result with every rejected row";
    GET "/residents/export" => pages::residents::export, R(REGISTRY_EXPORTERS), Page,
        "Export residents (CSV or XLSX, ID numbers masked)";
    GET "/residents/{id}" => pages::residents::show, R(REGISTRY_READERS), Page, "One resident";
    POST "/residents/{id}/reveal" => pages::residents::reveal, R(REGISTRY_WRITERS), Page,
        "Show the full ID number (audited)";
    GET "/units" => pages::units::list, R(UNIT_READERS), Page, "Resident units (驻区单位)";
    POST "/units" => pages::units::create, R(UNIT_WRITERS), Page, "Register a resident unit";
    GET "/staff" => pages::staff::list, R(STAFF_READERS), Page, "Staff and their roles";
    GET "/audit" => pages::audit::list, R(AUDIT_READERS), Page, "Audit log viewer";
    GET "/pb" => pages::pb::list, R(PB_READERS), Page, "Community service projects chosen by residents";
    POST "/pb" => pages::pb::create_call, R(PB_ORGANISERS), Page, "Open a call for projects";
    GET "/pb/{id}" => pages::pb::show, R(PB_READERS), Page, "A call: proposals, review, voting, results";
    POST "/pb/{id}/projects" => pages::pb::propose, R(PB_PROPOSERS), Page, "Propose a project";
    POST "/pb/{id}/advance" => pages::pb::advance, R(PB_ORGANISERS), Page, "Move a call to its next phase";
    POST "/pb/{id}/ballots" => pages::pb::vote, R(PB_VOTERS), Page, "Cast a ballot";
    POST "/pb/{id}/paper-ballots" => pages::pb::paper_vote, R(PB_CLERKS), Page, "Enter a paper ballot";
    POST "/pb/projects/{id}/review" => pages::pb::review, R(PB_ORGANISERS), Page, "Review a proposal";
    GET "/pb/projects/{id}" => pages::pb::project, R(PB_READERS), Page,
        "A selected project: milestones, spending, rating";
    POST "/pb/projects/{id}/milestones" => pages::pb::add_milestone, R(PB_ORGANISERS), Page, "Add a milestone";
    POST "/pb/milestones/{id}/complete" => pages::pb::complete_milestone, R(PB_ORGANISERS), Page,
        "Mark a milestone done";
    POST "/pb/projects/{id}/evaluations" => pages::pb::evaluate, R(PB_VOTERS), Page, "Rate a finished project";
    GET "/deliberation" => pages::deliberation::index, R(DELIB_READERS), Page,
        "Resident deliberation: topics, meetings, petitions, follow-ups";
    POST "/deliberation/topics" => pages::deliberation::create_topic, R(DELIB_RAISERS), Page, "Raise a topic";
    GET "/deliberation/topics/{id}" => pages::deliberation::topic, R(DELIB_READERS), Page,
        "A topic with its discussion and resolutions";
    POST "/deliberation/topics/{id}/comments" => pages::deliberation::comment, R(DELIB_DISCUSSANTS), Page,
        "Speak on a topic";
    POST "/deliberation/topics/{id}/close" => pages::deliberation::close_topic, R(DELIB_CHAIRS), Page,
        "Close a topic (important questions: only by a residents' meeting)";
    POST "/deliberation/meetings" => pages::deliberation::create_meeting, R(DELIB_CHAIRS), Page,
        "Convene a council or residents' meeting";
    GET "/deliberation/meetings/{id}" => pages::deliberation::meeting, R(DELIB_READERS), Page,
        "A meeting: agenda, attendance, minutes, resolutions";
    POST "/deliberation/meetings/{id}/attendance" => pages::deliberation::attendance, R(DELIB_CHAIRS), Page,
        "Record attendance";
    POST "/deliberation/meetings/{id}/minutes" => pages::deliberation::minutes, R(DELIB_CHAIRS), Page, "Record minutes";
    POST "/deliberation/meetings/{id}/resolutions" => pages::deliberation::resolve, R(DELIB_CHAIRS), Page,
        "Record a vote";
    POST "/deliberation/petitions" => pages::deliberation::create_petition, R(DELIB_CLERKS), Page,
        "Record a petition to convene a residents' meeting";
    POST "/deliberation/followups" => pages::deliberation::create_followup, R(DELIB_CHAIRS), Page,
        "Add a follow-up action";
    POST "/deliberation/followups/{id}/done" => pages::deliberation::followup_done, R(DELIB_CHAIRS), Page,
        "Mark a follow-up done";
    GET "/communities/{code}/record" => pages::deliberation::record, P, Page,
        "A community's public record of meetings and resolutions";
    GET "/cases" => pages::cases::index, R(CASE_READERS), Page,
        "One-stop service center: counter intake and the back-office queue";
    POST "/cases" => pages::cases::create, R(CASE_INTAKE), Page, "Take a case at the counter";
    GET "/cases/{id}" => pages::case::show, R(CASE_READERS), Page, "A case: history timeline, deadline, actions";
    POST "/cases/{id}/events" => pages::case::event, R(CASE_HANDLERS), Page, "Apply an event to a case";
    GET "/cases/new" => pages::cases::new, R(CASE_INTAKE), Page,
        "Full counter intake: an item's questions and materials";
    POST "/cases/{id}/attachments" => pages::case::attach, R(CASE_HANDLERS), Page,
        "Attach a file (JPEG/PNG/PDF, checksummed) to a case";
    GET "/cases/{id}/attachments/{aid}" => pages::case::download, R(CASE_READERS), Page,
        "Download a case's file (checksum verified)";
    POST "/cases/{id}/link" => pages::case::link, R(CASE_INTAKE), Page, "Link a case to the earlier case it duplicates";
    GET "/service/stats" => pages::service::stats, R(CASE_READERS), Page,
        "Service center statistics for the user's scope";
    GET "/service/items" => pages::service::items, R(CASE_READERS), Page,
        "The city's service items and the ones this community adopted";
    POST "/service/items" => pages::service::save_items, R(CASE_ITEM_ADMINS), Page,
        "Set the items this community's service center takes";
    GET "/service/league" => pages::service::league, P, Page,
        "Public: the city's service figures and the league table of handling units";
    GET "/me/cases" => pages::service::mine, R(CASE_RESIDENTS), Page,
        "A resident's own requests, and the online request form";
    POST "/me/cases" => pages::service::create_mine, R(CASE_RESIDENTS), Page, "A resident makes a request online";
    GET "/me/cases/{id}" => pages::service::my_case, R(CASE_RESIDENTS), Page,
        "A resident's own request: progress and rating";
    POST "/me/cases/{id}/rate" => pages::service::rate, R(CASE_RESIDENTS), Page, "A resident rates a resolved request";
    GET "/stewards" => pages::stewards::index, R(STEWARD_READERS), Page, "Stewards (管家计划): volunteers, areas, issues";
    POST "/stewards" => pages::stewards::volunteer, R(STEWARD_VOLUNTEERS), Page,
        "Volunteer as steward of a building or area";
    POST "/stewards/{id}/decide" => pages::stewards::decide, R(STEWARD_APPROVERS), Page, "Approve or reject a steward";
    POST "/stewards/issues" => pages::stewards::raise_issue, R(STEWARD_VOLUNTEERS), Page,
        "Raise an issue for the steward's area";
    POST "/stewards/issues/{id}/status" => pages::stewards::issue_status, R(STEWARD_DESK), Page,
        "Forward or close a steward's issue";
    GET "/finance" => pages::finance::index, R(FIN_READERS), Page, "Community finance: funds, claims, allocations";
    POST "/finance/claims" => pages::finance::file_claim, R(FIN_CLAIMANTS), Page,
        "File a reimbursement claim (multipart, optional voucher)";
    POST "/finance/claims/{id}/approve" => pages::finance::approve, R(FIN_APPROVERS), Page,
        "Approve a claim; the final approval pays it";
    POST "/finance/claims/{id}/reject" => pages::finance::reject, R(FIN_APPROVERS), Page,
        "Reject a claim with a reason";
    GET "/finance/vouchers/{id}" => pages::finance::voucher, R(FIN_READERS), Page, "Download a claim's voucher";
    POST "/finance/allocations" => pages::finance::allocate, R(FIN_ALLOCATORS), Page, "Allocate funds to a community";
    // Issue 14: the books' forms, each for its role (pages/finance_books.rs).
    POST "/finance/transfers" => pages::finance_books::transfer, R(FIN_TREASURERS), Page, "Move money between the community's funds";
    POST "/finance/closings" => pages::finance_books::close, R(FIN_ALLOCATORS), Page, "Close a month or year of the books (confirmed)";
    POST "/finance/reopenings" => pages::finance_books::reopen, R(FIN_REOPENERS), Page, "The city reopens a closed period, with its reason";
    POST "/finance/reversals" => pages::finance_books::reverse, R(FIN_ALLOCATORS), Page, "Reverse a transaction exactly (confirmed)";
    POST "/finance/settings" => pages::finance_books::settings, R(FIN_ALLOCATORS), Page, "Set the district's second-approval threshold";
    GET "/finance/claims/{id}/approve" => pages::finance_books::back_to_claim, R(FIN_READERS), Page, "Back to the claim (after a refresh)";
    GET "/finance/claims/{id}/reject" => pages::finance_books::back_to_claim, R(FIN_READERS), Page, "Back to the claim (after a refresh)";
    GET "/finance/district" => pages::finance::district, R(FIN_DISTRICT_READERS), Page,
        "A district's communities side by side for a quarter";
    GET "/communities/{code}/finance" => pages::finance::public, P, Page,
        "A community's public accounts for a quarter (居务公开)";
    GET "/communities/{code}/finance.xlsx" => pages::finance::public_xlsx, P, Page,
        "A community's public accounts as XLSX";
    GET "/hotline" => pages::hotline::console, R(HOTLINE_OPERATORS), Page,
        "2881890 hotline console: find the caller by phone (?phone=), quick-create, dispatch";
    POST "/hotline/cases" => pages::hotline::create, R(HOTLINE_OPERATORS), Page, "Take a hotline case for the caller";
    POST "/cases/{id}/dispatch" => pages::hotline::dispatch, R(HOTLINE_OPERATORS), Page,
        "Dispatch a case to a provider";
    GET "/hotline/triage" => pages::triage::queue, R(TRIAGE_ROUTERS), Page,
        "Open311 requests with an address the registry could not place, to route by hand";
    POST "/hotline/triage/{id}/route" => pages::triage::route, R(TRIAGE_ROUTERS), Page,
        "Route a waiting request to a community: it becomes a case there";
    GET "/provider" => pages::providers::worker, R(PROVIDER_WORKERS), Page,
        "A provider's dispatches: accept, decline, arrive, complete";
    POST "/provider/dispatches/{id}/accept" => pages::providers::accept, R(PROVIDER_WORKERS), Page, "Accept a dispatch";
    POST "/provider/dispatches/{id}/decline" => pages::providers::decline, R(PROVIDER_WORKERS), Page,
        "Decline a dispatch with a reason";
    POST "/provider/dispatches/{id}/arrive" => pages::providers::arrive, R(PROVIDER_WORKERS), Page,
        "Record arrival on site";
    POST "/provider/dispatches/{id}/complete" => pages::providers::complete, R(PROVIDER_WORKERS), Page,
        "Record completion with a summary";
    GET "/providers" => pages::providers::registry, R(PROVIDER_READERS), Page, "Service providers of the district";
    POST "/providers" => pages::providers::add, R(PROVIDER_ADMINS), Page, "Register a service provider";
    GET "/providers/performance" => pages::providers::performance, R(PROVIDER_ADMINS), Page, "Performance per provider";
    GET "/outbox" => pages::hotline::outbox, R(OUTBOX_READERS), Page,
        "Notifications queued for residents, providers and staff";
    GET "/me/notifications" => pages::hotline::my_notifications, R(NOTIFICATION_READERS), Page,
        "A resident's own notifications";
    // Party building with resident units (大党工委, 共驻共建): pages, then the JSON API
    GET "/party" => pages::party::index, R(PARTY_READERS), Page,
        "Party building with units: committee seats, agreements, fulfilment, evaluations, cadre reviews, vetoes";
    POST "/party/seats" => pages::party::seat, R(PARTY_SECRETARIES), Page, "Seat a member on the party working committee";
    POST "/party/seats/{id}/end" => pages::party::end_seat, R(PARTY_SECRETARIES), Page,
        "A member leaves the committee before the term ends";
    POST "/party/representatives" => pages::party::representative, R(PARTY_SECRETARIES), Page,
        "Record a unit's representative at a meeting";
    POST "/party/liaisons" => pages::party::bind_liaison, R(PARTY_SECRETARIES), Page, "Bind a liaison officer to a unit";
    POST "/party/agreements" => pages::party::sign, R(PARTY_SECRETARIES), Page, "Record a signed co-building agreement";
    GET "/party/agreements/{id}" => pages::party::agreement, R(PARTY_READERS), Page,
        "A co-building agreement: commitments against fulfilment";
    POST "/party/agreements/{id}/commitments" => pages::party::add_commitment, R(PARTY_SECRETARIES), Page,
        "Add a commitment to an agreement";
    POST "/party/fulfilments" => pages::party::report, R(PARTY_UNITS), Page, "A unit reports fulfilment";
    POST "/party/fulfilments/{id}/decide" => pages::party::decide, R(PARTY_SECRETARIES), Page,
        "Confirm or reject a reported fulfilment";
    POST "/party/evaluations" => pages::party::evaluate, R(PARTY_SECRETARIES), Page, "Evaluate a unit's year";
    POST "/party/evaluations/{id}/reply" => pages::party::reply_to_evaluation, R(PARTY_UNITS), Page,
        "A unit replies to its evaluation";
    POST "/party/cadre-reviews" => pages::party::review_cadre, R(PARTY_SECRETARIES), Page,
        "Review and recommend on a unit cadre's promotion";
    POST "/party/cadre-reviews/{id}/reply" => pages::party::reply_to_review, R(PARTY_UNITS), Page,
        "A unit replies to a cadre review";
    POST "/party/vetoes" => pages::party::veto, R(PARTY_SECRETARIES), Page, "Veto a unit's party-building assessment";
    POST "/party/vetoes/{id}/review" => pages::party::review_veto, R(PARTY_DISTRICT), Page,
        "The district reviews a veto";
    GET "/party/figures" => pages::party::figures, P, Page,
        "Public: units seated, agreements, fulfilment, volunteer hours, venues per community, district, city";
    GET "/api/v1/party" => api::party::overview, R(PARTY_READERS), Api, "Party building in reach",
        reply Schema("PartyOverview");
    POST "/api/v1/party/seats" => api::party::seat, R(PARTY_SECRETARIES), Api, "Seat a committee member",
        body Json("NewSeat"), reply Schema("PartySeat");
    POST "/api/v1/party/seats/{id}/end" => api::party::end_seat, R(PARTY_SECRETARIES), Api,
        "A member leaves the committee before the term ends", body Json("EndSeat"), reply Schema("PartySeat");
    POST "/api/v1/party/representatives" => api::party::representative, R(PARTY_SECRETARIES), Api,
        "Record a unit's representative at a meeting", body Json("NewRepresentative"), reply Schema("PartyRepresentative");
    POST "/api/v1/party/liaisons" => api::party::bind_liaison, R(PARTY_SECRETARIES), Api,
        "Bind a liaison officer to a unit", body Json("NewLiaison"), reply Schema("PartyLiaison");
    POST "/api/v1/party/agreements" => api::party::sign, R(PARTY_SECRETARIES), Api, "Record a signed agreement",
        body Json("NewAgreement"), reply Schema("PartyAgreement");
    GET "/api/v1/party/agreements/{id}" => api::party::agreement, R(PARTY_READERS), Api,
        "An agreement with its commitments and fulfilment",
        reply Object(&["agreement: PartyAgreement", "commitments: PartyCommitment[]", "fulfilments: PartyFulfilment[]"]);
    POST "/api/v1/party/agreements/{id}/commitments" => api::party::commit, R(PARTY_SECRETARIES), Api,
        "Add a commitment", body Json("NewCommitment"), reply Schema("PartyCommitment");
    POST "/api/v1/party/fulfilments" => api::party::report, R(PARTY_UNITS), Api, "A unit reports fulfilment",
        body Json("NewFulfilment"), reply Schema("PartyFulfilment");
    POST "/api/v1/party/fulfilments/{id}/decide" => api::party::decide, R(PARTY_SECRETARIES), Api,
        "Confirm or reject a reported fulfilment", body Json("FulfilmentDecision"), reply Schema("PartyFulfilment");
    POST "/api/v1/party/evaluations" => api::party::evaluate, R(PARTY_SECRETARIES), Api, "Evaluate a unit's year",
        body Json("NewEvaluation"), reply Schema("PartyEvaluation");
    POST "/api/v1/party/evaluations/{id}/reply" => api::party::reply_to_evaluation, R(PARTY_UNITS), Api,
        "A unit replies to its evaluation", body Json("PartyReply"), reply Schema("PartyEvaluation");
    GET "/api/v1/party/cadre-reviews" => api::party::cadre_reviews, R(PARTY_READERS), Api,
        "Cadre reviews (personal data: the community, the cadre's unit, the district's organisation department)",
        reply Object(&["cadre_reviews: CadreReview[]"]);
    POST "/api/v1/party/cadre-reviews" => api::party::review_cadre, R(PARTY_SECRETARIES), Api,
        "Review and recommend on a unit cadre's promotion", body Json("NewCadreReview"), reply Schema("CadreReview");
    POST "/api/v1/party/cadre-reviews/{id}/reply" => api::party::reply_to_review, R(PARTY_UNITS), Api,
        "A unit replies to a cadre review", body Json("PartyReply"), reply Schema("CadreReview");
    POST "/api/v1/party/vetoes" => api::party::veto, R(PARTY_SECRETARIES), Api,
        "Veto a unit's assessment on grounds from its record", body Json("NewVeto"), reply Schema("PartyVeto");
    POST "/api/v1/party/vetoes/{id}/review" => api::party::review_veto, R(PARTY_DISTRICT), Api,
        "The district's organisation department reviews a veto", body Json("VetoDecision"), reply Schema("PartyVeto");
    GET "/api/v1/party/figures" => api::party::figures, P, Api,
        "Public figures per community, district and city (?on=, ?district=)", reply Schema("PartyFigures");
    // Community social organisations, their federation, government purchase of services (issue 17; rules §5, §6c)
    GET "/orgs" => pages::orgs::index, R(ORG_READERS), Page,
        "Community social organisations: registry, figures, federation roll-up, annual inspections";
    POST "/orgs" => pages::orgs::register, R(ORG_COMMUNITY), Page, "Record an organisation (registered, filed or small)";
    POST "/orgs/settings" => pages::orgs::settings, R(ORG_DISTRICT), Page, "The district's local thresholds and inspection day";
    POST "/orgs/inspections" => pages::orgs::open_year, R(ORG_DISTRICT), Page, "Open a year's annual inspection";
    POST "/orgs/inspections/remind" => pages::orgs::remind, R(ORG_DISTRICT), Page, "Queue inspection reminders";
    POST "/orgs/inspections/{id}/report" => pages::orgs::submit_report, R(ORG_KEEPERS), Page, "File the annual report";
    POST "/orgs/inspections/{id}/decide" => pages::orgs::decide_inspection, R(ORG_DISTRICT), Page,
        "Pass or fail an annual report";
    GET "/orgs/{id}" => pages::orgs::show, R(ORG_READERS), Page, "An organisation: members, activities, inspections";
    POST "/orgs/{id}/edit" => pages::orgs::edit, R(ORG_KEEPERS), Page, "Keep an organisation's record";
    POST "/orgs/{id}/members" => pages::orgs::add_member, R(ORG_KEEPERS), Page, "Add a member";
    POST "/orgs/{id}/activities" => pages::orgs::add_activity, R(ORG_KEEPERS), Page, "Record an activity";
    POST "/orgs/{id}/account" => pages::orgs::bind_account, R(ORG_COMMUNITY), Page, "Bind an organisation's log-in";
    GET "/purchases" => pages::orgs::purchases_index, R(ORG_READERS), Page,
        "Government purchase of services: catalogue, budget lines, projects";
    POST "/purchases" => pages::orgs::open_project, R(PURCHASE_BUYERS), Page, "Open a purchase project";
    POST "/purchases/catalogue" => pages::orgs::add_catalogue_item, R(ORG_DISTRICT), Page, "Publish a catalogue item";
    POST "/purchases/budget-lines" => pages::orgs::add_budget_line, R(ORG_DISTRICT), Page, "Approve a budget line";
    GET "/purchases/{id}" => pages::orgs::project, R(ORG_READERS), Page, "A purchase project from contract to payment";
    GET "/purchases/{id}/public" => pages::orgs::public_project, P, Page, "Public: a contracted project, no personal data";
    POST "/purchases/{id}/applications" => pages::orgs::apply, R(ORG_SELF), Page, "An organisation applies to provide";
    POST "/purchases/{id}/contract" => pages::orgs::contract, R(PURCHASE_BUYERS), Page, "Record the provider and contract";
    POST "/purchases/{id}/records" => pages::orgs::report_service, R(ORG_SELF), Page, "The provider enters a service record";
    POST "/purchases/records/{id}/decide" => pages::orgs::decide_record, R(ORG_COMMUNITY), Page,
        "Confirm or reject a service record";
    POST "/purchases/{id}/evaluations" => pages::orgs::evaluate, R(ORG_COMMUNITY), Page, "Record an evaluation";
    POST "/purchases/{id}/payments" => pages::orgs::pay, R(ORG_COMMUNITY), Page, "Pay an instalment through the ledger";
    GET "/api/v1/orgs" => api::orgs::overview, R(ORG_READERS), Api, "Organisations, figures, federations, inspections in reach",
        reply Object(&["orgs", "figures", "total", "inspections", "overdue", "federations", "my_org", "settings"]);
    POST "/api/v1/orgs" => api::orgs::register, R(ORG_COMMUNITY), Api, "Record an organisation (rules 5.11–5.16, 6c)",
        body Json("NewOrg"), reply Object(&["id", "name", "tier", "legal_form", "uscc"]);
    POST "/api/v1/orgs/settings" => api::orgs::settings, R(ORG_DISTRICT), Api, "The district's local settings (rule 5.15)",
        body Json("OrgSettings"), reply Object(&["sg_individuals", "sg_units", "sg_mixed_total", "inspection_due", "reminder_days"]);
    POST "/api/v1/orgs/inspections" => api::orgs::open_year, R(ORG_DISTRICT), Api, "Open a year's annual inspection",
        body Json("OpenYear"), reply Object(&["opened"]);
    POST "/api/v1/orgs/inspections/remind" => api::orgs::remind, R(ORG_DISTRICT), Api,
        "Queue inspection reminders into the outbox (each once)", body Empty, reply Object(&["due", "overdue"]);
    POST "/api/v1/orgs/inspections/{id}/report" => api::orgs::submit_report, R(ORG_KEEPERS), Api, "File the annual report",
        body Json("AnnualReport"), reply Object(&["id", "status"]);
    POST "/api/v1/orgs/inspections/{id}/decide" => api::orgs::decide_inspection, R(ORG_DISTRICT), Api,
        "Pass or fail an annual report", body Json("InspectionDecision"), reply Object(&["id", "status"]);
    GET "/api/v1/orgs/{id}" => api::orgs::org, R(ORG_READERS), Api, "An organisation with members, activities, roll-up",
        reply Object(&["org", "members", "activities", "inspections", "roll_up", "mine", "short_of_members"]);
    POST "/api/v1/orgs/{id}/edit" => api::orgs::edit, R(ORG_KEEPERS), Api, "Keep an organisation's record",
        body Json("OrgEdit"), reply Object(&["id", "fields", "person_in_charge"]);
    POST "/api/v1/orgs/{id}/members" => api::orgs::add_member, R(ORG_KEEPERS), Api, "Add a member (rule 5.16)",
        body Json("NewOrgMember"), reply Object(&["id", "member_org_id", "person"]);
    POST "/api/v1/orgs/{id}/activities" => api::orgs::add_activity, R(ORG_KEEPERS), Api, "Record an activity",
        body Json("NewOrgActivity"), reply Object(&["id", "held_on", "title", "participants", "hours"]);
    POST "/api/v1/orgs/{id}/account" => api::orgs::bind_account, R(ORG_COMMUNITY), Api, "Bind an organisation's log-in",
        body Json("NewOrgAccount"), reply Object(&["id", "name"]);
    GET "/api/v1/purchases" => api::orgs::purchases, R(ORG_READERS), Api, "Catalogue, budget lines and projects in reach",
        reply Object(&["catalogue", "budget_lines", "projects"]);
    POST "/api/v1/purchases" => api::orgs::open_project, R(PURCHASE_BUYERS), Api, "Open a purchase project (rules 5.1–5.4, 5.8)",
        body Json("NewPurchaseProject"), reply Object(&["id", "title", "status", "price_fen"]);
    POST "/api/v1/purchases/catalogue" => api::orgs::add_catalogue_item, R(ORG_DISTRICT), Api, "Publish a catalogue item",
        body Json("NewCatalogueItem"), reply Object(&["id", "code", "title"]);
    POST "/api/v1/purchases/budget-lines" => api::orgs::add_budget_line, R(ORG_DISTRICT), Api, "Approve a budget line",
        body Json("NewPurchaseBudgetLine"), reply Object(&["id", "amount_fen", "committed_fen"]);
    GET "/api/v1/purchases/{id}" => api::orgs::project, R(ORG_READERS), Api, "A project with records, evaluations, payments",
        reply Object(&["project", "standing", "records", "evaluations", "payments", "applications", "provider"]);
    GET "/api/v1/purchases/{id}/public" => api::orgs::public_project, P, Api, "Public: a contracted project, no personal data",
        reply Object(&["id", "title", "buyer_name", "provider_name", "standing", "evaluations"]);
    POST "/api/v1/purchases/{id}/applications" => api::orgs::apply, R(ORG_SELF), Api, "An organisation applies to provide",
        body Json("NewPurchaseApplication"), reply Object(&["id", "org_id", "note"]);
    POST "/api/v1/purchases/{id}/contract" => api::orgs::contract, R(PURCHASE_BUYERS), Api,
        "Record the provider and the contract (rules 5.1, 5.2, 5.5–5.7, 5.9, 5.12)", body Json("NewPurchaseContract"),
        reply Object(&["id", "status", "provider_name"]);
    POST "/api/v1/purchases/{id}/records" => api::orgs::report_service, R(ORG_SELF), Api, "The provider enters a service record",
        body Json("NewServiceRecord"), reply Object(&["id", "status"]);
    POST "/api/v1/purchases/records/{id}/decide" => api::orgs::decide_record, R(ORG_COMMUNITY), Api,
        "Confirm or reject a service record", body Json("ServiceRecordDecision"), reply Object(&["id", "status"]);
    POST "/api/v1/purchases/{id}/evaluations" => api::orgs::evaluate, R(ORG_COMMUNITY), Api, "Record an evaluation",
        body Json("NewPurchaseEvaluation"), reply Object(&["id", "stage", "evaluator", "score", "passed"]);
    POST "/api/v1/purchases/{id}/payments" => api::orgs::pay, R(ORG_COMMUNITY), Api,
        "Pay an instalment through the ledger (rule 5.8)", body Json("NewPurchasePayment"),
        reply Object(&["id", "amount_fen", "fin_tx_id"]);
    // JSON API
    POST "/api/v1/session" => api::session::login, P, Api, "Log in; returns the CSRF token for later writes",
        body Json("Login"), reply Object(&["user: UserRow", "csrf"]);
    DELETE "/api/v1/session" => api::session::logout, A, Api, "Log out", body Empty, reply NoContent;
    GET "/api/v1/me" => api::session::me, A, Api, "The logged-in user",
        reply Object(&["id", "username", "display_name", "role", "community_code", "district_code", "csrf"]);
    GET "/api/v1/districts" => api::structure::districts, P, Api, "Districts with their GB/T 2260 codes and history",
        reply Object(&["city", "districts: District[]"]);
    GET "/api/v1/communities" => api::structure::communities, P, Api, "Big communities",
        reply Object(&["communities: Community[]"]);
    GET "/api/v1/communities/{code}" => api::structure::community, P, Api,
        "A community with its bodies, groups and units count",
        reply Object(&["community: Community", "bodies", "groups", "units"]);
    GET "/api/v1/functions" => api::structure::functions, P, Api, "Functions register",
        reply Object(&["functions: Function[]"]);
    GET "/api/v1/residents" => api::residents::list, R(REGISTRY_READERS), Api,
        "Residents, filtered and paged by keyset",
        reply Object(&["residents: Resident[]", "total", "total_is_lower_bound", "next_after"]);
    POST "/api/v1/residents" => api::residents::create, R(REGISTRY_WRITERS), Api, "Register a resident",
        body Json("ResidentInput"), reply Schema("Resident");
    POST "/api/v1/residents/import" => api::residents::import, R(REGISTRY_WRITERS), Api,
        "Import residents (multipart file: CSV or XLSX)", body Multipart("ResidentsUpload"),
        reply Schema("ImportReport");
    GET "/api/v1/residents/import/{id}" => api::residents::import_result, R(REGISTRY_WRITERS), Api,
        "An import's result",
        reply Object(&["id", "file_name", "total", "inserted", "unchanged", "rejected", "at", "community_code"]);
    GET "/api/v1/residents/{id}" => api::residents::show, R(REGISTRY_READERS), Api, "One resident (ID number masked)",
        reply Schema("Resident");
    POST "/api/v1/residents/{id}/reveal" => api::residents::reveal, R(REGISTRY_WRITERS), Api,
        "The full ID number (audited)", body Empty, reply Object(&["id", "id_number"]);
    GET "/api/v1/units" => api::structure::units, R(UNIT_READERS), Api, "Resident units",
        reply Object(&["units: Unit[]"]);
    POST "/api/v1/units" => api::structure::add_unit, R(UNIT_WRITERS), Api, "Register a resident unit",
        body Json("NewUnit"), reply Schema("Unit");
    GET "/api/v1/staff" => api::structure::staff, R(STAFF_READERS), Api, "Staff in scope",
        reply Object(&["staff: UserRow[]"]);
    GET "/api/v1/audit" => api::audit::list, R(AUDIT_READERS), Api, "Audit entries, newest first",
        reply Object(&["entries"]);
    GET "/api/v1/audit/verify" => api::audit::verify, R(AUDIT_READERS), Api, "Verify the audit hash chain",
        reply Object(&["intact", "entries?", "broken_at?", "reason?"]);
    GET "/api/v1/pb/calls" => api::pb::calls, R(PB_READERS), Api, "Calls for community service projects",
        reply Object(&["calls: Call[]"]);
    POST "/api/v1/pb/calls" => api::pb::create_call, R(PB_ORGANISERS), Api, "Open a call", body Json("NewCall"),
        reply Schema("Call");
    GET "/api/v1/pb/calls/{id}" => api::pb::call, R(PB_READERS), Api, "A call with its projects, tally and result",
        reply Object(&["call: Call", "projects: Project[]", "tally", "result"]);
    POST "/api/v1/pb/calls/{id}/projects" => api::pb::propose, R(PB_PROPOSERS), Api, "Propose a project",
        body Json("NewProject"), reply Schema("Project");
    POST "/api/v1/pb/calls/{id}/advance" => api::pb::advance, R(PB_ORGANISERS), Api,
        "Next phase; closing the vote runs the rule", body Empty, reply Object(&["call: Call", "result"]);
    POST "/api/v1/pb/calls/{id}/ballots" => api::pb::vote, R(PB_VOTERS), Api, "Cast a ballot", body Json("Ballot"),
        reply Object(&["ballot_id"]);
    POST "/api/v1/pb/calls/{id}/paper-ballots" => api::pb::paper_vote, R(PB_CLERKS), Api, "Enter a paper ballot",
        body Json("Ballot"), reply Object(&["ballot_id"]);
    POST "/api/v1/pb/projects/{id}/review" => api::pb::review, R(PB_ORGANISERS), Api, "Review a proposal",
        body Json("ProjectReview"), reply Schema("Project");
    GET "/api/v1/pb/projects/{id}" => api::pb::project, R(PB_READERS), Api,
        "A project's execution: milestones, spending, rating", reply Schema("Execution");
    POST "/api/v1/pb/projects/{id}/milestones" => api::pb::add_milestone, R(PB_ORGANISERS), Api, "Add a milestone",
        body Json("NewMilestone"), reply Schema("Milestone");
    POST "/api/v1/pb/milestones/{id}/complete" => api::pb::complete_milestone, R(PB_ORGANISERS), Api,
        "Mark a milestone done", body Json("MilestoneNote"), reply Schema("Milestone");
    POST "/api/v1/pb/projects/{id}/evaluations" => api::pb::evaluate, R(PB_VOTERS), Api,
        "Rate a finished project (once per resident)", body Json("Evaluation"), reply Schema("Execution");
    GET "/api/v1/deliberation/topics" => api::deliberation::topics, R(DELIB_READERS), Api,
        "Deliberation topics in scope", reply Object(&["topics: Topic[]"]);
    POST "/api/v1/deliberation/topics" => api::deliberation::create_topic, R(DELIB_RAISERS), Api, "Raise a topic",
        body Json("NewTopic"), reply Schema("Topic");
    GET "/api/v1/deliberation/topics/{id}" => api::deliberation::topic, R(DELIB_READERS), Api,
        "A topic with comments, meetings and resolutions",
        reply Object(&["topic: Topic", "comments: Comment[]", "meetings: Meeting[]", "resolutions: Resolution[]"]);
    POST "/api/v1/deliberation/topics/{id}/comments" => api::deliberation::comment, R(DELIB_DISCUSSANTS), Api,
        "Speak on a topic", body Json("NewComment"), reply Schema("Comment");
    POST "/api/v1/deliberation/topics/{id}/close" => api::deliberation::close_topic, R(DELIB_CHAIRS), Api,
        "Close a topic (important questions: only by a passed residents' meeting resolution)", body Json("TopicClose"),
        reply Schema("Topic");
    GET "/api/v1/deliberation/meetings" => api::deliberation::meetings, R(DELIB_READERS), Api, "Meetings in scope",
        reply Object(&["meetings: MeetingState[]"]);
    POST "/api/v1/deliberation/meetings" => api::deliberation::create_meeting, R(DELIB_CHAIRS), Api,
        "Convene a council or residents' meeting", body Json("NewMeeting"), reply Schema("MeetingState");
    GET "/api/v1/deliberation/meetings/{id}" => api::deliberation::meeting, R(DELIB_READERS), Api,
        "A meeting with agenda and resolutions",
        reply Object(&["meeting: MeetingState", "agenda: Topic[]", "resolutions: Resolution[]"]);
    POST "/api/v1/deliberation/meetings/{id}/attendance" => api::deliberation::attendance, R(DELIB_CHAIRS), Api,
        "Record attendance", body Json("Attendance"), reply Schema("MeetingState");
    POST "/api/v1/deliberation/meetings/{id}/minutes" => api::deliberation::minutes, R(DELIB_CHAIRS), Api,
        "Record minutes", body Json("Minutes"), reply Schema("MeetingState");
    POST "/api/v1/deliberation/meetings/{id}/resolutions" => api::deliberation::resolve, R(DELIB_CHAIRS), Api,
        "Record a vote (quorum and majority per 居组法 Art 9)", body Json("NewResolution"), reply Schema("Resolution");
    GET "/api/v1/deliberation/petitions" => api::deliberation::petitions, R(DELIB_READERS), Api,
        "Petitions, with the community's totals", reply Object(&["petitions: Petition[]", "totals"]);
    POST "/api/v1/deliberation/petitions" => api::deliberation::create_petition, R(DELIB_CLERKS), Api,
        "Record a petition; at a threshold of Art 10 a convene follow-up is created", body Json("NewPetition"),
        reply Object(&["petition: Petition", "followup: Followup|null"]);
    GET "/api/v1/deliberation/followups" => api::deliberation::followups, R(DELIB_READERS), Api, "Follow-up actions",
        reply Object(&["followups: Followup[]"]);
    POST "/api/v1/deliberation/followups" => api::deliberation::create_followup, R(DELIB_CHAIRS), Api,
        "Add a follow-up action", body Json("NewFollowup"), reply Schema("Followup");
    POST "/api/v1/deliberation/followups/{id}/done" => api::deliberation::followup_done, R(DELIB_CHAIRS), Api,
        "Mark a follow-up done", body Json("FollowupDone"), reply Schema("Followup");
    GET "/api/v1/communities/{code}/record" => api::deliberation::record, P, Api,
        "A community's public record of meetings and resolutions", reply Schema("PublicRecord");
    GET "/open311/v2/discovery.json" => api::open311::discovery, P, Api, "Open311 GeoReport v2 (JSON): discovery",
        reply Open311;
    GET "/open311/v2/services.json" => api::open311::services, P, Api,
        "Open311 GeoReport v2 (JSON): services offered (?jurisdiction_id=)", reply Open311;
    GET "/open311/v2/requests.json" => api::open311::requests::search, P, Api,
        "Open311 GeoReport v2 (JSON): search requests (service_request_id, service_code, start_date, end_date, status)",
        reply Open311;
    POST "/open311/v2/requests.json" => api::open311::requests::post, P, Api,
        "Open311 GeoReport v2 (JSON): post a request (form-encoded, api_key checked by the handler); becomes a case",
        body Form("Open311Request"), reply Open311;
    GET "/open311/v2/discovery.xml" => api::open311::discovery, P, Api, "Open311 GeoReport v2 (XML): discovery",
        reply Open311;
    GET "/open311/v2/services.xml" => api::open311::services, P, Api,
        "Open311 GeoReport v2 (XML): services offered (?jurisdiction_id=)", reply Open311;
    GET "/open311/v2/requests.xml" => api::open311::requests::search, P, Api,
        "Open311 GeoReport v2 (XML): search requests (service_request_id, service_code, start_date, end_date, status)",
        reply Open311;
    POST "/open311/v2/requests.xml" => api::open311::requests::post, P, Api,
        "Open311 GeoReport v2 (XML): post a request (form-encoded, api_key checked by the handler); becomes a case",
        body Form("Open311Request"), reply Open311;
    GET "/open311/v2/services/{file}" => api::open311::definition, P, Api,
        "Open311 GeoReport v2: a service definition ({service_code}.json|.xml)", reply Open311;
    GET "/open311/v2/requests/{file}" => api::open311::requests::one, P, Api,
        "Open311 GeoReport v2: one request ({service_request_id}.json|.xml)", reply Open311;
    GET "/open311/v2/tokens/{file}" => api::open311::token, P, Api,
        "Open311 GeoReport v2: the request a token stands for ({token}.json|.xml)", reply Open311;
    GET "/api/v1/service-items" => api::cases::items, P, Api, "The service items catalogue (事项目录)",
        reply Object(&["items: Item[]"]);
    GET "/api/v1/cases" => api::cases::list, R(CASE_READERS), Api,
        "Cases in scope (optionally ?queue=) with computed deadline and overdue flag", reply Schema("CasePage");
    POST "/api/v1/cases" => api::cases::create, R(CASE_INTAKE), Api,
        "Take a case at the counter: accepted, routed to its lead queue", body Json("NewCase"), reply Schema("Case");
    POST "/api/v1/cases/{id}/link" => api::cases::link, R(CASE_INTAKE), Api,
        "Link a case to the earlier case it duplicates ({original})", body Json("CaseLink"), reply Schema("Case");
    POST "/api/v1/cases/{id}/attachments" => api::cases::attach, R(CASE_HANDLERS), Api,
        "Attach a file (multipart field `file`)", body Multipart("CaseFile"), reply Schema("Attachment");
    GET "/api/v1/service/stats" => api::cases::stats, R(CASE_READERS), Api,
        "Service center statistics for the caller's scope", reply Schema("CaseStats");
    GET "/api/v1/service/adopted" => api::cases::adopted, R(CASE_COMMUNITY_STAFF), Api,
        "The service items the caller's community adopted", reply Object(&["community", "items"]);
    POST "/api/v1/service/adopted" => api::cases::set_adopted, R(CASE_ITEM_ADMINS), Api,
        "Set the community's adopted items ({items: [code…]})", body Json("AdoptedItems"),
        reply Object(&["community", "items"]);
    GET "/api/v1/service/league" => api::cases::league, P, Api,
        "Public: city service figures and the league table of handling units",
        reply Object(&["city: CaseStats", "units: League[]"]);
    GET "/api/v1/me/cases" => api::cases::mine, R(CASE_RESIDENTS), Api, "A resident's own requests",
        reply Object(&["cases: CaseView[]"]);
    POST "/api/v1/me/cases" => api::cases::create_mine, R(CASE_RESIDENTS), Api,
        "A resident makes a request (channel web)", body Json("NewCase"), reply Schema("Case");
    GET "/api/v1/cases/{id}" => api::cases::show, R(CASE_READERS), Api,
        "A case with its history, SLA and the events the caller may trigger",
        reply Object(&["case: CaseView", "history", "allowed_events", "attachments: Attachment[]"]);
    POST "/api/v1/cases/{id}/events" => api::cases::event, R(CASE_HANDLERS), Api,
        "Apply an event to a case (start, resolve, send_back…)", body Json("CaseEvent"), reply Schema("Case");
    GET "/api/v1/stewards" => api::stewards::stewards, R(STEWARD_READERS), Api, "Stewards in scope",
        reply Object(&["stewards: Steward[]"]);
    POST "/api/v1/stewards" => api::stewards::volunteer, R(STEWARD_VOLUNTEERS), Api, "Volunteer as steward",
        body Json("Volunteer"), reply Schema("Steward");
    POST "/api/v1/stewards/{id}/decide" => api::stewards::decide, R(STEWARD_APPROVERS), Api,
        "Approve or reject a steward", body Json("StewardDecision"), reply Schema("Steward");
    GET "/api/v1/stewards/issues" => api::stewards::issues, R(STEWARD_READERS), Api,
        "Stewards' issues (a steward: their area's open issues)", reply Object(&["issues: Issue[]"]);
    POST "/api/v1/stewards/issues" => api::stewards::raise_issue, R(STEWARD_VOLUNTEERS), Api,
        "Raise an issue for the steward's area", body Json("NewIssue"), reply Schema("Issue");
    POST "/api/v1/stewards/issues/{id}/status" => api::stewards::issue_status, R(STEWARD_DESK), Api,
        "Forward or close a steward's issue", body Json("IssueStatus"), reply Schema("Issue");
    GET "/api/v1/finance/accounts" => api::finance::accounts, R(FIN_READERS), Api,
        "Ledger accounts in scope with their balances", reply Object(&["accounts: AccountBalance[]"]);
    GET "/api/v1/finance/transactions" => api::finance::transactions, R(FIN_READERS), Api,
        "Ledger transactions in scope, newest first", reply Object(&["transactions"]);
    POST "/api/v1/finance/allocations" => api::finance::allocate, R(FIN_ALLOCATORS), Api,
        "Allocate funds to a community (idempotency key)", body Json("NewAllocation"), reply Schema("Posted");
    GET "/api/v1/finance/claims" => api::finance::claims, R(FIN_READERS), Api, "Reimbursement claims in scope",
        reply Object(&["claims: Claim[]"]);
    POST "/api/v1/finance/claims" => api::finance::file_claim, R(FIN_CLAIMANTS), Api, "File a reimbursement claim",
        body Json("NewClaim"), reply Schema("Claim");
    GET "/api/v1/finance/claims/{id}" => api::finance::claim, R(FIN_READERS), Api, "A claim with its vouchers",
        reply Object(&["claim: Claim", "vouchers: VoucherInfo[]"]);
    POST "/api/v1/finance/claims/{id}/approve" => api::finance::approve, R(FIN_APPROVERS), Api,
        "Approve a claim; the final approval pays it", body Empty, reply Schema("Claim");
    POST "/api/v1/finance/claims/{id}/reject" => api::finance::reject, R(FIN_APPROVERS), Api,
        "Reject a claim with a reason", body Json("ClaimRejection"), reply Schema("Claim");
    POST "/api/v1/finance/claims/{id}/vouchers" => api::finance::add_voucher, R(FIN_CLAIMANTS), Api,
        "Attach a voucher (the body is the file)",
        body File("The voucher itself, sent as its own content type (`?filename=` names it)"),
        reply Schema("VoucherInfo");
    POST "/api/v1/finance/transfers" => api::finance::transfer, R(FIN_TREASURERS), Api,
        "Move money between the community's funds", body Json("NewTransfer"), reply Schema("Posted");
    POST "/api/v1/finance/closings" => api::finance::close, R(FIN_ALLOCATORS), Api,
        "Close a month or year of a community's books", body Json("PeriodClosing"), reply Object(&["closed_through"]);
    POST "/api/v1/finance/reopenings" => api::finance::reopen, R(FIN_REOPENERS), Api,
        "The city reopens a closed month or year, with its reason (audited)", body Json("PeriodReopening"),
        reply Object(&["closed_through"]);
    POST "/api/v1/finance/transactions/{id}/reverse" => api::finance::reverse, R(FIN_ALLOCATORS), Api,
        "Reverse a transaction exactly", body Json("Reversal"), reply Schema("Posted");
    POST "/api/v1/finance/settings" => api::finance::settings, R(FIN_ALLOCATORS), Api,
        "Set the district's second-approval threshold (yuan)", body Json("SecondApproval"), reply Object(&["second_approval_fen"]);
    GET "/api/v1/finance/district" => api::finance::district, R(FIN_DISTRICT_READERS), Api,
        "A district's communities side by side",
        reply Object(&["district", "year", "quarter", "communities: Disclosure[]"]);
    GET "/api/v1/communities/{code}/finance" => api::finance::disclosure, P, Api,
        "A community's public accounts for a quarter", reply Schema("Disclosure");
    GET "/lists" => pages::lists::index, P, Page, "The four community lists in force";
    GET "/lists/{kind}" => pages::lists::kind, P, Page, "One list: versions and the diff between two";
    GET "/lists/{kind}/export.xlsx" => pages::lists::export_xlsx, P, Page,
        "A list version as XLSX (?version=, default the newest)";
    GET "/lists/{kind}/drafts" => pages::lists::drafts, R(LIST_EDITORS), Page,
        "Open drafts of a list, and opening a new one";
    POST "/lists/{kind}/drafts" => pages::lists::create_draft, R(LIST_EDITORS), Page,
        "Open a draft: a copy of the version in force with the next version number";
    GET "/lists/{kind}/drafts/{version}" => pages::lists::draft, R(LIST_EDITORS), Page,
        "A draft with its entries and the forms to edit, review and publish it";
    POST "/lists/{kind}/drafts/{version}/entries" => pages::lists::add_entry, R(LIST_EDITORS), Page,
        "Add an entry to a draft";
    POST "/lists/{kind}/drafts/{version}/entries/{entry}" => pages::lists::replace_entry, R(LIST_EDITORS), Page,
        "Replace an entry of a draft";
    POST "/lists/{kind}/drafts/{version}/entries/{entry}/remove" => pages::lists::remove_entry, R(LIST_EDITORS), Page,
        "Remove an entry from a draft";
    POST "/lists/{kind}/drafts/{version}/import" => pages::lists::import_entries, R(LIST_EDITORS), Page,
        "Import entries into a draft from XLSX (multipart; rejected rows listed)";
    POST "/lists/{kind}/drafts/{version}/review" => pages::lists::review, R(LIST_EDITORS), Page,
        "Review a draft (validates its entries)";
    POST "/lists/{kind}/drafts/{version}/publish" => pages::lists::publish, R(LIST_EDITORS), Page,
        "Publish a reviewed draft with its effective date";
    GET "/access" => pages::lists::access, R(ACCESS_READERS), Page,
        "Access applications: file (department), review queue (city), burden";
    POST "/access" => pages::lists::file, R(ACCESS_APPLICANTS), Page,
        "File an access application (automatic checks run)";
    GET "/access/{id}" => pages::lists::show, R(ACCESS_READERS), Page, "An application with its check report";
    POST "/access/{id}/decide" => pages::lists::decide, R(ACCESS_REVIEWERS), Page,
        "Approve (number, expiry) or reject an application";
    GET "/tasks" => pages::lists::tasks, R(TASK_READERS), Page,
        "Tasks that reached the community, with refusal of unapproved ones";
    POST "/tasks" => pages::lists::push, R(TASK_PUSHERS), Page, "Record work pushed without approval";
    POST "/tasks/{id}/refuse" => pages::lists::refuse, R(TASK_REFUSERS), Page,
        "Refuse a task without an approval in force";
    GET "/api/v1/lists" => api::lists::index, P, Api, "The four lists in force", reply Object(&["lists"]);
    GET "/api/v1/lists/{kind}" => api::lists::kind, P, Api, "A list's versions and the diff between two (?from=&to=)",
        reply Object(&["kind", "name", "versions", "diff"]);
    GET "/api/v1/lists/{kind}/drafts" => api::lists::drafts, R(LIST_EDITORS), Api,
        "Open drafts of a list, and opening a new one", reply Object(&["drafts: ListVersion[]"]);
    POST "/api/v1/lists/{kind}/drafts" => api::lists::create_draft, R(LIST_EDITORS), Api,
        "Open a draft: a copy of the version in force with the next version number", body Empty,
        reply Schema("ListVersion");
    GET "/api/v1/lists/{kind}/drafts/{version}" => api::lists::draft, R(LIST_EDITORS), Api,
        "A draft with its entries and the forms to edit, review and publish it", reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/entries" => api::lists::add_entry, R(LIST_EDITORS), Api,
        "Add an entry to a draft", body Json("ListEntry"), reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}" => api::lists::replace_entry, R(LIST_EDITORS), Api,
        "Replace an entry of a draft", body Json("ListEntry"), reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}/remove" => api::lists::remove_entry, R(LIST_EDITORS),
        Api, "Remove an entry from a draft", body Empty, reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/import" => api::lists::import_entries, R(LIST_EDITORS), Api,
        "Import entries into a draft from XLSX (the body is the file)",
        body File("An XLSX workbook in the export's format"),
        reply Schema("ListImport");
    POST "/api/v1/lists/{kind}/drafts/{version}/review" => api::lists::review, R(LIST_EDITORS), Api,
        "Review a draft (validates its entries)", body Empty, reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/publish" => api::lists::publish, R(LIST_EDITORS), Api,
        "Publish a reviewed draft with its effective date", body Json("Publication"), reply Schema("ListVersion");
    GET "/api/v1/access" => api::lists::applications, R(ACCESS_READERS), Api,
        "Access applications in scope, with burden counts",
        reply Object(&["applications: AppRow[]", "departments", "communities"]);
    POST "/api/v1/access" => api::lists::file, R(ACCESS_APPLICANTS), Api,
        "File an access application; returns the check report", body Json("NewApplication"), reply Schema("Filed");
    GET "/api/v1/access/{id}" => api::lists::application, R(ACCESS_READERS), Api,
        "An application, its check report, approval and funding",
        reply Object(&["application: AppRow", "data", "report", "approval", "funding"]);
    POST "/api/v1/access/{id}/decide" => api::lists::decide, R(ACCESS_REVIEWERS), Api,
        "Approve or reject an application", body Json("AccessDecision"), reply Schema("Decided");
    GET "/api/v1/tasks" => api::lists::tasks, R(TASK_READERS), Api, "Community tasks in scope",
        reply Object(&["tasks", "communities"]);
    POST "/api/v1/tasks" => api::lists::push, R(TASK_PUSHERS), Api, "Record work pushed without approval",
        body Json("NewPush"), reply Schema("TaskRow");
    POST "/api/v1/tasks/{id}/refuse" => api::lists::refuse, R(TASK_REFUSERS), Api,
        "Refuse a task without an approval in force", body Json("TaskRefusal"), reply Schema("TaskRow");
    GET "/api/v1/hotline/caller" => api::providers::caller, R(HOTLINE_OPERATORS), Api,
        "The caller by phone (?phone=): residents and their cases", reply Schema("Caller");
    GET "/api/v1/hotline/triage" => api::providers::triage, R(TRIAGE_ROUTERS), Api,
        "Open311 requests waiting to be routed by hand, the most urgent first", reply Object(&["waiting"]);
    POST "/api/v1/hotline/triage/{id}/route" => api::providers::route_triage, R(TRIAGE_ROUTERS), Api,
        "Route a waiting request to a community", body Json("RouteTriage"), reply Schema("Case");
    GET "/api/v1/providers" => api::providers::list, R(PROVIDER_READERS), Api, "Service providers in scope",
        reply Object(&["providers: Provider[]"]);
    POST "/api/v1/providers" => api::providers::add, R(PROVIDER_ADMINS), Api, "Register a service provider",
        body Json("NewProvider"), reply Schema("Provider");
    GET "/api/v1/providers/performance" => api::providers::performance, R(PROVIDER_ADMINS), Api,
        "Performance per provider", reply Object(&["providers: Performance[]"]);
    POST "/api/v1/cases/{id}/dispatch" => api::providers::dispatch, R(HOTLINE_OPERATORS), Api,
        "Dispatch a case to a provider", body Json("NewDispatch"), reply Schema("Dispatch");
    GET "/api/v1/dispatches" => api::providers::dispatches, R(DISPATCH_READERS), Api,
        "Dispatches: a provider's own, or those in scope", reply Object(&["dispatches: DispatchView[]"]);
    POST "/api/v1/dispatches/{id}/accept" => api::providers::accept, R(PROVIDER_WORKERS), Api, "Accept a dispatch",
        body Empty, reply Schema("Dispatch");
    POST "/api/v1/dispatches/{id}/decline" => api::providers::decline, R(PROVIDER_WORKERS), Api,
        "Decline a dispatch (reason required)", body Json("DispatchDecline"), reply Schema("Dispatch");
    POST "/api/v1/dispatches/{id}/arrive" => api::providers::arrive, R(PROVIDER_WORKERS), Api,
        "Record arrival; the case goes in progress", body Empty, reply Schema("Dispatch");
    POST "/api/v1/dispatches/{id}/complete" => api::providers::complete, R(PROVIDER_WORKERS), Api,
        "Record completion; the case is resolved", body Json("Completion"), reply Schema("Dispatch");
    GET "/api/v1/outbox" => api::providers::outbox, R(OUTBOX_READERS), Api, "Notifications in scope, newest first",
        reply Object(&["outbox: Message[]"]);
    // Delivering notifications (issue 19): retries, receipts, channels and consent (rules §6), templates.
    POST "/outbox/{id}/retry" => pages::notify::retry, R(OUTBOX_READERS), Page, "Send a dead letter again";
    GET "/notify/prefs" => pages::notify::prefs, R(OUTBOX_READERS), Page,
        "Recipients' notification channels, opt-outs and consent records";
    POST "/notify/prefs" => pages::notify::set_prefs, R(NOTIFY_DESK), Page, "Record a recipient's channels and consent";
    GET "/notify/templates" => pages::notify::templates, R(OUTBOX_READERS), Page, "Notification templates per kind";
    POST "/notify/templates/{kind}" => pages::notify::set_template, R(TEMPLATE_EDITORS), Page, "Save a kind's template";
    GET "/notify/templates/{kind}/preview" => pages::notify::preview, R(OUTBOX_READERS), Page,
        "A template on an example message, with its SMS segments";
    POST "/api/v1/notify/receipts" => api::notify::receipt, P, Api,
        "A gateway's delivery receipt, signed (X-Shequ-Signature: sha256=HMAC of the body)", body Json("Receipt"),
        reply Object(&["recorded", "status"]);
    POST "/api/v1/outbox/{id}/retry" => api::notify::retry, R(OUTBOX_READERS), Api, "Send a dead letter again",
        body Empty, reply Schema("Message");
    GET "/api/v1/notify/prefs" => api::notify::prefs, R(OUTBOX_READERS), Api, "Channels and consent in scope",
        reply Object(&["prefs: Prefs[]"]);
    POST "/api/v1/notify/prefs" => api::notify::set_prefs, R(NOTIFY_DESK), Api,
        "Record a recipient's channels and consent", body Json("SetPrefs"), reply Schema("Prefs");
    GET "/api/v1/notify/templates" => api::notify::templates, R(OUTBOX_READERS), Api, "Saved templates",
        reply Object(&["templates: Template[]"]);
    POST "/api/v1/notify/templates/{kind}" => api::notify::set_template, R(TEMPLATE_EDITORS), Api,
        "Save a kind's template", body Json("SetTemplate"), reply Schema("Template");
    // The committee between elections (issue 15; rules §1.10, §1.12, §2.21, §2.22): removal and by-election only on
    // a 居民会议 decision, the 居民公约 effective with that decision and the district's filing.
    GET "/communities/{code}/election" => pages::election_public::show, P, Page,
        "A community's last election result: elected members' names and votes, turnout (no other personal data)";
    GET "/communities/{code}/committee" => pages::between::show, R(COMMITTEE_READERS), Page,
        "The residents' committee: members, removals and by-elections, covenants";
    POST "/communities/{code}/committee/changes" => pages::between::change, R(COMMITTEE_KEEPERS), Page,
        "Record a removal or by-election on a residents' meeting decision";
    POST "/communities/{code}/committee/covenants" => pages::between::draft, R(COMMITTEE_KEEPERS), Page,
        "Draft a residents' covenant";
    POST "/covenants/{id}/decision" => pages::between::decide, R(COMMITTEE_KEEPERS), Page,
        "Link the residents' meeting decision that adopted a covenant";
    POST "/covenants/{id}/filing" => pages::between::file, R(COVENANT_FILERS), Page,
        "The district records a covenant's filing; it takes effect";
    GET "/api/v1/communities/{code}/committee" => api::between::show, R(COMMITTEE_READERS), Api,
        "The residents' committee: members, removals and by-elections, covenants",
        reply Object(&["community", "roster", "changes", "covenants"]);
    POST "/api/v1/communities/{code}/committee/changes" => api::between::change, R(COMMITTEE_KEEPERS), Api,
        "Record a removal (with its recall motion, rule 2.22) or a by-election (rule 2.21) on a residents' meeting decision (rule 1.10)",
        body Json("NewChange"), reply Schema("CommitteeChange");
    POST "/api/v1/communities/{code}/committee/covenants" => api::between::draft, R(COMMITTEE_KEEPERS), Api,
        "Draft a residents' covenant", body Json("NewCovenant"), reply Schema("Covenant");
    POST "/api/v1/covenants/{id}/decision" => api::between::decide, R(COMMITTEE_KEEPERS), Api,
        "Link the residents' meeting decision that adopted a covenant (rule 1.12)", body Json("CovenantDecision"),
        reply Schema("Covenant");
    POST "/api/v1/covenants/{id}/filing" => api::between::file, R(COVENANT_FILERS), Api,
        "The district records a covenant's filing; it takes effect (rule 1.12)", body Json("CovenantFiling"),
        reply Schema("Covenant");
    // Residents' committee elections (rules §1.1, §1.4–§1.5, §2): the election committee's steps and the counting desk.
    GET "/elections" => pages::elections::index, R(ELECTION_READERS), Page, "Residents' committee elections";
    POST "/elections" => pages::elections::create, R(ELECTION_ORGANISERS), Page, "Prepare an election";
    GET "/elections/{id}" => pages::elections::show, R(ELECTION_READERS), Page,
        "An election: calendar and what is locked, candidates, boxes, result";
    GET "/elections/{id}/roll" => pages::elections::roll, R(ELECTION_READERS), Page,
        "The published voter roll (names and residents' groups)";
    POST "/elections/{id}/roll" => pages::elections::publish_roll, R(ELECTION_ORGANISERS), Page,
        "Build the voter roll from the registry and publish it";
    POST "/elections/{id}/candidates" => pages::elections::candidates, R(ELECTION_ORGANISERS), Page,
        "Publish the formal candidates";
    GET "/elections/{id}/sheet" => pages::elections::sheet::form, R(ELECTION_CLERKS), Page,
        "Form: a box's tally sheet at the counting desk";
    POST "/elections/{id}/boxes" => pages::elections::sheet::enter, R(ELECTION_CLERKS), Page,
        "Enter a box's tally sheet";
    POST "/elections/{id}/count" => pages::elections::count, R(ELECTION_ORGANISERS), Page, "Count the round";
    POST "/elections/{id}/seat" => pages::elections::seat, R(ELECTION_ORGANISERS), Page,
        "Seat the new residents' committee from the result";
    GET "/api/v1/elections" => api::elections::list, R(ELECTION_READERS), Api, "Elections in scope",
        reply Object(&["elections"]);
    POST "/api/v1/elections" => api::elections::create, R(ELECTION_ORGANISERS), Api,
        "Prepare an election in the admin's community", body Json("NewElection"), reply Object(&["id", "election_day", "status"]);
    GET "/api/v1/elections/{id}" => api::elections::show, R(ELECTION_READERS), Api,
        "An election with its calendar, what is locked, posts, candidates, boxes and result",
        reply Object(&["election", "ruleset", "locked", "posts", "candidates", "voters", "boxes", "result", "next", "rounds", "filing",
            "committee", "nominations", "open_nomination", "objections", "notices", "turnout_base",
            "applications"]);
    GET "/api/v1/elections/{id}/roll" => api::elections::roll, R(ELECTION_READERS), Api,
        "The published voter roll: names and residents' groups only", reply Object(&["published_on", "voters"]);
    POST "/api/v1/elections/{id}/roll" => api::elections::publish_roll, R(ELECTION_ORGANISERS), Api,
        "Build the voter roll from the registry and publish it", body Json("PublishRoll"),
        reply Object(&["published", "left_off"]);
    PUT "/api/v1/elections/{id}/candidates" => api::elections::candidates, R(ELECTION_ORGANISERS), Api,
        "Publish the formal candidates of every post", body Json("ElectionCandidates"), reply Object(&["candidates"]);
    POST "/api/v1/elections/{id}/boxes" => api::elections::enter_box, R(ELECTION_CLERKS), Api,
        "Enter a box's tally sheet", body Json("TallySheet"), reply Object(&["id", "name", "issued", "returned"]);
    POST "/api/v1/elections/{id}/count" => api::elections::count, R(ELECTION_ORGANISERS), Api, "Count the round",
        body Empty, reply Object(&["round_valid", "reason", "posts"]);
    POST "/api/v1/elections/{id}/seat" => api::elections::seat, R(ELECTION_ORGANISERS), Api,
        "Seat the new residents' committee from the result", body Empty, reply Object(&["members"]);
    // The roll after publication (rules §2.4 objections, §2.5 cannot-return notices).
    POST "/elections/{id}/applications" => pages::elections::objections::apply, R(ELECTION_ORGANISERS), Page,
        "Record a resident's application to register, with the committee's decision";
    POST "/api/v1/elections/{id}/applications" => api::elections::apply, R(ELECTION_ORGANISERS), Api,
        "Record a resident's application to register (rule 2.1(c)), with the committee's decision",
        body Json("ElectionApplication"), reply Object(&["name", "applied_on", "approved", "decided_on"]);
    POST "/elections/{id}/objections" => pages::elections::objections::file_objection, R(ELECTION_ORGANISERS), Page,
        "Record an objection to the voter roll";
    POST "/elections/{id}/objections/{objection}/decide" => pages::elections::objections::decide_objection,
        R(ELECTION_ORGANISERS), Page, "Decide an objection to the voter roll";
    POST "/elections/{id}/notices" => pages::elections::objections::add_notice, R(ELECTION_CLERKS), Page,
        "Record a voter's notice that they cannot return";
    POST "/api/v1/elections/{id}/objections" => api::elections::file_objection, R(ELECTION_ORGANISERS), Api,
        "Record an objection to the voter roll (rule 2.4)", body Json("ElectionObjection"),
        reply Object(&["id", "filed_on", "decision_due"]);
    POST "/api/v1/elections/{id}/objections/{objection}/decide" => api::elections::decide_objection,
        R(ELECTION_ORGANISERS), Api, "Decide an objection to the voter roll (rule 2.4)",
        body Json("ElectionObjectionDecision"), reply Object(&["id", "decided_on", "upheld"]);
    POST "/api/v1/elections/{id}/notices" => api::elections::add_notice, R(ELECTION_CLERKS), Api,
        "Record a voter's notice that they cannot return (rule 2.5)", body Json("AbsenceNotice"),
        reply Object(&["name", "notified_on"]);
    // Nomination (rules §2.6 joint nominations, §2.7 海选, §2.10 the election committee).
    POST "/elections/{id}/committee" => pages::elections::nomination::add_members, R(ELECTION_ORGANISERS), Page,
        "Add members to the election committee";
    POST "/elections/{id}/nominations" => pages::elections::nomination::nominate, R(ELECTION_ORGANISERS), Page,
        "Record a joint nomination";
    POST "/elections/{id}/open-nomination" => pages::elections::nomination::open_nomination, R(ELECTION_ORGANISERS),
        Page, "Record the 海选 count and publish its formal candidates";
    POST "/api/v1/elections/{id}/committee" => api::elections::add_members, R(ELECTION_ORGANISERS), Api,
        "Add members to the election committee", body Json("ElectionCommittee"), reply Object(&["committee"]);
    POST "/api/v1/elections/{id}/nominations" => api::elections::nominate, R(ELECTION_ORGANISERS), Api,
        "Record a joint nomination (rule 2.6)", body Json("ElectionNomination"),
        reply Object(&["id", "post", "candidate", "signers"]);
    POST "/api/v1/elections/{id}/open-nomination" => api::elections::open_nomination, R(ELECTION_ORGANISERS), Api,
        "Record the 海选 count and publish its formal candidates (rule 2.7)", body Json("OpenNomination"),
        reply Object(&["candidates"]);
    // Later rounds of an election (rules §2.17 run-off, §2.18 另行选举) and the filing of its result (§2.20).
    POST "/elections/{id}/rounds" => pages::elections::rounds::open, R(ELECTION_ORGANISERS), Page,
        "Open the run-off or 另行选举 the procedure calls for";
    GET "/elections/{id}/rounds/{number}/sheet" => pages::elections::rounds::sheet_form, R(ELECTION_CLERKS), Page,
        "Form: a later round's box tally sheet";
    POST "/elections/{id}/rounds/{number}/boxes" => pages::elections::rounds::enter, R(ELECTION_CLERKS), Page,
        "Enter a later round's box tally sheet";
    POST "/elections/{id}/rounds/{number}/count" => pages::elections::rounds::count, R(ELECTION_ORGANISERS), Page,
        "Count a later round";
    POST "/elections/{id}/announce" => pages::elections::rounds::announce, R(ELECTION_ORGANISERS), Page,
        "Announce the result and record the sealing of the ballots";
    POST "/elections/{id}/filing" => pages::elections::rounds::file, R(ELECTION_ORGANISERS), Page,
        "File the result with the district";
    POST "/elections/{id}/filing/receive" => pages::elections::rounds::receive, R(ELECTION_DISTRICT), Page,
        "The district records the filing's receipt";
    POST "/api/v1/elections/{id}/rounds" => api::elections::open_round, R(ELECTION_ORGANISERS), Api,
        "Open the run-off or 另行选举 the procedure calls for", body Json("NewRound"),
        reply Object(&["number", "kind", "polling_day", "status"]);
    POST "/api/v1/elections/{id}/rounds/{number}/boxes" => api::elections::enter_round_box, R(ELECTION_CLERKS), Api,
        "Enter a later round's box tally sheet", body Json("TallySheet"), reply Object(&["id", "name", "issued", "returned"]);
    POST "/api/v1/elections/{id}/rounds/{number}/count" => api::elections::count_round, R(ELECTION_ORGANISERS), Api,
        "Count a later round", body Empty, reply Object(&["round_valid", "reason", "posts"]);
    POST "/api/v1/elections/{id}/announce" => api::elections::announce, R(ELECTION_ORGANISERS), Api,
        "Announce the result and record the sealing of the ballots", body Json("ElectionAnnounce"),
        reply Object(&["announced_on", "sealed_on", "seal_note"]);
    POST "/api/v1/elections/{id}/filing" => api::elections::file, R(ELECTION_ORGANISERS), Api,
        "File the result with the district", body Json("ElectionFiling"), reply Object(&["filed_on"]);
    POST "/api/v1/elections/{id}/filing/receive" => api::elections::receive, R(ELECTION_DISTRICT), Api,
        "The district records the filing's receipt", body Json("ElectionFilingReceipt"),
        reply Object(&["received_on", "reference"]);
    // Polling (rules §2.11 proxies, §2.12 stations and mobile boxes, §2.13 tellers), locked while the calendar's
    // gaps are unmet (§2.3, §2.9); printable ballots per post and tally sheets per box.
    GET "/elections/{id}/proxies" => pages::elections::polling::proxies, R(ELECTION_READERS), Page,
        "The published list of principals and their proxies (names only, rule 2.11)";
    POST "/elections/{id}/proxies" => pages::elections::polling::add_proxy, R(ELECTION_ORGANISERS), Page,
        "Approve a proxy (rule 2.11)";
    POST "/elections/{id}/stations" => pages::elections::polling::add_station, R(ELECTION_ORGANISERS), Page,
        "Set up a polling station or mobile box (rule 2.12)";
    POST "/elections/{id}/mobile-voters" => pages::elections::polling::flag_mobile_voter, R(ELECTION_ORGANISERS), Page,
        "Flag a voter for a mobile box (rule 2.12)";
    POST "/elections/{id}/tellers" => pages::elections::polling::add_teller, R(ELECTION_ORGANISERS), Page,
        "Name a teller (rule 2.13)";
    GET "/elections/{id}/ballots" => pages::elections::print::ballots, R(ELECTION_CLERKS), Page,
        "Printable ballots, one per post (candidate names only)";
    GET "/elections/{id}/tally-sheets" => pages::elections::print::tally_sheets, R(ELECTION_CLERKS), Page,
        "Printable tally sheets, one per station or mobile box";
    GET "/api/v1/elections/{id}/polling" => api::election_polling::show, R(ELECTION_READERS), Api,
        "The polling set-up: stations and mobile boxes, tellers, proxies",
        reply Object(&["locked", "stations", "tellers", "proxies"]);
    GET "/api/v1/elections/{id}/proxies" => api::election_polling::proxies, R(ELECTION_READERS), Api,
        "The published list of principals and their proxies (names only, rule 2.11)", reply Object(&["proxies"]);
    POST "/api/v1/elections/{id}/proxies" => api::election_polling::add_proxy, R(ELECTION_ORGANISERS), Api,
        "Approve a proxy (rule 2.11)", body Json("ElectionProxy"), reply Object(&["principal", "proxy", "approved_on"]);
    POST "/api/v1/elections/{id}/stations" => api::election_polling::add_station, R(ELECTION_ORGANISERS), Api,
        "Set up a polling station or mobile box (rule 2.12)", body Json("ElectionStation"),
        reply Object(&["id", "name", "kind", "staff", "voters"]);
    POST "/api/v1/elections/{id}/mobile-voters" => api::election_polling::flag_mobile_voter, R(ELECTION_ORGANISERS),
        Api, "Flag a voter for a mobile box (rule 2.12)", body Json("ElectionMobileVoter"), reply Object(&["box", "voter"]);
    POST "/api/v1/elections/{id}/tellers" => api::election_polling::add_teller, R(ELECTION_ORGANISERS), Api,
        "Name a teller (rule 2.13)", body Json("ElectionTeller"), reply Object(&["name", "duty"]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_method_and_path_appears_once() {
        let mut seen = HashSet::new();
        for r in ROUTES {
            assert!(seen.insert((r.method, r.path)), "duplicate route {} {}", r.method, r.path);
            assert!(std::ptr::eq(find(r.method, r.path).unwrap(), r), "the guard finds {} {}", r.method, r.path);
        }
        assert!(std::ptr::eq(find("HEAD", "/healthz").unwrap(), find("GET", "/healthz").unwrap()));
    }

    #[test]
    fn api_routes_say_what_they_read_and_answer_and_pages_do_not() {
        for r in ROUTES {
            let api = r.kind == Kind::Api;
            let write = r.method != "GET";
            assert_eq!(r.body.is_some(), api && write, "{} {}: a body exactly on API writes", r.method, r.path);
            assert_eq!(r.reply.is_some(), api, "{} {}: an answer exactly on API routes", r.method, r.path);
        }
    }

    /// The router built by `app::router` serves every line of the table: adding the
    /// same method on the same path again is refused by axum as an overlap.
    #[tokio::test]
    async fn the_router_mounts_every_route() {
        let dir = std::env::temp_dir().join(format!("shequ-web-routes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/shequ.db", dir.display());
        let db = store::Db::connect(&url, store::seal::Seal::new([7; 32])).await.unwrap();
        let router = crate::app::router(crate::AppState::new(db));
        // The overlaps below are expected: keep their panic messages out of the output.
        let hook = std::sync::Arc::new(std::panic::take_hook());
        let other = hook.clone();
        std::panic::set_hook(Box::new(move |info| {
            if !info.to_string().contains("Overlapping method route") {
                other(info)
            }
        }));
        for r in ROUTES {
            let method = axum::http::Method::from_bytes(r.method.as_bytes()).unwrap();
            let filter = axum::routing::MethodFilter::try_from(method).unwrap();
            let again = axum::routing::on(filter, || async {});
            let overlap =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| router.clone().route(r.path, again))).is_err();
            assert!(overlap, "{} {} is in the table but not mounted", r.method, r.path);
        }
        // A method the table does not list for a path is not mounted either.
        let unlisted = axum::routing::on(axum::routing::MethodFilter::PATCH, || async {});
        assert!(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| router.clone().route("/healthz", unlisted)))
                .is_ok()
        );
        drop(std::panic::take_hook());
        if let Ok(hook) = std::sync::Arc::try_unwrap(hook) {
            std::panic::set_hook(hook);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
