//! Taking a case: validation, then a group-committed write.
//!
//! Every request is validated on its own (catalogue and community lookups
//! come from an in-memory cache), then queued. Whoever holds the writer lock
//! takes every queued case and writes them in ONE transaction: a reserved
//! run of audit sequence numbers, the case rows, their history, the tallies
//! and the audit entries, each as one multi-row statement. A request is
//! answered only after the commit that holds its case (so an acknowledged
//! case survives a crash), and many requests share one fsync. If a batch
//! fails, its cases are retried one by one so that each gets its own answer.

use super::nearby::{Nearby, Probe, Stale};
use super::projection::{Deltas, key, project};
use super::{Case, Item, NewCase, channel_of, engine, now, routing_table, ts};
use crate::Dialect;
use crate::audit::{Entry, Reserved};
use crate::error::bad;
use crate::sql::{Sql, Val};
use crate::{Db, Result, StoreError};
use cases::routing::RouteRequest;
use cases::{CaseId, Event};
use serde_json::{Value, json};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// At most this many cases share one transaction.
const MAX_BATCH: usize = 256;
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
    items: RwLock<Option<(Instant, HashMap<String, Item>)>>,
    /// Community → (read at, item codes it has adopted).
    pub(crate) adopted: RwLock<HashMap<String, (Instant, std::collections::BTreeSet<String>)>>,
    /// Community → (district, service-area circle: lat, lon, radius in m).
    communities: RwLock<HashMap<String, Place>>,
}

pub type Place = (String, Option<(f64, f64, f64)>);

impl Intake {
    /// After a community's area changes.
    pub(crate) fn forget_places(&self) {
        self.communities.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub(crate) fn forget_items(&self) {
        *self.items.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

struct Job {
    ready: Ready,
    reply: oneshot::Sender<Result<Case>>,
}

/// A validated case, waiting for its transaction.
struct Ready {
    actor: String,
    role: cases::Role,
    community: String,
    district: String,
    item: Item,
    channel: String,
    resident_id: Option<i64>,
    name: String,
    phone: String,
    description: String,
    answers: String,
    address: String,
    building: String,
    lat: Option<f64>,
    lon: Option<f64>,
    at: OffsetDateTime,
    /// Set just before queueing, once the time is final.
    taken: Option<Taken>,
}

impl Ready {
    fn probe(&self) -> Probe {
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
pub async fn item_cached(db: &Db, code: &str) -> Result<Item> {
    let fresh = |c: &Option<(Instant, HashMap<String, Item>)>| c.as_ref().is_some_and(|(t, _)| t.elapsed() < ITEMS_TTL);
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
    let map: HashMap<String, Item> = all.into_iter().map(|i| (i.code.clone(), i)).collect();
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
pub(crate) fn check_answers(questions: &str, answers: &Value) -> Result<()> {
    let Some(given) = answers.as_object() else {
        return Err(bad("answers", "答案应为对象", "answers must be an object"));
    };
    let qs: Vec<Value> = serde_json::from_str(questions).unwrap_or_default();
    for q in &qs {
        let key = q["key"].as_str().unwrap_or_default();
        let field = format!("answers.{key}");
        let v = given
            .get(key)
            .filter(|v| !v.is_null() && v.as_str() != Some("") && v.as_array().is_none_or(|a| !a.is_empty()));
        let Some(v) = v else {
            if q["required"].as_bool().unwrap_or(false) {
                return Err(bad(&field, "请回答必填问题", "a required question is unanswered"));
            }
            continue;
        };
        let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        let options: Vec<&str> =
            q["options"].as_array().map(|o| o.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        match q["kind"].as_str().unwrap_or("text") {
            "number" if text.trim().parse::<f64>().is_err() => {
                return Err(bad(&field, "应填写数字", "must be a number"));
            }
            "date"
                if time::Date::parse(text.trim(), time::macros::format_description!("[year]-[month]-[day]"))
                    .is_err() =>
            {
                return Err(bad(&field, "日期格式应为YYYY-MM-DD", "a date must be YYYY-MM-DD"));
            }
            "single" if !options.contains(&text.as_str()) => {
                return Err(bad(&field, "请选择所列选项之一", "choose one of the listed options"));
            }
            "multi" => {
                let picked: Vec<String> = match v.as_array() {
                    Some(a) => a.iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect(),
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
    let channel = if n.channel.trim().is_empty() { "counter" } else { n.channel.trim() };
    if channel_of(channel).is_none() {
        return Err(bad("channel", "受理渠道无效", "unknown channel"));
    }
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
    check_answers(&it.questions, &answers)?;
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
        channel: channel.to_string(),
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
        taken: None,
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
/// registered resident, the contact defaulting to the resident's name and phone.
pub async fn create_for_resident(db: &Db, actor: &str, user_id: i64, community: &str, mut n: NewCase) -> Result<Case> {
    let (rid, name, phone) = super::linked_resident(db, user_id).await?;
    n.channel = "web".into();
    n.resident_id = Some(rid);
    if n.caller_name.trim().is_empty() {
        n.caller_name = name;
    }
    if n.caller_phone.trim().is_empty() {
        n.caller_phone = phone;
    }
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

async fn submit(db: &Db, mut ready: Ready) -> Result<Case> {
    ready.taken = Some(take(&ready)?);
    let (reply, answer) = oneshot::channel();
    {
        let mut queue = db.cases.queue.lock().unwrap_or_else(|e| e.into_inner());
        let unsent = match queue.as_ref() {
            Some(q) => q.send(Job { ready, reply }).err().map(|e| e.0),
            None => Some(Job { ready, reply }),
        };
        if let Some(job) = unsent {
            let q = start_writer(db);
            q.send(job).map_err(|_| StoreError::Config("the case writer could not start".into()))?;
            *queue = Some(q);
        }
    }
    answer.await.unwrap_or_else(|_| Err(StoreError::Config("case intake was interrupted".into())))
}

/// Starts the writer: a thread of its own with its own connection, so that
/// the one serialised step of intake never waits behind request handling for
/// a turn on the server's threads. It holds no [`Db`], and ends when the last
/// clone of the database handle (and so the queue) is dropped.
fn start_writer(db: &Db) -> mpsc::UnboundedSender<Job> {
    let (tx, rx) = mpsc::unbounded_channel();
    let (options, dialect) = (db.pool.connect_options(), db.dialect);
    let nearby = Nearby::new(db.cases.stale_groups.clone());
    let started = std::thread::Builder::new().name("case-writer".into()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt.block_on(writer_loop(options, dialect, nearby, rx)),
            Err(e) => tracing::error!("case writer: {e}"),
        }
    });
    if let Err(e) = started {
        tracing::error!("case writer thread: {e}");
    }
    tx
}

/// Takes whatever has queued (up to [`MAX_BATCH`]) and commits it as one
/// transaction, again and again.
async fn writer_loop(
    options: Arc<AnyConnectOptions>,
    dialect: Dialect,
    mut nearby: Nearby,
    mut rx: mpsc::UnboundedReceiver<Job>,
) {
    let mut conn: Option<AnyConnection> = None;
    let mut heads: Option<Heads> = None;
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let c = match conn.take() {
            Some(c) => c,
            None => match writer_connection(&options, dialect).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!("case writer cannot connect: {e}");
                    for job in batch.drain(..) {
                        let _ = job.reply.send(Err(StoreError::Config(format!("case intake: {e}"))));
                    }
                    continue;
                }
            },
        };
        conn = commit_and_answer(dialect, c, &mut nearby, &mut heads, std::mem::take(&mut batch)).await;
    }
}

/// The writer's connection. On SQLite it checkpoints the WAL into the main
/// file less often than the default (every 4,000 pages, about 16 MB, instead
/// of 1,000): the index pages every batch rewrites are then copied once per
/// checkpoint, not again and again.
async fn writer_connection(options: &AnyConnectOptions, dialect: Dialect) -> Result<AnyConnection> {
    let mut conn = crate::own_connection(options, dialect).await?;
    if dialect == Dialect::Sqlite {
        sqlx::query("PRAGMA wal_autocheckpoint = 4000").execute(&mut conn).await?;
    }
    Ok(conn)
}

/// Writes a batch and answers its requests; gives the connection back
/// unless it failed (a broken connection is replaced for the next batch).
async fn commit_and_answer(
    dialect: Dialect,
    mut conn: AnyConnection,
    nearby: &mut Nearby,
    heads: &mut Option<Heads>,
    batch: Vec<Job>,
) -> Option<AnyConnection> {
    let readies: Vec<&Ready> = batch.iter().map(|j| &j.ready).collect();
    let forget =
        |nearby: &mut Nearby| nearby.forget(readies.iter().map(|r| (r.community.clone(), r.item.code.clone())));
    let numbered_from_memory = heads.is_some();
    let mut result = write(dialect, &mut conn, nearby, heads, &readies).await;
    if result.is_err() && numbered_from_memory {
        // Someone else wrote a case or an audit entry: read the heads and try again.
        forget(nearby);
        result = write(dialect, &mut conn, nearby, heads, &readies).await;
    }
    if result.is_err() {
        forget(nearby);
    }
    match result {
        Ok(rows) => {
            for (job, row) in batch.into_iter().zip(rows) {
                let _ = job.reply.send(Ok(row));
            }
            Some(conn)
        }
        Err(e) if batch.len() == 1 => {
            let keep = usable(&e);
            let job = batch.into_iter().next().expect("one");
            let _ = job.reply.send(Err(e));
            keep.then_some(conn)
        }
        Err(e) => {
            tracing::warn!("case intake batch of {} failed ({e}); retrying one by one", batch.len());
            let mut keep = true;
            for job in batch {
                let r = write(dialect, &mut conn, nearby, heads, &[&job.ready]).await.map(|mut v| v.remove(0));
                if r.is_err() {
                    nearby.forget(std::iter::once((job.ready.community.clone(), job.ready.item.code.clone())));
                }
                keep &= r.as_ref().err().is_none_or(usable);
                let _ = job.reply.send(r);
            }
            keep.then_some(conn)
        }
    }
}

/// What the writer's last commit left: the highest case number and where the
/// next audit entry goes.
struct Heads {
    last_case: i64,
    audit: Reserved,
}

/// After this error the writer's connection can go on (a refused case, not a broken link).
fn usable(e: &StoreError) -> bool {
    !matches!(e, StoreError::Db(_) | StoreError::Config(_))
}

/// A case as the engine takes it: accepted, routed, projected. Everything
/// but its number and its duplicates, worked out before it queues so that
/// the writer only writes.
struct Taken {
    row: Case,
    history: [cases::HistoryRecord; 2],
}

fn take(r: &Ready) -> Result<Taken> {
    let unnumbered = CaseId::new("0");
    let ch = channel_of(&r.channel).expect("checked");
    let t1 = cases::accept(unnumbered, ch, r.role, r.at).map_err(|e| engine("channel", e))?;
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
        channel: r.channel.clone(),
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

/// Tells each resident their case number and deadline (one outbox insert for the batch).
fn acknowledgements(dialect: Dialect, rows: &[Case]) -> Vec<Sql> {
    let now = crate::clock::now_text();
    let notes: Vec<(&Case, crate::outbox::To)> =
        rows.iter().filter_map(|c| super::events::resident_address(c).map(|to| (c, to))).collect();
    let mut out = Vec::new();
    for chunk in notes.chunks(200) {
        let mut q = Sql::new(
            dialect,
            "INSERT INTO outbox (community_code, district_code, case_id, recipient_kind, recipient, channel, body_zh, body_en, created_at)",
        );
        q.values(chunk, |(c, to)| {
            let due = c.deadline_at.as_deref().and_then(|d| d.get(..10)).unwrap_or("");
            vec![
                c.community_code.as_str().into(),
                c.district_code.as_str().into(),
                c.id.into(),
                to.kind.into(),
                to.recipient.into(),
                to.channel.into(),
                format!("您的诉求已受理，编号第{}号，办理期限至{due}。", c.id).into(),
                format!("Your request is registered as no. {}; it is due by {due}.", c.id).into(),
                now.as_str().into(),
            ]
        });
        out.push(q);
    }
    out
}

const CASE_COLUMNS: &str = "INSERT INTO cases (id, community_code, district_code, item_code, channel, resident_id, caller_name, \
     caller_phone, description, answers, address, building, lat, lon, lead_queue, status, duplicates, created_at, updated_at, \
     category, deadline_at, warn_at, resolved_at, on_time, rating, co_handlers, linked_to)";

/// Writes a batch of validated cases in one transaction, begun and committed
/// by statements of its own so that they share trips with the others; a
/// failure rolls it back.
async fn write(
    dialect: Dialect,
    conn: &mut AnyConnection,
    nearby: &mut Nearby,
    heads: &mut Option<Heads>,
    batch: &[&Ready],
) -> Result<Vec<Case>> {
    let written = write_in_transaction(dialect, conn, nearby, heads, batch).await;
    if written.is_err() {
        // Nothing to roll back when BEGIN or COMMIT itself failed; that error is moot.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    written
}

async fn write_in_transaction(
    dialect: Dialect,
    tx: &mut AnyConnection,
    nearby: &mut Nearby,
    heads: &mut Option<Heads>,
    batch: &[&Ready],
) -> Result<Vec<Case>> {
    let t0 = Instant::now();
    let probes: Vec<Probe> = batch.iter().map(|r| r.probe()).collect();
    let begin = Sql::new(dialect, if dialect == Dialect::Sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" });
    let mut stmts = Vec::new();
    let (base, head) = match heads.take().filter(|_| !nearby.needs_reading(&probes)) {
        // The writer wrote the last case and audit entry it knows of: number on
        // from there, all in one trip. Had anyone else written in between, a
        // primary key clashes and the batch rolls back (and is tried again).
        Some(h) => {
            stmts.push(begin);
            (h.last_case, h.audit)
        }
        // Else one trip first: begin, reserve the audit entries (moving the
        // audit head locks it, which serialises writers on PostgreSQL; on
        // SQLite BEGIN IMMEDIATE already did), and the highest case number.
        None => {
            let max = Sql::new(dialect, "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases");
            let first =
                crate::sql::fetch_all_of(tx, vec![begin, crate::audit::reserve_statement(dialect, batch.len()), max])
                    .await?;
            let [head, max] = &first[..] else {
                return Err(StoreError::Config("intake: unexpected reply to the batch's first statements".into()));
            };
            let head = crate::audit::reserved(head, batch.len())?;
            nearby.refresh(dialect, tx, &probes).await?;
            (max.try_get::<i64, _>(0)?, head)
        }
    };
    let mut rows = Vec::with_capacity(batch.len());
    let mut history = Vec::with_capacity(batch.len() * 2);
    let mut deltas = Deltas::default();
    for (i, (r, probe)) in batch.iter().zip(&probes).enumerate() {
        let id = base + 1 + i as i64;
        let cid = CaseId::new(id.to_string());
        let summary = probe.summary(cid.clone());
        let dups = nearby.duplicates(probe, &summary);
        nearby.add(probe, &summary);
        let t = r.taken.as_ref().expect("accepted before queueing");
        let mut row = t.row.clone();
        row.id = id;
        row.duplicates = json!(dups).to_string();
        deltas.moved(None, (key(&row, row.lead_queue.as_deref()), &row.status));
        for rec in &t.history {
            let mut rec = rec.clone();
            rec.case_id = cid.clone();
            history.push((id, rec));
        }
        rows.push(row);
    }
    for chunk in rows.chunks(200) {
        let mut q = Sql::new(dialect, CASE_COLUMNS);
        q.values(chunk, |c| {
            vec![
                c.id.into(),
                c.community_code.as_str().into(),
                c.district_code.as_str().into(),
                c.item_code.as_str().into(),
                c.channel.as_str().into(),
                c.resident_id.into(),
                c.caller_name.as_str().into(),
                c.caller_phone.as_str().into(),
                c.description.as_str().into(),
                c.answers.as_str().into(),
                c.address.as_str().into(),
                c.building.as_str().into(),
                c.lat.into(),
                c.lon.into(),
                c.lead_queue.clone().into(),
                c.status.as_str().into(),
                c.duplicates.as_str().into(),
                c.created_at.as_str().into(),
                c.updated_at.as_str().into(),
                c.category.as_str().into(),
                c.deadline_at.clone().into(),
                c.warn_at.clone().into(),
                Val::Text(None),
                Val::Int(None),
                Val::Int(None),
                c.co_handlers.as_str().into(),
                Val::Int(None),
            ]
        });
        stmts.push(q);
    }
    for chunk in history.chunks(400) {
        let mut q = Sql::new(dialect, "INSERT INTO case_history (case_id, seq, at, record)");
        q.values(chunk, |(id, r)| {
            vec![
                (*id).into(),
                i64::from(r.seq).into(),
                ts(r.at).into(),
                serde_json::to_string(r).unwrap_or_default().into(),
            ]
        });
        stmts.push(q);
    }
    stmts.extend(acknowledgements(dialect, &rows));
    let ids: Vec<String> = rows.iter().map(|c| c.id.to_string()).collect();
    let entries: Vec<Entry> = rows
        .iter()
        .zip(batch)
        .zip(&ids)
        .map(|((c, r), id)| Entry {
            actor: &r.actor,
            action: "case.create",
            entity: "case",
            entity_id: id,
            community_code: Some(&c.community_code),
            district_code: Some(&c.district_code),
            change: json!({ "item": c.item_code, "channel": c.channel, "queue": c.lead_queue, "duplicates": c.duplicates }),
        })
        .collect();
    let (audit, (last_seq, last_hash)) = crate::audit::append_statements(dialect, head, &entries);
    stmts.extend(audit);
    // The rows, history, acknowledgements, audit entries, tallies and the
    // commit: a text that depends only on the batch's size, so it stays prepared.
    stmts.extend(deltas.statements_padded(dialect, batch.len()));
    stmts.push(Sql::new(dialect, "COMMIT"));
    crate::sql::execute_all(tx, stmts).await?;
    *heads = Some(Heads { last_case: base + batch.len() as i64, audit: Reserved::after(last_seq, last_hash) });
    tracing::debug!(cases = batch.len(), micros = t0.elapsed().as_micros() as u64, "case batch committed");
    Ok(rows)
}
