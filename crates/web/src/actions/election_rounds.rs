//! Actions: the rounds after the first and the filing of the result (rules
//! §2.17, §2.18, §2.20). The community admin (for the election committee)
//! opens the round the procedure calls for — a run-off or a 另行选举, whose
//! candidates are the engine's — and counts it; the counting desk enters its
//! boxes' sheets as in the first round. The admin announces the result, records
//! the sealing and files it with the district; the district records the receipt.

use crate::AppState;
use crate::actions::elections::{TallySheet, checked_sheet, date_field, done};
use crate::error::ApiError;
use crate::policy::Principal;
use crate::scope::load;
use rules::Msg;
use serde::Deserialize;
use store::clock;
use store::elections::filing::{self, Filing};
use store::elections::rounds::{self, Round};
use store::elections::{self as el, BallotBox, Election};
use time::Date;

/// A day from a form or JSON: today when left empty, never in the future, never before election day.
fn day_field(v: &str, field: &str, e: &Election, errs: &mut Vec<(String, Msg)>) -> Option<Date> {
    let today = clock::today();
    let d = date_field(v, field, Some(today), errs)?;
    if d > today {
        errs.push((field.into(), Msg::new("日期不能晚于今天", "the day cannot be in the future")));
    }
    if e.day().is_some_and(|day| d < day) {
        errs.push((field.into(), Msg::new("日期不能早于选举日", "the day cannot be before election day")));
    }
    Some(d)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewRound {
    /// The day the round is polled (default today; not before election day).
    #[serde(default)]
    pub polling_day: String,
}

/// Open the round the procedure calls for (§2.17 run-off, §2.18 另行选举).
pub async fn open_round(state: &AppState, me: &Principal, id: i64, cmd: NewRound) -> Result<Round, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let today = clock::today();
    let d = date_field(&cmd.polling_day, "polling_day", Some(today), &mut errs);
    if let (Some(d), Some(day)) = (d, e.day())
        && d < day
    {
        errs.push(("polling_day".into(), Msg::new("投票日不能早于选举日", "the round cannot be before election day")));
    }
    done(errs)?;
    Ok(rounds::open_round(&state.db, &me.actor(), &e, d.unwrap_or(today)).await?)
}

async fn load_round(state: &AppState, me: &Principal, id: i64, number: i64) -> Result<(Election, Round), ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let r = rounds::round(&state.db, e.id, number).await?;
    Ok((e, r))
}

/// A later round's box at the counting desk, from its polling day on.
pub async fn enter_round_box(
    state: &AppState,
    me: &Principal,
    id: i64,
    number: i64,
    cmd: TallySheet,
) -> Result<BallotBox, ApiError> {
    let (e, r) = load_round(state, me, id, number).await?;
    if r.day().is_some_and(|d| clock::today() < d) {
        return Err(ApiError::invalid(
            "name",
            "投票日之前不能录入计票单",
            "tally sheets are entered from polling day on",
        ));
    }
    let posts = rounds::round_posts(&state.db, r.id).await?;
    let entry = checked_sheet(&posts, cmd)?;
    Ok(rounds::enter_round_box(&state.db, &me.actor(), &e, &r, &entry).await?)
}

/// Count a later round (§2.17: the most votes among the tied; §2.18: at least a third).
pub async fn count_round(
    state: &AppState,
    me: &Principal,
    id: i64,
    number: i64,
) -> Result<election::Outcome, ApiError> {
    let (e, r) = load_round(state, me, id, number).await?;
    Ok(rounds::count_round(&state.db, &me.actor(), &e, &r).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Announce {
    #[serde(default)]
    pub announced_on: String,
    #[serde(default)]
    pub sealed_on: String,
    /// Where and how the ballots were sealed.
    #[serde(default)]
    pub seal_note: String,
}

/// §2.20: announce the result and record the sealing of the ballots.
pub async fn announce(state: &AppState, me: &Principal, id: i64, cmd: Announce) -> Result<Filing, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let a = day_field(&cmd.announced_on, "announced_on", &e, &mut errs);
    let s = day_field(&cmd.sealed_on, "sealed_on", &e, &mut errs);
    let note = cmd.seal_note.trim();
    if note.is_empty() {
        errs.push((
            "seal_note".into(),
            Msg::new("请写明选票封存的地点和方式（规则2.20）", "say where and how the ballots were sealed (rule 2.20)"),
        ));
    }
    done(errs)?;
    let (Some(a), Some(s)) = (a, s) else { return Err(ApiError::fields([])) };
    Ok(filing::announce(&state.db, &me.actor(), &e, a, s, note).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FileResult {
    #[serde(default)]
    pub filed_on: String,
}

/// §2.20: file the announced result with the district.
pub async fn file(state: &AppState, me: &Principal, id: i64, cmd: FileResult) -> Result<Filing, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let d = day_field(&cmd.filed_on, "filed_on", &e, &mut errs);
    done(errs)?;
    Ok(filing::file(&state.db, &me.actor(), &e, d.unwrap_or_else(clock::today)).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReceiveFiling {
    #[serde(default)]
    pub received_on: String,
    /// The district's reference (备案号).
    #[serde(default)]
    pub reference: String,
}

/// The district records that it received the filing.
pub async fn receive(state: &AppState, me: &Principal, id: i64, cmd: ReceiveFiling) -> Result<Filing, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let d = day_field(&cmd.received_on, "received_on", &e, &mut errs);
    let reference = cmd.reference.trim();
    if reference.is_empty() {
        errs.push(("reference".into(), Msg::new("请填写备案号", "give the filing's reference")));
    }
    done(errs)?;
    Ok(filing::receive(&state.db, &me.actor(), &e, d.unwrap_or_else(clock::today), reference).await?)
}

/// What an election's page and API show of its later rounds and filing.
pub struct RoundsView {
    pub next: Option<election::rounds::Next>,
    pub rounds: Vec<(Round, Vec<el::PostSeats>, Vec<el::Candidate>, Vec<BallotBox>)>,
    pub filing: Option<Filing>,
}

pub async fn view(state: &AppState, e: &Election) -> Result<RoundsView, ApiError> {
    let next = match rounds::next(&state.db, e).await {
        Ok(n) => n,
        // A 另行选举 whose candidates cannot be known yet (a tie at the margin's cut) is shown as no round.
        Err(store::StoreError::Invalid { .. }) => None,
        Err(err) => return Err(err.into()),
    };
    let mut out = Vec::new();
    for r in rounds::rounds(&state.db, e.id).await? {
        let (posts, cands, boxes) = tokio::try_join!(
            rounds::round_posts(&state.db, r.id),
            rounds::round_candidates(&state.db, r.id),
            rounds::round_boxes(&state.db, r.id)
        )?;
        out.push((r, posts, cands, boxes));
    }
    Ok(RoundsView { next, rounds: out, filing: filing::filing(&state.db, e.id).await? })
}
