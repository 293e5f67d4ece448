//! Community social organisations and purchases of services: request bodies.
//! Numbers may come as text (the forms send text); flags as `true`/`on`.

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
    let text = |d_: &str| d(string(), d_);
    let buyer_kinds: Vec<&str> = rules::orgs::purchase::PartyKind::ALL.iter().map(|k| k.word()).collect();
    m.insert(
        "NewOrg".into(),
        input(
            &[
                ("name", said("The organisation's name")),
                ("tier", one_of(&["registered", "filed", "small"], "rule 5.11")),
                ("legal_form", text("Registered only: social_group | service_org | foundation")),
                ("uscc", text("Registered only: GB 32100 code with prefix 51, 52 or 53 (rules 5.14, 6c)")),
                (
                    "nature",
                    one_of(
                        &[
                            "community_service",
                            "residents_committee_body",
                            "owners_committee",
                            "building_self_governance",
                            "for_profit",
                        ],
                        "rule 5.13",
                    ),
                ),
                ("profit_making", flag()),
                ("is_federation", d(flag(), "A federation is a registered social group (rule 5.16).")),
                ("fields", said("The fields of service")),
                ("person_in_charge", said("The person in charge")),
                ("person_phone", said("The person in charge's phone: where the organisation's notices go (optional)")),
                ("founded_on", date("The day it was founded")),
                ("people", whole(0, 1_000_000, "A social group's individual members (rule 5.15).")),
                ("units", whole(0, 1_000_000, "A social group's unit members (rule 5.15).")),
            ],
            &["name", "tier", "nature", "fields", "person_in_charge", "founded_on"],
        ),
    );
    m.insert(
        "OrgSettings".into(),
        input(
            &[
                ("sg_individuals", whole(0, 100_000, "A social group's least individual members (rule 5.15)")),
                ("sg_units", whole(0, 100_000, "A social group's least unit members")),
                ("sg_mixed_total", whole(0, 100_000, "A mixed social group's least members in all")),
                (
                    "inspection_due",
                    json!({ "type": "string", "pattern": "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                            "description": "MM-DD" }),
                ),
                ("reminder_days", whole(0, 366, "Days before the due day the reminders go out")),
            ],
            &[],
        ),
    );
    m.insert("OpenYear".into(), input(&[("year", whole(1990, 2100, "The year inspected"))], &["year"]));
    m.insert("AnnualReport".into(), input(&[("report", string())], &[]));
    m.insert(
        "InspectionDecision".into(),
        input(&[("decision", one_of(&["pass", "fail"], "The decision")), ("note", string())], &["decision"]),
    );
    m.insert(
        "OrgEdit".into(),
        input(&[("fields", string()), ("person_in_charge", string()), ("person_phone", string())], &[]),
    );
    m.insert(
        "NewOrgMember".into(),
        input(
            &[
                ("member_org_id", d(loose(), "An organisation joining; or else `person`.")),
                ("person", string()),
                ("post", string()),
                ("joined_on", text("YYYY-MM-DD")),
            ],
            &[],
        ),
    );
    m.insert(
        "NewOrgActivity".into(),
        input(
            &[("held_on", text("YYYY-MM-DD")), ("title", string()), ("participants", loose()), ("hours", loose())],
            &[],
        ),
    );
    m.insert("NewOrgAccount".into(), input(&[("username", string())], &[]));
    m.insert(
        "NewCatalogueItem".into(),
        input(
            &[
                ("code", said("The catalogue code")),
                ("title", said("The item's title")),
                ("published_on", date("The day it was published")),
                ("negative", flag()),
            ],
            &["code", "title", "published_on"],
        ),
    );
    m.insert(
        "NewPurchaseBudgetLine".into(),
        input(
            &[
                ("community", string()),
                ("year", whole(1990, 2100, "The budget year")),
                ("title", said("The budget line's title")),
                ("amount", yuan("The amount approved")),
                ("approved_ref", said("The approval's reference")),
            ],
            &["year", "title", "amount", "approved_ref"],
        ),
    );
    m.insert(
        "NewPurchaseProject".into(),
        input(
            &[
                ("community", text("District buyers: the community served.")),
                ("title", said("The project's title")),
                ("catalogue_id", loose()),
                ("budget_line_id", loose()),
                ("buyer_name", said("The buyer")),
                ("buyer_kind", one_of(&buyer_kinds, "What the buyer is (rule 5.1)")),
                ("content", said("The service content")),
                ("barred", text("Rule 5.3 items, comma-separated; empty: none.")),
                ("prior_assessment", said("Rule 5.8: the prior performance assessment")),
                ("targets", said("Rule 5.8: the performance targets")),
                ("measure", one_of(&["visits", "hours", "people"], "What the quantity counts")),
                ("target_quantity", whole(1, 1_000_000_000, "How many of the measure")),
                ("price", yuan("The price")),
            ],
            &[
                "title",
                "catalogue_id",
                "budget_line_id",
                "buyer_name",
                "buyer_kind",
                "content",
                "prior_assessment",
                "targets",
                "measure",
                "target_quantity",
                "price",
            ],
        ),
    );
    m.insert("NewPurchaseApplication".into(), input(&[("note", string())], &[]));
    m.insert(
        "NewPurchaseContract".into(),
        input(
            &[
                ("provider_org_id", d(loose(), "The provider from the registry; or else provider_name and provider_kind.")),
                ("provider_name", string()),
                ("provider_kind", string()),
                ("individual_reason", text("Rule 5.9.")),
                ("method", text("open_tender | invited_tender | competitive_negotiation | competitive_consultation | single_source | inquiry")),
                ("discriminatory", flag()),
                ("quantity_terms", string()),
                ("quality_terms", string()),
                ("settlement", string()),
                ("rights", string()),
                ("liability", string()),
                ("term_from", text("YYYY-MM-DD")),
                ("term_to", text("YYYY-MM-DD; at most a year, three with justification (rule 5.7).")),
                ("justification", string()),
                ("budget_guarantee", flag()),
                ("published_on", text("YYYY-MM-DD")),
            ],
            &[],
        ),
    );
    m.insert(
        "NewServiceRecord".into(),
        input(
            &[
                ("done_on", text("YYYY-MM-DD")),
                ("visits", loose()),
                ("hours", loose()),
                ("people", loose()),
                ("note", string()),
            ],
            &[],
        ),
    );
    m.insert(
        "ServiceRecordDecision".into(),
        input(&[("decision", one_of(&["confirm", "reject"], "The decision")), ("note", string())], &["decision"]),
    );
    m.insert(
        "NewPurchaseEvaluation".into(),
        input(
            &[
                ("stage", text("mid | final")),
                ("evaluator", text("community | residents")),
                ("score", loose()),
                ("comments", string()),
            ],
            &[],
        ),
    );
    m.insert(
        "NewPurchasePayment".into(),
        input(&[("amount", yuan("The amount paid")), ("paid_on", date("The day it was paid"))], &["amount", "paid_on"]),
    );
}
