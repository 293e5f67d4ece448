//! Community social organisations and purchases of services: request bodies.
//! Numbers may come as text (the forms send text); flags as `true`/`on`.

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
    let text = |d_: &str| d(string(), d_);
    m.insert(
        "NewOrg".into(),
        input(
            &[
                ("name", string()),
                ("tier", text("registered | filed | small (rule 5.11)")),
                ("legal_form", text("Registered only: social_group | service_org | foundation")),
                ("uscc", text("Registered only: GB 32100 code with prefix 51, 52 or 53 (rules 5.14, 6c)")),
                (
                    "nature",
                    text("community_service | residents_committee_body | owners_committee | building_self_governance | for_profit (rule 5.13)"),
                ),
                ("profit_making", flag()),
                ("is_federation", d(flag(), "A federation is a registered social group (rule 5.16).")),
                ("fields", string()),
                ("person_in_charge", string()),
                ("person_phone", text("The person in charge's phone: where the organisation's notices go (optional).")),
                ("founded_on", text("YYYY-MM-DD")),
                ("people", d(loose(), "A social group's individual members (rule 5.15).")),
                ("units", d(loose(), "A social group's unit members (rule 5.15).")),
            ],
            &[],
        ),
    );
    m.insert(
        "OrgSettings".into(),
        input(
            &[
                ("sg_individuals", loose()),
                ("sg_units", loose()),
                ("sg_mixed_total", loose()),
                ("inspection_due", text("MM-DD")),
                ("reminder_days", loose()),
            ],
            &[],
        ),
    );
    m.insert("OpenYear".into(), input(&[("year", loose())], &[]));
    m.insert("AnnualReport".into(), input(&[("report", string())], &[]));
    m.insert("InspectionDecision".into(), input(&[("decision", text("pass | fail")), ("note", string())], &[]));
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
            &[("code", string()), ("title", string()), ("published_on", text("YYYY-MM-DD")), ("negative", flag())],
            &[],
        ),
    );
    m.insert(
        "NewPurchaseBudgetLine".into(),
        input(
            &[
                ("community", string()),
                ("year", loose()),
                ("title", string()),
                ("amount", d(loose(), "Yuan.")),
                ("approved_ref", string()),
            ],
            &[],
        ),
    );
    m.insert(
        "NewPurchaseProject".into(),
        input(
            &[
                ("community", text("District buyers: the community served.")),
                ("title", string()),
                ("catalogue_id", loose()),
                ("budget_line_id", loose()),
                ("buyer_name", string()),
                ("buyer_kind", text("state_organ | residents_committee | … (rule 5.1)")),
                ("content", string()),
                ("barred", text("Rule 5.3 items, comma-separated; empty: none.")),
                ("prior_assessment", string()),
                ("targets", string()),
                ("measure", text("visits | hours | people")),
                ("target_quantity", loose()),
                ("price", d(loose(), "Yuan.")),
            ],
            &[],
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
    m.insert("ServiceRecordDecision".into(), input(&[("decision", text("confirm | reject")), ("note", string())], &[]));
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
        input(&[("amount", d(loose(), "Yuan.")), ("paid_on", text("YYYY-MM-DD"))], &[]),
    );
}
