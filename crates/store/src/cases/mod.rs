//! The one-stop service center (一站式服务中心, "前台一口受理、后台分类处置"):
//! the service items catalogue (事项目录) and cases. A case's truth is its
//! append-only history of the `cases` engine's `HistoryRecord`s; the `cases`
//! row keeps only a projection (status, lead queue) for listing, and deadlines
//! and overdue flags are always computed with `cases::sla`.
//!
//! - `intake`: validation and the group-committed write of new cases;
//! - `events`: one event on one case, one transaction;
//! - `projection`: what the engine's history implies for the `cases` row and
//!   the live tallies (`case_tally`, `case_outcome`);
//! - `query`: queues, lookups and statistics; `attachments`: files with checksums.

mod adoption;
mod attachments;
mod counter;
mod escalation;
mod events;
mod intake;
mod nearby;
mod projection;
mod query;
mod writer;

pub use adoption::{adopt_all, adopted, offered, set_adopted};
pub use attachments::{Attachment, attach, attachment, attachments};
pub use cases::state::Channel;
pub use counter::{known_places, resident_by_id_number};
pub use escalation::{escalate_overdue, escalate_overdue_in_pages};
pub use events::{NewEvent, apply, apply_at, link_duplicate};
pub use intake::{Intake, Place, create, create_at, create_for_resident, item_cached, place_of};
pub use query::{CaseStats, League, ListFilter, Page, Tally, league, list, lookup_phone, mine, stats, view};

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{JsonText, Word, words};
use crate::{Db, Result, StoreError, clock};
pub use attachments::MAX_BYTES as MAX_ATTACHMENT_BYTES;
use cases::routing::{CommunityMatch, Queue, QueueKind, RoutingRule, ServiceMatch, Target};
use cases::state::EventKind;
use cases::{CallbackPolicy, CaseState, HistoryRecord, QueueId, RoutingTable};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit_kind: UnitKind,
    pub unit_name: String,
    /// JSON array of strings.
    pub materials: JsonText<Vec<String>>,
    /// Legal time limit in working days.
    pub limit_days: i64,
    pub fee_kind: FeeKind,
    pub fee_fen: i64,
    /// JSON array of channel names.
    pub channels: JsonText<Channels>,
    /// JSON array of questions: `{"key","label","kind":"text|number|date|single|multi","required","options"}`,
    /// parsed when the row is read (and so once per catalogue cache).
    pub questions: JsonText<Vec<Question>>,
    pub created_at: String,
}

words! {
    /// Who handles an item's cases.
    pub enum UnitKind, "unit kind" {
        Community => "community",
        Department => "department",
        Provider => "provider",
    }
}

words! {
    /// Whether an item is charged for.
    pub enum FeeKind, "fee kind" {
        Free => "free",
        Standard => "standard",
    }
}

/// The channels an item is taken through (stored as their words).
#[derive(Debug, Clone, PartialEq)]
pub struct Channels(pub Vec<Channel>);

impl<'de> Deserialize<'de> for Channels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let words = Vec::<String>::deserialize(d)?;
        words
            .iter()
            .map(|w| Channel::from_word(w).map_err(serde::de::Error::custom))
            .collect::<Result<_, _>>()
            .map(Channels)
    }
}

impl Serialize for Channels {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|c| c.word()))
    }
}

words! {
    /// How a question is answered.
    pub enum QuestionKind, "question kind" {
        Text => "text",
        Number => "number",
        Date => "date",
        Single => "single",
        Multi => "multi",
    }
}

impl Default for QuestionKind {
    fn default() -> Self {
        QuestionKind::Text
    }
}

/// One of an item's typed questions; the answers object holds its `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl Item {
    pub fn materials_list(&self) -> &[String] {
        &self.materials
    }
    pub fn takes(&self, channel: Channel) -> bool {
        self.channels.0.contains(&channel)
    }
    /// The back-office queue that leads this item's cases in `community`.
    pub fn queue(&self, community: &str) -> QueueId {
        match self.unit_kind {
            UnitKind::Community => QueueId::new(format!("community:{community}")),
            UnitKind::Department => QueueId::new(format!("department:{}", self.unit_name)),
            UnitKind::Provider => QueueId::new(format!("provider:{}", self.unit_name)),
        }
    }
}

/// A catalogue entry as given by the city (or the demo).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewItem {
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit_kind: String,
    pub unit_name: String,
    #[serde(default)]
    pub materials: Vec<String>,
    pub limit_days: i64,
    /// None: free.
    #[serde(default)]
    pub fee_fen: Option<i64>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub questions: serde_json::Value,
}

pub async fn add_item(db: &Db, actor: &str, n: NewItem) -> Result<Item> {
    let code = n.code.trim();
    if code.is_empty() || code.len() > 40 || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(bad("code", "事项编码应为字母、数字或连字符", "code must be letters, digits or hyphens"));
    }
    if n.name.trim().is_empty() {
        return Err(bad("name", "请填写事项名称", "a name is required"));
    }
    let Ok(unit_kind) = UnitKind::from_word(&n.unit_kind) else {
        return Err(bad(
            "unit_kind",
            "承办单位类型应为社区、部门或服务商",
            "unit kind must be community, department or provider",
        ));
    };
    if !(1..=365).contains(&n.limit_days) {
        return Err(bad("limit_days", "办理时限应为1至365个工作日", "time limit must be 1 to 365 working days"));
    }
    if n.fee_fen.is_some_and(|f| f <= 0) {
        return Err(bad("fee_fen", "收费标准应大于0", "a fee must be positive"));
    }
    let channels: Vec<Channel> = if n.channels.is_empty() {
        Channel::ALL.to_vec()
    } else {
        n.channels
            .iter()
            .map(|c| Channel::from_word(c).map_err(|_| bad("channels", "受理渠道无效", "unknown channel")))
            .collect::<Result<_>>()?
    };
    let questions = if n.questions.is_null() { json!([]) } else { n.questions.clone() };
    if !questions.is_array() {
        return Err(bad("questions", "问题应为列表", "questions must be a list"));
    }
    // Stored only if the catalogue can read it back as typed questions.
    let typed: Vec<Question> = serde_json::from_value(questions.clone())
        .map_err(|e| bad("questions", format!("问题格式不正确：{e}"), format!("malformed questions: {e}")))?;
    if typed.iter().any(|q| q.key.trim().is_empty()) {
        return Err(bad("questions", "每个问题都须有键名", "every question needs a key"));
    }
    let mut tx = db.begin().await?;
    let it: Item = sqlx::query_as(
        "INSERT INTO service_items (code, name, category, unit_kind, unit_name, materials, limit_days, fee_kind, fee_fen, channels, questions, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *",
    )
    .bind(code)
    .bind(n.name.trim())
    .bind(n.category.trim())
    .bind(unit_kind.word())
    .bind(n.unit_name.trim())
    .bind(json!(n.materials).to_string())
    .bind(n.limit_days)
    .bind(if n.fee_fen.is_some() { FeeKind::Standard } else { FeeKind::Free }.word())
    .bind(n.fee_fen.unwrap_or(0))
    .bind(json!(channels.iter().map(|c| c.word()).collect::<Vec<_>>()).to_string())
    .bind(questions.to_string())
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "case.item.add",
        "service_item",
        it.id,
        ("", ""),
        json!({ "code": it.code, "name": it.name }),
    )
    .await?;
    tx.commit().await?;
    db.cases.forget_items();
    Ok(it)
}

pub async fn items(db: &Db) -> Result<Vec<Item>> {
    Ok(sqlx::query_as("SELECT * FROM service_items ORDER BY category, code").fetch_all(&db.pool).await?)
}

pub async fn item(db: &Db, code: &str) -> Result<Item> {
    sqlx::query_as("SELECT * FROM service_items WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub item_code: String,
    #[sqlx(try_from = "crate::typed::Text")]
    #[serde(with = "crate::typed::word")]
    pub channel: Channel,
    pub resident_id: Option<i64>,
    pub caller_name: String,
    pub caller_phone: String,
    pub description: String,
    pub answers: String,
    pub address: String,
    pub building: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub lead_queue: Option<String>,
    #[sqlx(try_from = "crate::typed::Text")]
    pub status: cases::Status,
    /// JSON array of the ids of probable duplicates flagged at intake.
    pub duplicates: String,
    pub created_at: String,
    pub updated_at: String,
    pub category: String,
    /// The legal deadline at the last event (None while the clock is stopped).
    pub deadline_at: Option<String>,
    pub warn_at: Option<String>,
    pub resolved_at: Option<String>,
    pub on_time: Option<i64>,
    pub rating: Option<i64>,
    /// JSON array of co-handling queues.
    pub co_handlers: String,
    pub linked_to: Option<i64>,
}

/// A case with what is computed from its history.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    pub item_name: String,
    pub limit_days: i64,
    pub deadline: Option<String>,
    /// on_time | warning | overdue | stopped | met | missed
    pub sla_state: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NewCase {
    #[serde(default)]
    pub item: String,
    /// counter | hotline | web | open311 (default counter).
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub caller_name: String,
    #[serde(default)]
    pub caller_phone: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub answers: Option<serde_json::Value>,
    #[serde(default)]
    pub resident_id: Option<i64>,
}

/// A history record as stored: the case's truth, so a record that cannot be
/// serialised fails the write (never an empty record).
pub(crate) fn history_text(r: &HistoryRecord) -> Result<String> {
    serde_json::to_string(r).map_err(|e| StoreError::Config(format!("case history record: {e}")))
}

/// A deadline as the last day to act, in China time: the engine's deadline is
/// the end of that working day (midnight), which would read as the next day; a
/// deadline inside a day reads as its date and time. The case page and the
/// resident's notice both say this, so they never disagree.
pub fn due_day(deadline: &str) -> String {
    match OffsetDateTime::parse(deadline, &Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
            if (t.hour(), t.minute(), t.second()) == (0, 0, 0) {
                (t.date() - time::Duration::days(1)).to_string()
            } else {
                format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
            }
        }
        Err(_) => deadline.to_string(),
    }
}

pub(crate) fn ts(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(OffsetDateTime::now_utc())
}

pub(crate) fn engine(field: &str, e: cases::CaseError) -> StoreError {
    StoreError::invalid(field, e.msg())
}

/// The default routing table for one item in one community: the item's
/// handling unit leads.
pub fn routing_table(it: &Item, community: &str) -> std::result::Result<RoutingTable, cases::CaseError> {
    let lead = it.queue(community);
    let mut queues = vec![Queue {
        id: QueueId::new(format!("community:{community}")),
        kind: QueueKind::CommunityTeam { community: community.to_string() },
        name: cases::Msg::new("社区工作人员", "community team"),
        supervisor: format!("community-admin:{community}"),
    }];
    let target = if it.unit_kind == UnitKind::Community {
        Target::OwnCommunityTeam
    } else {
        let kind = if it.unit_kind == UnitKind::Department {
            QueueKind::DistrictDepartment { department: it.unit_name.clone() }
        } else {
            QueueKind::Provider { provider_type: it.unit_name.clone() }
        };
        queues.push(Queue {
            id: lead.clone(),
            kind,
            name: cases::Msg::new(it.unit_name.clone(), it.unit_name.clone()),
            supervisor: format!("supervisor:{}", it.unit_name),
        });
        Target::Queue(lead)
    };
    RoutingTable::new(
        queues,
        vec![RoutingRule {
            service: ServiceMatch::Item(it.code.clone()),
            community: CommunityMatch::Any,
            lead: target,
            co_handlers: vec![],
        }],
    )
}

pub async fn case(db: &Db, id: i64) -> Result<Case> {
    sqlx::query_as("SELECT * FROM cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn history(db: &Db, id: i64) -> Result<Vec<HistoryRecord>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT record FROM case_history WHERE case_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    parse_history(id, &rows)
}

/// The state a case's history replays to.
pub async fn state(db: &Db, id: i64) -> Result<CaseState> {
    let h = history(db, id).await?;
    CaseState::replay(&h, &CallbackPolicy::default()).map_err(|e| engine("history", e))
}

/// China's working-day calendar, built once for every deadline the store and pages compute.
pub fn calendar() -> &'static cases::Calendar {
    &projection::CAL
}

/// Parses a stored history.
pub(crate) fn parse_history(id: i64, rows: &[(String,)]) -> Result<Vec<HistoryRecord>> {
    rows.iter()
        .map(|(r,)| serde_json::from_str(r).map_err(|e| StoreError::Config(format!("case {id} history: {e}"))))
        .collect()
}

/// Events this role may trigger on this case now.
pub async fn allowed(db: &Db, id: i64, role: Option<cases::Role>) -> Result<Vec<EventKind>> {
    let Some(role) = role else { return Ok(vec![]) };
    Ok(cases::state::allowed_events(&state(db, id).await?, role))
}

/// The registered resident (id, name, phone) a resident's account is linked
/// to; an account not linked yet is told to verify at the service center.
pub async fn linked_resident(db: &Db, user_id: i64) -> Result<(i64, String, String)> {
    resident_of_user(db, user_id).await?.ok_or_else(|| {
        bad(
            "resident",
            "您的账号尚未关联社区居民登记，请到服务中心核验",
            "your account is not linked to a registered resident; verify at the service center",
        )
    })
}

/// The registered resident (id, name, phone) a user account is linked to.
pub async fn resident_of_user(db: &Db, user_id: i64) -> Result<Option<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.name, r.phone FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// The queues a case of this community can be routed or transferred to: the
/// community's own team and every department and provider type the catalogue names.
pub async fn queues(db: &Db, community: &str) -> Result<Vec<(String, String)>> {
    let mut out = vec![(format!("community:{community}"), "社区工作人员 / community team".to_string())];
    let mut seen = std::collections::BTreeSet::new();
    for it in items(db).await? {
        if it.unit_kind != UnitKind::Community && seen.insert(it.queue(community).0) {
            out.push((it.queue(community).0, it.unit_name.clone()));
        }
    }
    Ok(out)
}
