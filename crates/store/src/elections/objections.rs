//! The roll after publication (rules §2.4, §2.5): objections filed inside the
//! ruleset's window, each with the day its decision is due, and the decision —
//! an upheld objection strikes a wrongly listed voter off the roll, or puts a
//! resident left off on it when the engine finds them eligible (§1.4, §2.2);
//! and the "cannot return" notices, which take a voter out of the turnout
//! denominator when given in time. The rules are the engine's
//! ([`election::calendar`], [`election::roll::check_voter`]).

use super::{Election, ElectionStatus, not_preparing};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use election::calendar::{check_objection_filed, leaves_denominator, objection_decision_due};
use election::polling::Mode;
use election::roll::{Applicant, Category};
use serde::Serialize;
use serde_json::json;
use time::Date;

words! {
    /// §2.4: what an objection says of the roll.
    pub enum Claim, "objection claim" {
        Omitted => "omitted",
        WronglyListed => "wrongly_listed",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Objection {
    pub id: i64,
    pub filed_on: String,
    pub objector: String,
    /// The person the objection is about.
    pub subject: String,
    pub claim: Claim,
    pub grounds: String,
    pub decision_due: String,
    pub decided_on: Option<String>,
    pub upheld: Option<i64>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notice {
    pub name: String,
    pub notified_on: String,
}

fn mode(e: &Election) -> Mode {
    match e.mode {
        super::ElectionMode::DirectAllVoters => Mode::DirectAllVoters,
        super::ElectionMode::HouseholdRepresentatives => Mode::HouseholdRepresentatives,
        super::ElectionMode::GroupRepresentatives => Mode::GroupRepresentatives,
    }
}

pub async fn notices(db: &Db, election_id: i64) -> Result<Vec<Notice>> {
    Ok(sqlx::query_as(
        "SELECT v.name, n.notified_on FROM election_absence_notices n JOIN election_voters v ON v.id = n.voter_id \
         WHERE n.election_id = $1 ORDER BY n.id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

/// §2.14 with §2.5: the registered voters a round's turnout is measured against —
/// the roll, less each voter who notified in time that they cannot return.
pub async fn turnout_base(db: &Db, e: &Election) -> Result<i64> {
    let voters = super::voter_count(db, e.id).await?;
    let Some(day) = e.day() else { return Ok(voters) };
    let rs = election::Ruleset::default();
    let notified: Vec<String> = sqlx::query_scalar(
        "SELECT n.notified_on FROM election_absence_notices n JOIN election_voters v ON v.id = n.voter_id \
         WHERE n.election_id = $1 AND v.struck_on IS NULL",
    )
    .bind(e.id)
    .fetch_all(&db.pool)
    .await?;
    let away = notified.iter().filter(|d| leaves_denominator(&rs, mode(e), day, clock::parse_date(d))).count();
    Ok(voters - away as i64)
}

async fn voter_by_name(db: &Db, e: &Election, name: &str, field: &str) -> Result<i64> {
    let found: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM election_voters WHERE election_id = $1 AND name = $2 AND struck_on IS NULL")
            .bind(e.id)
            .bind(name)
            .fetch_all(&db.pool)
            .await?;
    match found.as_slice() {
        [id] => Ok(*id),
        _ => {
            Err(bad(field, format!("选民名单上找不到唯一的“{name}”"), format!("{name} is not found once on the roll")))
        }
    }
}

/// §2.5: a voter's notice that they cannot return on election day (counted out of
/// the denominator only when given in time; a later notice is kept and changes nothing).
pub async fn add_notice(db: &Db, actor: &str, e: &Election, name: &str, notified_on: Date) -> Result<Notice> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    let voter = voter_by_name(db, e, name, "name").await?;
    let mut tx = db.begin().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM election_absence_notices WHERE election_id = $1 AND voter_id = $2")
            .bind(e.id)
            .bind(voter)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(bad("name", "该选民已告知不能回来投票", "this voter's notice is already recorded"));
    }
    sqlx::query(
        "INSERT INTO election_absence_notices (election_id, voter_id, notified_on, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(e.id)
    .bind(voter)
    .bind(notified_on.to_string())
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    let counted_out =
        e.day().is_some_and(|d| leaves_denominator(&election::Ruleset::default(), mode(e), d, Some(notified_on)));
    audit_write(
        &mut tx,
        actor,
        "election.notice",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "voter": voter, "notified_on": notified_on.to_string(), "leaves_denominator": counted_out }),
    )
    .await?;
    tx.commit().await?;
    Ok(Notice { name: name.to_string(), notified_on: notified_on.to_string() })
}

pub async fn objections(db: &Db, election_id: i64) -> Result<Vec<Objection>> {
    Ok(sqlx::query_as(
        "SELECT id, filed_on, objector, subject, claim, grounds, decision_due, decided_on, upheld, decision \
         FROM election_objections WHERE election_id = $1 ORDER BY id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

/// An objection as the action read it.
#[derive(Debug, Clone)]
pub struct NewObjection {
    pub filed_on: Date,
    pub objector: String,
    pub subject: String,
    pub claim: Claim,
    pub grounds: String,
}

/// §2.4: an objection to the published roll, inside the ruleset's window; its decision's due day is recorded.
pub async fn file_objection(db: &Db, actor: &str, e: &Election, o: &NewObjection) -> Result<Objection> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    let rs = election::Ruleset::default();
    let (Some(published), Some(day)) = (e.roll_published.as_deref().and_then(clock::parse_date), e.day()) else {
        return Err(bad("filed_on", "选民名单尚未公布", "the roll is not published yet"));
    };
    check_objection_filed(&rs, published, day, o.filed_on).map_err(|m| StoreError::invalid("filed_on", m))?;
    let due = objection_decision_due(&rs, day, o.filed_on);
    let mut tx = db.begin().await?;
    let row: Objection = sqlx::query_as(
        "INSERT INTO election_objections (election_id, filed_on, objector, subject, claim, grounds, decision_due, entered_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id, filed_on, objector, subject, claim, grounds, decision_due, decided_on, upheld, decision",
    )
    .bind(e.id)
    .bind(o.filed_on.to_string())
    .bind(&o.objector)
    .bind(&o.subject)
    .bind(o.claim.word())
    .bind(&o.grounds)
    .bind(due.to_string())
    .bind(actor)
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "election.objection",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "objection": row.id, "claim": o.claim, "subject": o.subject, "filed_on": row.filed_on, "decision_due": row.decision_due }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// §2.4: the election committee's decision. Upheld, a wrongly listed voter is
/// struck off; an omitted resident of this community is put on the roll when the
/// engine finds them eligible on election day (§1.4) and on no other roll this cycle (§2.2).
pub async fn decide_objection(
    db: &Db,
    actor: &str,
    e: &Election,
    id: i64,
    decided_on: Date,
    upheld: bool,
    decision: &str,
) -> Result<Objection> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    let o = objections(db, e.id).await?.into_iter().find(|o| o.id == id).ok_or(StoreError::NotFound)?;
    if o.decided_on.is_some() {
        return Err(bad("decision", "该申诉已作出处理决定", "this objection is already decided"));
    }
    if clock::parse_date(&o.filed_on).is_some_and(|f| decided_on < f) {
        return Err(bad("decided_on", "决定日期不能早于申诉日期", "the decision cannot precede the objection"));
    }
    let day = e.day().ok_or_else(|| StoreError::Config(format!("election {}: bad election day", e.id)))?;
    let mut effect = json!(null);
    let mut add: Option<(i64, String, String, &'static str)> = None;
    let mut strike: Option<i64> = None;
    if upheld {
        match o.claim {
            Claim::WronglyListed => strike = Some(voter_by_name(db, e, &o.subject, "decision").await?),
            Claim::Omitted => add = Some(eligible_resident(db, e, &o.subject, day).await?),
        }
    }
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE election_objections SET decided_on = $1, upheld = $2, decision = $3, decided_by = $4 WHERE id = $5 AND decided_on IS NULL",
    )
    .bind(decided_on.to_string())
    .bind(i64::from(upheld))
    .bind(decision)
    .bind(actor)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("decision", "该申诉已作出处理决定", "this objection is already decided"));
    }
    if let Some(v) = strike {
        sqlx::query("UPDATE election_voters SET struck_on = $1 WHERE id = $2")
            .bind(decided_on.to_string())
            .bind(v)
            .execute(&mut *tx)
            .await?;
        effect = json!({ "struck": o.subject });
    }
    if let Some((rid, name, group, cat)) = &add {
        sqlx::query(
            "INSERT INTO election_voters (election_id, resident_id, name, group_name, category) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(e.id)
        .bind(*rid)
        .bind(name)
        .bind(group)
        .bind(*cat)
        .execute(&mut *tx)
        .await?;
        effect = json!({ "added": name });
    }
    audit_write(
        &mut tx,
        actor,
        "election.objection.decide",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "objection": id, "upheld": upheld, "decided_on": decided_on.to_string(), "late": decided_on.to_string() > o.decision_due, "effect": effect }),
    )
    .await?;
    tx.commit().await?;
    objections(db, e.id).await?.into_iter().find(|o| o.id == id).ok_or(StoreError::NotFound)
}

/// The resident an upheld "omitted" objection names: found once in this
/// community's registry, not on the roll, eligible by the engine (§1.4, §2.1)
/// and on no other community's roll this cycle (§2.2).
async fn eligible_resident(
    db: &Db,
    e: &Election,
    name: &str,
    day: Date,
) -> Result<(i64, String, String, &'static str)> {
    type Row = (i64, String, String, String, i64, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, COALESCE(g.name, ''), r.id_sealed, r.id_index, r.hukou, r.moved_in FROM residents r \
         LEFT JOIN resident_groups g ON g.id = r.group_id WHERE r.community_code = $1 AND r.name = $2",
    )
    .bind(&e.community_code)
    .bind(name)
    .fetch_all(&db.pool)
    .await?;
    let [(rid, group, sealed, index, hukou, moved_in)] = rows.as_slice() else {
        return Err(bad(
            "decision",
            format!("本社区居民登记中找不到唯一的“{name}”"),
            format!("{name} is not found once in this community's registry"),
        ));
    };
    let on_roll: Option<i64> = sqlx::query_scalar(
        "SELECT v.id FROM election_voters v JOIN elections x ON x.id = v.election_id JOIN residents r ON r.id = v.resident_id \
         WHERE v.struck_on IS NULL AND r.id_index = $1 AND SUBSTR(x.election_day, 1, 4) = $2 LIMIT 1",
    )
    .bind(index)
    .bind(day.year().to_string())
    .fetch_optional(&db.pool)
    .await?;
    if on_roll.is_some() {
        return Err(bad(
            "decision",
            format!("“{name}”本届已在选民名单上登记，不得重复登记（规则2.2）"),
            format!("{name} is already registered in this cycle (rule 2.2)"),
        ));
    }
    let number = db
        .seal
        .open(sealed)
        .ok_or_else(|| StoreError::Config(format!("resident {rid}: the seal key does not open the ID number")))?;
    // The committee upholding the objection is its approval of the person's registration (§2.1).
    let category = if *hukou != 0 {
        Category::HukouAndResident
    } else {
        let months = moved_in.as_deref().and_then(clock::parse_date).map_or(0, |m| super::roll::months_between(m, day));
        Category::ResidentWithoutHukou { months, applied: true, approved: true, residence_permit: false }
    };
    let rs = election::Ruleset::default();
    election::roll::check_voter(
        &rs,
        &Applicant { id_number: &number, born: None, category, deprived_of_political_rights: false },
        day,
    )
    .map_err(|m| StoreError::invalid("decision", m))?;
    let word = if *hukou != 0 { "hukou_and_resident" } else { "resident_without_hukou" };
    Ok((*rid, name.to_string(), group.clone(), word))
}
