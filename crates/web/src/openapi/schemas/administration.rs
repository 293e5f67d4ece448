//! Answers: finance, access applications and tasks, providers and dispatches, lists,
//! structure and users, and the answers the handlers build themselves.

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
    m.insert(
        "Posted".into(),
        record(&[
            ("tx_id", int()),
            ("created", d(boolean(), "False when the key was used before and nothing new was posted.")),
        ]),
    );
    m.insert(
        "Claim".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("payee", string()),
            ("amount_fen", int()),
            ("purpose", string()),
            ("fund", string()),
            ("fund_ref", string()),
            ("budget_line_id", null(int())),
            ("status", d(string(), "pending → (head_approved →) paid, or rejected.")),
            ("needs_district", int()),
            ("filed_by", int()),
            ("filed_by_name", string()),
            ("head_by", null(int())),
            ("head_at", null(string())),
            ("district_by", null(int())),
            ("district_at", null(string())),
            ("rejected_by", null(int())),
            ("rejected_at", null(string())),
            ("reject_reason", string()),
            ("tx_id", null(int())),
            ("paid_on", null(string())),
            ("idem_key", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "VoucherInfo".into(),
        record(&[
            ("id", int()),
            ("claim_id", int()),
            ("filename", string()),
            ("content_type", string()),
            ("size_bytes", int()),
            ("sha256", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Disclosure".into(),
        record(&[
            ("community_code", string()),
            ("community_name", string()),
            ("district_code", string()),
            ("year", int()),
            ("quarter", int()),
            ("from", string()),
            ("to", string()),
            ("rows", arr(other("FundRow"))),
            ("income_fen", int()),
            ("expense_fen", int()),
            ("opening_fen", int()),
            ("closing_fen", int()),
            ("large_from_fen", d(int(), "Payments at or above this amount are listed one by one.")),
            ("large", arr(other("LargePayment"))),
        ]),
    );
    m.insert(
        "AppRow".into(),
        record(&[
            ("id", int()),
            ("department", string()),
            ("level", string()),
            ("district_code", null(string())),
            ("item_type", string()),
            ("title", string()),
            ("status", d(string(), "rejected | pending | approved | refused_by_city")),
            ("verdict", string()),
            ("filed_by", string()),
            ("created_at", string()),
            ("decided_by", null(string())),
            ("decided_at", null(string())),
            ("decision_reason", string()),
        ]),
    );
    m.insert(
        "ApprovalRow".into(),
        record(&[
            ("id", int()),
            ("application_id", int()),
            ("number", string()),
            ("approved_on", string()),
            ("expires_on", null(string())),
            ("approved_by", string()),
        ]),
    );
    m.insert("Filed".into(), record(&[("application", r("AppRow")), ("report", other("CheckReport"))]));
    m.insert(
        "Decided".into(),
        record(&[
            ("application", r("AppRow")),
            ("approval", null(r("ApprovalRow"))),
            ("tasks", arr(r("TaskRow"))),
            ("funding", null(other("FundingPlan"))),
            (
                "allocations",
                d(arr(t("array")), "Allocations posted to the communities' assistance funds (ledger tx ids)."),
            ),
            (
                "allocation_errors",
                d(arr(t("array")), "Allocations the ledger refused (the plan stays stored for a retry)."),
            ),
        ]),
    );
    m.insert(
        "TaskRow".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("application_id", null(int())),
            ("approval_number", null(string())),
            ("approved_on", null(string())),
            ("expires_on", null(string())),
            ("emergency", null(string())),
            ("department", string()),
            ("item_type", string()),
            ("title", string()),
            ("status", d(string(), "active | refused")),
            ("refusal_reason", null(string())),
            ("created_by", string()),
            ("created_at", string()),
            (
                "ended_at",
                d(
                    null(string()),
                    "When it stops being in force: its refusal, or its approval's last second; null: no end",
                ),
            ),
        ]),
    );
    m.insert(
        "Provider".into(),
        record(&[
            ("id", int()),
            ("name", string()),
            ("kind", d(string(), "public_welfare | market")),
            ("provider_type", d(string(), "A service item's `unit_name` (unit kind `provider`), e.g. 家政服务商.")),
            ("credit_code", null(string())),
            ("phone", string()),
            ("district_code", string()),
            ("price_list", d(string(), "JSON object: item code → fen.")),
            ("active", int()),
            ("created_at", string()),
            ("illustrative", int()),
        ]),
    );
    m.insert(
        "Dispatch".into(),
        record(&[
            ("id", int()),
            ("case_id", int()),
            ("provider_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("status", d(string(), "offered | accepted | declined | arrived | completed | cancelled")),
            ("offered_at", string()),
            ("accepted_at", null(string())),
            ("declined_at", null(string())),
            ("decline_reason", null(string())),
            ("arrived_at", null(string())),
            ("completed_at", null(string())),
            ("price_fen", int()),
            ("note", string()),
        ]),
    );
    m.insert(
        "Caller".into(),
        record(&[
            ("phone", string()),
            ("residents", arr(r("Resident"))),
            ("cases", d(arr(r("CaseView")), "Cases from this number or of these residents, newest first.")),
        ]),
    );
    m.insert(
        "VersionRow".into(),
        record(&[
            ("id", int()),
            ("kind", string()),
            ("version", int()),
            ("status", string()),
            ("effective_on", null(string())),
            ("note", string()),
            ("illustrative", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "ListImport".into(),
        record(&[
            ("version", r("ListVersion")),
            ("imported", arr(string())),
            ("rejected", arr(other("RejectedEntry"))),
        ]),
    );
    m.insert(
        "Community".into(),
        record(&[
            ("code", string()),
            ("district_code", string()),
            ("former_district_code", null(string())),
            ("name", string()),
            ("formed_on", string()),
            ("illustrative", int()),
            ("center_address", string()),
            ("center_phone", string()),
            ("center_hours", string()),
            ("details_illustrative", int()),
            ("code_illustrative", int()),
        ]),
    );
    m.insert(
        "District".into(),
        record(&[
            ("code", string()),
            ("name", string()),
            ("name_en", string()),
            ("valid_from", null(string())),
            ("valid_to", null(string())),
            ("successor", null(string())),
        ]),
    );
    m.insert(
        "Function".into(),
        record(&[
            ("id", int()),
            ("name", string()),
            ("name_en", string()),
            ("direction", string()),
            ("receiver", string()),
            ("effective_on", string()),
            ("source", string()),
            ("illustrative", int()),
        ]),
    );
    m.insert(
        "UserRow".into(),
        record(&[
            ("id", int()),
            ("username", string()),
            ("display_name", string()),
            ("role", string()),
            ("community_code", null(string())),
            ("district_code", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Message".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("case_id", null(int())),
            ("recipient_kind", d(string(), "resident | provider | staff")),
            ("recipient", d(string(), "A phone number, `provider:<id>` or `community:<code>`.")),
            ("channel", d(string(), "sms | app")),
            ("body_zh", string()),
            ("body_en", string()),
            ("created_at", string()),
            ("delivered_at", null(string())),
            ("status", d(string(), "queued | sent | delivered | undelivered | dead | skipped")),
            ("kind", d(string(), "The template kind: notice | case_ack | case_update | dispatch | escalation")),
            ("attempts", int()),
            ("next_attempt_at", null(string())),
            ("sent_via", d(null(string()), "sms | email | webhook")),
            ("last_error", null(string())),
            ("receipt", null(string())),
            ("receipt_at", null(string())),
        ]),
    );
    m.insert(
        "AccountBalance".into(),
        record(&[
            ("code", string()),
            ("name_zh", string()),
            ("name_en", string()),
            ("kind", string()),
            ("fund", string()),
            ("community_code", null(string())),
            ("district_code", string()),
            ("balance_fen", d(int(), "Signed, debit positive.")),
        ]),
    );
    m.insert(
        "League".into(),
        record(&[
            ("queue", string()),
            ("name", string()),
            ("resolved", int()),
            ("open", int()),
            ("on_time_rate", null(num())),
            ("avg_respond_hours", null(num())),
            ("avg_handle_hours", null(num())),
            ("satisfaction", null(num())),
            ("rated", int()),
            ("reopened", int()),
        ]),
    );
    m.insert(
        "Performance".into(),
        record(&[
            ("provider", r("Provider")),
            ("offered", int()),
            ("accepted", d(int(), "Accepted at some point (also those since arrived or completed).")),
            ("declined", int()),
            ("completed", int()),
            ("median_accept_minutes", null(num())),
            ("avg_accept_minutes", null(num())),
            ("avg_completion_hours", null(num())),
            ("satisfaction", d(null(num()), "Average overall rating (1–5) and how many ratings it rests on.")),
            ("ratings", int()),
            ("complaints", int()),
        ]),
    );
    m.insert(
        "DispatchView".into(),
        flattened(
            r("Dispatch"),
            record(&[
                ("provider_name", string()),
                ("provider_kind", string()),
                ("item_code", string()),
                ("item_name", string()),
                ("caller_name", string()),
                ("caller_phone", string()),
                ("building", string()),
                ("address", string()),
                ("description", string()),
                ("case_status", string()),
            ]),
        ),
    );
    m.insert("Item".into(), record(&[("id", int()), ("code", string()), ("name", string()), ("category", string()), ("unit_kind", d(string(), "community | department | provider")), ("unit_name", string()), ("materials", d(string(), "JSON array of strings.")), ("limit_days", d(int(), "Legal time limit in working days.")), ("fee_kind", d(string(), "free | standard")), ("fee_fen", int()), ("channels", d(string(), "JSON array of channel names.")), ("questions", d(string(), "JSON array of questions: `{\"key\",\"label\",\"kind\":\"text|number|date|single|multi\",\"required\",\"options\"}`.")), ("created_at", string())]));
    m.insert("CasePage".into(), record(&[("cases", arr(r("CaseView"))), ("offset", int()), ("more", boolean())]));
    // Answers built in the handlers.
    m.insert(
        "MeetingState".into(),
        flattened(
            r("Meeting"),
            json!({"type": "object", "required": ["validly_held"], "properties": {
                "validly_held": d(null(boolean()), "Whether the meeting was validly held; null until attendance is recorded"),
                "not_held_because": d(string(), "Why it was not validly held (only then)")}}),
        ),
    );
    m.insert("ListVersion".into(), record(&[("row", r("VersionRow")), ("entries", arr(any()))]));
}
