//! Taking a case: validation, the engine's acceptance and routing, then the
//! queue of the case writer ([`super::writer`]).
//!
//! Every request is validated on its own (catalogue, adoption and community
//! areas come from in-memory caches), accepted, routed and projected by the
//! engine, and queued; it is answered only after the commit that holds its
//! case, so an acknowledged case survives a crash.

use super::nearby::{Probe, Stale};
use super::projection::project;
use super::{Case, Channel, Item, NewCase, Question, QuestionKind, engine, now, routing_table, ts};
use crate::error::bad;
use crate::typed::Word;
use crate::{Db, Result, StoreError};
use cases::routing::RouteRequest;
use cases::{CaseId, Event};
use rules::Msg;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// The catalogue is re-read at most this often (another node may add items).
const ITEMS_TTL: Duration = Duration::from_secs(60);

/// The shared intake state of every clone of a [`Db`].
#[derive(Default)]
pub struct Intake {
    /// The writer thread's queue; the thread starts with the first case and
    /// again if it ever stops.
    queue: Mutex<Option<mpsc::UnboundedSender<Job>>>,
    /// Groups of open cases the writer must read again (see [`super::nearby`]).
    pub(crate) stale_groups: Stale,
    /// Batches the writer rolled back and wrote again (see [`Intake::written_again`]).
    pub(crate) written_again: Arc<AtomicU64>,
    /// Shared, not cloned per request: an item carries its questions and materials.
    items: RwLock<Option<(Instant, HashMap<String, Arc<Item>>)>>,
    /// Community → (read at, item codes it has adopted).
    pub(crate) adopted: RwLock<HashMap<String, (Instant, std::collections::BTreeSet<String>)>>,
    /// Community → (district, service-area circle: lat, lon, radius in m).
    communities: RwLock<HashMap<String, Place>>,
}

pub type Place = (String, Option<(f64, f64, f64)>);

impl Intake {
    /// How many batches this process's case writer has rolled back and written
    /// again: numbered from heads that another writer had moved on, or clashing
    /// with another process. Each costs a wasted transaction.
    pub fn written_again(&self) -> u64 {
        self.written_again.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// After a community's area changes.
    pub(crate) fn forget_places(&self) {
        self.communities.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub(crate) fn forget_items(&self) {
        *self.items.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

pub(super) struct Job {
    pub(super) case: Accepted,
    pub(super) reply: oneshot::Sender<Result<Case>>,
}

/// A validated case, waiting for its transaction.
pub(super) struct Ready {
    pub(super) actor: String,
    pub(super) role: cases::Role,
    pub(super) community: String,
    pub(super) district: String,
    pub(super) item: Arc<Item>,
    pub(super) channel: Channel,
    pub(super) resident_id: Option<i64>,
    pub(super) name: String,
    pub(super) phone: String,
    pub(super) description: String,
    pub(super) answers: String,
    pub(super) address: String,
    pub(super) building: String,
    pub(super) lat: Option<f64>,
    pub(super) lon: Option<f64>,
    pub(super) at: OffsetDateTime,
}

impl Ready {
    pub(super) fn probe(&self) -> Probe {
        Probe {
            community: self.community.clone(),
            item: self.item.code.clone(),
            building: self.building.clone(),
            lat: self.lat,
            lon: self.lon,
            at: self.at,
        }
    }
}

/// A service item from the cached catalogue.
pub async fn item_cached(db: &Db, code: &str) -> Result<Arc<Item>> {
    let fresh =
        |c: &Option<(Instant, HashMap<String, Arc<Item>>)>| c.as_ref().is_some_and(|(t, _)| t.elapsed() < ITEMS_TTL);
    {
        let c = db.cases.items.read().unwrap_or_else(|e| e.into_inner());
        if fresh(&c)
            && let Some(it) = c.as_ref().and_then(|(_, m)| m.get(code))
        {
            return Ok(it.clone());
        }
        if fresh(&c) {
            return Err(StoreError::NotFound);
        }
    }
    let all = super::items(db).await?;
    let map: HashMap<String, Arc<Item>> = all.into_iter().map(|i| (i.code.clone(), Arc::new(i))).collect();
    let found = map.get(code).cloned();
    *db.cases.items.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), map));
    found.ok_or(StoreError::NotFound)
}

/// A community's district and service-area circle (lat, lon, radius in m), cached.
pub async fn place_of(db: &Db, community: &str) -> Result<Place> {
    if let Some(p) = db.cases.communities.read().unwrap_or_else(|e| e.into_inner()).get(community) {
        return Ok(p.clone());
    }
    let (d, la, lo, r): (String, Option<f64>, Option<f64>, Option<i64>) =
        sqlx::query_as("SELECT district_code, center_lat, center_lon, radius_m FROM communities WHERE code = $1")
            .bind(community)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
    let p: Place = (d, la.zip(lo).zip(r).map(|((a, o), r)| (a, o, r as f64)));
    db.cases.communities.write().unwrap_or_else(|e| e.into_inner()).insert(community.to_string(), p.clone());
    Ok(p)
}

/// Checks the answers against the item's typed questions.
pub(crate) fn check_answers(questions: &[Question], answers: &Value) -> Result<()> {
    let Some(given) = answers.as_object() else {
        return Err(bad("answers", "答案应为对象", "answers must be an object"));
    };
    for q in questions {
        let key = q.key.as_str();
        let field = format!("answers.{key}");
        let v = given
            .get(key)
            .filter(|v| !v.is_null() && v.as_str() != Some("") && v.as_array().is_none_or(|a| !a.is_empty()));
        let Some(v) = v else {
            if q.required {
                return Err(bad(&field, "请回答必填问题", "a required question is unanswered"));
            }
            continue;
        };
        let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        let options: Vec<&str> = q.options.iter().map(String::as_str).collect();
        match q.kind {
            QuestionKind::Number if text.trim().parse::<f64>().is_err() => {
                return Err(bad(&field, "应填写数字", "must be a number"));
            }
            QuestionKind::Date
                if time::Date::parse(text.trim(), time::macros::format_description!("[year]-[month]-[day]"))
                    .is_err() =>
            {
                return Err(bad(&field, "日期格式应为YYYY-MM-DD", "a date must be YYYY-MM-DD"));
            }
            QuestionKind::Single if !options.contains(&text.as_str()) => {
                return Err(bad(&field, "请选择所列选项之一", "choose one of the listed options"));
            }
            QuestionKind::Multi => {
                let picked: Vec<String> = match v.as_array() {
                    // A non-text choice is no listed option.
                    Some(a) => {
                        a.iter().map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string())).collect()
                    }
                    None => text.split(',').map(|s| s.trim().to_string()).collect(),
                };
                if picked.iter().any(|p| !options.contains(&p.as_str())) {
                    return Err(bad(&field, "请选择所列选项", "choose among the listed options"));
                }
            }
            _ if text.chars().count() > 500 => return Err(bad(&field, "回答不能超过500字", "at most 500 characters")),
            _ => {}
        }
    }
    Ok(())
}

async fn prepare(db: &Db, actor: &str, role: cases::Role, community: &str, n: NewCase) -> Result<Ready> {
    if n.item.trim().is_empty() {
        return Err(bad("item", "请选择服务事项", "choose a service item"));
    }
    let it = item_cached(db, n.item.trim()).await.map_err(|e| match e {
        StoreError::NotFound => bad("item", "未知的服务事项", "unknown service item"),
        e => e,
    })?;
    if !super::adoption::is_adopted(db, community, &it.code).await? {
        return Err(bad(
            "item",
            "本社区服务中心未开通此事项",
            "this community's service center does not take this item",
        ));
    }
    let channel = if n.channel.trim().is_empty() {
        Channel::Counter
    } else {
        Channel::from_word(n.channel.trim()).map_err(|_| bad("channel", "受理渠道无效", "unknown channel"))?
    };
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
    if n.address.chars().count() > 200 {
        return Err(bad("address", "地址不能超过200字", "at most 200 characters"));
    }
    match (n.lat, n.lon) {
        (None, None) => {}
        (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => {}
        _ => return Err(bad("lat", "经纬度无效", "latitude/longitude invalid")),
    }
    let answers = n.answers.clone().unwrap_or_else(|| json!({}));
    check_answers(&it.questions.value, &answers)?;
    let (district, _) = place_of(db, community).await?;
    if let (Some(a), Some(o)) = (n.lat, n.lon)
        && !crate::structure::contains(db, community, a, o).await?
    {
        return Err(bad("lat", "该位置不在本社区服务范围内", "this location is outside the community's area"));
    }
    if let Some(rid) = n.resident_id {
        let theirs: Option<String> = sqlx::query_scalar("SELECT community_code FROM residents WHERE id = $1")
            .bind(rid)
            .fetch_optional(&db.pool)
            .await?;
        if theirs.as_deref() != Some(community) {
            return Err(bad("resident_id", "该居民不在本社区登记", "no such resident in this community"));
        }
    }
    Ok(Ready {
        actor: actor.to_string(),
        role,
        community: community.to_string(),
        district,
        item: it,
        channel,
        resident_id: n.resident_id,
        name: name.to_string(),
        phone: phone.to_string(),
        description: n.description.trim().to_string(),
        answers: answers.to_string(),
        address: n.address.trim().to_string(),
        building: n.building.trim().to_string(),
        lat: n.lat,
        lon: n.lon,
        at: now(),
    })
}

/// Takes a case: validated, accepted by the engine, routed to its lead queue,
/// duplicates among the community's recent open cases flagged; the row, its
/// history, the tallies and the audit entry are committed before this returns.
pub async fn create(db: &Db, actor: &str, role: cases::Role, community: &str, n: NewCase) -> Result<Case> {
    let ready = prepare(db, actor, role, community, n).await?;
    submit(db, ready).await
}

/// A resident's own request from their account: channel web, linked to the
/// registered resident, under the resident's own registered name and phone:
/// another name or phone is refused (issue 12, point 11 — a resident cannot
/// file in a neighbour's name, nor have the case's messages sent to their phone).
pub async fn create_for_resident(db: &Db, actor: &str, user_id: i64, community: &str, mut n: NewCase) -> Result<Case> {
    let (rid, name, phone) = super::linked_resident(db, user_id).await?;
    let mut errs = Vec::new();
    let given_name = n.caller_name.trim();
    if !given_name.is_empty() && given_name != name.trim() {
        errs.push((
            "caller_name".to_string(),
            Msg::new("网上诉求以您本人登记的姓名提交", "an online request is filed under your own registered name"),
        ));
    }
    let given_phone = crate::hotline::normalise(n.caller_phone.trim());
    if !n.caller_phone.trim().is_empty() && given_phone != crate::hotline::normalise(&phone) {
        errs.push((
            "caller_phone".to_string(),
            Msg::new(
                "网上诉求以您本人登记的电话提交；电话有变请到服务中心更新",
                "an online request uses your own registered phone; to change it, visit the service center",
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(StoreError::Fields(errs));
    }
    n.channel = "web".into();
    n.resident_id = Some(rid);
    n.caller_name = name;
    n.caller_phone = phone;
    create(db, actor, cases::Role::System, community, n).await
}

/// [`create`] at a given time: for loading history (the demo's past year), never for live intake.
pub async fn create_at(
    db: &Db,
    actor: &str,
    role: cases::Role,
    community: &str,
    n: NewCase,
    at: OffsetDateTime,
) -> Result<Case> {
    let mut ready = prepare(db, actor, role, community, n).await?;
    ready.at = at;
    submit(db, ready).await
}

async fn submit(db: &Db, ready: Ready) -> Result<Case> {
    let taken = take(&ready)?;
    let case = Accepted { ready, taken };
    let (reply, answer) = oneshot::channel();
    {
        let mut queue = db.cases.queue.lock().unwrap_or_else(|e| e.into_inner());
        let unsent = match queue.as_ref() {
            Some(q) => q.send(Job { case, reply }).err().map(|e| e.0),
            None => Some(Job { case, reply }),
        };
        if let Some(job) = unsent {
            let q = super::writer::start(db);
            q.send(job).map_err(|_| StoreError::Config("the case writer could not start".into()))?;
            *queue = Some(q);
        }
    }
    answer.await.unwrap_or_else(|_| Err(StoreError::Config("case intake was interrupted".into())))
}

/// A case as the engine takes it: accepted, routed, projected. Everything
/// but its number and its duplicates, worked out before it queues so that
/// the writer only writes.
pub(super) struct Taken {
    pub(super) row: Case,
    pub(super) history: [cases::HistoryRecord; 2],
}

/// A validated request and what the engine made of it, at its final time:
/// what the writer takes from the queue.
pub(super) struct Accepted {
    pub(super) ready: Ready,
    pub(super) taken: Taken,
}

fn take(r: &Ready) -> Result<Taken> {
    let unnumbered = CaseId::new("0");
    let t1 = cases::accept(unnumbered, r.channel, r.role, r.at).map_err(|e| engine("channel", e))?;
    let table = routing_table(&r.item, &r.community).map_err(|e| engine("item", e))?;
    let assignment = table
        .resolve(&RouteRequest {
            category: r.item.category.clone(),
            item: r.item.code.clone(),
            community: r.community.clone(),
        })
        .map_err(|e| engine("item", e))?;
    let t2 = cases::apply(&t1.state, Event::Route { assignment }, cases::Role::System, r.at)
        .map_err(|e| engine("event", e))?;
    let history = [t1.record, t2.record];
    let p = project(&history, &t2.state, r.item.limit_days);
    let row = Case {
        id: 0,
        community_code: r.community.clone(),
        district_code: r.district.clone(),
        item_code: r.item.code.clone(),
        channel: r.channel,
        resident_id: r.resident_id,
        caller_name: r.name.clone(),
        caller_phone: r.phone.clone(),
        description: r.description.clone(),
        answers: r.answers.clone(),
        address: r.address.clone(),
        building: r.building.clone(),
        lat: r.lat,
        lon: r.lon,
        lead_queue: p.lead,
        status: p.status,
        duplicates: "[]".into(),
        created_at: ts(r.at),
        updated_at: p.updated_at,
        category: r.item.category.clone(),
        deadline_at: p.deadline_at,
        warn_at: p.warn_at,
        resolved_at: None,
        on_time: None,
        rating: None,
        co_handlers: p.co_handlers,
        linked_to: None,
    };
    Ok(Taken { row, history })
}
