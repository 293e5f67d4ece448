//! Community service projects chosen by residents: every write, once, for
//! the page and the API alike. A call is opened, takes proposals, is
//! reviewed and voted on (on the web or on paper); closing the vote runs the
//! call's rule. A selected project gets milestones, they are completed, and
//! residents rate the finished project.
//!
//! The route table lets only the roles in [`crate::policy`] (`PB_*`) reach
//! these; each action loads the record it acts on through [`scope::load`]
//! (404 out of reach) and leaves phase and ballot rules to the store.
//!
//! An action on a record takes its command as parsed ([`Parsed`]): a body
//! that does not parse is answered (422, naming the field) only once the
//! record is found in reach, so a record out of reach answers 404 whatever
//! the body held — on the page and in the API alike.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::Principal;
use crate::scope::{self, load};
use serde::Deserialize;
use store::budgeting::{self as bg, Call, Execution, Milestone, Project};

/// A command as parsed from a form or a JSON body, or why it did not parse.
pub type Parsed<T> = Result<T, ApiError>;

/// Open a call for projects (the store's input: title, budget in yuan, ballot and rule).
pub use store::budgeting::NewCall;
/// Add a milestone to a selected project (title, due date).
pub use store::budgeting::NewMilestone;
/// Propose a project (title, description, category, location, cost in yuan).
pub use store::budgeting::NewProject;
/// A feasibility review: approve or reject, score, adjusted cost with a note.
pub use store::budgeting::Review;

/// A ballot: cast on the web by a resident, or entered from paper by a clerk
/// (then `id_number` names the voter).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Ballot {
    pub choices: Vec<Choice>,
    /// The voter's citizen ID number (paper ballots only).
    #[serde(default)]
    pub id_number: String,
}

/// One project on a ballot; points are 1 on approval ballots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Choice {
    pub project_id: i64,
    #[serde(default = "one")]
    pub points: i64,
}

fn one() -> i64 {
    1
}

impl Ballot {
    fn pairs(&self) -> Vec<(i64, i64)> {
        self.choices.iter().map(|c| (c.project_id, c.points)).collect()
    }
}

/// Mark a milestone done, with a note.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompleteMilestone {
    #[serde(default)]
    pub note: String,
}

/// A resident's rating (1–5) of a finished project.
#[derive(Debug, Clone, Deserialize)]
pub struct Evaluation {
    pub rating: i64,
    #[serde(default)]
    pub comment: String,
}

/// A call after it moved on: closing the vote carries its result.
#[derive(Debug, Clone)]
pub struct Advanced {
    pub call: Call,
    pub result: Option<pb::Outcome>,
}

/// Open a call in the principal's own community.
pub async fn open_call(s: &AppState, me: &Principal, n: NewCall) -> Result<Call, ApiError> {
    let community = me.community.clone().ok_or(ApiError::Forbidden)?;
    Ok(bg::create_call(&s.db, &me.actor(), &community, n).await?)
}

pub async fn propose(s: &AppState, me: &Principal, call_id: i64, n: Parsed<NewProject>) -> Result<Project, ApiError> {
    load::<Call>(s, me, call_id).await?;
    Ok(bg::propose(&s.db, &me.actor(), call_id, n?).await?)
}

/// Move a call to its next phase; closing the vote runs the rule.
pub async fn advance(s: &AppState, me: &Principal, call_id: i64) -> Result<Advanced, ApiError> {
    load::<Call>(s, me, call_id).await?;
    let call = bg::advance(&s.db, &me.actor(), call_id).await?;
    let result = bg::result(&s.db, call_id).await?;
    Ok(Advanced { call, result })
}

/// A resident casts their own ballot on the web; the ballot's id.
pub async fn vote(s: &AppState, me: &Principal, call_id: i64, b: Parsed<Ballot>) -> Result<i64, ApiError> {
    let c = load::<Call>(s, me, call_id).await?;
    let b = b?;
    let voter = bg::web_voter(&s.db, me.user_id, &c.community_code).await?;
    Ok(bg::vote(&s.db, &me.actor(), call_id, &voter, "web", &b.pairs()).await?)
}

/// A clerk enters a paper ballot for the resident with this citizen ID number; the ballot's id.
pub async fn enter_paper_ballot(
    s: &AppState,
    me: &Principal,
    call_id: i64,
    b: Parsed<Ballot>,
) -> Result<i64, ApiError> {
    let c = load::<Call>(s, me, call_id).await?;
    let b = b?;
    let voter = bg::paper_voter(&s.db, &c.community_code, &b.id_number).await?;
    Ok(bg::vote(&s.db, &me.actor(), call_id, &voter, "paper", &b.pairs()).await?)
}

pub async fn review(s: &AppState, me: &Principal, project_id: i64, r: Parsed<Review>) -> Result<Project, ApiError> {
    load::<Project>(s, me, project_id).await?;
    Ok(bg::review(&s.db, &me.actor(), project_id, r?).await?)
}

pub async fn add_milestone(
    s: &AppState,
    me: &Principal,
    project_id: i64,
    m: Parsed<NewMilestone>,
) -> Result<Milestone, ApiError> {
    load::<Project>(s, me, project_id).await?;
    Ok(bg::add_milestone(&s.db, &me.actor(), project_id, m?).await?)
}

pub async fn complete_milestone(
    s: &AppState,
    me: &Principal,
    milestone_id: i64,
    c: Parsed<CompleteMilestone>,
) -> Result<Milestone, ApiError> {
    load::<scope::Milestone>(s, me, milestone_id).await?;
    Ok(bg::complete_milestone(&s.db, &me.actor(), milestone_id, &c?.note).await?)
}

/// A resident rates a finished project, once; the project as it now stands.
pub async fn evaluate(
    s: &AppState,
    me: &Principal,
    project_id: i64,
    e: Parsed<Evaluation>,
) -> Result<Execution, ApiError> {
    let p = load::<Project>(s, me, project_id).await?;
    let e = e?;
    let voter = bg::web_voter(&s.db, me.user_id, &p.community_code).await?;
    bg::evaluate(&s.db, &me.actor(), project_id, &voter, e.rating, &e.comment).await?;
    Ok(bg::execution(&s.db, project_id).await?)
}

// Queries shared by the page and the API.

/// A call with what everyone in reach may see of it.
pub struct CallView {
    pub call: Call,
    pub projects: Vec<Project>,
    pub tally: bg::Tally,
    pub result: Option<pb::Outcome>,
}

pub async fn call(s: &AppState, me: &Principal, id: i64) -> Result<CallView, ApiError> {
    let call = load::<Call>(s, me, id).await?;
    let (projects, tally, result) =
        tokio::try_join!(bg::projects(&s.db, id), bg::tally(&s.db, id), bg::result(&s.db, id))?;
    Ok(CallView { call, projects, tally, result })
}

/// A project being carried out: milestones, budget, spending, ratings.
pub async fn project(s: &AppState, me: &Principal, id: i64) -> Result<Execution, ApiError> {
    load::<Execution>(s, me, id).await
}

/// The call a project in reach belongs to (where a page about it goes back to).
pub async fn call_of_project(s: &AppState, me: &Principal, project_id: i64) -> Result<i64, ApiError> {
    Ok(load::<Project>(s, me, project_id).await?.call_id)
}

/// The project a milestone in reach belongs to.
pub async fn project_of_milestone(s: &AppState, me: &Principal, milestone_id: i64) -> Result<i64, ApiError> {
    Ok(load::<scope::Milestone>(s, me, milestone_id).await?.project.id)
}
