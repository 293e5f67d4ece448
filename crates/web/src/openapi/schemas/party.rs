//! Party building with resident units: request bodies and answers.

use super::*;

fn id_text() -> Value {
    d(loose(), "A record's id (a number, or its text).")
}

pub(super) fn add(m: &mut Map<String, Value>) {
    // Requests.
    m.insert(
        "NewSeat".into(),
        input(
            &[
                ("person", said("The member's name")),
                ("unit_id", d(loose(), "The unit of a part-time member; empty for a full-time member.")),
                ("post", one_of(&["secretary", "deputy_secretary", "member"], "The post")),
                ("term_from", date("The term's first day")),
                ("term_to", date("The term's last day")),
                ("appointment_ref", said("The appointment's reference")),
            ],
            &["person", "post", "term_from", "term_to", "appointment_ref"],
        ),
    );
    m.insert(
        "EndSeat".into(),
        input(&[("ended_on", d(string(), "YYYY-MM-DD, the last day held, inside the term.")), ("note", string())], &[]),
    );
    m.insert(
        "NewRepresentative".into(),
        input(
            &[("meeting_id", id_text()), ("unit_id", id_text()), ("person", said("The representative's name"))],
            &["meeting_id", "unit_id", "person"],
        ),
    );
    m.insert(
        "NewLiaison".into(),
        input(&[("username", said("The liaison's log-in")), ("unit_id", id_text())], &["username", "unit_id"]),
    );
    m.insert(
        "NewAgreement".into(),
        input(
            &[
                ("unit_id", id_text()),
                ("title", said("The agreement's title")),
                ("period_from", date("The period's first day")),
                ("period_to", date("The period's last day")),
                ("signed_on", date("The day it was signed")),
            ],
            &["unit_id", "title", "period_from", "period_to", "signed_on"],
        ),
    );
    m.insert(
        "NewCommitment".into(),
        input(
            &[
                (
                    "kind",
                    one_of(&["venue", "volunteers", "money", "goods", "services", "jobs"], "The kind of commitment"),
                ),
                ("description", said("The commitment")),
                ("quantity", d(loose(), "In the kind's measure: hours, volunteer hours, yuan, items, times, posts.")),
                ("schedule", string()),
                ("fund", d(string(), "Money only: `operating` (default), `service_purchase`, `project:<line>`.")),
                (
                    "decision_meeting_id",
                    d(loose(), "Money only: the community's 居民会议 that decided to collect it (rules §1.14)."),
                ),
                (
                    "venue_type",
                    d(string(), "Venue only, optional: a facility type of the living circle (code or name)."),
                ),
                ("venue_lon", d(loose(), "Venue only, with venue_type: WGS 84 longitude in degrees.")),
                ("venue_lat", d(loose(), "Venue only, with venue_type: WGS 84 latitude in degrees.")),
            ],
            &["kind", "description"],
        ),
    );
    m.insert(
        "NewFulfilment".into(),
        input(
            &[
                ("commitment_id", id_text()),
                ("kind", d(string(), "The kind fulfilled; empty: the commitment's own.")),
                ("done_on", d(string(), "YYYY-MM-DD, inside the agreement's period.")),
                ("quantity", d(loose(), "In the kind's measure; money in yuan.")),
                ("note", string()),
            ],
            &[],
        ),
    );
    m.insert(
        "FulfilmentDecision".into(),
        input(&[("decision", one_of(&["confirm", "reject"], "The decision")), ("note", string())], &["decision"]),
    );
    m.insert(
        "NewEvaluation".into(),
        input(
            &[
                ("unit_id", id_text()),
                ("year", whole(1990, 2100, "The year evaluated")),
                ("grade", one_of(&["excellent", "good", "fair", "poor"], "The grade")),
                ("comments", said("The evaluation's comments")),
            ],
            &["unit_id", "year", "grade", "comments"],
        ),
    );
    m.insert("PartyReply".into(), input(&[("reply", string())], &[]));
    m.insert(
        "NewCadreReview".into(),
        input(
            &[
                ("unit_id", id_text()),
                ("cadre_name", said("The cadre's name")),
                ("current_post", said("The current post")),
                ("proposed_post", said("The proposed post")),
                ("review", said("The written review")),
                ("recommendation", one_of(&["recommend", "reservations", "not_recommended"], "The recommendation")),
                ("reasons", said("The reasons")),
            ],
            &["unit_id", "cadre_name", "current_post", "proposed_post", "review", "recommendation", "reasons"],
        ),
    );
    m.insert(
        "NewVeto".into(),
        input(
            &[
                ("unit_id", id_text()),
                ("year", whole(1990, 2100, "The year")),
                ("statement", said("The written statement")),
                ("grounds", d(arr(int()), "Commitments from the unit's own record of that year.")),
            ],
            &["unit_id", "year", "statement"],
        ),
    );
    m.insert(
        "VetoDecision".into(),
        input(&[("decision", one_of(&["upheld", "overturned"], "The decision")), ("note", string())], &["decision"]),
    );

    // Answers.
    let scoped = |extra: &[(&str, Value)]| {
        let mut f = vec![("id", int()), ("community_code", string()), ("district_code", string())];
        f.extend(extra.iter().cloned());
        record(&f)
    };
    m.insert(
        "PartySeat".into(),
        scoped(&[
            ("person", string()),
            ("unit_id", null(int())),
            ("membership", d(string(), "full_time | part_time")),
            ("post", string()),
            ("term_from", string()),
            ("term_to", string()),
            ("appointment_ref", string()),
            ("created_by", string()),
            ("created_at", string()),
            ("ended_on", null(string())),
            ("end_note", string()),
            ("unit_name", null(string())),
        ]),
    );
    m.insert(
        "PartyRepresentative".into(),
        scoped(&[
            ("unit_id", int()),
            ("meeting_id", int()),
            ("person", string()),
            ("created_by", string()),
            ("created_at", string()),
            ("unit_name", string()),
            ("meeting_title", string()),
            ("meeting_kind", string()),
            ("held_on", string()),
        ]),
    );
    m.insert(
        "PartyLiaison".into(),
        record(&[("username", string()), ("unit_id", int()), ("display_name", string()), ("unit_name", string())]),
    );
    m.insert(
        "PartyAgreement".into(),
        scoped(&[
            ("unit_id", int()),
            ("title", string()),
            ("period_from", string()),
            ("period_to", string()),
            ("signed_on", string()),
            ("created_by", string()),
            ("created_at", string()),
            ("unit_name", string()),
        ]),
    );
    m.insert(
        "PartyCommitment".into(),
        scoped(&[
            ("agreement_id", int()),
            ("unit_id", int()),
            ("kind", string()),
            ("description", string()),
            ("quantity", d(int(), "In the kind's measure; money in fen.")),
            ("schedule", string()),
            ("fund", string()),
            ("decision_meeting_id", null(int())),
            ("fulfilled", d(int(), "Confirmed so far.")),
            ("reported", d(int(), "Reported, awaiting confirmation.")),
        ]),
    );
    m.insert(
        "PartyFulfilment".into(),
        scoped(&[
            ("commitment_id", int()),
            ("unit_id", int()),
            ("kind", string()),
            ("done_on", string()),
            ("quantity", int()),
            ("note", string()),
            ("status", d(string(), "reported | confirmed | rejected")),
            ("reported_by", string()),
            ("reported_at", string()),
            ("decided_by", null(string())),
            ("decided_at", null(string())),
            ("decision_note", string()),
            ("fin_tx_id", null(int())),
        ]),
    );
    let reply = || [("reply", string()), ("replied_by", null(string())), ("replied_at", null(string()))];
    let mut ev = vec![
        ("unit_id", int()),
        ("year", int()),
        ("grade", string()),
        ("fulfilled_percent", int()),
        ("comments", string()),
        ("evaluated_by", string()),
        ("created_at", string()),
    ];
    ev.extend(reply());
    ev.push(("unit_name", string()));
    m.insert("PartyEvaluation".into(), scoped(&ev));
    let mut cr = vec![
        ("unit_id", int()),
        ("cadre_name", string()),
        ("current_post", string()),
        ("proposed_post", string()),
        ("review", string()),
        ("recommendation", string()),
        ("reasons", string()),
        ("reviewed_by", string()),
        ("created_at", string()),
    ];
    cr.extend(reply());
    cr.push(("unit_name", string()));
    m.insert("CadreReview".into(), scoped(&cr));
    m.insert(
        "PartyVeto".into(),
        scoped(&[
            ("unit_id", int()),
            ("year", int()),
            ("statement", string()),
            ("decided_by", string()),
            ("created_at", string()),
            ("review", d(string(), "pending | upheld | overturned")),
            ("review_note", string()),
            ("reviewed_by", null(string())),
            ("reviewed_at", null(string())),
            ("unit_name", string()),
        ]),
    );
    m.insert(
        "PartyVetoGround".into(),
        record(&[
            ("veto_id", int()),
            ("commitment_id", int()),
            ("committed", int()),
            ("due", int()),
            ("fulfilled", int()),
            ("kind", string()),
            ("description", string()),
        ]),
    );
    m.insert("PartyVetoView".into(), flattened(r("PartyVeto"), record(&[("grounds", arr(r("PartyVetoGround")))])));
    m.insert(
        "PartyOverview".into(),
        record(&[
            ("seats", arr(r("PartySeat"))),
            ("representatives", arr(r("PartyRepresentative"))),
            ("liaisons", arr(r("PartyLiaison"))),
            ("agreements", arr(r("PartyAgreement"))),
            ("commitments", arr(r("PartyCommitment"))),
            ("fulfilments", arr(r("PartyFulfilment"))),
            ("evaluations", arr(r("PartyEvaluation"))),
            ("cadre_reviews", arr(r("CadreReview"))),
            ("vetoes", arr(r("PartyVetoView"))),
            ("unit", d(null(int()), "The unit a liaison officer acts for.")),
            ("cut", d(arr(string()), "The lists above that hold only their first rows (1,000) of a longer list.")),
        ]),
    );
    m.insert(
        "PartyFigureRow".into(),
        record(&[
            ("community_code", string()),
            ("community_name", string()),
            ("district_code", string()),
            ("units_seated", int()),
            ("agreements_signed", int()),
            ("agreements_in_force", int()),
            ("commitments", int()),
            ("commitments_fulfilled", int()),
            ("volunteer_hours", int()),
            ("venues_open", int()),
        ]),
    );
    m.insert(
        "PartyFigures".into(),
        record(&[
            ("on", string()),
            ("communities", arr(r("PartyFigureRow"))),
            ("districts", arr(r("PartyFigureRow"))),
            ("city", r("PartyFigureRow")),
            (
                "history",
                d(
                    arr(record(&[("year", int()), ("city", r("PartyFigureRow"))])),
                    "The city at the end of each of the last years (the current one: as of `on`).",
                ),
            ),
            (
                "targets",
                d(
                    record(&[("year", int()), ("units_seated", int()), ("agreements_signed", int())]),
                    "The seed's 2014 figures for Tongling (据原文).",
                ),
            ),
        ]),
    );
}
