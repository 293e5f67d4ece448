//! Co-building agreements (共驻共建协议), their commitments by kind, and
//! fulfilment: reported by the unit, confirmed (or not) by the community. A
//! confirmed money fulfilment is posted to the ledger as income of the
//! commitment's fund, in the same transaction.

use super::*;
use crate::Capped;
use crate::finance::{self, Writer};
use rules::party::CommitmentKind;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Agreement {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    pub title: String,
    pub period_from: String,
    pub period_to: String,
    pub signed_on: String,
    pub created_by: String,
    pub created_at: String,
    pub unit_name: String,
}

impl Agreement {
    pub fn period(&self) -> Result<Period> {
        Ok(Period { from: date_of(&self.period_from)?, to: date_of(&self.period_to)? })
    }

    /// In force on `d`.
    pub fn in_force(&self, d: Date) -> bool {
        self.period().is_ok_and(|p| p.contains(d))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAgreement {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period_from: String,
    #[serde(default)]
    pub period_to: String,
    #[serde(default)]
    pub signed_on: String,
}

const AGREEMENTS: &str = "SELECT a.*, u.name AS unit_name FROM party_agreements a JOIN units u ON u.id = a.unit_id";

/// Record an agreement a unit of `community` signed.
pub async fn sign(db: &Db, actor: &str, community: &str, n: NewAgreement) -> Result<Agreement> {
    let mut c = Check::default();
    let unit_id = c.id("unit_id", n.unit_id.as_deref().unwrap_or(""), "请选择驻区单位", "choose a resident unit");
    let title = c.text("title", &n.title, 100, "请填写协议名称", "the agreement's title is required");
    let period = c.period("period_from", "period_to", &n.period_from, &n.period_to);
    let signed = c.date("signed_on", &n.signed_on);
    if let (Some(p), Some(s)) = (period, signed)
        && s > p.to
    {
        c.add("signed_on", Msg::new("签订日期不能晚于协议期满", "the agreement cannot be signed after it ends"));
    }
    c.done()?;
    let (Some(period), Some(signed)) = (period, signed) else {
        return Err(bad("title", "输入有误", "invalid input"));
    };
    let unit = unit_of(db, "unit_id", community, unit_id.unwrap_or_default()).await?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_agreements (community_code, district_code, unit_id, title, period_from, period_to, signed_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&unit.community_code)
    .bind(&unit.district_code)
    .bind(unit.id)
    .bind(&title)
    .bind(period.from.to_string())
    .bind(period.to.to_string())
    .bind(signed.to_string())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "party.agreement.sign",
        "party_agreement",
        id,
        (&unit.community_code, &unit.district_code),
        json!({ "unit": unit.id, "title": title, "period": [period.from.to_string(), period.to.to_string()], "signed_on": signed.to_string() }),
    )
    .await?;
    tx.commit().await?;
    agreement(db, id).await
}

pub async fn agreement(db: &Db, id: i64) -> Result<Agreement> {
    super::by_id(db, AGREEMENTS, "a", id).await
}

/// Agreements in scope, optionally of one unit.
pub async fn agreements(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    unit: Option<i64>,
) -> Result<Capped<Agreement>> {
    super::within(db, AGREEMENTS, "a", "a.period_to DESC, a.id DESC", super::Within { community, district, unit }).await
}

// ----- commitments -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Commitment {
    pub id: i64,
    pub agreement_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    #[sqlx(try_from = "crate::typed::Text")]
    pub kind: CommitmentKind,
    pub description: String,
    /// In the kind's measure: hours, volunteer hours, fen, items, times, posts.
    pub quantity: i64,
    pub schedule: String,
    /// A money commitment's fund (`operating`, `project:3`, …); empty otherwise.
    pub fund: String,
    /// A money commitment's 居民会议 decision (rules §1.14); `None` otherwise.
    pub decision_meeting_id: Option<i64>,
    /// A venue on the map: its facility type in the living circle's catalogue and position.
    pub venue_type: Option<String>,
    pub venue_lon: Option<f64>,
    pub venue_lat: Option<f64>,
    /// Confirmed fulfilment so far.
    pub fulfilled: i64,
    /// Reported and awaiting the community's confirmation.
    pub reported: i64,
}

impl Commitment {
    /// Fulfilment against the commitment, in percent (rule P4).
    pub fn percent(&self) -> i64 {
        engine::fulfilled_percent(self.quantity, self.fulfilled)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCommitment {
    /// venue | volunteers | money | goods | services | jobs
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// In the kind's measure; money in yuan.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub quantity: Option<String>,
    /// When: "每周六9:00–12:00", "每季度一次".
    #[serde(default)]
    pub schedule: String,
    /// Money only: the community fund it goes to (default operating).
    #[serde(default)]
    pub fund: String,
    /// Money only: the 居民会议 (a deliberation meeting of the community) that decided to collect it.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub decision_meeting_id: Option<String>,
    /// Venue only, optional: the facility type (catalogue code or name, e.g. 社区活动室) and
    /// WGS 84 position that put the venue among the living circle's facilities.
    #[serde(default)]
    pub venue_type: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub venue_lon: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub venue_lat: Option<String>,
}

/// A venue's place on the map, if given: all three fields or none, a type of the
/// circle's catalogue, longitude and latitude in degrees (not swapped).
async fn venue_place(db: &Db, c: &mut Check, n: &NewCommitment) -> Result<Option<(String, f64, f64)>> {
    let text = |o: &Option<String>| o.as_deref().map(str::trim).unwrap_or("").to_string();
    let (ty, lon, lat) = (n.venue_type.trim().to_string(), text(&n.venue_lon), text(&n.venue_lat));
    if ty.is_empty() && lon.is_empty() && lat.is_empty() {
        return Ok(None);
    }
    let types = crate::circle::facility_types(db).await?;
    let code = types.iter().find(|t| t.code == ty || t.name == ty).map(|t| t.code.clone());
    if code.is_none() {
        c.add("venue_type", Msg::new("请选择生活圈设施类型", "choose a facility type of the living circle"));
    }
    let degrees = |c: &mut Check, field: &str, s: &str, max: f64| match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= max => Some(v),
        Ok(v) if v.is_finite() && v.abs() <= 180.0 => {
            c.add(
                field,
                Msg::new(
                    "纬度超出范围，经纬度可能填反了",
                    "latitude out of range: are longitude and latitude swapped?",
                ),
            );
            None
        }
        _ => {
            c.add(
                field,
                Msg::new("请填写以度为单位的经纬度（WGS 84）", "give degrees of longitude and latitude (WGS 84)"),
            );
            None
        }
    };
    let lon = degrees(c, "venue_lon", &lon, 180.0);
    let lat = degrees(c, "venue_lat", &lat, 90.0);
    Ok(code.zip(lon).zip(lat).map(|((t, lo), la)| (t, lo, la)))
}

const COMMITMENTS: &str = "SELECT c.*, \
    CAST(COALESCE((SELECT SUM(f.quantity) FROM party_fulfilments f WHERE f.commitment_id = c.id AND f.status = 'confirmed'), 0) AS BIGINT) AS fulfilled, \
    CAST(COALESCE((SELECT SUM(f.quantity) FROM party_fulfilments f WHERE f.commitment_id = c.id AND f.status = 'reported'), 0) AS BIGINT) AS reported \
    FROM party_commitments c";

/// A quantity in `kind`'s measure from text (money: yuan to fen); never negative (rule P4).
fn quantity(c: &mut Check, field: &str, kind: Option<CommitmentKind>, s: &str) -> i64 {
    let s = s.trim();
    if s.is_empty() {
        c.add(field, Msg::new("请填写数量", "a quantity is required"));
        return 0;
    }
    let v = match kind {
        Some(CommitmentKind::Money) => {
            let neg = s.starts_with('-');
            match ledger::Yuan::parse_amount(s.trim_start_matches('-')) {
                Ok(y) if neg => -y.fen(),
                Ok(y) => y.fen(),
                Err(e) => {
                    c.add(field, e.msg());
                    return 0;
                }
            }
        }
        _ => match s.parse::<i64>() {
            Ok(v) => v,
            Err(_) => {
                c.add(field, Msg::new("数量应为整数", "the quantity is a whole number"));
                return 0;
            }
        },
    };
    if let Err(m) = engine::p4_quantity(v) {
        c.add(field, m);
    }
    v
}

/// Add a commitment to an agreement (the agreement's scope was checked by the caller).
pub async fn commit(db: &Db, actor: &str, agreement_id: i64, n: NewCommitment) -> Result<Commitment> {
    let a = agreement(db, agreement_id).await?;
    let mut c = Check::default();
    let kind: Option<CommitmentKind> = c.word("kind", &n.kind, "请选择承诺类别", "choose the kind of commitment");
    let description = c.text("description", &n.description, 200, "请填写承诺内容", "describe the commitment");
    let qty = quantity(&mut c, "quantity", kind, n.quantity.as_deref().unwrap_or(""));
    let schedule = n.schedule.trim().to_string();
    if schedule.chars().count() > 100 {
        c.add("schedule", Msg::new("不能超过100字", "at most 100 characters"));
    }
    let meeting = match n.decision_meeting_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => c.id("decision_meeting_id", s, "请选择居民会议", "choose the residents' meeting"),
        None => None,
    };
    let place = venue_place(db, &mut c, &n).await?;
    if place.is_some() && kind != Some(CommitmentKind::Venue) {
        c.add("venue_type", Msg::new("只有场地类承诺才标注地图位置", "only a venue is placed on the map"));
    }
    c.done()?;
    let kind = kind.unwrap_or(CommitmentKind::Services);
    let (fund, meeting) = if kind == CommitmentKind::Money {
        let spec = finance::resolve_fund(db, "fund", &a.community_code, &n.fund).await?;
        let cited: Option<(String, String)> = match meeting {
            Some(id) => {
                sqlx::query_as("SELECT community_code, kind FROM delib_meetings WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&db.pool)
                    .await?
            }
            None => None,
        };
        let cited =
            cited.as_ref().map(|(c, k)| engine::CitedMeeting { community: c, residents_meeting: k == "assembly" });
        engine::p8_money_by_residents_meeting(&a.community_code, cited)
            .map_err(|m| refused("decision_meeting_id", m))?;
        (finance::fund_spec(&spec.fund), meeting)
    } else {
        (String::new(), None)
    };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_commitments (agreement_id, community_code, district_code, unit_id, kind, description, quantity, schedule, fund, decision_meeting_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(a.id)
    .bind(&a.community_code)
    .bind(&a.district_code)
    .bind(a.unit_id)
    .bind(kind.word())
    .bind(&description)
    .bind(qty)
    .bind(&schedule)
    .bind(&fund)
    .bind(meeting)
    .fetch_one(&mut *tx)
    .await?;
    // Only a placed venue binds a position: a statement that binds a float as NULL
    // for one row and as a number for the next clashes on PostgreSQL's prepared types.
    if let Some((t, lon, lat)) = &place {
        sqlx::query("UPDATE party_commitments SET venue_type = $1, venue_lon = $2, venue_lat = $3 WHERE id = $4")
            .bind(t)
            .bind(*lon)
            .bind(*lat)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    audit_write(
        &mut tx,
        actor,
        "party.commitment.add",
        "party_commitment",
        id,
        (&a.community_code, &a.district_code),
        json!({ "agreement": a.id, "kind": kind.word(), "quantity": qty, "schedule": schedule, "fund": fund, "decision_meeting": meeting, "venue": place }),
    )
    .await?;
    tx.commit().await?;
    commitment(db, id).await
}

pub async fn commitment(db: &Db, id: i64) -> Result<Commitment> {
    super::by_id(db, COMMITMENTS, "c", id).await
}

/// Commitments in scope (optionally of one agreement or one unit).
pub async fn commitments(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    agreement: Option<i64>,
    unit: Option<i64>,
) -> Result<Vec<Commitment>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COMMITMENTS} WHERE (CAST($1 AS TEXT) IS NULL OR c.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR c.district_code = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR c.agreement_id = $3) AND (CAST($4 AS BIGINT) IS NULL OR c.unit_id = $4) ORDER BY c.agreement_id, c.id"
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .bind(agreement)
    .bind(unit)
    .fetch_all(&db.pool)
    .await?)
}

// ----- fulfilment --------------------------------------------------------------------

words! {
    /// A fulfilment the unit reported; the community confirms it or not.
    pub enum FulfilmentStatus, "fulfilment status" {
        Reported => "reported",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Fulfilment {
    pub id: i64,
    pub commitment_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    #[sqlx(try_from = "crate::typed::Text")]
    pub kind: CommitmentKind,
    pub done_on: String,
    pub quantity: i64,
    pub note: String,
    pub status: FulfilmentStatus,
    pub reported_by: String,
    pub reported_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
    /// The ledger transaction of a confirmed money fulfilment.
    pub fin_tx_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewFulfilment {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub commitment_id: Option<String>,
    /// The kind fulfilled; empty: the commitment's own.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub done_on: String,
    /// In the kind's measure; money in yuan.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub quantity: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// The unit reports fulfilment of one of its commitments: of its kind (P3), in its period (P2), not negative (P4).
pub async fn report(db: &Db, actor: &str, unit_id: i64, n: NewFulfilment) -> Result<Fulfilment> {
    let mut c = Check::default();
    let cid =
        c.id("commitment_id", n.commitment_id.as_deref().unwrap_or(""), "请选择所履行的承诺", "choose the commitment");
    let kind: Option<CommitmentKind> = match n.kind.trim() {
        "" => None,
        k => c.word("kind", k, "请选择履行类别", "choose the kind fulfilled"),
    };
    let done_on = c.date("done_on", &n.done_on);
    c.done()?;
    let com = match commitment(db, cid.unwrap_or_default()).await {
        Ok(x) if x.unit_id == unit_id => x,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(bad("commitment_id", "本单位没有该承诺", "no such commitment of this unit"));
        }
        Err(e) => return Err(e),
    };
    let a = agreement(db, com.agreement_id).await?;
    let kind = kind.unwrap_or(com.kind);
    let mut c = Check::default();
    if let Err(m) = engine::p3_fulfilment_of_kind(com.kind, kind) {
        c.add("kind", m);
    }
    if let (Some(d), Ok(p)) = (done_on, a.period())
        && let Err(m) = engine::p2_fulfilment_in_period(p, d)
    {
        c.add("done_on", m);
    }
    let qty = quantity(&mut c, "quantity", Some(kind), n.quantity.as_deref().unwrap_or(""));
    if qty == 0 && c.0.is_empty() {
        c.add("quantity", Msg::new("履行数量应大于零", "the quantity fulfilled must be more than zero"));
    }
    c.done()?;
    let done_on = done_on.map(|d| d.to_string()).unwrap_or_default();
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_fulfilments (commitment_id, community_code, district_code, unit_id, kind, done_on, quantity, note, status, reported_by, reported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'reported', $9, $10) RETURNING id",
    )
    .bind(com.id)
    .bind(&com.community_code)
    .bind(&com.district_code)
    .bind(com.unit_id)
    .bind(kind.word())
    .bind(&done_on)
    .bind(qty)
    .bind(n.note.trim())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "party.fulfilment.report",
        "party_fulfilment",
        id,
        (&com.community_code, &com.district_code),
        json!({ "commitment": com.id, "kind": kind.word(), "done_on": done_on, "quantity": qty }),
    )
    .await?;
    tx.commit().await?;
    fulfilment(db, id).await
}

pub async fn fulfilment(db: &Db, id: i64) -> Result<Fulfilment> {
    super::by_id(db, "SELECT f.* FROM party_fulfilments f", "f", id).await
}

pub async fn fulfilments(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    unit: Option<i64>,
) -> Result<Capped<Fulfilment>> {
    let select = "SELECT f.* FROM party_fulfilments f";
    super::within(db, select, "f", "f.done_on DESC, f.id DESC", super::Within { community, district, unit }).await
}

/// One agreement's fulfilments, newest first: all of them, read by the
/// agreement rather than cut from the unit's list.
pub async fn agreement_fulfilments(db: &Db, agreement: i64) -> Result<Vec<Fulfilment>> {
    Ok(sqlx::query_as(
        "SELECT f.* FROM party_fulfilments f JOIN party_commitments c ON c.id = f.commitment_id \
         WHERE c.agreement_id = $1 ORDER BY f.done_on DESC, f.id DESC",
    )
    .bind(agreement)
    .fetch_all(&db.pool)
    .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FulfilmentDecision {
    /// confirm | reject
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// The community confirms a reported fulfilment (money: posted to the
/// commitment's fund as co-building income, in the same transaction) or rejects it with a reason.
pub async fn decide(db: &Db, actor: &str, id: i64, d: FulfilmentDecision) -> Result<Fulfilment> {
    let f = fulfilment(db, id).await?;
    let to = match d.decision.trim() {
        "confirm" => FulfilmentStatus::Confirmed,
        "reject" => FulfilmentStatus::Rejected,
        _ => return Err(bad("decision", "请选择确认或不予确认", "choose confirm or reject")),
    };
    if to == FulfilmentStatus::Rejected && d.note.trim().is_empty() {
        return Err(bad("note", "不予确认须说明理由", "a rejection needs a reason"));
    }
    if f.status != FulfilmentStatus::Reported {
        return Err(bad("decision", "该履行记录已处理", "this fulfilment was already decided"));
    }
    let now = clock::now_text();
    let money = to == FulfilmentStatus::Confirmed && f.kind == CommitmentKind::Money;
    let mut w = if money { Some(Writer::begin(db).await?) } else { None };
    let mut plain = if money { None } else { Some(db.begin().await?) };
    let mut tx_id: Option<i64> = None;
    if let Some(w) = w.as_mut() {
        let com = commitment(db, f.commitment_id).await?;
        let unit = unit(db, f.unit_id).await?;
        let spec = finance::resolve_fund(db, "fund", &f.community_code, &com.fund).await?;
        let date: ledger::Date = f.done_on.parse().map_err(|_| bad("done_on", "日期无效", "invalid date"))?;
        let flow = ledger::flows::unit_contribution(&ledger::flows::UnitContribution {
            meta: ledger::flows::Meta {
                key: format!("party-fulfilment-{}", f.id),
                date,
                memo: format!("共驻共建：{}", unit.name),
                reference: Some(format!("共建协议#{}", com.agreement_id)),
            },
            district_code: f.district_code.clone(),
            community_code: f.community_code.clone(),
            fund: spec.fund,
            amount: f.quantity,
        })
        .map_err(finance::refusal)?;
        let (t, _) = w.post(actor, flow).await?;
        tx_id = Some(t.0 as i64);
    }
    let tx = match (w.as_mut(), plain.as_mut()) {
        (Some(w), _) => &mut w.tx,
        (None, Some(t)) => t,
        (None, None) => return Err(StoreError::Config("no transaction".into())),
    };
    let n = sqlx::query(
        "UPDATE party_fulfilments SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4, fin_tx_id = $5 \
         WHERE id = $6 AND status = 'reported'",
    )
    .bind(to.word())
    .bind(actor)
    .bind(&now)
    .bind(d.note.trim())
    .bind(tx_id)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("decision", "该履行记录已处理", "this fulfilment was already decided"));
    }
    audit_write(
        tx,
        actor,
        "party.fulfilment.decide",
        "party_fulfilment",
        id,
        (&f.community_code, &f.district_code),
        json!({ "status": to, "note": d.note.trim(), "fin_tx": tx_id }),
    )
    .await?;
    match (w, plain) {
        (Some(w), _) => w.commit().await?,
        (None, Some(t)) => t.commit().await?,
        _ => {}
    }
    fulfilment(db, id).await
}
