//! Community social organisations, their federation, and government purchase of services (issue 17;
//! rules §5, §6c).

use super::*;

routes! {
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
        reply Object(&["orgs", "figures", "total", "inspections", "overdue", "federations", "my_org", "settings", "cut: string[]"]);
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
        reply Object(&["org", "members", "activities", "inspections", "roll_up", "mine", "short_of_members", "cut: string[]"]);
    POST "/api/v1/orgs/{id}/edit" => api::orgs::edit, R(ORG_KEEPERS), Api, "Keep an organisation's record",
        body Json("OrgEdit"), reply Object(&["id", "fields", "person_in_charge"]);
    POST "/api/v1/orgs/{id}/members" => api::orgs::add_member, R(ORG_KEEPERS), Api, "Add a member (rule 5.16)",
        body Json("NewOrgMember"), reply Object(&["id", "member_org_id", "person"]);
    POST "/api/v1/orgs/{id}/activities" => api::orgs::add_activity, R(ORG_KEEPERS), Api, "Record an activity",
        body Json("NewOrgActivity"), reply Object(&["id", "held_on", "title", "participants", "hours"]);
    POST "/api/v1/orgs/{id}/account" => api::orgs::bind_account, R(ORG_COMMUNITY), Api, "Bind an organisation's log-in",
        body Json("NewOrgAccount"), reply Object(&["id", "name"]);
    GET "/api/v1/purchases" => api::orgs::purchases, R(ORG_READERS), Api, "Catalogue, budget lines and projects in reach",
        reply Object(&["catalogue", "budget_lines", "projects", "cut: string[]"]);
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
}
