//! The one-stop service center (一站式服务中心, "前台一口受理、后台分类处置"):
//! the service items catalogue (事项目录) and cases. A case's truth is its
//! append-only history of the `cases` engine's `HistoryRecord`s; the `cases`
//! row keeps only a projection (status, lead queue) for listing, and deadlines
//! and overdue flags are always computed with `cases::sla`.

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use cases::routing::{CommunityMatch, Queue, QueueKind, RouteRequest, RoutingRule, ServiceMatch, Target};
use cases::state::{Channel, EventKind};
use cases::{CallbackPolicy, CaseId, CaseState, CaseSummary, Event, HistoryRecord, QueueId, Rating, RoutingTable};
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
    /// community | department | provider
    pub unit_kind: String,
    pub unit_name: String,
    /// JSON array of strings.
    pub materials: String,
    /// Legal time limit in working days.
    pub limit_days: i64,
    /// free | standard
    pub fee_kind: String,
    pub fee_fen: i64,
    /// JSON array of channel names.
    pub channels: String,
    /// JSON array of questions: `{"key","label","kind":"text|number|date|single|multi","required","options"}`.
    pub questions: String,
    pub created_at: String,
}

impl Item {
    pub fn materials_list(&self) -> Vec<String> {
        serde_json::from_str(&self.materials).unwrap_or_default()
    }
    pub fn takes(&self, channel: &str) -> bool {
        serde_json::from_str::<Vec<String>>(&self.channels).unwrap_or_default().iter().any(|c| c == channel)
    }
    /// The back-office queue that leads this item's cases in `community`.
    pub fn queue(&self, community: &str) -> QueueId {
        match self.unit_kind.as_str() {
            "community" => QueueId::new(format!("community:{community}")),
            "department" => QueueId::new(format!("department:{}", self.unit_name)),
            _ => QueueId::new(format!("provider:{}", self.unit_name)),
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

pub const CHANNELS: [&str; 4] = ["counter", "hotline", "web", "open311"];

pub async fn add_item(db: &Db, actor: &str, n: NewItem) -> Result<Item> {
    let code = n.code.trim();
    if code.is_empty() || code.len() > 40 || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(bad("code", "事项编码应为字母、数字或连字符", "code must be letters, digits or hyphens"));
    }
    if n.name.trim().is_empty() {
        return Err(bad("name", "请填写事项名称", "a name is required"));
    }
    if !matches!(n.unit_kind.as_str(), "community" | "department" | "provider") {
        return Err(bad(
            "unit_kind",
            "承办单位类型应为社区、部门或服务商",
            "unit kind must be community, department or provider",
        ));
    }
    if !(1..=365).contains(&n.limit_days) {
        return Err(bad("limit_days", "办理时限应为1至365个工作日", "time limit must be 1 to 365 working days"));
    }
    if n.fee_fen.is_some_and(|f| f <= 0) {
        return Err(bad("fee_fen", "收费标准应大于0", "a fee must be positive"));
    }
    let channels: Vec<String> =
        if n.channels.is_empty() { CHANNELS.iter().map(|s| s.to_string()).collect() } else { n.channels.clone() };
    if channels.iter().any(|c| !CHANNELS.contains(&c.as_str())) {
        return Err(bad("channels", "受理渠道无效", "unknown channel"));
    }
    let questions = if n.questions.is_null() { json!([]) } else { n.questions.clone() };
    if !questions.is_array() {
        return Err(bad("questions", "问题应为列表", "questions must be a list"));
    }
    let mut tx = db.begin().await?;
    let it: Item = sqlx::query_as(
        "INSERT INTO service_items (code, name, category, unit_kind, unit_name, materials, limit_days, fee_kind, fee_fen, channels, questions, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *",
    )
    .bind(code)
    .bind(n.name.trim())
    .bind(n.category.trim())
    .bind(&n.unit_kind)
    .bind(n.unit_name.trim())
    .bind(json!(n.materials).to_string())
    .bind(n.limit_days)
    .bind(if n.fee_fen.is_some() { "standard" } else { "free" })
    .bind(n.fee_fen.unwrap_or(0))
    .bind(json!(channels).to_string())
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
    pub channel: String,
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
    pub status: String,
    /// JSON array of the ids of probable duplicates flagged at intake.
    pub duplicates: String,
    pub created_at: String,
    pub updated_at: String,
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

#[derive(Debug, Clone, Default, Deserialize)]
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

fn ts(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(OffsetDateTime::now_utc())
}

fn engine(field: &str, e: cases::CaseError) -> StoreError {
    let m = e.msg();
    bad(field, m.zh, m.en)
}

fn channel_of(s: &str) -> Option<Channel> {
    Some(match s {
        "counter" => Channel::Counter,
        "hotline" => Channel::Hotline,
        "web" => Channel::Web,
        "open311" => Channel::Open311,
        _ => return None,
    })
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
    let target = if it.unit_kind == "community" {
        Target::OwnCommunityTeam
    } else {
        let kind = if it.unit_kind == "department" {
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

async fn community_district(db: &Db, community: &str) -> Result<String> {
    sqlx::query_scalar("SELECT district_code FROM communities WHERE code = $1")
        .bind(community)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Takes a case: the engine accepts it, the default routing table routes it
/// to its lead queue, duplicates among the community's open cases are flagged;
/// the row, both history records and the audit entry are one transaction.
pub async fn create(db: &Db, actor: &str, role: cases::Role, community: &str, n: NewCase) -> Result<Case> {
    let it = item(db, n.item.trim()).await.map_err(|e| match e {
        StoreError::NotFound => bad("item", "未知的服务事项", "unknown service item"),
        e => e,
    })?;
    let channel = if n.channel.trim().is_empty() { "counter" } else { n.channel.trim() };
    let Some(ch) = channel_of(channel) else { return Err(bad("channel", "受理渠道无效", "unknown channel")) };
    if !it.takes(channel) {
        return Err(bad("channel", "该事项不通过此渠道受理", "this item is not taken through this channel"));
    }
    let name = n.caller_name.trim();
    if name.is_empty() && n.resident_id.is_none() {
        return Err(bad("caller_name", "请填写来访人或来电人姓名", "the caller's name is required"));
    }
    if name.chars().count() > 50 {
        return Err(bad("caller_name", "姓名不能超过50字", "at most 50 characters"));
    }
    let phone = n.caller_phone.trim();
    let phone_ok = phone.len() >= 7 && phone.len() <= 20 && phone.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !phone.is_empty() && !phone_ok {
        return Err(bad("caller_phone", "电话号码格式不正确", "not a valid phone number"));
    }
    if n.description.chars().count() > 2000 {
        return Err(bad("description", "说明不能超过2000字", "at most 2000 characters"));
    }
    if n.building.chars().count() > 50 {
        return Err(bad("building", "楼栋不能超过50字", "at most 50 characters"));
    }
    match (n.lat, n.lon) {
        (None, None) => {}
        (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => {}
        _ => return Err(bad("lat", "经纬度无效", "latitude/longitude invalid")),
    }
    let answers = n.answers.clone().unwrap_or_else(|| json!({}));
    if !answers.is_object() {
        return Err(bad("answers", "答案应为对象", "answers must be an object"));
    }
    let questions: Vec<serde_json::Value> = serde_json::from_str(&it.questions).unwrap_or_default();
    for q in &questions {
        let key = q["key"].as_str().unwrap_or_default();
        let given = answers.get(key).is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
        if q["required"].as_bool().unwrap_or(false) && !given {
            return Err(bad(&format!("answers.{key}"), "请回答必填问题", "a required question is unanswered"));
        }
    }
    let district = community_district(db, community).await?;
    if let Some(rid) = n.resident_id {
        let theirs: Option<String> = sqlx::query_scalar("SELECT community_code FROM residents WHERE id = $1")
            .bind(rid)
            .fetch_optional(&db.pool)
            .await?;
        if theirs.as_deref() != Some(community) {
            return Err(bad("resident_id", "该居民不在本社区登记", "no such resident in this community"));
        }
    }
    let table = routing_table(&it, community).map_err(|e| engine("item", e))?;
    let at = now();
    let mut tx = db.begin().await?;
    // Duplicates: the community's open cases of the same item.
    let open: Vec<Case> = sqlx::query_as(
        "SELECT * FROM cases WHERE community_code = $1 AND item_code = $2 AND status NOT IN ('closed', 'rejected') ORDER BY id DESC LIMIT 200",
    )
    .bind(community)
    .bind(&it.code)
    .fetch_all(&mut *tx)
    .await?;
    let summary = |c: &Case| CaseSummary {
        id: CaseId::new(c.id.to_string()),
        item: c.item_code.clone(),
        building: Some(c.building.clone()).filter(|b| !b.is_empty()),
        location: c.lat.zip(c.lon),
        accepted_at: OffsetDateTime::parse(&c.created_at, &Rfc3339).unwrap_or(at),
    };
    let probe = CaseSummary {
        id: CaseId::new("new"),
        item: it.code.clone(),
        building: Some(n.building.trim().to_string()).filter(|b| !b.is_empty()),
        location: n.lat.zip(n.lon),
        accepted_at: at,
    };
    let open_s: Vec<CaseSummary> = open.iter().map(summary).collect();
    let dups: Vec<String> = cases::duplicates(&probe, &open_s).into_iter().map(|c| c.0).collect();
    let row: Case = sqlx::query_as(
        "INSERT INTO cases (community_code, district_code, item_code, channel, resident_id, caller_name, caller_phone, description, answers, address, building, lat, lon, lead_queue, status, duplicates, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, 'accepted', $14, $15, $15) RETURNING *",
    )
    .bind(community)
    .bind(&district)
    .bind(&it.code)
    .bind(channel)
    .bind(n.resident_id)
    .bind(name)
    .bind(phone)
    .bind(n.description.trim())
    .bind(answers.to_string())
    .bind(n.address.trim())
    .bind(n.building.trim())
    .bind(n.lat)
    .bind(n.lon)
    .bind(json!(dups).to_string())
    .bind(ts(at))
    .fetch_one(&mut *tx)
    .await?;
    let id = CaseId::new(row.id.to_string());
    let t1 = cases::accept(id, ch, role, at).map_err(|e| engine("channel", e))?;
    let assignment = table
        .resolve(&RouteRequest {
            category: it.category.clone(),
            item: it.code.clone(),
            community: community.to_string(),
        })
        .map_err(|e| engine("item", e))?;
    let t2 = cases::apply(&t1.state, Event::Route { assignment }, cases::Role::System, at)
        .map_err(|e| engine("event", e))?;
    for r in [&t1.record, &t2.record] {
        insert_record(&mut tx, row.id, r).await?;
    }
    let row = project(&mut tx, row.id, &t2.state).await?;
    audit_write(
        &mut tx,
        actor,
        "case.create",
        "case",
        row.id,
        (community, &district),
        json!({ "item": it.code, "channel": channel, "queue": row.lead_queue, "duplicates": dups }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

async fn insert_record(tx: &mut crate::Tx, case_id: i64, r: &HistoryRecord) -> Result<()> {
    sqlx::query("INSERT INTO case_history (case_id, seq, at, record) VALUES ($1, $2, $3, $4)")
        .bind(case_id)
        .bind(r.seq as i64)
        .bind(ts(r.at))
        .bind(serde_json::to_string(r).map_err(|e| StoreError::Config(e.to_string()))?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn status_text(s: cases::state::Status) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

async fn project(tx: &mut crate::Tx, id: i64, st: &CaseState) -> Result<Case> {
    Ok(sqlx::query_as("UPDATE cases SET status = $1, lead_queue = $2, updated_at = $3 WHERE id = $4 RETURNING *")
        .bind(status_text(st.status))
        .bind(st.assignment.as_ref().map(|a| a.lead.0.clone()))
        .bind(ts(st.updated_at))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?)
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
    rows.iter()
        .map(|(r,)| serde_json::from_str(r).map_err(|e| StoreError::Config(format!("case {id} history: {e}"))))
        .collect()
}

/// The state a case's history replays to.
pub async fn state(db: &Db, id: i64) -> Result<CaseState> {
    let h = history(db, id).await?;
    CaseState::replay(&h, &CallbackPolicy::default()).map_err(|e| engine("history", e))
}

/// An event from a form or JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewEvent {
    /// The engine's snake_case event name (start, resolve, send_back…).
    #[serde(default)]
    pub event: String,
    /// Reason, summary, missing materials or note, as the event needs.
    #[serde(default)]
    pub reason: String,
    /// Transfer / manual route: the new lead queue.
    #[serde(default)]
    pub queue: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub overall: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub speed: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub attitude: Option<String>,
}

fn score(field: &str, v: &Option<String>) -> Result<u8> {
    v.as_deref()
        .and_then(|s| s.trim().parse::<u8>().ok())
        .filter(|n| (1..=5).contains(n))
        .ok_or_else(|| bad(field, "评分应为1至5", "a score must be 1 to 5"))
}

fn to_event(n: &NewEvent) -> Result<Event> {
    let reason = n.reason.trim().to_string();
    let queue = n.queue.trim();
    Ok(match n.event.trim() {
        "start" => Event::Start,
        "arrive" => Event::Arrive,
        "return_for_materials" => Event::ReturnForMaterials { missing: reason },
        "materials_received" => Event::MaterialsReceived,
        "send_back" => Event::SendBack { reason },
        "reject" => Event::Reject { reason },
        "resolve" => Event::Resolve { summary: reason },
        "start_callback" => Event::StartCallback,
        "callback_no_answer" => Event::CallbackNoAnswer,
        "reopen" => Event::Reopen { reason },
        "close_with_note" => Event::CloseWithNote { note: reason },
        "transfer" | "route" if queue.is_empty() => {
            return Err(bad("queue", "请填写目标队列", "the target queue is required"));
        }
        "transfer" => Event::Transfer { lead: QueueId::new(queue), co_handlers: vec![], reason },
        "route" => Event::Route {
            assignment: cases::Assignment::manual(QueueId::new(queue), vec![], reason)
                .map_err(|e| engine("reason", e))?,
        },
        "rate" => Event::Rate {
            rating: Rating::new(
                score("overall", &n.overall)?,
                score("speed", &n.speed)?,
                score("attitude", &n.attitude)?,
            )
            .map_err(|e| engine("overall", e))?,
            comment: Some(reason).filter(|r| !r.is_empty()),
        },
        _ => return Err(bad("event", "未知的操作", "unknown event")),
    })
}

/// Applies one event: loads the history, replays it, lets the engine decide,
/// appends the record and updates the projection — one transaction.
pub async fn apply(db: &Db, actor: &str, role: cases::Role, id: i64, n: NewEvent) -> Result<Case> {
    let ev = to_event(&n)?;
    let kind = ev.kind();
    let c = case(db, id).await?;
    let mut tx = db.begin().await?;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT record FROM case_history WHERE case_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let h: Vec<HistoryRecord> = rows
        .iter()
        .map(|(r,)| serde_json::from_str(r).map_err(|e| StoreError::Config(format!("case {id} history: {e}"))))
        .collect::<Result<_>>()?;
    let st = CaseState::replay(&h, &CallbackPolicy::default()).map_err(|e| engine("history", e))?;
    let at = now().max(st.updated_at);
    let t = cases::apply(&st, ev, role, at).map_err(|e| {
        let m = e.msg();
        let (zh, en) = kind.names();
        bad("event", format!("{zh}：{}", m.zh), format!("{en}: {}", m.en))
    })?;
    insert_record(&mut tx, id, &t.record).await?;
    let row = project(&mut tx, id, &t.state).await?;
    audit_write(
        &mut tx,
        actor,
        "case.event",
        "case",
        id,
        (&c.community_code, &c.district_code),
        json!({ "event": t.record.event, "from": c.status, "to": row.status }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Events this role may trigger on this case now.
pub async fn allowed(db: &Db, id: i64, role: Option<cases::Role>) -> Result<Vec<EventKind>> {
    let Some(role) = role else { return Ok(vec![]) };
    Ok(cases::state::allowed_events(&state(db, id).await?, role))
}

/// Adds the computed deadline and overdue flag to a case.
pub async fn view(db: &Db, c: Case) -> Result<CaseView> {
    let it = item(db, &c.item_code).await?;
    let h = history(db, c.id).await?;
    let s = cases::sla(&h, it.limit_days as u32, &cases::Calendar::china(), now()).ok();
    Ok(CaseView {
        item_name: it.name,
        limit_days: it.limit_days,
        deadline: s.as_ref().map(|s| ts(s.deadline)),
        sla_state: s.as_ref().map(|s| {
            use cases::SlaState::*;
            match s.state {
                OnTime => "on_time",
                Warning => "warning",
                Overdue => "overdue",
                Stopped => "stopped",
                Met => "met",
                Missed => "missed",
            }
            .to_string()
        }),
        overdue: s.as_ref().is_some_and(|s| matches!(s.state, cases::SlaState::Overdue | cases::SlaState::Missed)),
        case: c,
    })
}

/// Cases in scope, optionally of one lead queue; newest first.
pub async fn list(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    queue: Option<&str>,
) -> Result<Vec<CaseView>> {
    let rows: Vec<Case> = sqlx::query_as(
        "SELECT * FROM cases WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR lead_queue = $3) ORDER BY id DESC LIMIT 200",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(queue.map(str::to_string))
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(view(db, c).await?);
    }
    Ok(out)
}
