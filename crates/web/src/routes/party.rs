//! Party building with resident units (大党工委, 共驻共建): units seated with their representatives and
//! liaisons, co-building agreements with commitments and their fulfilment, evaluations, cadre reviews, the
//! one-vote veto, and the figures.

use super::*;

routes! {
    GET "/party" => pages::party::index, R(PARTY_READERS), Page,
        "Party building with units: committee seats, agreements, fulfilment, evaluations, cadre reviews, vetoes";
    POST "/party/seats" => pages::party::seat, R(PARTY_SECRETARIES), Page, "Seat a member on the party working committee";
    POST "/party/seats/{id}/end" => pages::party::end_seat, R(PARTY_SECRETARIES), Page,
        "A member leaves the committee before the term ends";
    POST "/party/representatives" => pages::party::representative, R(PARTY_SECRETARIES), Page,
        "Record a unit's representative at a meeting";
    POST "/party/liaisons" => pages::party::bind_liaison, R(PARTY_SECRETARIES), Page, "Bind a liaison officer to a unit";
    POST "/party/agreements" => pages::party::sign, R(PARTY_SECRETARIES), Page, "Record a signed co-building agreement";
    GET "/party/agreements/{id}" => pages::party::agreement, R(PARTY_READERS), Page,
        "A co-building agreement: commitments against fulfilment";
    POST "/party/agreements/{id}/commitments" => pages::party::add_commitment, R(PARTY_SECRETARIES), Page,
        "Add a commitment to an agreement";
    POST "/party/fulfilments" => pages::party::report, R(PARTY_UNITS), Page, "A unit reports fulfilment";
    POST "/party/fulfilments/{id}/decide" => pages::party::decide, R(PARTY_SECRETARIES), Page,
        "Confirm or reject a reported fulfilment";
    POST "/party/evaluations" => pages::party::evaluate, R(PARTY_SECRETARIES), Page, "Evaluate a unit's year";
    POST "/party/evaluations/{id}/reply" => pages::party::reply_to_evaluation, R(PARTY_UNITS), Page,
        "A unit replies to its evaluation";
    POST "/party/cadre-reviews" => pages::party::review_cadre, R(PARTY_SECRETARIES), Page,
        "Review and recommend on a unit cadre's promotion";
    POST "/party/cadre-reviews/{id}/reply" => pages::party::reply_to_review, R(PARTY_UNITS), Page,
        "A unit replies to a cadre review";
    POST "/party/vetoes" => pages::party::veto, R(PARTY_SECRETARIES), Page, "Veto a unit's party-building assessment";
    POST "/party/vetoes/{id}/review" => pages::party::review_veto, R(PARTY_DISTRICT), Page,
        "The district reviews a veto";
    GET "/party/figures" => pages::party::figures, P, Page,
        "Public: units seated, agreements, fulfilment, volunteer hours, venues per community, district, city";
    GET "/api/v1/party" => api::party::overview, R(PARTY_READERS), Api, "Party building in reach",
        reply Schema("PartyOverview");
    POST "/api/v1/party/seats" => api::party::seat, R(PARTY_SECRETARIES), Api, "Seat a committee member",
        body Json("NewSeat"), reply Schema("PartySeat");
    POST "/api/v1/party/seats/{id}/end" => api::party::end_seat, R(PARTY_SECRETARIES), Api,
        "A member leaves the committee before the term ends", body Json("EndSeat"), reply Schema("PartySeat");
    POST "/api/v1/party/representatives" => api::party::representative, R(PARTY_SECRETARIES), Api,
        "Record a unit's representative at a meeting", body Json("NewRepresentative"), reply Schema("PartyRepresentative");
    POST "/api/v1/party/liaisons" => api::party::bind_liaison, R(PARTY_SECRETARIES), Api,
        "Bind a liaison officer to a unit", body Json("NewLiaison"), reply Schema("PartyLiaison");
    POST "/api/v1/party/agreements" => api::party::sign, R(PARTY_SECRETARIES), Api, "Record a signed agreement",
        body Json("NewAgreement"), reply Schema("PartyAgreement");
    GET "/api/v1/party/agreements/{id}" => api::party::agreement, R(PARTY_READERS), Api,
        "An agreement with its commitments and fulfilment",
        reply Object(&["agreement: PartyAgreement", "commitments: PartyCommitment[]", "fulfilments: PartyFulfilment[]"]);
    POST "/api/v1/party/agreements/{id}/commitments" => api::party::commit, R(PARTY_SECRETARIES), Api,
        "Add a commitment", body Json("NewCommitment"), reply Schema("PartyCommitment");
    POST "/api/v1/party/fulfilments" => api::party::report, R(PARTY_UNITS), Api, "A unit reports fulfilment",
        body Json("NewFulfilment"), reply Schema("PartyFulfilment");
    POST "/api/v1/party/fulfilments/{id}/decide" => api::party::decide, R(PARTY_SECRETARIES), Api,
        "Confirm or reject a reported fulfilment", body Json("FulfilmentDecision"), reply Schema("PartyFulfilment");
    POST "/api/v1/party/evaluations" => api::party::evaluate, R(PARTY_SECRETARIES), Api, "Evaluate a unit's year",
        body Json("NewEvaluation"), reply Schema("PartyEvaluation");
    POST "/api/v1/party/evaluations/{id}/reply" => api::party::reply_to_evaluation, R(PARTY_UNITS), Api,
        "A unit replies to its evaluation", body Json("PartyReply"), reply Schema("PartyEvaluation");
    GET "/api/v1/party/cadre-reviews" => api::party::cadre_reviews, R(PARTY_READERS), Api,
        "Cadre reviews (personal data: the community, the cadre's unit, the district's organisation department)",
        reply Object(&["cadre_reviews: CadreReview[]", "cut: string[]"]);
    POST "/api/v1/party/cadre-reviews" => api::party::review_cadre, R(PARTY_SECRETARIES), Api,
        "Review and recommend on a unit cadre's promotion", body Json("NewCadreReview"), reply Schema("CadreReview");
    POST "/api/v1/party/cadre-reviews/{id}/reply" => api::party::reply_to_review, R(PARTY_UNITS), Api,
        "A unit replies to a cadre review", body Json("PartyReply"), reply Schema("CadreReview");
    POST "/api/v1/party/vetoes" => api::party::veto, R(PARTY_SECRETARIES), Api,
        "Veto a unit's assessment on grounds from its record", body Json("NewVeto"), reply Schema("PartyVeto");
    POST "/api/v1/party/vetoes/{id}/review" => api::party::review_veto, R(PARTY_DISTRICT), Api,
        "The district's organisation department reviews a veto", body Json("VetoDecision"), reply Schema("PartyVeto");
    GET "/api/v1/party/figures" => api::party::figures, P, Api,
        "Public figures per community, district and city (?on=, ?district=)", reply Schema("PartyFigures");
}
