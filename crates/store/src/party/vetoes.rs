//! The one-vote veto (一票否决) over a unit's party-building assessment for a
//! year: grounds from the unit's own fulfilment record of that year (rule P5),
//! and the district's review.

use super::reviews::{evaluated_unit, year_of};
use super::*;
use crate::Capped;

words! {
    /// Where the district's review of a veto stands.
    pub enum VetoReview, "veto review" {
        Pending => "pending",
        Upheld => "upheld",
        Overturned => "overturned",
    }
}

// ----- the one-vote veto -----------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Veto {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    pub year: i64,
    pub statement: String,
    pub decided_by: String,
    pub created_at: String,
    pub review: VetoReview,
    pub review_note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub unit_name: String,
}

/// A ground of a veto: a commitment from the unit's record, with what was due and done by the year's end.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VetoGround {
    pub veto_id: i64,
    pub commitment_id: i64,
    pub committed: i64,
    pub due: i64,
    pub fulfilled: i64,
    #[sqlx(try_from = "crate::typed::Text")]
    pub kind: rules::party::CommitmentKind,
    pub description: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewVeto {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub year: Option<String>,
    #[serde(default)]
    pub statement: String,
    /// The commitments of the unit's own record of that year cited as grounds.
    #[serde(default)]
    pub grounds: Vec<i64>,
}

/// The community vetoes a unit's party-building assessment for a year, on
/// grounds from the unit's own fulfilment record of that year (rule P5).
pub async fn veto(db: &Db, actor: &str, evaluator: Option<&str>, n: NewVeto) -> Result<Veto> {
    let mut c = Check::default();
    let unit_id = c.id("unit_id", n.unit_id.as_deref().unwrap_or(""), "请选择驻区单位", "choose a resident unit");
    let year = year_of(&mut c, n.year.as_deref().unwrap_or(""));
    let statement = c.text("statement", &n.statement, 2000, "请写明否决意见", "the veto needs a written statement");
    c.done()?;
    let unit = evaluated_unit(db, evaluator, unit_id.unwrap_or_default()).await?;
    let record = record_of_year(db, unit.id, year).await?;
    let mut grounds: Vec<(i64, engine::Ground)> = Vec::new();
    for id in &n.grounds {
        match record.iter().find(|(c, _)| c.id == *id) {
            Some((c, g)) => grounds.push((c.id, g.clone())),
            // Not in this unit's record of that year: the engine says why (another unit's, another year's).
            None => {
                let g = match commitment(db, *id).await {
                    Ok(c) => {
                        let a = agreement(db, c.agreement_id).await?;
                        let fulfilled = c.fulfilled;
                        engine::Ground {
                            unit: c.unit_id,
                            kind: c.kind,
                            period: a.period()?,
                            committed: c.quantity,
                            fulfilled,
                        }
                    }
                    Err(StoreError::NotFound) => {
                        return Err(bad("grounds", "所引承诺不存在", "a cited commitment does not exist"));
                    }
                    Err(e) => return Err(e),
                };
                grounds.push((*id, g));
            }
        }
    }
    let gs: Vec<engine::Ground> = grounds.iter().map(|(_, g)| g.clone()).collect();
    engine::p5_veto_grounds(unit.id, year, &gs).map_err(|m| refused("grounds", m))?;
    let y = Period::year(year).ok_or_else(|| bad("year", "年度无效", "invalid year"))?;
    let dup: Option<i64> = sqlx::query_scalar("SELECT id FROM party_vetoes WHERE unit_id = $1 AND year = $2")
        .bind(unit.id)
        .bind(i64::from(year))
        .fetch_optional(&db.pool)
        .await?;
    if dup.is_some() {
        return Err(bad("year", "该单位本年度已被否决", "the unit is already vetoed for this year"));
    }
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_vetoes (community_code, district_code, unit_id, year, statement, decided_by, created_at, review) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id",
    )
    .bind(&unit.community_code)
    .bind(&unit.district_code)
    .bind(unit.id)
    .bind(i64::from(year))
    .bind(&statement)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    let mut cited = Vec::new();
    for (cid, g) in &grounds {
        let due = engine::due_by(g.period, g.committed, y.to);
        sqlx::query(
            "INSERT INTO party_veto_grounds (veto_id, commitment_id, committed, due, fulfilled) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(*cid)
        .bind(g.committed)
        .bind(due)
        .bind(g.fulfilled)
        .execute(&mut *tx)
        .await?;
        cited.push(json!({ "commitment": cid, "due": due, "fulfilled": g.fulfilled }));
    }
    audit_write(
        &mut tx,
        actor,
        "party.veto",
        "party_veto",
        id,
        (&unit.community_code, &unit.district_code),
        json!({ "unit": unit.id, "year": year, "statement": statement, "grounds": cited }),
    )
    .await?;
    tx.commit().await?;
    veto_by_id(db, id).await
}

const VETOES: &str = "SELECT v.*, u.name AS unit_name FROM party_vetoes v JOIN units u ON u.id = v.unit_id";

pub async fn veto_by_id(db: &Db, id: i64) -> Result<Veto> {
    super::by_id(db, VETOES, "v", id).await
}

/// Vetoes in scope, latest year first (the list of vetoes per year).
pub async fn vetoes(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    unit: Option<i64>,
) -> Result<Capped<Veto>> {
    super::within(db, VETOES, "v", "v.year DESC, v.id DESC", super::Within { community, district, unit }).await
}

pub async fn veto_grounds(db: &Db, veto_id: i64) -> Result<Vec<VetoGround>> {
    Ok(sqlx::query_as(
        "SELECT g.*, c.kind, c.description FROM party_veto_grounds g JOIN party_commitments c ON c.id = g.commitment_id \
         WHERE g.veto_id = $1 ORDER BY g.commitment_id",
    )
    .bind(veto_id)
    .fetch_all(&db.pool)
    .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct VetoDecision {
    /// upheld | overturned
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// The district reviews a veto (the caller checked it is the veto's district).
pub async fn review_veto(db: &Db, actor: &str, id: i64, d: VetoDecision) -> Result<Veto> {
    let v = veto_by_id(db, id).await?;
    let mut c = Check::default();
    let to = match d.decision.trim() {
        "upheld" => Some(VetoReview::Upheld),
        "overturned" => Some(VetoReview::Overturned),
        _ => {
            c.add("decision", Msg::new("请选择维持或撤销", "choose upheld or overturned"));
            None
        }
    };
    let note = d.note.trim().to_string();
    if note.is_empty() {
        c.add("note", Msg::new("请写明复核意见", "the review needs a note"));
    }
    c.done()?;
    let to = to.unwrap_or(VetoReview::Upheld);
    if v.review != VetoReview::Pending {
        return Err(bad("decision", "该否决已复核", "this veto was already reviewed"));
    }
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE party_vetoes SET review = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5 AND review = 'pending'",
    )
    .bind(to.word())
    .bind(&note)
    .bind(actor)
    .bind(clock::now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("decision", "该否决已复核", "this veto was already reviewed"));
    }
    audit_write(
        &mut tx,
        actor,
        "party.veto.review",
        "party_veto",
        id,
        (&v.community_code, &v.district_code),
        json!({ "review": to, "note": note }),
    )
    .await?;
    tx.commit().await?;
    veto_by_id(db, id).await
}
