//! Structure and the residents registry: districts, communities, residents with their import,
//! export and audited reveal, resident units, staff, and the audit log with its chain check.

use super::*;

routes! {
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
}
