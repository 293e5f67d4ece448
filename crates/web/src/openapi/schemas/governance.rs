//! Answers: the registry, resident-chosen projects, deliberation, cases and stewards
//! as the store serialises them.

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
    // Responses: what the store returns, every field present (null when empty).
    m.insert(
        "Resident".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("group_id", null(int())),
            ("name", string()),
            ("id_masked", d(string(), "The first 4 characters and the check character; the birth date never shows.")),
            (
                "birth_date",
                d(
                    null(string()),
                    "Only for roles that may reveal the ID number (front desk, community administrator).",
                ),
            ),
            ("birth_year", int()),
            ("sex", string()),
            ("household", string()),
            ("building", string()),
            ("address", string()),
            ("phone", string()),
            ("hukou", int()),
            ("moved_in", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "ImportReport".into(),
        record(&[
            ("run_id", int()),
            ("total", int()),
            ("inserted", int()),
            ("unchanged", int()),
            ("rejected", arr(other("Rejected"))),
        ]),
    );
    m.insert(
        "Unit".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("name", string()),
            ("kind", string()),
            ("uscc", string()),
            ("party_org", string()),
            ("contact_name", string()),
            ("contact_phone", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Call".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("description", string()),
            ("budget_fen", int()),
            ("phase", string()),
            ("ballot_kind", string()),
            ("min_choices", int()),
            ("max_choices", null(int())),
            ("max_cost_fen", null(int())),
            ("points", null(int())),
            ("rule", string()),
            ("created_at", string()),
            ("proposals_until", null(string())),
            ("voting_until", null(string())),
            (
                "tie_break",
                d(string(), "`id` (pabutools: smaller project id as text) or `cost` (lower cost, then more votes)."),
            ),
        ]),
    );
    m.insert(
        "Project".into(),
        record(&[
            ("id", int()),
            ("call_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("description", string()),
            ("category", string()),
            ("location", string()),
            ("cost_fen", int()),
            ("proposed_cost_fen", int()),
            ("proposer", string()),
            ("status", string()),
            ("review_score", null(int())),
            ("review_note", string()),
            ("selected", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Execution".into(),
        record(&[
            ("project", r("Project")),
            ("budget_fen", int()),
            ("spent_fen", int()),
            ("milestones", arr(r("Milestone"))),
            ("spending", arr(other("Spending"))),
            ("evaluations", int()),
            ("rating_x100", d(null(int()), "Average rating × 100 (exact integer arithmetic), if anyone rated.")),
        ]),
    );
    m.insert(
        "Milestone".into(),
        record(&[
            ("id", int()),
            ("project_id", int()),
            ("title", string()),
            ("due_on", string()),
            ("done_on", null(string())),
            ("note", string()),
        ]),
    );
    m.insert(
        "Topic".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("description", string()),
            ("raised_by_kind", d(string(), "resident | unit | committee")),
            ("raised_by_name", string()),
            ("raised_by", d(string(), "The account that recorded the topic.")),
            ("important", d(int(), "1 when tagged \"涉及全体居民利益的重要问题\" (rules §1.9).")),
            ("status", d(string(), "open | closed")),
            ("closing_resolution_id", null(int())),
            ("closing_note", string()),
            ("created_at", string()),
            ("closed_at", null(string())),
        ]),
    );
    m.insert(
        "Comment".into(),
        record(&[
            ("id", int()),
            ("topic_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("author", string()),
            ("author_name", string()),
            ("body", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Resolution".into(),
        record(&[
            ("id", int()),
            ("meeting_id", int()),
            ("topic_id", null(int())),
            ("community_code", string()),
            ("district_code", string()),
            ("motion", string()),
            ("present", int()),
            ("votes_yes", int()),
            ("votes_no", int()),
            ("votes_abstain", int()),
            ("passed", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Followup".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("kind", d(string(), "convene_assembly (mandatory after a petition, rules §1.8) | action")),
            ("mandatory", int()),
            ("title", string()),
            ("owner", string()),
            ("due_on", string()),
            ("source", d(string(), "petition | resolution | '' — and the row it came from.")),
            ("source_id", null(int())),
            ("done", int()),
            ("done_at", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Petition".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("subject", string()),
            ("adults_signed", int()),
            ("households_signed", int()),
            ("groups_signed", int()),
            ("adults_total", int()),
            ("households_total", int()),
            ("groups_total", int()),
            ("forces_meeting", int()),
            ("received_by", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Meeting".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("kind", d(string(), "council (议事会) | assembly (居民会议)")),
            ("title", string()),
            ("held_on", string()),
            ("base_kind", d(null(string()), "For a 居民会议: all_adults | households | group_representatives.")),
            ("base_count", int()),
            ("present", d(null(int()), "None until attendance is recorded.")),
            ("attendees", d(string(), "Names of those present, one a line (optional; never shown publicly).")),
            ("minutes", string()),
            ("created_by", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "PublicRecord".into(),
        record(&[
            ("community_code", string()),
            ("community_name", string()),
            ("meetings", arr(other("PublicMeeting"))),
            ("topics", arr(other("PublicTopic"))),
        ]),
    );
    m.insert(
        "Case".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("item_code", string()),
            ("channel", string()),
            ("resident_id", null(int())),
            ("caller_name", string()),
            ("caller_phone", string()),
            ("description", string()),
            ("answers", string()),
            ("address", string()),
            ("building", string()),
            ("lat", null(num())),
            ("lon", null(num())),
            ("lead_queue", null(string())),
            ("status", string()),
            ("duplicates", d(string(), "JSON array of the ids of probable duplicates flagged at intake.")),
            ("created_at", string()),
            ("updated_at", string()),
            ("category", string()),
            (
                "deadline_at",
                d(null(string()), "The legal deadline at the last event (None while the clock is stopped)."),
            ),
            ("warn_at", null(string())),
            ("resolved_at", null(string())),
            ("on_time", null(int())),
            ("rating", null(int())),
            ("co_handlers", d(string(), "JSON array of co-handling queues.")),
            ("linked_to", null(int())),
        ]),
    );
    m.insert(
        "CaseView".into(),
        flattened(
            r("Case"),
            record(&[
                ("item_name", string()),
                ("limit_days", int()),
                ("deadline", null(string())),
                ("sla_state", d(null(string()), "on_time | warning | overdue | stopped | met | missed")),
                ("overdue", boolean()),
            ]),
        ),
    );
    m.insert(
        "Attachment".into(),
        record(&[
            ("id", int()),
            ("case_id", int()),
            ("name", string()),
            ("mime", string()),
            ("size", int()),
            ("sha256", string()),
            ("added_by", string()),
            ("added_at", string()),
        ]),
    );
    m.insert(
        "CaseStats".into(),
        record(&[
            ("total", int()),
            ("open", int()),
            ("overdue_now", int()),
            ("by_status", tally()),
            ("by_channel", tally()),
            ("by_category", tally()),
            ("resolved", int()),
            ("on_time", int()),
            ("on_time_rate", d(null(num()), "Share of resolutions before their deadline, 0–1.")),
            ("avg_handle_hours", null(num())),
            ("avg_respond_hours", null(num())),
            ("rated", int()),
            ("satisfaction", d(null(num()), "Mean overall rating, 1–5.")),
            ("satisfied_rate", d(null(num()), "Share of ratings that were not dissatisfied (overall ≥ 3), 0–1.")),
            ("reopened", int()),
            ("hotline_solved", d(int(), "Hotline cases resolved (the 2881890 counter).")),
        ]),
    );
    m.insert(
        "Steward".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("user_id", int()),
            ("resident_id", int()),
            ("name", string()),
            ("area", d(string(), "A building (\"1栋\") or an area of the community.")),
            ("motivation", string()),
            ("status", d(string(), "pending | approved | rejected")),
            ("decided_by", null(string())),
            ("decided_at", null(string())),
            ("note", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Issue".into(),
        record(&[
            ("id", int()),
            ("steward_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("area", string()),
            ("building", string()),
            ("title", string()),
            ("description", string()),
            ("status", d(string(), "open | forwarded | closed")),
            ("status_note", string()),
            ("created_at", string()),
            ("updated_at", string()),
            ("case_id", d(null(int()), "The service case a forwarded issue became")),
        ]),
    );
}
