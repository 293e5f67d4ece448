//! Residents' committee elections (issue 15; rules §1.1, §1.4–§1.5, §2): the election committee's steps —
//! calendar, roll (§2.4 objections, §2.5 cannot-return notices), nomination (§2.6 joint, §2.7 海选, §2.10 the
//! committee), polling (§2.11 proxies, §2.12 stations and mobile boxes, §2.13 tellers; locked while the calendar's
//! gaps are unmet), the counting desk, later rounds (§2.17 run-off, §2.18 另行选举) and the filing (§2.20).

use super::*;

routes! {
    GET "/communities/{code}/election" => pages::election_public::show, P, Page,
        "A community's last election result: elected members' names and votes, turnout (no other personal data)";
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
        reply Object(&["elections", "cut: string[]"]);
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
