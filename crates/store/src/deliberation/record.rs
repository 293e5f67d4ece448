//! The public record: meetings, votes and outcomes, without personal data.

use super::*;

// ---------------------------------------------------------- public record

/// What the public may read: meetings with their attendance counts and
/// resolutions, and how topics ended. No names of residents.
#[derive(Debug, Clone, Serialize)]
pub struct PublicMeeting {
    pub id: i64,
    pub kind: super::MeetingKind,
    pub title: String,
    pub held_on: String,
    pub base_kind: Option<String>,
    pub base_count: i64,
    pub present: Option<i64>,
    pub validly_held: Option<bool>,
    pub agenda: Vec<String>,
    pub resolutions: Vec<PublicResolution>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicResolution {
    pub id: i64,
    pub motion: String,
    pub topic: Option<String>,
    pub present: i64,
    pub yes: i64,
    pub no: i64,
    pub abstain: i64,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicTopic {
    pub id: i64,
    pub title: String,
    pub important: bool,
    pub status: super::TopicStatus,
    pub closing_resolution_id: Option<i64>,
    pub closing_note: String,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicRecord {
    pub community_code: String,
    pub community_name: String,
    pub meetings: Vec<PublicMeeting>,
    pub topics: Vec<PublicTopic>,
}

pub async fn public_record(db: &Db, community: &str) -> Result<PublicRecord> {
    let c = crate::structure::community(db, community).await?;
    let ts = topics(db, Some(&c.code), None).await?;
    let ms = meetings(db, Some(&c.code), None).await?;
    let rs = community_resolutions(db, &c.code).await?;
    let agenda_rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT meeting_id, topic_id FROM delib_agenda WHERE community_code = $1 ORDER BY meeting_id, ord",
    )
    .bind(&c.code)
    .fetch_all(&db.pool)
    .await?;
    // Published text: ID-number-like and phone-like strings redacted (rules §6.4).
    let redact = rules::redact::text;
    let title_of = |id: i64| ts.iter().find(|t| t.id == id).map(|t| redact(&t.title));
    let meetings = ms
        .iter()
        .map(|m| PublicMeeting {
            id: m.id,
            kind: m.kind,
            title: redact(&m.title),
            held_on: m.held_on.clone(),
            base_kind: m.base_kind.clone(),
            base_count: m.base_count,
            present: m.present,
            validly_held: m.validly_held().map(|v| v.is_ok()),
            agenda: agenda_rows.iter().filter(|(mid, _)| *mid == m.id).filter_map(|(_, t)| title_of(*t)).collect(),
            resolutions: rs
                .iter()
                .filter(|r| r.meeting_id == m.id)
                .map(|r| PublicResolution {
                    id: r.id,
                    motion: redact(&r.motion),
                    topic: r.topic_id.and_then(title_of),
                    present: r.present,
                    yes: r.votes_yes,
                    no: r.votes_no,
                    abstain: r.votes_abstain,
                    passed: r.passed == 1,
                })
                .collect(),
        })
        .collect();
    let topics = ts
        .iter()
        .map(|t| PublicTopic {
            id: t.id,
            title: redact(&t.title),
            important: t.important == 1,
            status: t.status,
            closing_resolution_id: t.closing_resolution_id,
            closing_note: redact(&t.closing_note),
            closed_at: t.closed_at.clone(),
        })
        .collect();
    Ok(PublicRecord { community_code: c.code, community_name: c.name, meetings, topics })
}
