//! Resident deliberation (居民协商议事): topics raised by residents, resident
//! units or the committee, discussion, meetings — the deliberation council
//! (议事会) and the residents' meeting (居民会议, 居组法 Art 9–10) — with their
//! agenda, attendance, minutes and resolutions, petitions that oblige the
//! committee to convene a 居民会议, and follow-up actions. The rules that
//! decide (quorum, majority, petition thresholds) are in `rules::assembly`.

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::words;
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use rules::assembly::{self, MeetingBase};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

mod meetings;
mod petitions;
mod record;
mod topics;

pub use meetings::*;
pub use petitions::*;
pub use record::*;
pub use topics::*;

words! {
    /// The deliberation council (议事会) or a residents' meeting (居民会议).
    pub enum MeetingKind, "meeting kind" {
        Council => "council",
        Assembly => "assembly",
    }
}

words! {
    /// A topic is open for deliberation until a resolution or note closes it.
    pub enum TopicStatus, "topic status" {
        Open => "open",
        Closed => "closed",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Topic {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub description: String,
    /// resident | unit | committee
    pub raised_by_kind: String,
    pub raised_by_name: String,
    /// The account that recorded the topic.
    pub raised_by: String,
    /// 1 when tagged "涉及全体居民利益的重要问题" (rules §1.9).
    pub important: i64,
    pub status: TopicStatus,
    pub closing_resolution_id: Option<i64>,
    pub closing_note: String,
    pub created_at: String,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub topic_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub author: String,
    pub author_name: String,
    pub body: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: String,
    /// For a 居民会议: all_adults | households | group_representatives.
    pub base_kind: Option<String>,
    pub base_count: i64,
    /// None until attendance is recorded.
    pub present: Option<i64>,
    /// Names of those present, one a line (optional; never shown publicly).
    pub attendees: String,
    pub minutes: String,
    pub created_by: String,
    pub created_at: String,
}

impl Meeting {
    /// Whether the meeting could take decisions: None before attendance is
    /// recorded; a 居民会议 needs strictly more than half of its base
    /// (rules §1.6); the deliberation council has no statutory quorum.
    pub fn validly_held(&self) -> Option<Result<(), Msg>> {
        let present = self.present?;
        Some(if self.kind == MeetingKind::Assembly {
            assembly::validly_held(self.base_count.max(0) as u64, present.max(0) as u64)
        } else {
            Ok(())
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Resolution {
    pub id: i64,
    pub meeting_id: i64,
    pub topic_id: Option<i64>,
    pub community_code: String,
    pub district_code: String,
    pub motion: String,
    pub present: i64,
    pub votes_yes: i64,
    pub votes_no: i64,
    pub votes_abstain: i64,
    pub passed: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Petition {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub subject: String,
    pub adults_signed: i64,
    pub households_signed: i64,
    pub groups_signed: i64,
    pub adults_total: i64,
    pub households_total: i64,
    pub groups_total: i64,
    pub forces_meeting: i64,
    pub received_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Followup {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    /// convene_assembly (mandatory after a petition, rules §1.8) | action
    pub kind: String,
    pub mandatory: i64,
    pub title: String,
    pub owner: String,
    pub due_on: String,
    /// petition | resolution | '' — and the row it came from.
    pub source: String,
    pub source_id: Option<i64>,
    pub done: i64,
    pub done_at: Option<String>,
    pub created_at: String,
}

/// The community's totals a petition is measured against (rules §1.8).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Totals {
    /// Registered residents aged 18 and over today.
    pub adults: i64,
    /// Distinct households in the registry.
    pub households: i64,
    pub groups: i64,
}

/// Days the committee is given to convene a 居民会议 a petition forced. The
/// law sets no deadline; this is the platform's default reminder.
pub const CONVENE_WITHIN_DAYS: i64 = 30;

/// A form or JSON value that may come as a string, a number or a boolean.
pub fn loose<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(Option::<Loose>::deserialize(d)?.map(|v| match v {
        Loose::S(s) => s,
        Loose::I(i) => i.to_string(),
        Loose::F(f) => f.to_string(),
        Loose::B(b) => b.to_string(),
    }))
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A whole number ≥ 0, or None when empty.
pub fn count(field: &str, s: &Option<String>) -> Result<Option<i64>> {
    match given(s) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=100_000_000).contains(n))
            .map(Some)
            .ok_or_else(|| bad(field, "应为非负整数", "must be a whole number ≥ 0")),
    }
}

fn required_count(field: &str, s: &Option<String>) -> Result<i64> {
    count(field, s)?.ok_or_else(|| bad(field, "请填写人数", "a number is required"))
}

fn id_field(field: &str, s: &Option<String>) -> Result<Option<i64>> {
    match given(s) {
        None => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| bad(field, "编号无效", "not a valid id")),
    }
}

pub(crate) fn flag(s: &Option<String>) -> bool {
    matches!(given(s), Some("1" | "true" | "on" | "yes" | "是"))
}

pub(crate) fn text(field: &str, s: &str, max: usize, zh: &str, en: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(bad(field, zh, en));
    }
    if t.chars().count() > max {
        return Err(bad(field, format!("不能超过{max}字"), format!("at most {max} characters")));
    }
    Ok(t.to_string())
}

pub(crate) fn date(field: &str, s: &str) -> Result<String> {
    clock::parse_date(s)
        .map(|d| d.to_string())
        .ok_or_else(|| bad(field, "日期格式应为YYYY-MM-DD", "the date must be YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_numbers_come_as_strings_or_numbers() {
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "loose")]
            n: Option<String>,
        }
        let a: T = serde_json::from_str(r#"{"n": 51}"#).unwrap();
        let b: T = serde_json::from_str(r#"{"n": "51"}"#).unwrap();
        let c: T = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(a.n.as_deref(), Some("51"));
        assert_eq!(b.n.as_deref(), Some("51"));
        assert!(c.n.is_none());
        assert!(count("n", &Some("-1".into())).is_err());
        assert_eq!(count("n", &Some(" 7 ".into())).unwrap(), Some(7));
        assert!(flag(&Some("on".into())) && flag(&Some("true".into())) && !flag(&None));
    }
}
