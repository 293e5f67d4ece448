//! Meetings (议事会 and 居民会议): agenda, attendance, minutes, resolutions.

use super::*;
use crate::Capped;
use crate::typed::Word;

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
    /// How many make up the base: for a council, and for a 居民会议 of group
    /// representatives only; all adults and households are counted from the registry (rule 1.6).
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
    let kind = match MeetingKind::from_word(n.kind.trim()) {
        Ok(k) => k,
        Err(_) => {
            return Err(bad(
                "kind",
                "会议类型应为议事会或居民会议",
                "the meeting is a council or a residents' meeting",
            ));
        }
    };
    let title = text("title", &n.title, 200, "请填写会议名称", "a title is required")?;
    let held_on = date("held_on", &n.held_on)?;
    if let Some(d) = clock::parse_date(&held_on) {
        rules::dates::meeting_date(d, clock::today()).map_err(|m| StoreError::invalid("held_on", m))?;
    }
    let c = crate::structure::community(db, community).await?;
    let given_count = count("base_count", &n.base_count)?;
    let (base_kind, base_count) = if kind == MeetingKind::Assembly {
        let base = parse_base(n.base_kind.trim()).ok_or_else(|| {
            bad(
                "base_kind",
                "请选择居民会议的组成：全体成年居民、户代表或居民小组代表",
                "choose the meeting's base: all adults, household representatives or group representatives",
            )
        })?;
        // Rule 1.6: all adults (18 on the meeting's day) and households are counted from the registry.
        let day = clock::parse_date(&held_on).unwrap_or_else(clock::today);
        let totals = totals_on(db, &c.code, day).await?;
        let registry = match base {
            MeetingBase::AllAdults => totals.adults,
            MeetingBase::Households => totals.households,
            MeetingBase::GroupRepresentatives => 0,
        };
        let count = rules::between::rule_1_6_base_from_registry(
            base,
            registry.max(0) as u64,
            given_count.map(|n| n.max(0) as u64),
        )
        .map_err(|m| StoreError::invalid("base_count", m))? as i64;
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
        if t.status != super::TopicStatus::Open {
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
    .bind(kind.word())
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

pub async fn meetings(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Meeting>> {
    crate::capped::scoped(db, "SELECT * FROM delib_meetings WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY held_on DESC, id DESC", 500, community, district).await
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
/// Attendance and votes belong to a meeting that has taken place.
fn held(m: &Meeting, field: &str) -> Result<()> {
    if m.held_on.as_str() > clock::today().to_string().as_str() {
        return Err(bad(
            field,
            format!("会议定于{}召开，尚未举行，不能登记出席或表决", m.held_on),
            format!("the meeting is set for {} and has not taken place; attendance and votes come after it", m.held_on),
        ));
    }
    Ok(())
}

pub async fn record_attendance(db: &Db, actor: &str, meeting_id: i64, a: Attendance) -> Result<Meeting> {
    let m = meeting(db, meeting_id).await?;
    held(&m, "present")?;
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
