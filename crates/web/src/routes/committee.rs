//! The committee between elections (issue 15; rules §1.10, §1.12, §2.21, §2.22): removal and by-election only on
//! a 居民会议 decision, the 居民公约 effective with that decision and the district's filing.

use super::*;

routes! {
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
}
