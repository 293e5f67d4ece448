//! Resident deliberation (居民协商议事): topics raised by residents, resident
//! units or the committee, discussion, meetings — the deliberation council
//! (议事会) and the residents' meeting (居民会议, 居组法 Art 9–10) — with their
//! agenda, attendance, minutes and resolutions, petitions that oblige the
//! committee to convene a 居民会议, and follow-up actions. The rules that
//! decide (quorum, majority, petition thresholds) are in `rules::assembly`.

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use rules::assembly::{self, MeetingBase};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

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
    /// open | closed
    pub status: String,
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
    /// council (议事会) | assembly (居民会议)
    pub kind: String,
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
        Some(if self.kind == "assembly" {
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

fn flag(s: &Option<String>) -> bool {
    matches!(given(s), Some("1" | "true" | "on" | "yes" | "是"))
}

fn text(field: &str, s: &str, max: usize, zh: &str, en: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(bad(field, zh, en));
    }
    if t.chars().count() > max {
        return Err(bad(field, format!("不能超过{max}字"), format!("at most {max} characters")));
    }
    Ok(t.to_string())
}

fn date(field: &str, s: &str) -> Result<String> {
    clock::parse_date(s)
        .map(|d| d.to_string())
        .ok_or_else(|| bad(field, "日期格式应为YYYY-MM-DD", "the date must be YYYY-MM-DD"))
}

// ---------------------------------------------------------------- topics

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTopic {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// resident | unit | committee
    #[serde(default)]
    pub raised_by_kind: String,
    /// Who raised it: the unit's name, the committee, or the resident.
    #[serde(default)]
    pub raised_by_name: String,
    /// Tagged "涉及全体居民利益的重要问题".
    #[serde(default, deserialize_with = "loose")]
    pub important: Option<String>,
}

impl NewTopic {
    pub fn is_important(&self) -> bool {
        flag(&self.important)
    }
}

pub async fn create_topic(db: &Db, actor: &str, community: &str, n: NewTopic) -> Result<Topic> {
    let title = text("title", &n.title, 200, "请填写议题名称", "a title is required")?;
    let kind = match n.raised_by_kind.trim() {
        k @ ("resident" | "unit" | "committee") => k,
        _ => {
            return Err(bad(
                "raised_by_kind",
                "提出方应为居民、驻区单位或居委会",
                "raised by a resident, a resident unit or the committee",
            ));
        }
    };
    if kind == "unit" && n.raised_by_name.trim().is_empty() {
        return Err(bad("raised_by_name", "请填写提出议题的驻区单位", "name the resident unit that raised it"));
    }
    let c = crate::structure::community(db, community).await?;
    let mut tx = db.begin().await?;
    let t: Topic = sqlx::query_as(
        "INSERT INTO delib_topics (community_code, district_code, title, description, raised_by_kind, raised_by_name, raised_by, important, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&title)
    .bind(n.description.trim())
    .bind(kind)
    .bind(n.raised_by_name.trim())
    .bind(actor)
    .bind(n.is_important() as i64)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "delib.topic.create", "delib_topic", t.id, (&c.code, &c.district_code), json!(t))
        .await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn topics(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Topic>> {
    Ok(sqlx::query_as(
        "SELECT * FROM delib_topics WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC LIMIT 500",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn topic(db: &Db, id: i64) -> Result<Topic> {
    sqlx::query_as("SELECT * FROM delib_topics WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn comments(db: &Db, topic_id: i64) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as("SELECT * FROM delib_comments WHERE topic_id = $1 ORDER BY id")
        .bind(topic_id)
        .fetch_all(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewComment {
    #[serde(default)]
    pub body: String,
}

pub async fn comment(db: &Db, actor: &str, author_name: &str, topic_id: i64, n: NewComment) -> Result<Comment> {
    let t = topic(db, topic_id).await?;
    if t.status != "open" {
        return Err(bad("body", "议题已结案，不能再发言", "the topic is closed to discussion"));
    }
    let body = text("body", &n.body, 4000, "请填写发言内容", "write something to say")?;
    let mut tx = db.begin().await?;
    let c: Comment = sqlx::query_as(
        "INSERT INTO delib_comments (topic_id, community_code, district_code, author, author_name, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
    )
    .bind(t.id)
    .bind(&t.community_code)
    .bind(&t.district_code)
    .bind(actor)
    .bind(author_name)
    .bind(&body)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "delib.comment.create",
        "delib_comment",
        c.id,
        (&t.community_code, &t.district_code),
        json!({ "topic": t.id, "body": c.body }),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Close {
    /// The resolution that decided the topic (required for an important question).
    #[serde(default, deserialize_with = "loose")]
    pub resolution_id: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Close a topic. An important question for all residents closes only by a
/// resolution on it that a 居民会议 passed (rules §1.9); any other topic
/// closes by a resolution or by the committee with a written reason.
pub async fn close_topic(db: &Db, actor: &str, topic_id: i64, c: Close) -> Result<Topic> {
    let t = topic(db, topic_id).await?;
    if t.status != "open" {
        return Err(bad("status", "议题已结案", "the topic is already closed"));
    }
    let res = match id_field("resolution_id", &c.resolution_id)? {
        Some(rid) => {
            let r =
                resolution(db, rid).await.map_err(|_| bad("resolution_id", "没有这项决议", "no such resolution"))?;
            if r.topic_id != Some(t.id) {
                return Err(bad(
                    "resolution_id",
                    "该决议不是针对本议题作出的",
                    "that resolution was not taken on this topic",
                ));
            }
            let m = meeting(db, r.meeting_id).await?;
            Some((r, m))
        }
        None => None,
    };
    let by_assembly = res.as_ref().is_some_and(|(r, m)| m.kind == "assembly" && r.passed == 1);
    assembly::important_question_may_close(t.important == 1, by_assembly)
        .map_err(|m| StoreError::invalid("resolution_id", m))?;
    if res.is_none() && c.note.trim().is_empty() {
        return Err(bad("note", "没有决议时须写明结案理由", "without a resolution, give the reason for closing"));
    }
    let mut tx = db.begin().await?;
    // Compare-and-set: a double click cannot close twice.
    let t: Option<Topic> = sqlx::query_as(
        "UPDATE delib_topics SET status = 'closed', closing_resolution_id = $1, closing_note = $2, closed_at = $3 WHERE id = $4 AND status = 'open' RETURNING *",
    )
    .bind(res.as_ref().map(|(r, _)| r.id))
    .bind(c.note.trim())
    .bind(clock::now_text())
    .bind(topic_id)
    .fetch_optional(&mut *tx)
    .await?;
    let t = t.ok_or_else(|| bad("status", "议题已结案", "the topic is already closed"))?;
    audit_write(
        &mut tx,
        actor,
        "delib.topic.close",
        "delib_topic",
        t.id,
        (&t.community_code, &t.district_code),
        json!({ "resolution": t.closing_resolution_id, "note": t.closing_note }),
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

// -------------------------------------------------------------- meetings

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewMeeting {
    /// council (议事会) | assembly (居民会议)
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub held_on: String,
    /// For a 居民会议: all_adults | households | group_representatives.
    #[serde(default)]
    pub base_kind: String,
    /// How many make up the base. Empty for a 居民会议 of all adults or of
    /// households: counted from the registry.
    #[serde(default, deserialize_with = "loose")]
    pub base_count: Option<String>,
    /// The agenda: ids of open topics of the community.
    #[serde(default)]
    pub topics: Vec<i64>,
}

pub fn parse_base(s: &str) -> Option<MeetingBase> {
    match s {
        "all_adults" => Some(MeetingBase::AllAdults),
        "households" => Some(MeetingBase::Households),
        "group_representatives" => Some(MeetingBase::GroupRepresentatives),
        _ => None,
    }
}

pub async fn create_meeting(db: &Db, actor: &str, community: &str, n: NewMeeting) -> Result<Meeting> {
    let kind = match n.kind.trim() {
        k @ ("council" | "assembly") => k,
        _ => {
            return Err(bad(
                "kind",
                "会议类型应为议事会或居民会议",
                "the meeting is a council or a residents' meeting",
            ));
        }
    };
    let title = text("title", &n.title, 200, "请填写会议名称", "a title is required")?;
    let held_on = date("held_on", &n.held_on)?;
    let c = crate::structure::community(db, community).await?;
    let given_count = count("base_count", &n.base_count)?;
    let (base_kind, base_count) = if kind == "assembly" {
        let base = parse_base(n.base_kind.trim()).ok_or_else(|| {
            bad(
                "base_kind",
                "请选择居民会议的组成：全体成年居民、户代表或居民小组代表",
                "choose the meeting's base: all adults, household representatives or group representatives",
            )
        })?;
        let totals = totals(db, &c.code).await?;
        let count = match (base, given_count) {
            (_, Some(n)) => n,
            (MeetingBase::AllAdults, None) => totals.adults,
            (MeetingBase::Households, None) => totals.households,
            (MeetingBase::GroupRepresentatives, None) => {
                return Err(bad("base_count", "请填写居民小组代表人数", "give the number of group representatives"));
            }
        };
        if base == MeetingBase::GroupRepresentatives {
            assembly::group_representatives_fit(totals.groups.max(0) as u64, count.max(0) as u64)
                .map_err(|m| StoreError::invalid("base_count", m))?;
        }
        (Some(n.base_kind.trim().to_string()), count)
    } else {
        (
            None,
            given_count
                .ok_or_else(|| bad("base_count", "请填写议事会成员人数", "give the number of council members"))?,
        )
    };
    if base_count <= 0 {
        return Err(bad("base_count", "应到人数须大于0", "the base must be more than 0"));
    }
    let mut agenda = Vec::new();
    for tid in &n.topics {
        let t = topic(db, *tid)
            .await
            .map_err(|_| bad("topics", "议程中有不存在的议题", "an agenda item is not a topic"))?;
        if t.community_code != c.code {
            return Err(bad("topics", "议程中有不存在的议题", "an agenda item is not a topic"));
        }
        if t.status != "open" {
            return Err(bad("topics", format!("议题“{}”已结案", t.title), format!("topic “{}” is closed", t.title)));
        }
        if !agenda.contains(tid) {
            agenda.push(*tid);
        }
    }
    let mut tx = db.begin().await?;
    let m: Meeting = sqlx::query_as(
        "INSERT INTO delib_meetings (community_code, district_code, kind, title, held_on, base_kind, base_count, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(kind)
    .bind(&title)
    .bind(&held_on)
    .bind(base_kind)
    .bind(base_count)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    for (i, tid) in agenda.iter().enumerate() {
        sqlx::query(
            "INSERT INTO delib_agenda (meeting_id, topic_id, community_code, district_code, ord) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(m.id)
        .bind(tid)
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(i as i64 + 1)
        .execute(&mut *tx)
        .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "delib.meeting.create",
        "delib_meeting",
        m.id,
        (&c.code, &c.district_code),
        json!({ "meeting": m, "agenda": agenda }),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

pub async fn meetings(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Meeting>> {
    Ok(sqlx::query_as(
        "SELECT * FROM delib_meetings WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY held_on DESC, id DESC LIMIT 500",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn meeting(db: &Db, id: i64) -> Result<Meeting> {
    sqlx::query_as("SELECT * FROM delib_meetings WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The meeting's agenda, in order.
pub async fn agenda(db: &Db, meeting_id: i64) -> Result<Vec<Topic>> {
    Ok(sqlx::query_as(
        "SELECT t.* FROM delib_agenda a JOIN delib_topics t ON t.id = a.topic_id WHERE a.meeting_id = $1 ORDER BY a.ord",
    )
    .bind(meeting_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The meetings that have a topic on their agenda.
pub async fn meetings_of_topic(db: &Db, topic_id: i64) -> Result<Vec<Meeting>> {
    Ok(sqlx::query_as(
        "SELECT m.* FROM delib_agenda a JOIN delib_meetings m ON m.id = a.meeting_id WHERE a.topic_id = $1 ORDER BY m.held_on, m.id",
    )
    .bind(topic_id)
    .fetch_all(&db.pool)
    .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Attendance {
    #[serde(default, deserialize_with = "loose")]
    pub present: Option<String>,
    /// Names of those present, one a line (optional).
    #[serde(default)]
    pub attendees: String,
}

/// Record how many attended (and optionally who). Once a resolution is
/// recorded the attendance it was counted against is fixed.
pub async fn record_attendance(db: &Db, actor: &str, meeting_id: i64, a: Attendance) -> Result<Meeting> {
    let m = meeting(db, meeting_id).await?;
    let present = required_count("present", &a.present)?;
    if present > m.base_count {
        return Err(bad(
            "present",
            format!("出席人数不能超过应到人数{}", m.base_count),
            format!("no more can attend than the base of {}", m.base_count),
        ));
    }
    let names: Vec<&str> = a.attendees.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if names.len() as i64 > present {
        return Err(bad(
            "attendees",
            format!("列出了{}个姓名，多于出席人数{present}", names.len()),
            format!("{} names listed but only {present} present", names.len()),
        ));
    }
    let mut tx = db.begin().await?;
    let voted: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM delib_resolutions WHERE meeting_id = $1")
        .bind(meeting_id)
        .fetch_one(&mut *tx)
        .await?;
    if voted > 0 {
        return Err(bad(
            "present",
            "会议已有表决结果，出席人数不能再更改",
            "resolutions were voted against this attendance; it can no longer change",
        ));
    }
    let m: Meeting = sqlx::query_as("UPDATE delib_meetings SET present = $1, attendees = $2 WHERE id = $3 RETURNING *")
        .bind(present)
        .bind(names.join("\n"))
        .bind(meeting_id)
        .fetch_one(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "delib.meeting.attendance",
        "delib_meeting",
        m.id,
        (&m.community_code, &m.district_code),
        json!({ "present": present, "names": names.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Minutes {
    #[serde(default)]
    pub minutes: String,
}

pub async fn record_minutes(db: &Db, actor: &str, meeting_id: i64, n: Minutes) -> Result<Meeting> {
    let m = meeting(db, meeting_id).await?;
    let minutes = text("minutes", &n.minutes, 20_000, "请填写会议记录", "the minutes are empty")?;
    let mut tx = db.begin().await?;
    let m: Meeting = sqlx::query_as("UPDATE delib_meetings SET minutes = $1 WHERE id = $2 RETURNING *")
        .bind(&minutes)
        .bind(m.id)
        .fetch_one(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "delib.meeting.minutes",
        "delib_meeting",
        m.id,
        (&m.community_code, &m.district_code),
        json!({ "minutes": minutes }),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewResolution {
    #[serde(default)]
    pub motion: String,
    /// The agenda topic the resolution decides (optional).
    #[serde(default, deserialize_with = "loose")]
    pub topic_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub yes: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub no: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub abstain: Option<String>,
}

/// Record a vote. A 居民会议 that was not validly held takes no decision
/// (rules §1.6); a motion passes with strictly more than half of those
/// present, abstentions counting as present (rules §1.7). A motion that
/// fails is recorded too.
pub async fn resolve(db: &Db, actor: &str, meeting_id: i64, n: NewResolution) -> Result<Resolution> {
    let m = meeting(db, meeting_id).await?;
    let motion = text("motion", &n.motion, 2000, "请填写表决事项", "state the motion")?;
    let present = m.present.ok_or_else(|| bad("present", "请先登记出席人数", "record the attendance before a vote"))?;
    if let Some(Err(msg)) = m.validly_held() {
        return Err(StoreError::invalid("present", msg));
    }
    let yes = required_count("yes", &n.yes)?;
    let no = count("no", &n.no)?.unwrap_or(0);
    let abstain = count("abstain", &n.abstain)?.unwrap_or(0);
    if yes + no + abstain > present {
        return Err(bad(
            "yes",
            format!("赞成、反对、弃权合计{}，超过出席人数{present}", yes + no + abstain),
            format!("yes, no and abstain add up to {}, more than the {present} present", yes + no + abstain),
        ));
    }
    let topic_id = id_field("topic_id", &n.topic_id)?;
    if let Some(tid) = topic_id
        && !agenda(db, m.id).await?.iter().any(|t| t.id == tid)
    {
        return Err(bad("topic_id", "该议题不在本次会议议程中", "that topic is not on this meeting's agenda"));
    }
    let passed = assembly::decision_passes(present as u64, yes as u64);
    let mut tx = db.begin().await?;
    // Read attendance again inside the transaction: it may not change under the vote.
    let now_present: Option<i64> =
        sqlx::query_scalar("SELECT present FROM delib_meetings WHERE id = $1").bind(m.id).fetch_one(&mut *tx).await?;
    if now_present != Some(present) {
        return Err(bad("present", "出席人数刚被修改，请刷新", "the attendance changed meanwhile; reload"));
    }
    let r: Resolution = sqlx::query_as(
        "INSERT INTO delib_resolutions (meeting_id, topic_id, community_code, district_code, motion, present, votes_yes, votes_no, votes_abstain, passed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
    )
    .bind(m.id)
    .bind(topic_id)
    .bind(&m.community_code)
    .bind(&m.district_code)
    .bind(&motion)
    .bind(present)
    .bind(yes)
    .bind(no)
    .bind(abstain)
    .bind(passed as i64)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "delib.resolution.vote",
        "delib_resolution",
        r.id,
        (&m.community_code, &m.district_code),
        json!(r),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn resolution(db: &Db, id: i64) -> Result<Resolution> {
    sqlx::query_as("SELECT * FROM delib_resolutions WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn resolutions(db: &Db, meeting_id: i64) -> Result<Vec<Resolution>> {
    Ok(sqlx::query_as("SELECT * FROM delib_resolutions WHERE meeting_id = $1 ORDER BY id")
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn resolutions_of_topic(db: &Db, topic_id: i64) -> Result<Vec<Resolution>> {
    Ok(sqlx::query_as("SELECT * FROM delib_resolutions WHERE topic_id = $1 ORDER BY id")
        .bind(topic_id)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn community_resolutions(db: &Db, community: &str) -> Result<Vec<Resolution>> {
    Ok(sqlx::query_as("SELECT * FROM delib_resolutions WHERE community_code = $1 ORDER BY id")
        .bind(community)
        .fetch_all(&db.pool)
        .await?)
}

// ------------------------------------------------------------- petitions

/// Adults (18+ today, from the registry's birth dates), distinct households
/// and residents' groups of a community.
pub async fn totals(db: &Db, community: &str) -> Result<Totals> {
    let cutoff = assembly::adult_born_on_or_before(clock::today()).to_string();
    let (adults, households): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN birth_date <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COUNT(DISTINCT household) AS BIGINT) \
         FROM residents WHERE community_code = $1",
    )
    .bind(community)
    .bind(&cutoff)
    .fetch_one(&db.pool)
    .await?;
    let groups: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM resident_groups WHERE community_code = $1")
            .bind(community)
            .fetch_one(&db.pool)
            .await?;
    Ok(Totals { adults, households, groups })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPetition {
    #[serde(default)]
    pub subject: String,
    /// Signers aged 18+.
    #[serde(default, deserialize_with = "loose")]
    pub adults: Option<String>,
    /// Households that signed.
    #[serde(default, deserialize_with = "loose")]
    pub households: Option<String>,
    /// Residents' groups that signed.
    #[serde(default, deserialize_with = "loose")]
    pub groups: Option<String>,
}

/// Record a petition to convene a 居民会议 against today's totals. When it
/// reaches a threshold of rules §1.8, a mandatory follow-up "convene a
/// 居民会议" is created in the same transaction.
pub async fn petition(db: &Db, actor: &str, community: &str, n: NewPetition) -> Result<(Petition, Option<Followup>)> {
    let subject = text("subject", &n.subject, 500, "请填写提议事项", "state what the petition asks")?;
    let adults = count("adults", &n.adults)?.unwrap_or(0);
    let households = count("households", &n.households)?.unwrap_or(0);
    let groups = count("groups", &n.groups)?.unwrap_or(0);
    if adults + households + groups == 0 {
        return Err(bad(
            "adults",
            "请填写联名的居民、户或居民小组数",
            "give how many adults, households or groups signed",
        ));
    }
    let c = crate::structure::community(db, community).await?;
    let t = totals(db, &c.code).await?;
    for (field, signed, total, zh, en) in [
        ("adults", adults, t.adults, "成年居民", "adult residents"),
        ("households", households, t.households, "户", "households"),
        ("groups", groups, t.groups, "居民小组", "residents' groups"),
    ] {
        if signed > total {
            return Err(bad(
                field,
                format!("联名数{signed}超过本社区登记的{zh}总数{total}"),
                format!("{signed} signers exceed the community's {total} registered {en}"),
            ));
        }
    }
    let u = |x: i64| x.max(0) as u64;
    let forces = assembly::petition_forces_meeting(
        (u(adults), u(t.adults)),
        (u(households), u(t.households)),
        (u(groups), u(t.groups)),
    );
    let mut tx = db.begin().await?;
    let p: Petition = sqlx::query_as(
        "INSERT INTO delib_petitions (community_code, district_code, subject, adults_signed, households_signed, groups_signed, adults_total, households_total, groups_total, forces_meeting, received_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&subject)
    .bind(adults)
    .bind(households)
    .bind(groups)
    .bind(t.adults)
    .bind(t.households)
    .bind(t.groups)
    .bind(forces as i64)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "delib.petition.record", "delib_petition", p.id, (&c.code, &c.district_code), json!(p))
        .await?;
    let followup = if forces {
        let due = (clock::today() + time::Duration::days(CONVENE_WITHIN_DAYS)).to_string();
        let f: Followup = sqlx::query_as(
            "INSERT INTO delib_followups (community_code, district_code, kind, mandatory, title, owner, due_on, source, source_id, created_at) \
             VALUES ($1, $2, 'convene_assembly', 1, $3, $4, $5, 'petition', $6, $7) RETURNING *",
        )
        .bind(&c.code)
        .bind(&c.district_code)
        .bind(format!("召集居民会议：{subject}"))
        .bind("社区居民委员会")
        .bind(&due)
        .bind(p.id)
        .bind(clock::now_text())
        .fetch_one(&mut *tx)
        .await?;
        audit_write(
            &mut tx,
            actor,
            "delib.followup.create",
            "delib_followup",
            f.id,
            (&c.code, &c.district_code),
            json!(f),
        )
        .await?;
        Some(f)
    } else {
        None
    };
    tx.commit().await?;
    Ok((p, followup))
}

pub async fn petitions(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Petition>> {
    Ok(sqlx::query_as(
        "SELECT * FROM delib_petitions WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC LIMIT 500",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

// ------------------------------------------------------------- follow-ups

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewFollowup {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub owner: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub due_on: String,
    /// The resolution it carries out (optional).
    #[serde(default, deserialize_with = "loose")]
    pub resolution_id: Option<String>,
}

pub async fn create_followup(db: &Db, actor: &str, community: &str, n: NewFollowup) -> Result<Followup> {
    let title = text("title", &n.title, 300, "请填写待办事项", "state the action")?;
    let owner = text("owner", &n.owner, 100, "请填写负责人", "name who is responsible")?;
    let due = date("due_on", &n.due_on)?;
    let c = crate::structure::community(db, community).await?;
    let source_id = match id_field("resolution_id", &n.resolution_id)? {
        Some(rid) => {
            let r =
                resolution(db, rid).await.map_err(|_| bad("resolution_id", "没有这项决议", "no such resolution"))?;
            if r.community_code != c.code {
                return Err(bad("resolution_id", "没有这项决议", "no such resolution"));
            }
            Some(rid)
        }
        None => None,
    };
    let mut tx = db.begin().await?;
    let f: Followup = sqlx::query_as(
        "INSERT INTO delib_followups (community_code, district_code, kind, mandatory, title, owner, due_on, source, source_id, created_at) \
         VALUES ($1, $2, 'action', 0, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&title)
    .bind(&owner)
    .bind(&due)
    .bind(if source_id.is_some() { "resolution" } else { "" })
    .bind(source_id)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "delib.followup.create", "delib_followup", f.id, (&c.code, &c.district_code), json!(f))
        .await?;
    tx.commit().await?;
    Ok(f)
}

pub async fn followups(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Followup>> {
    Ok(sqlx::query_as(
        "SELECT * FROM delib_followups WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY done, due_on, id LIMIT 500",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn followup(db: &Db, id: i64) -> Result<Followup> {
    sqlx::query_as("SELECT * FROM delib_followups WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Done {
    /// For a "convene 居民会议" follow-up: the 居民会议 that was convened.
    #[serde(default, deserialize_with = "loose")]
    pub meeting_id: Option<String>,
}

/// Mark a follow-up done. The mandatory "convene 居民会议" is done only by
/// naming the 居民会议 that was convened.
pub async fn followup_done(db: &Db, actor: &str, id: i64, d: Done) -> Result<Followup> {
    let f = followup(db, id).await?;
    if f.done == 1 {
        return Err(bad("done", "该事项已完成", "already done"));
    }
    let meeting_id = id_field("meeting_id", &d.meeting_id)?;
    if f.kind == "convene_assembly" {
        let ok = match meeting_id {
            Some(mid) => meeting(db, mid)
                .await
                .ok()
                .is_some_and(|m| m.kind == "assembly" && m.community_code == f.community_code),
            None => false,
        };
        if !ok {
            return Err(bad(
                "meeting_id",
                "须指明已召集的本社区居民会议",
                "name the residents' meeting of this community that was convened",
            ));
        }
    }
    let mut tx = db.begin().await?;
    let f: Option<Followup> =
        sqlx::query_as("UPDATE delib_followups SET done = 1, done_at = $1 WHERE id = $2 AND done = 0 RETURNING *")
            .bind(clock::now_text())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let f = f.ok_or_else(|| bad("done", "该事项已完成", "already done"))?;
    audit_write(
        &mut tx,
        actor,
        "delib.followup.done",
        "delib_followup",
        f.id,
        (&f.community_code, &f.district_code),
        json!({ "meeting": meeting_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(f)
}

// ---------------------------------------------------------- public record

/// What the public may read: meetings with their attendance counts and
/// resolutions, and how topics ended. No names of residents.
#[derive(Debug, Clone, Serialize)]
pub struct PublicMeeting {
    pub id: i64,
    pub kind: String,
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
    pub status: String,
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
    let title_of = |id: i64| ts.iter().find(|t| t.id == id).map(|t| t.title.clone());
    let meetings = ms
        .iter()
        .map(|m| PublicMeeting {
            id: m.id,
            kind: m.kind.clone(),
            title: m.title.clone(),
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
                    motion: r.motion.clone(),
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
            title: t.title.clone(),
            important: t.important == 1,
            status: t.status.clone(),
            closing_resolution_id: t.closing_resolution_id,
            closing_note: t.closing_note.clone(),
            closed_at: t.closed_at.clone(),
        })
        .collect();
    Ok(PublicRecord { community_code: c.code, community_name: c.name, meetings, topics })
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
