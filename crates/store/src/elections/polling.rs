//! Polling (rules §2.11–§2.13), stored: proxies approved by the election
//! committee with their written authorisation (the public list gives names
//! only), polling stations and mobile ballot boxes with their staff, the
//! voters flagged for a mobile box, and the tellers. Every rule is the
//! engine's ([`election::polling`]); the action opens this module only while
//! the calendar's gaps are met (§2.3, §2.9). One transaction per action, with
//! its audit entry; a refusal writes nothing.

use super::{BoxKind, Election, ElectionStatus, candidates, not_preparing};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, Tx, clock};
use election::polling::{ProxyBook, ProxyRequest, Unable};
use serde::Serialize;
use serde_json::json;
use time::Date;

words! {
    /// §2.13: 监票人, 计票人, 唱票人.
    pub enum Duty, "teller duty" {
        Scrutineer => "scrutineer",
        Counter => "counter",
        Caller => "caller",
    }
}

words! {
    /// §2.12: why a voter cannot come to a station.
    pub enum MobileReason, "mobile box reason" {
        Ill => "ill",
        Elderly => "elderly",
        Disabled => "disabled",
    }
}

impl MobileReason {
    pub fn unable(self) -> Unable {
        match self {
            MobileReason::Ill => Unable::Ill,
            MobileReason::Elderly => Unable::Elderly,
            MobileReason::Disabled => Unable::Disabled,
        }
    }
}

/// A line of the published proxy list (§2.11): names only.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProxyLine {
    pub principal: String,
    pub proxy: String,
    pub approved_on: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Station {
    pub id: i64,
    pub name: String,
    pub kind: BoxKind,
    /// Staff named for the station or box.
    pub staff: i64,
    /// Voters flagged for it (mobile boxes only).
    pub voters: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Teller {
    pub name: String,
    pub duty: Duty,
}

/// A proxy as the action read it (§2.11).
#[derive(Debug, Clone)]
pub struct ProxyEntry {
    pub principal: String,
    pub proxy: String,
    /// The date of the written authorisation (None: none was handed in).
    pub written_on: Option<Date>,
    pub approved_on: Date,
    pub close_relatives: bool,
}

pub async fn proxies(db: &Db, election_id: i64) -> Result<Vec<ProxyLine>> {
    Ok(sqlx::query_as(
        "SELECT a.name AS principal, b.name AS proxy, p.approved_on FROM election_proxies p \
         JOIN election_voters a ON a.id = p.principal_id JOIN election_voters b ON b.id = p.proxy_id \
         WHERE p.election_id = $1 ORDER BY b.name, p.proxy_id, a.name, p.id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn stations(db: &Db, election_id: i64) -> Result<Vec<Station>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name, s.kind, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM election_station_staff f WHERE f.station_id = s.id) AS staff, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM election_mobile_voters m WHERE m.station_id = s.id) AS voters \
         FROM election_stations s WHERE s.election_id = $1 ORDER BY s.id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn tellers(db: &Db, election_id: i64) -> Result<Vec<Teller>> {
    Ok(sqlx::query_as("SELECT name, duty FROM election_tellers WHERE election_id = $1 ORDER BY id")
        .bind(election_id)
        .fetch_all(&db.pool)
        .await?)
}

fn preparing(e: &Election) -> Result<()> {
    if e.status == ElectionStatus::Preparing { Ok(()) } else { Err(not_preparing()) }
}

/// The one voter on the roll with this name (None when absent or not unique).
async fn voter(tx: &mut Tx, election_id: i64, name: &str) -> Result<Option<i64>> {
    let found: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM election_voters WHERE election_id = $1 AND name = $2 AND struck_on IS NULL")
            .bind(election_id)
            .bind(name)
            .fetch_all(&mut **tx)
            .await?;
    Ok(match found.as_slice() {
        [id] => Some(*id),
        _ => None,
    })
}

/// §2.11: approve a proxy: written, approved before election day, the proxy
/// another voter on this roll, one proxy per principal, at most the ruleset's
/// authorisations per proxy (3 by default).
pub async fn add_proxy(db: &Db, actor: &str, e: &Election, p: &ProxyEntry) -> Result<ProxyLine> {
    preparing(e)?;
    let day = e.day().ok_or_else(|| bad("election_day", "尚未确定选举日", "election day is not set"))?;
    let rs = election::Ruleset::default();
    let mut tx = db.begin().await?;
    let Some(principal) = voter(&mut tx, e.id, &p.principal).await? else {
        return Err(bad(
            "principal",
            format!("委托人须为选民名单上可唯一确认的选民：{}", p.principal),
            format!("the principal must be a voter on the roll, found once: {}", p.principal),
        ));
    };
    let proxy = voter(&mut tx, e.id, &p.proxy).await?;
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT principal_id, proxy_id FROM election_proxies WHERE election_id = $1 ORDER BY id")
            .bind(e.id)
            .fetch_all(&mut *tx)
            .await?;
    let mut book = ProxyBook::default();
    for (a, b) in &rows {
        // Accepted once; replayed to know who already holds what.
        let _ = book.approve(
            &election::Ruleset { proxy_close_relatives_only: false, ..rs.clone() },
            day,
            &ProxyRequest {
                principal: a.to_string(),
                proxy: b.to_string(),
                written: true,
                approved: Some(day - time::Duration::days(1)),
                proxy_registered_here: true,
                close_relatives: true,
            },
        );
    }
    let request = ProxyRequest {
        principal: principal.to_string(),
        // A name not on the roll stays a name: it is no voter here.
        proxy: proxy.map_or_else(|| format!("?{}", p.proxy), |id| id.to_string()),
        written: p.written_on.is_some(),
        approved: Some(p.approved_on),
        proxy_registered_here: proxy.is_some(),
        close_relatives: p.close_relatives,
    };
    book.approve(&rs, day, &request).map_err(|m| StoreError::invalid("proxy", m))?;
    sqlx::query(
        "INSERT INTO election_proxies (election_id, principal_id, proxy_id, written_on, approved_on, close_relatives, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.id)
    .bind(principal)
    .bind(proxy.unwrap_or_default())
    .bind(p.written_on.map(|d| d.to_string()).unwrap_or_default())
    .bind(p.approved_on.to_string())
    .bind(i64::from(p.close_relatives))
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "election.proxy",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "principal": principal, "proxy": proxy, "approved_on": p.approved_on.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(ProxyLine { principal: p.principal.clone(), proxy: p.proxy.clone(), approved_on: p.approved_on.to_string() })
}

/// §2.12: a polling station or mobile box with at least the ruleset's staff (3),
/// none of them a candidate (§2.13: the staff are its scrutineers).
pub async fn add_station(
    db: &Db,
    actor: &str,
    e: &Election,
    name: &str,
    kind: BoxKind,
    staff: &[String],
) -> Result<Station> {
    preparing(e)?;
    let mut names: Vec<&String> = staff.iter().collect();
    names.sort_unstable();
    names.dedup();
    let engine_kind = match kind {
        BoxKind::Station => election::polling::BoxKind::Station,
        BoxKind::Mobile => election::polling::BoxKind::Mobile,
    };
    election::polling::check_box_staff(&election::Ruleset::default(), engine_kind, names.len())
        .map_err(|m| StoreError::invalid("staff", m))?;
    // §2.12's staff are the box's scrutineers: §2.13 keeps the candidates off it.
    let cands = candidates(db, e.id).await?;
    if let Some(n) = names.iter().find(|n| cands.iter().any(|c| c.name == ***n)) {
        let m = election::polling::check_teller(true, false).err().unwrap_or_else(|| rules::Msg::new("", ""));
        return Err(StoreError::invalid("staff", rules::Msg::new(format!("{n}：{}", m.zh), format!("{n}: {}", m.en))));
    }
    let mut tx = db.begin().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM election_stations WHERE election_id = $1 AND name = $2")
            .bind(e.id)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(bad("name", format!("“{name}”已登记"), format!("{name} is already recorded")));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO election_stations (election_id, name, kind, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(e.id)
    .bind(name)
    .bind(kind.word())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    for n in &names {
        sqlx::query("INSERT INTO election_station_staff (station_id, election_id, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(e.id)
            .bind(n.as_str())
            .execute(&mut *tx)
            .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "election.station",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "name": name, "kind": kind, "staff": names.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Station { id, name: name.to_string(), kind, staff: names.len() as i64, voters: 0 })
}

/// §2.12: a voter on the roll flagged for a mobile box, only as ill, elderly or disabled.
pub async fn flag_mobile_voter(
    db: &Db,
    actor: &str,
    e: &Election,
    box_name: &str,
    voter_name: &str,
    reason: Option<MobileReason>,
) -> Result<()> {
    preparing(e)?;
    election::polling::check_mobile_voter(reason.map(MobileReason::unable))
        .map_err(|m| StoreError::invalid("reason", m))?;
    let mut tx = db.begin().await?;
    let station: Option<(i64, String)> =
        sqlx::query_as("SELECT id, kind FROM election_stations WHERE election_id = $1 AND name = $2")
            .bind(e.id)
            .bind(box_name)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((station, "mobile")) = station.as_ref().map(|(id, k)| (*id, k.as_str())) else {
        return Err(bad(
            "box",
            format!("本次选举没有名为“{box_name}”的流动票箱（规则2.12）"),
            format!("no mobile box named {box_name} in this election (rule 2.12)"),
        ));
    };
    let Some(v) = voter(&mut tx, e.id, voter_name).await? else {
        return Err(bad(
            "voter",
            format!("须为选民名单上可唯一确认的选民：{voter_name}"),
            format!("must be a voter on the roll, found once: {voter_name}"),
        ));
    };
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM election_mobile_voters WHERE election_id = $1 AND voter_id = $2")
            .bind(e.id)
            .bind(v)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(bad("voter", "该选民已登记使用流动票箱", "this voter is already flagged for a mobile box"));
    }
    let reason = reason.unwrap_or(MobileReason::Ill);
    sqlx::query(
        "INSERT INTO election_mobile_voters (station_id, election_id, voter_id, reason, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(station)
    .bind(e.id)
    .bind(v)
    .bind(reason.word())
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "election.mobile_voter",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "box": box_name, "voter": v, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// §2.13: a teller who is not a candidate, none of whose declared close
/// relatives is on the candidate list (checked once the list is published).
pub async fn add_teller(
    db: &Db,
    actor: &str,
    e: &Election,
    name: &str,
    duty: Duty,
    relatives: &[String],
) -> Result<Teller> {
    preparing(e)?;
    if e.candidates_published.is_none() {
        return Err(bad(
            "name",
            "正式候选人名单公布后才能确定监票、计票、唱票人员（规则2.13）",
            "tellers are named once the formal candidates are published (rule 2.13)",
        ));
    }
    let cands = candidates(db, e.id).await?;
    let stands = |n: &str| cands.iter().any(|c| c.name == n);
    election::polling::check_teller(stands(name), relatives.iter().any(|r| stands(r)))
        .map_err(|m| StoreError::invalid("name", m))?;
    let mut tx = db.begin().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM election_tellers WHERE election_id = $1 AND name = $2 AND duty = $3")
            .bind(e.id)
            .bind(name)
            .bind(duty.word())
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(bad("name", format!("“{name}”已登记"), format!("{name} is already recorded")));
    }
    sqlx::query(
        "INSERT INTO election_tellers (election_id, name, duty, relatives_declared, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.id)
    .bind(name)
    .bind(duty.word())
    .bind(relatives.len() as i64)
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "election.teller",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "name": name, "duty": duty, "relatives_declared": relatives.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Teller { name: name.to_string(), duty })
}

/// §2.12: once the committee has recorded its stations and mobile boxes, a tally
/// sheet (of any round) belongs to one of them, by name and kind; before that any
/// box name is taken, as the counting desk writes it.
pub(crate) async fn check_box_recorded(tx: &mut Tx, e: &Election, name: &str, kind: BoxKind) -> Result<()> {
    let stations: Vec<(String, String)> =
        sqlx::query_as("SELECT name, kind FROM election_stations WHERE election_id = $1 ORDER BY id")
            .bind(e.id)
            .fetch_all(&mut **tx)
            .await?;
    if stations.is_empty() || stations.iter().any(|(n, k)| n == name && k == kind.word()) {
        return Ok(());
    }
    Err(bad(
        "name",
        format!("计票单须对应已登记的投票站或流动票箱：“{name}”未登记或类型不符（规则2.12）"),
        format!(
            "a tally sheet belongs to a recorded station or mobile box: {name} is not one, or not of that kind (rule 2.12)"
        ),
    ))
}
