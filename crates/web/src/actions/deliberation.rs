//! Actions: resident deliberation (居民协商议事). Each write — raise a topic,
//! comment, close a topic, convene a meeting, record attendance, minutes or a
//! vote, record a petition, add a follow-up, mark it done — is one function
//! here, called by both its page and its API handler. A command is the
//! store's input type, read from a JSON body or from a form's fields.
//!
//! Who may call each one is the route's rule ([`crate::routes`]); here the
//! record is loaded in scope ([`crate::scope::load`]) and the role logic
//! ([`crate::policy`]) applied before the store writes.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, own_community, topic_input};
use crate::scope::load;
use serde::Serialize;
use store::deliberation::{self as dl, Comment, Followup, Meeting, Petition, Resolution, Topic};

pub use store::deliberation::{
    Attendance, Close, Done, Minutes, NewComment, NewFollowup, NewMeeting, NewPetition, NewResolution, NewTopic,
};

// ---------------------------------------------------------------- topics

/// Raise a topic in the principal's community, in the name the policy gives it.
pub async fn raise_topic(state: &AppState, me: &Principal, cmd: NewTopic) -> Result<Topic, ApiError> {
    let n = topic_input(me, cmd)?;
    Ok(dl::create_topic(&state.db, &me.actor(), &own_community(me)?, n).await?)
}

/// Say something on an open topic, under the principal's display name.
pub async fn comment(state: &AppState, me: &Principal, topic: i64, cmd: NewComment) -> Result<Comment, ApiError> {
    load::<Topic>(state, me, topic).await?;
    Ok(dl::comment(&state.db, &me.actor(), &me.display_name, topic, cmd).await?)
}

/// Close a topic by a resolution or with the committee's note.
pub async fn close_topic(state: &AppState, me: &Principal, topic: i64, cmd: Close) -> Result<Topic, ApiError> {
    load::<Topic>(state, me, topic).await?;
    Ok(dl::close_topic(&state.db, &me.actor(), topic, cmd).await?)
}

// -------------------------------------------------------------- meetings

/// Convene a council or a residents' meeting in the principal's community.
pub async fn convene(state: &AppState, me: &Principal, cmd: NewMeeting) -> Result<Meeting, ApiError> {
    Ok(dl::create_meeting(&state.db, &me.actor(), &own_community(me)?, cmd).await?)
}

/// Record how many attended a meeting (and, optionally, who).
pub async fn record_attendance(
    state: &AppState,
    me: &Principal,
    meeting: i64,
    cmd: Attendance,
) -> Result<Meeting, ApiError> {
    load::<Meeting>(state, me, meeting).await?;
    Ok(dl::record_attendance(&state.db, &me.actor(), meeting, cmd).await?)
}

/// Record a meeting's minutes.
pub async fn record_minutes(state: &AppState, me: &Principal, meeting: i64, cmd: Minutes) -> Result<Meeting, ApiError> {
    load::<Meeting>(state, me, meeting).await?;
    Ok(dl::record_minutes(&state.db, &me.actor(), meeting, cmd).await?)
}

/// Record a vote taken at a meeting.
pub async fn resolve(
    state: &AppState,
    me: &Principal,
    meeting: i64,
    cmd: NewResolution,
) -> Result<Resolution, ApiError> {
    load::<Meeting>(state, me, meeting).await?;
    Ok(dl::resolve(&state.db, &me.actor(), meeting, cmd).await?)
}

// ------------------------------------------------- petitions, follow-ups

/// A petition recorded, and the follow-up it forced (a residents' meeting to convene), if any.
#[derive(Debug, Clone, Serialize)]
pub struct Petitioned {
    pub petition: Petition,
    pub followup: Option<Followup>,
}

/// Record a petition handed in at the counter of the principal's community.
pub async fn petition(state: &AppState, me: &Principal, cmd: NewPetition) -> Result<Petitioned, ApiError> {
    let (petition, followup) = dl::petition(&state.db, &me.actor(), &own_community(me)?, cmd).await?;
    Ok(Petitioned { petition, followup })
}

/// Add a follow-up action in the principal's community.
pub async fn add_followup(state: &AppState, me: &Principal, cmd: NewFollowup) -> Result<Followup, ApiError> {
    Ok(dl::create_followup(&state.db, &me.actor(), &own_community(me)?, cmd).await?)
}

/// Mark a follow-up done (one that convenes a residents' meeting names it).
pub async fn followup_done(state: &AppState, me: &Principal, followup: i64, cmd: Done) -> Result<Followup, ApiError> {
    load::<Followup>(state, me, followup).await?;
    Ok(dl::followup_done(&state.db, &me.actor(), followup, cmd).await?)
}

// ----------------------------------------------------------------- reads

/// A topic with its discussion, the meetings that had it on the agenda and their votes on it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub topic: Topic,
    pub comments: Vec<Comment>,
    pub meetings: Vec<Meeting>,
    pub resolutions: Vec<Resolution>,
}

pub async fn topic(state: &AppState, me: &Principal, id: i64) -> Result<TopicView, ApiError> {
    let topic = load::<Topic>(state, me, id).await?;
    let db = &state.db;
    let (comments, meetings, resolutions) =
        tokio::try_join!(dl::comments(db, id), dl::meetings_of_topic(db, id), dl::resolutions_of_topic(db, id))?;
    Ok(TopicView { topic, comments, meetings, resolutions })
}

/// A meeting with its agenda and the votes taken.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub agenda: Vec<Topic>,
    pub resolutions: Vec<Resolution>,
}

pub async fn meeting(state: &AppState, me: &Principal, id: i64) -> Result<MeetingView, ApiError> {
    let meeting = load::<Meeting>(state, me, id).await?;
    let (agenda, resolutions) = tokio::try_join!(dl::agenda(&state.db, id), dl::resolutions(&state.db, id))?;
    Ok(MeetingView { meeting, agenda, resolutions })
}
