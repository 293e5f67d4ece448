//! The 15-minute living circle (issue 16): the GB 50180 catalogue, walking networks, coverage from the
//! residents registry, the facilities registry and siting. Scope: `policy::CIRCLE_*` and `actions::circle`.

use super::*;

routes! {
    GET "/circle" => pages::circle::show, A, Page,
        "The 15-minute living circle: GB 50180 catalogue, walking networks, facilities map and table";
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
}
