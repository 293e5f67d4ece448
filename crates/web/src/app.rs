//! The router, built only through [`Builder::add`], which refuses a route
//! that has no entry in the policy table, so no route can be unguarded.

use crate::{AppState, api, ops, pages, policy};
use axum::Router;
use axum::routing::{MethodRouter, delete, get, post, put};
use std::collections::HashSet;
use tokio::net::TcpListener;

struct Builder {
    router: Router<AppState>,
    added: HashSet<(&'static str, &'static str)>,
}

impl Builder {
    fn add(&mut self, method: &'static str, path: &'static str, handler: MethodRouter<AppState>) {
        assert!(policy::spec(method, path).is_some(), "route {method} {path} has no entry in policy::ROUTES");
        self.added.insert((method, path));
        self.router = std::mem::take(&mut self.router).route(path, handler);
    }
}

pub fn router(state: AppState) -> Router {
    let mut b = Builder { router: Router::new(), added: HashSet::new() };
    // Operations
    b.add("GET", "/healthz", get(ops::healthz));
    b.add("GET", "/readyz", get(ops::readyz));
    b.add("GET", "/metrics", get(ops::metrics));
    b.add("GET", "/api/openapi.json", get(crate::openapi::document));
    b.add("GET", "/assets/{*file}", get(ops::asset));
    b.add("GET", "/lang", get(ops::switch_lang));
    // Pages
    b.add("GET", "/", get(pages::public::home));
    b.add("GET", "/communities/{code}", get(pages::public::community));
    b.add("GET", "/functions", get(pages::public::functions));
    b.add("GET", "/dashboard", get(pages::dashboard::show));
    b.add("GET", "/login", get(pages::session::login_form));
    b.add("POST", "/login", post(pages::session::login));
    b.add("POST", "/logout", post(pages::session::logout));
    b.add("GET", "/residents", get(pages::residents::list));
    b.add("GET", "/residents/new", get(pages::residents::new_form));
    b.add("POST", "/residents", post(pages::residents::create));
    b.add("GET", "/residents/import", get(pages::residents::import_form));
    b.add("POST", "/residents/import", post(pages::residents::import));
    b.add("GET", "/residents/import/{id}", get(pages::residents::import_result));
    b.add("GET", "/residents/export", get(pages::residents::export));
    b.add("GET", "/residents/{id}", get(pages::residents::show));
    b.add("POST", "/residents/{id}/reveal", post(pages::residents::reveal));
    b.add("GET", "/units", get(pages::units::list));
    b.add("POST", "/units", post(pages::units::create));
    b.add("GET", "/staff", get(pages::staff::list));
    b.add("POST", "/communities/{code}/committee", post(pages::public::set_committee));
    b.add("GET", "/audit", get(pages::audit::list));
    b.add("GET", "/pb", get(pages::pb::list));
    b.add("POST", "/pb", post(pages::pb::create_call));
    b.add("GET", "/pb/{id}", get(pages::pb::show));
    b.add("POST", "/pb/{id}/projects", post(pages::pb::propose));
    b.add("POST", "/pb/{id}/advance", post(pages::pb::advance));
    b.add("POST", "/pb/{id}/ballots", post(pages::pb::vote));
    b.add("POST", "/pb/{id}/paper-ballots", post(pages::pb::paper_vote));
    b.add("POST", "/pb/projects/{id}/review", post(pages::pb::review));
    b.add("GET", "/pb/projects/{id}", get(pages::pb::project));
    b.add("POST", "/pb/projects/{id}/milestones", post(pages::pb::add_milestone));
    b.add("POST", "/pb/milestones/{id}/complete", post(pages::pb::complete_milestone));
    b.add("POST", "/pb/projects/{id}/evaluations", post(pages::pb::evaluate));
    b.add("GET", "/deliberation", get(pages::deliberation::index));
    b.add("POST", "/deliberation/topics", post(pages::deliberation::create_topic));
    b.add("GET", "/deliberation/topics/{id}", get(pages::deliberation::topic));
    b.add("POST", "/deliberation/topics/{id}/comments", post(pages::deliberation::comment));
    b.add("POST", "/deliberation/topics/{id}/close", post(pages::deliberation::close_topic));
    b.add("POST", "/deliberation/meetings", post(pages::deliberation::create_meeting));
    b.add("GET", "/deliberation/meetings/{id}", get(pages::deliberation::meeting));
    b.add("POST", "/deliberation/meetings/{id}/attendance", post(pages::deliberation::attendance));
    b.add("POST", "/deliberation/meetings/{id}/minutes", post(pages::deliberation::minutes));
    b.add("POST", "/deliberation/meetings/{id}/resolutions", post(pages::deliberation::resolve));
    b.add("POST", "/deliberation/petitions", post(pages::deliberation::create_petition));
    b.add("POST", "/deliberation/followups", post(pages::deliberation::create_followup));
    b.add("POST", "/deliberation/followups/{id}/done", post(pages::deliberation::followup_done));
    b.add("GET", "/communities/{code}/record", get(pages::deliberation::record));
    b.add("GET", "/cases", get(pages::cases::index));
    b.add("POST", "/cases", post(pages::cases::create));
    b.add("GET", "/cases/{id}", get(pages::cases::show));
    b.add("POST", "/cases/{id}/events", post(pages::cases::event));
    b.add("GET", "/cases/new", get(pages::cases::new));
    b.add("POST", "/cases/{id}/attachments", post(pages::case::attach));
    b.add("GET", "/cases/{id}/attachments/{aid}", get(pages::case::download));
    b.add("POST", "/cases/{id}/link", post(pages::case::link));
    b.add("GET", "/service/stats", get(pages::service::stats));
    b.add("GET", "/service/items", get(pages::service::items));
    b.add("POST", "/service/items", post(pages::service::save_items));
    b.add("GET", "/service/league", get(pages::service::league));
    b.add("GET", "/me/cases", get(pages::service::mine));
    b.add("POST", "/me/cases", post(pages::service::create_mine));
    b.add("GET", "/me/cases/{id}", get(pages::service::my_case));
    b.add("POST", "/me/cases/{id}/rate", post(pages::service::rate));
    b.add("GET", "/stewards", get(pages::stewards::index));
    b.add("POST", "/stewards", post(pages::stewards::volunteer));
    b.add("POST", "/stewards/{id}/decide", post(pages::stewards::decide));
    b.add("POST", "/stewards/issues", post(pages::stewards::raise_issue));
    b.add("POST", "/stewards/issues/{id}/status", post(pages::stewards::issue_status));
    b.add("GET", "/finance", get(pages::finance::index));
    b.add("POST", "/finance/claims", post(pages::finance::file_claim));
    b.add("POST", "/finance/claims/{id}/approve", post(pages::finance::approve));
    b.add("POST", "/finance/claims/{id}/reject", post(pages::finance::reject));
    b.add("GET", "/finance/vouchers/{id}", get(pages::finance::voucher));
    b.add("POST", "/finance/allocations", post(pages::finance::allocate));
    b.add("GET", "/finance/district", get(pages::finance::district));
    b.add("GET", "/communities/{code}/finance", get(pages::finance::public));
    b.add("GET", "/communities/{code}/finance.xlsx", get(pages::finance::public_xlsx));
    b.add("GET", "/hotline", get(pages::hotline::console));
    b.add("POST", "/hotline/cases", post(pages::hotline::create));
    b.add("POST", "/cases/{id}/dispatch", post(pages::hotline::dispatch));
    b.add("GET", "/provider", get(pages::providers::worker));
    b.add("POST", "/provider/dispatches/{id}/accept", post(pages::providers::accept));
    b.add("POST", "/provider/dispatches/{id}/decline", post(pages::providers::decline));
    b.add("POST", "/provider/dispatches/{id}/arrive", post(pages::providers::arrive));
    b.add("POST", "/provider/dispatches/{id}/complete", post(pages::providers::complete));
    b.add("GET", "/providers", get(pages::providers::registry));
    b.add("POST", "/providers", post(pages::providers::add));
    b.add("GET", "/providers/performance", get(pages::providers::performance));
    b.add("GET", "/outbox", get(pages::hotline::outbox));
    b.add("GET", "/me/notifications", get(pages::hotline::my_notifications));
    // API
    b.add("POST", "/api/v1/session", post(api::session::login));
    b.add("DELETE", "/api/v1/session", delete(api::session::logout));
    b.add("GET", "/api/v1/me", get(api::session::me));
    b.add("GET", "/api/v1/districts", get(api::structure::districts));
    b.add("GET", "/api/v1/communities", get(api::structure::communities));
    b.add("GET", "/api/v1/communities/{code}", get(api::structure::community));
    b.add("PUT", "/api/v1/communities/{code}/committee", put(api::structure::set_committee));
    b.add("GET", "/api/v1/functions", get(api::structure::functions));
    b.add("GET", "/api/v1/residents", get(api::residents::list));
    b.add("POST", "/api/v1/residents", post(api::residents::create));
    b.add("POST", "/api/v1/residents/import", post(api::residents::import));
    b.add("GET", "/api/v1/residents/import/{id}", get(api::residents::import_result));
    b.add("GET", "/api/v1/residents/{id}", get(api::residents::show));
    b.add("POST", "/api/v1/residents/{id}/reveal", post(api::residents::reveal));
    b.add("GET", "/api/v1/units", get(api::structure::units));
    b.add("POST", "/api/v1/units", post(api::structure::add_unit));
    b.add("GET", "/api/v1/staff", get(api::structure::staff));
    b.add("GET", "/api/v1/audit", get(api::audit::list));
    b.add("GET", "/api/v1/audit/verify", get(api::audit::verify));
    b.add("GET", "/api/v1/pb/calls", get(api::pb::calls));
    b.add("POST", "/api/v1/pb/calls", post(api::pb::create_call));
    b.add("GET", "/api/v1/pb/calls/{id}", get(api::pb::call));
    b.add("POST", "/api/v1/pb/calls/{id}/projects", post(api::pb::propose));
    b.add("POST", "/api/v1/pb/calls/{id}/advance", post(api::pb::advance));
    b.add("POST", "/api/v1/pb/calls/{id}/ballots", post(api::pb::vote));
    b.add("POST", "/api/v1/pb/calls/{id}/paper-ballots", post(api::pb::paper_vote));
    b.add("POST", "/api/v1/pb/projects/{id}/review", post(api::pb::review));
    b.add("GET", "/api/v1/pb/projects/{id}", get(api::pb::project));
    b.add("POST", "/api/v1/pb/projects/{id}/milestones", post(api::pb::add_milestone));
    b.add("POST", "/api/v1/pb/milestones/{id}/complete", post(api::pb::complete_milestone));
    b.add("POST", "/api/v1/pb/projects/{id}/evaluations", post(api::pb::evaluate));
    b.add("GET", "/api/v1/deliberation/topics", get(api::deliberation::topics));
    b.add("POST", "/api/v1/deliberation/topics", post(api::deliberation::create_topic));
    b.add("GET", "/api/v1/deliberation/topics/{id}", get(api::deliberation::topic));
    b.add("POST", "/api/v1/deliberation/topics/{id}/comments", post(api::deliberation::comment));
    b.add("POST", "/api/v1/deliberation/topics/{id}/close", post(api::deliberation::close_topic));
    b.add("GET", "/api/v1/deliberation/meetings", get(api::deliberation::meetings));
    b.add("POST", "/api/v1/deliberation/meetings", post(api::deliberation::create_meeting));
    b.add("GET", "/api/v1/deliberation/meetings/{id}", get(api::deliberation::meeting));
    b.add("POST", "/api/v1/deliberation/meetings/{id}/attendance", post(api::deliberation::attendance));
    b.add("POST", "/api/v1/deliberation/meetings/{id}/minutes", post(api::deliberation::minutes));
    b.add("POST", "/api/v1/deliberation/meetings/{id}/resolutions", post(api::deliberation::resolve));
    b.add("GET", "/api/v1/deliberation/petitions", get(api::deliberation::petitions));
    b.add("POST", "/api/v1/deliberation/petitions", post(api::deliberation::create_petition));
    b.add("GET", "/api/v1/deliberation/followups", get(api::deliberation::followups));
    b.add("POST", "/api/v1/deliberation/followups", post(api::deliberation::create_followup));
    b.add("POST", "/api/v1/deliberation/followups/{id}/done", post(api::deliberation::followup_done));
    b.add("GET", "/api/v1/communities/{code}/record", get(api::deliberation::record));
    b.add("GET", "/open311/v2/discovery.json", get(api::open311::discovery));
    b.add("GET", "/open311/v2/services.json", get(api::open311::services));
    b.add("GET", "/open311/v2/requests.json", get(api::open311::requests::search));
    b.add("POST", "/open311/v2/requests.json", post(api::open311::requests::post));
    b.add("GET", "/open311/v2/discovery.xml", get(api::open311::discovery));
    b.add("GET", "/open311/v2/services.xml", get(api::open311::services));
    b.add("GET", "/open311/v2/requests.xml", get(api::open311::requests::search));
    b.add("POST", "/open311/v2/requests.xml", post(api::open311::requests::post));
    b.add("GET", "/open311/v2/services/{file}", get(api::open311::definition));
    b.add("GET", "/open311/v2/requests/{file}", get(api::open311::requests::one));
    b.add("GET", "/open311/v2/tokens/{file}", get(api::open311::token));
    b.add("GET", "/api/v1/service-items", get(api::cases::items));
    b.add("GET", "/api/v1/cases", get(api::cases::list));
    b.add("POST", "/api/v1/cases", post(api::cases::create));
    b.add("POST", "/api/v1/cases/{id}/link", post(api::cases::link));
    b.add("POST", "/api/v1/cases/{id}/attachments", post(api::cases::attach));
    b.add("GET", "/api/v1/service/stats", get(api::cases::stats));
    b.add("GET", "/api/v1/service/adopted", get(api::cases::adopted));
    b.add("POST", "/api/v1/service/adopted", post(api::cases::set_adopted));
    b.add("GET", "/api/v1/service/league", get(api::cases::league));
    b.add("GET", "/api/v1/me/cases", get(api::cases::mine));
    b.add("POST", "/api/v1/me/cases", post(api::cases::create_mine));
    b.add("GET", "/api/v1/cases/{id}", get(api::cases::show));
    b.add("POST", "/api/v1/cases/{id}/events", post(api::cases::event));
    b.add("GET", "/api/v1/stewards", get(api::stewards::stewards));
    b.add("POST", "/api/v1/stewards", post(api::stewards::volunteer));
    b.add("POST", "/api/v1/stewards/{id}/decide", post(api::stewards::decide));
    b.add("GET", "/api/v1/stewards/issues", get(api::stewards::issues));
    b.add("POST", "/api/v1/stewards/issues", post(api::stewards::raise_issue));
    b.add("POST", "/api/v1/stewards/issues/{id}/status", post(api::stewards::issue_status));
    b.add("GET", "/api/v1/finance/accounts", get(api::finance::accounts));
    b.add("GET", "/api/v1/finance/transactions", get(api::finance::transactions));
    b.add("POST", "/api/v1/finance/allocations", post(api::finance::allocate));
    b.add("GET", "/api/v1/finance/claims", get(api::finance::claims));
    b.add("POST", "/api/v1/finance/claims", post(api::finance::file_claim));
    b.add("GET", "/api/v1/finance/claims/{id}", get(api::finance::claim));
    b.add("POST", "/api/v1/finance/claims/{id}/approve", post(api::finance::approve));
    b.add("POST", "/api/v1/finance/claims/{id}/reject", post(api::finance::reject));
    b.add("POST", "/api/v1/finance/claims/{id}/vouchers", post(api::finance::add_voucher));
    b.add("POST", "/api/v1/finance/transfers", post(api::finance::transfer));
    b.add("POST", "/api/v1/finance/closings", post(api::finance::close));
    b.add("POST", "/api/v1/finance/transactions/{id}/reverse", post(api::finance::reverse));
    b.add("GET", "/api/v1/finance/district", get(api::finance::district));
    b.add("GET", "/api/v1/communities/{code}/finance", get(api::finance::disclosure));
    b.add("GET", "/lists", get(pages::lists::index));
    b.add("GET", "/lists/{kind}", get(pages::lists::kind));
    b.add("GET", "/lists/{kind}/export.xlsx", get(pages::lists::export_xlsx));
    b.add("GET", "/lists/{kind}/drafts", get(pages::lists::drafts));
    b.add("POST", "/lists/{kind}/drafts", post(pages::lists::create_draft));
    b.add("GET", "/lists/{kind}/drafts/{version}", get(pages::lists::draft));
    b.add("POST", "/lists/{kind}/drafts/{version}/entries", post(pages::lists::add_entry));
    b.add("POST", "/lists/{kind}/drafts/{version}/entries/{entry}", post(pages::lists::replace_entry));
    b.add("POST", "/lists/{kind}/drafts/{version}/entries/{entry}/remove", post(pages::lists::remove_entry));
    b.add("POST", "/lists/{kind}/drafts/{version}/import", post(pages::lists::import_entries));
    b.add("POST", "/lists/{kind}/drafts/{version}/review", post(pages::lists::review));
    b.add("POST", "/lists/{kind}/drafts/{version}/publish", post(pages::lists::publish));
    b.add("GET", "/access", get(pages::lists::access));
    b.add("POST", "/access", post(pages::lists::file));
    b.add("GET", "/access/{id}", get(pages::lists::show));
    b.add("POST", "/access/{id}/decide", post(pages::lists::decide));
    b.add("GET", "/tasks", get(pages::lists::tasks));
    b.add("POST", "/tasks", post(pages::lists::push));
    b.add("POST", "/tasks/{id}/refuse", post(pages::lists::refuse));
    b.add("GET", "/api/v1/lists", get(api::lists::index));
    b.add("GET", "/api/v1/lists/{kind}", get(api::lists::kind));
    b.add("GET", "/api/v1/lists/{kind}/drafts", get(api::lists::drafts));
    b.add("POST", "/api/v1/lists/{kind}/drafts", post(api::lists::create_draft));
    b.add("GET", "/api/v1/lists/{kind}/drafts/{version}", get(api::lists::draft));
    b.add("POST", "/api/v1/lists/{kind}/drafts/{version}/entries", post(api::lists::add_entry));
    b.add("POST", "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}", post(api::lists::replace_entry));
    b.add("POST", "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}/remove", post(api::lists::remove_entry));
    b.add("POST", "/api/v1/lists/{kind}/drafts/{version}/import", post(api::lists::import_entries));
    b.add("POST", "/api/v1/lists/{kind}/drafts/{version}/review", post(api::lists::review));
    b.add("POST", "/api/v1/lists/{kind}/drafts/{version}/publish", post(api::lists::publish));
    b.add("GET", "/api/v1/access", get(api::lists::applications));
    b.add("POST", "/api/v1/access", post(api::lists::file));
    b.add("GET", "/api/v1/access/{id}", get(api::lists::application));
    b.add("POST", "/api/v1/access/{id}/decide", post(api::lists::decide));
    b.add("GET", "/api/v1/tasks", get(api::lists::tasks));
    b.add("POST", "/api/v1/tasks", post(api::lists::push));
    b.add("POST", "/api/v1/tasks/{id}/refuse", post(api::lists::refuse));
    b.add("GET", "/api/v1/hotline/caller", get(api::providers::caller));
    b.add("GET", "/api/v1/providers", get(api::providers::list));
    b.add("POST", "/api/v1/providers", post(api::providers::add));
    b.add("GET", "/api/v1/providers/performance", get(api::providers::performance));
    b.add("POST", "/api/v1/cases/{id}/dispatch", post(api::providers::dispatch));
    b.add("GET", "/api/v1/dispatches", get(api::providers::dispatches));
    b.add("POST", "/api/v1/dispatches/{id}/accept", post(api::providers::accept));
    b.add("POST", "/api/v1/dispatches/{id}/decline", post(api::providers::decline));
    b.add("POST", "/api/v1/dispatches/{id}/arrive", post(api::providers::arrive));
    b.add("POST", "/api/v1/dispatches/{id}/complete", post(api::providers::complete));
    b.add("GET", "/api/v1/outbox", get(api::providers::outbox));

    for s in policy::ROUTES {
        assert!(
            b.added.contains(&(s.method, s.path)),
            "policy::ROUTES lists {} {} but no handler serves it",
            s.method,
            s.path
        );
    }
    b.router
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), policy::guard))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), ops::track))
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
        .with_state(state)
}

/// Serve until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
