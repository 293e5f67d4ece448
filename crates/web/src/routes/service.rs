//! The one-stop service center: the counter, the 2881890 hotline, the back office's queue and case
//! pages, the city's triage queue, residents' own cases, providers and their dispatches, and Open311 (GeoReport v2).

use super::*;

routes! {
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
        reply Object(&["cases: CaseView[]", "cut: string[]"]);
    POST "/api/v1/me/cases" => api::cases::create_mine, R(CASE_RESIDENTS), Api,
        "A resident makes a request (channel web)", body Json("NewCase"), reply Schema("Case");
    GET "/api/v1/cases/{id}" => api::cases::show, R(CASE_READERS), Api,
        "A case with its history, SLA and the events the caller may trigger",
        reply Object(&["case: CaseView", "history", "allowed_events", "attachments: Attachment[]"]);
    POST "/api/v1/cases/{id}/events" => api::cases::event, R(CASE_HANDLERS), Api,
        "Apply an event to a case (start, resolve, send_back…)", body Json("CaseEvent"), reply Schema("Case");
    GET "/api/v1/hotline/caller" => api::providers::caller, R(HOTLINE_OPERATORS), Api,
        "The caller by phone (?phone=): residents and their cases", reply Schema("Caller");
    GET "/api/v1/hotline/triage" => api::providers::triage, R(TRIAGE_ROUTERS), Api,
        "Open311 requests waiting to be routed by hand, the most urgent first", reply Object(&["waiting", "cut: string[]"]);
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
        "Dispatches: a provider's own, or those in scope", reply Object(&["dispatches: DispatchView[]", "cut: string[]"]);
    POST "/api/v1/dispatches/{id}/accept" => api::providers::accept, R(PROVIDER_WORKERS), Api, "Accept a dispatch",
        body Empty, reply Schema("Dispatch");
    POST "/api/v1/dispatches/{id}/decline" => api::providers::decline, R(PROVIDER_WORKERS), Api,
        "Decline a dispatch (reason required)", body Json("DispatchDecline"), reply Schema("Dispatch");
    POST "/api/v1/dispatches/{id}/arrive" => api::providers::arrive, R(PROVIDER_WORKERS), Api,
        "Record arrival; the case goes in progress", body Empty, reply Schema("Dispatch");
    POST "/api/v1/dispatches/{id}/complete" => api::providers::complete, R(PROVIDER_WORKERS), Api,
        "Record completion; the case is resolved", body Json("Completion"), reply Schema("Dispatch");
    GET "/api/v1/outbox" => api::providers::outbox, R(OUTBOX_READERS), Api, "Notifications in scope, newest first",
        reply Object(&["outbox: Message[]", "cut: string[]"]);
}
