//! Schemas of the outbox's delivery (issue 19): receipts, preferences and consent, templates.

use super::*;

pub fn add(m: &mut Map<String, Value>) {
    m.insert(
        "Receipt".into(),
        input(
            &[
                ("idempotency_key", d(string(), "The key the message was sent with.")),
                ("status", d(string(), "delivered | undelivered (also DELIVRD, failed)")),
                ("detail", d(string(), "The gateway's own words.")),
            ],
            &["idempotency_key", "status"],
        ),
    );
    m.insert(
        "SetPrefs".into(),
        input(
            &[
                (
                    "subject",
                    said("A resident's phone number, `community:<code>`, `provider:<id>` or `supervisor:<queue>`."),
                ),
                ("subject_kind", one_of(&["resident", "provider", "staff"], "Whose preferences these are")),
                ("opted_out", flag()),
                ("sms", d(flag(), "SMS allowed (default yes).")),
                ("prefer", d(string(), "Staff and providers: sms | email | webhook")),
                ("email", string()),
                ("phone", string()),
                ("consent_how", one_of(&["counter", "hotline", "online", "paper", "staff"], "How consent was given")),
            ],
            &["subject", "subject_kind", "consent_how"],
        ),
    );
    m.insert(
        "Prefs".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("subject", string()),
            ("subject_kind", string()),
            ("opted_out", int()),
            ("sms", int()),
            ("prefer", null(string())),
            ("email", null(string())),
            ("phone", null(string())),
            ("consent_at", string()),
            ("consent_how", string()),
            ("recorded_by", string()),
            ("updated_at", string()),
        ]),
    );
    m.insert("SetTemplate".into(), input(&[("zh", string()), ("en", string())], &["zh", "en"]));
    m.insert(
        "Template".into(),
        record(&[
            ("kind", string()),
            ("zh", string()),
            ("en", string()),
            ("updated_by", string()),
            ("updated_at", string()),
        ]),
    );
}
