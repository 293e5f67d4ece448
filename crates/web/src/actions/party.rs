//! Actions: party building with resident units (大党工委, 共驻共建). The
//! community's party organisation seats members, records agreements and
//! commitments, confirms fulfilment, evaluates units, reviews cadres and
//! vetoes; a unit's liaison officer reports fulfilment and replies; the
//! district reviews vetoes. Decided once for the pages and the JSON API.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, own_community, party_district};
use crate::scope::{PartyReach, party_reach, party_record};
use serde::Serialize;
use store::Capped;
use store::party::{
    self as pt, Agreement, CadreReview, Commitment, Evaluation, Fulfilment, Liaison, Replied, Representative, Seat,
    Veto, VetoGround,
};

pub use store::party::{
    EndSeat, FulfilmentDecision, NewAgreement, NewCadreReview, NewCommitment, NewEvaluation, NewFulfilment, NewLiaison,
    NewRepresentative, NewSeat, NewVeto, Reply, VetoDecision,
};

/// Bind a liaison officer's log-in of the community to one of its units.
pub async fn bind_liaison(state: &AppState, me: &Principal, cmd: NewLiaison) -> Result<Liaison, ApiError> {
    Ok(pt::bind_liaison(&state.db, &me.actor(), own_community(me)?, cmd).await?)
}

/// Seat a member on the community's big party working committee.
pub async fn seat(state: &AppState, me: &Principal, cmd: NewSeat) -> Result<Seat, ApiError> {
    let community = own_community(me)?;
    let district = me.district.clone().unwrap_or_default();
    Ok(pt::seat(&state.db, &me.actor(), community, &district, cmd).await?)
}

/// A member in reach leaves the committee before the term ends.
pub async fn end_seat(state: &AppState, me: &Principal, id: i64, cmd: EndSeat) -> Result<Seat, ApiError> {
    crate::scope::load::<Seat>(state, me, id).await?;
    Ok(pt::end_seat(&state.db, &me.actor(), id, cmd).await?)
}

/// A unit's representative at one of the community's meetings (rules §1.17).
pub async fn add_representative(
    state: &AppState,
    me: &Principal,
    cmd: NewRepresentative,
) -> Result<Representative, ApiError> {
    Ok(pt::add_representative(&state.db, &me.actor(), own_community(me)?, cmd).await?)
}

/// Record a co-building agreement a unit of the community signed.
pub async fn sign(state: &AppState, me: &Principal, cmd: NewAgreement) -> Result<Agreement, ApiError> {
    Ok(pt::sign(&state.db, &me.actor(), own_community(me)?, cmd).await?)
}

/// Add a commitment to an agreement in reach.
pub async fn commit(
    state: &AppState,
    me: &Principal,
    agreement: i64,
    cmd: NewCommitment,
) -> Result<Commitment, ApiError> {
    party_record::<Agreement>(state, me, agreement).await?;
    Ok(pt::commit(&state.db, &me.actor(), agreement, cmd).await?)
}

/// A unit's liaison officer reports fulfilment of one of the unit's commitments.
pub async fn report(state: &AppState, me: &Principal, cmd: NewFulfilment) -> Result<Fulfilment, ApiError> {
    let unit = party_reach(state, me).await?.unit.ok_or(ApiError::Forbidden)?;
    Ok(pt::report(&state.db, &me.actor(), unit, cmd).await?)
}

/// The community confirms a reported fulfilment in reach, or rejects it with a reason.
pub async fn decide(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: FulfilmentDecision,
) -> Result<Fulfilment, ApiError> {
    party_record::<Fulfilment>(state, me, id).await?;
    Ok(pt::decide(&state.db, &me.actor(), id, cmd).await?)
}

/// The community evaluates one of its own units' year.
pub async fn evaluate(state: &AppState, me: &Principal, cmd: NewEvaluation) -> Result<Evaluation, ApiError> {
    Ok(pt::evaluate(&state.db, &me.actor(), me.community.as_deref(), cmd).await?)
}

/// The community's review and recommendation on a unit cadre's promotion.
pub async fn review_cadre(state: &AppState, me: &Principal, cmd: NewCadreReview) -> Result<CadreReview, ApiError> {
    Ok(pt::review_cadre(&state.db, &me.actor(), me.community.as_deref(), cmd).await?)
}

/// The unit replies to its evaluation.
pub async fn reply_to_evaluation(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: Reply,
) -> Result<Evaluation, ApiError> {
    party_record::<Evaluation>(state, me, id).await?;
    pt::reply(&state.db, &me.actor(), Replied::Evaluation, id, cmd).await?;
    Ok(pt::evaluation(&state.db, id).await?)
}

/// The unit replies to a review of one of its cadres.
pub async fn reply_to_review(state: &AppState, me: &Principal, id: i64, cmd: Reply) -> Result<CadreReview, ApiError> {
    party_record::<CadreReview>(state, me, id).await?;
    pt::reply(&state.db, &me.actor(), Replied::CadreReview, id, cmd).await?;
    Ok(pt::cadre_review(&state.db, id).await?)
}

/// The community vetoes one of its units' party-building assessment for a year.
pub async fn veto(state: &AppState, me: &Principal, cmd: NewVeto) -> Result<Veto, ApiError> {
    Ok(pt::veto(&state.db, &me.actor(), me.community.as_deref(), cmd).await?)
}

/// The district's organisation department reviews a veto in its district; to
/// the district's other departments a veto is nothing to review (404).
pub async fn review_veto(state: &AppState, me: &Principal, id: i64, cmd: VetoDecision) -> Result<Veto, ApiError> {
    party_record::<Veto>(state, me, id).await?;
    party_district(me).map_err(|_| ApiError::NotFound)?;
    Ok(pt::review_veto(&state.db, &me.actor(), id, cmd).await?)
}

/// A veto with the grounds it cites.
#[derive(Debug, Clone, Serialize)]
pub struct VetoView {
    #[serde(flatten)]
    pub veto: Veto,
    pub grounds: Vec<VetoGround>,
}

/// Everything of party building a principal sees.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub seats: Vec<Seat>,
    pub representatives: Vec<Representative>,
    pub liaisons: Vec<pt::Liaison>,
    pub agreements: Capped<Agreement>,
    pub commitments: Vec<Commitment>,
    pub fulfilments: Capped<Fulfilment>,
    pub evaluations: Capped<Evaluation>,
    pub cadre_reviews: Capped<CadreReview>,
    pub vetoes: Capped<VetoView>,
    /// The unit a liaison officer acts for.
    pub unit: Option<i64>,
    /// The lists above cut at their length ([`store::capped::cut`]).
    pub cut: Vec<&'static str>,
}

pub async fn overview(state: &AppState, me: &Principal) -> Result<Overview, ApiError> {
    let PartyReach { community, district, unit, cadre_reviews } = party_reach(state, me).await?;
    let (c, d, db) = (community.as_deref(), district.as_deref(), &state.db);
    let (seats, representatives, liaisons) = if unit.is_some() {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        tokio::try_join!(pt::seats(db, c, d), pt::representatives(db, c, d), pt::liaisons(db, c, d))?
    };
    let (agreements, commitments, fulfilments, evaluations, vetoes) = tokio::try_join!(
        pt::agreements(db, c, d, unit),
        pt::commitments(db, c, d, None, unit),
        pt::fulfilments(db, c, d, unit),
        pt::evaluations(db, c, d, unit),
        pt::vetoes(db, c, d, unit),
    )?;
    let cadre_reviews = if cadre_reviews { pt::cadre_reviews(db, c, d, unit).await? } else { Capped::default() };
    let mut views = vetoes.with_rows(Vec::with_capacity(vetoes.len()));
    for v in vetoes {
        let grounds = pt::veto_grounds(db, v.id).await?;
        views.push(VetoView { veto: v, grounds });
    }
    let cut = store::capped::cut(&[
        ("agreements", agreements.more),
        ("fulfilments", fulfilments.more),
        ("evaluations", evaluations.more),
        ("cadre_reviews", cadre_reviews.more),
        ("vetoes", views.more),
    ]);
    Ok(Overview {
        cut,
        seats,
        representatives,
        liaisons,
        agreements,
        commitments,
        fulfilments,
        evaluations,
        cadre_reviews,
        vetoes: views,
        unit,
    })
}

/// An agreement in reach with its commitments and their fulfilment.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementView {
    pub agreement: Agreement,
    pub commitments: Vec<Commitment>,
    pub fulfilments: Vec<Fulfilment>,
}

pub async fn agreement(state: &AppState, me: &Principal, id: i64) -> Result<AgreementView, ApiError> {
    let agreement = party_record::<Agreement>(state, me, id).await?;
    let commitments = pt::commitments(&state.db, None, None, Some(id), None).await?;
    let fulfilments = pt::agreement_fulfilments(&state.db, id).await?;
    Ok(AgreementView { agreement, commitments, fulfilments })
}

/// The seed's figures for Tongling in 2014, the demo's targets (据原文).
#[derive(Debug, Clone, Serialize)]
pub struct Targets {
    pub year: i32,
    /// Units that held posts on community party working committees.
    pub units_seated: i64,
    /// Units that signed co-building agreements.
    pub agreements_signed: i64,
}

pub const SEED_TARGETS: Targets = Targets { year: 2014, units_seated: 126, agreements_signed: 358 };

/// The figures as of a date: per community (of one district, or all), per district, and the city.
#[derive(Debug, Clone, Serialize)]
pub struct FiguresView {
    pub on: String,
    pub communities: Vec<pt::Figures>,
    pub districts: Vec<pt::Figures>,
    pub city: pt::Figures,
    /// The city at the end of each of the last years (the current one: as of `on`).
    pub history: Vec<YearFigures>,
    pub targets: Targets,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub city: pt::Figures,
}

/// Public figures (no personal data): `on` defaults to today, `district` to the whole city.
pub async fn figures(state: &AppState, on: Option<&str>, district: Option<&str>) -> Result<FiguresView, ApiError> {
    let on = match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => store::clock::today(),
        Some(s) => store::clock::parse_date(s)
            .ok_or_else(|| ApiError::invalid("on", "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD"))?,
    };
    let all = pt::figures(&state.db, None, on).await?;
    let mut districts: Vec<pt::Figures> = Vec::new();
    for f in &all {
        if !districts.iter().any(|d| d.district_code == f.district_code) {
            let of: Vec<pt::Figures> = all.iter().filter(|x| x.district_code == f.district_code).cloned().collect();
            districts.push(pt::total(&of, &f.district_code));
        }
    }
    let city = pt::total(&all, "");
    let mut history = Vec::new();
    for year in on.year() - 2..on.year() {
        let end = time::Date::from_calendar_date(year, time::Month::December, 31)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        history.push(YearFigures { year, city: pt::total(&pt::figures(&state.db, None, end).await?, "") });
    }
    history.push(YearFigures { year: on.year(), city: city.clone() });
    let district = district.map(str::trim).filter(|d| !d.is_empty());
    let communities = all.into_iter().filter(|f| district.is_none_or(|d| f.district_code == d)).collect();
    Ok(FiguresView { on: on.to_string(), communities, districts, city, history, targets: SEED_TARGETS })
}
