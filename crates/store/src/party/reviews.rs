//! The community's rights over its units: the yearly evaluation of each unit's
//! fulfilment, the review and recommendation on a unit cadre's promotion
//! (审查评价建议权; personal data) and the unit's reply to either. The veto is in `vetoes`.

use super::*;
use crate::Capped;

words! {
    /// The community's grade for a unit's year.
    pub enum Grade, "grade" {
        Excellent => "excellent",
        Good => "good",
        Fair => "fair",
        Poor => "poor",
    }
}

impl Grade {
    pub fn name(self) -> Msg {
        match self {
            Grade::Excellent => Msg::new("优秀", "excellent"),
            Grade::Good => Msg::new("良好", "good"),
            Grade::Fair => Msg::new("一般", "fair"),
            Grade::Poor => Msg::new("较差", "poor"),
        }
    }
}

words! {
    /// The community's recommendation on a cadre's promotion.
    pub enum Recommendation, "recommendation" {
        Recommend => "recommend",
        Reservations => "reservations",
        NotRecommended => "not_recommended",
    }
}

impl Recommendation {
    pub fn name(self) -> Msg {
        match self {
            Recommendation::Recommend => Msg::new("建议提拔", "recommended"),
            Recommendation::Reservations => Msg::new("有保留意见", "with reservations"),
            Recommendation::NotRecommended => Msg::new("不建议提拔", "not recommended"),
        }
    }
}

pub(super) fn year_of(c: &mut Check, s: &str) -> i32 {
    match s.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            c.add("year", Msg::new("请填写年度（如2026）", "give the year (e.g. 2026)"));
            0
        }
    }
}

/// A unit's commitments in force during `year`, each with what was due and
/// what was confirmed by the year's end (its fulfilment record of that year).
pub async fn record_of_year(db: &Db, unit_id: i64, year: i32) -> Result<Vec<(Commitment, engine::Ground)>> {
    let Some(y) = Period::year(year) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for a in agreements(db, None, None, Some(unit_id)).await? {
        let p = a.period()?;
        if !p.overlaps(&y) {
            continue;
        }
        let done: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT c.id, CAST(COALESCE(SUM(f.quantity), 0) AS BIGINT) FROM party_commitments c \
             LEFT JOIN party_fulfilments f ON f.commitment_id = c.id AND f.status = 'confirmed' AND f.done_on <= $2 \
             WHERE c.agreement_id = $1 GROUP BY c.id",
        )
        .bind(a.id)
        .bind(y.to.to_string())
        .fetch_all(&db.pool)
        .await?;
        for c in commitments(db, None, None, Some(a.id), None).await? {
            let fulfilled = done.iter().find(|(id, _)| *id == c.id).map(|(_, f)| *f).unwrap_or(0);
            let g = engine::Ground { unit: c.unit_id, kind: c.kind, period: p, committed: c.quantity, fulfilled };
            out.push((c, g));
        }
    }
    Ok(out)
}

// ----- yearly evaluations ------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Evaluation {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    pub year: i64,
    pub grade: Grade,
    /// The unit's record for the year: fulfilled against due, in percent (`rules::party::record_percent`).
    pub fulfilled_percent: i64,
    pub comments: String,
    pub evaluated_by: String,
    pub created_at: String,
    pub reply: String,
    pub replied_by: Option<String>,
    pub replied_at: Option<String>,
    pub unit_name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewEvaluation {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub year: Option<String>,
    /// excellent | good | fair | poor
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub comments: String,
}

/// The unit of an evaluation or review: its own community's only (rule P6);
/// one of another community answers like a missing one.
pub(super) async fn evaluated_unit(db: &Db, evaluator: Option<&str>, id: i64) -> Result<crate::structure::Unit> {
    let u = sqlx::query_as::<_, crate::structure::Unit>("SELECT * FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    match u {
        Some(u) => {
            engine::p6_evaluation_by_own_community(&u.community_code, evaluator).map_err(|m| refused("unit_id", m))?;
            Ok(u)
        }
        None => Err(refused(
            "unit_id",
            engine::p6_evaluation_by_own_community("", evaluator)
                .err()
                .unwrap_or_else(|| Msg::new("本社区没有该驻区单位", "no such resident unit in this community")),
        )),
    }
}

/// The community (`evaluator`) evaluates one of its units' year.
pub async fn evaluate(db: &Db, actor: &str, evaluator: Option<&str>, n: NewEvaluation) -> Result<Evaluation> {
    let mut c = Check::default();
    let unit_id = c.id("unit_id", n.unit_id.as_deref().unwrap_or(""), "请选择驻区单位", "choose a resident unit");
    let year = year_of(&mut c, n.year.as_deref().unwrap_or(""));
    let grade: Option<Grade> = c.word("grade", &n.grade, "请选择评价等次", "choose a grade");
    let comments = c.text("comments", &n.comments, 2000, "请填写评价意见", "the evaluation needs comments");
    c.done()?;
    let unit = evaluated_unit(db, evaluator, unit_id.unwrap_or_default()).await?;
    let record = record_of_year(db, unit.id, year).await?;
    let y = Period::year(year).ok_or_else(|| bad("year", "年度无效", "invalid year"))?;
    let lines: Vec<(i64, i64)> =
        record.iter().map(|(_, g)| (engine::due_by(g.period, g.committed, y.to), g.fulfilled)).collect();
    let percent = engine::record_percent(&lines);
    let dup: Option<i64> = sqlx::query_scalar("SELECT id FROM party_evaluations WHERE unit_id = $1 AND year = $2")
        .bind(unit.id)
        .bind(i64::from(year))
        .fetch_optional(&db.pool)
        .await?;
    if dup.is_some() {
        return Err(bad("year", "该单位本年度已评价", "the unit is already evaluated for this year"));
    }
    let grade = grade.unwrap_or(Grade::Good);
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_evaluations (community_code, district_code, unit_id, year, grade, fulfilled_percent, comments, evaluated_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&unit.community_code)
    .bind(&unit.district_code)
    .bind(unit.id)
    .bind(i64::from(year))
    .bind(grade.word())
    .bind(percent)
    .bind(&comments)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "party.evaluate",
        "party_evaluation",
        id,
        (&unit.community_code, &unit.district_code),
        json!({ "unit": unit.id, "year": year, "grade": grade, "percent": percent }),
    )
    .await?;
    tx.commit().await?;
    evaluation(db, id).await
}

const EVALUATIONS: &str = "SELECT e.*, u.name AS unit_name FROM party_evaluations e JOIN units u ON u.id = e.unit_id";

pub async fn evaluation(db: &Db, id: i64) -> Result<Evaluation> {
    super::by_id(db, EVALUATIONS, "e", id).await
}

pub async fn evaluations(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    unit: Option<i64>,
) -> Result<Capped<Evaluation>> {
    super::within(db, EVALUATIONS, "e", "e.year DESC, e.id DESC", super::Within { community, district, unit }).await
}

// ----- cadre promotion reviews (personal data) ---------------------------------------

/// The community's written review and recommendation on a unit cadre's
/// promotion. Personal data: readable only by the community's party
/// organisation, the cadre's unit and the district (see `web::scope`).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CadreReview {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub unit_id: i64,
    pub cadre_name: String,
    pub current_post: String,
    pub proposed_post: String,
    pub review: String,
    pub recommendation: Recommendation,
    pub reasons: String,
    pub reviewed_by: String,
    pub created_at: String,
    pub reply: String,
    pub replied_by: Option<String>,
    pub replied_at: Option<String>,
    pub unit_name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCadreReview {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub cadre_name: String,
    #[serde(default)]
    pub current_post: String,
    #[serde(default)]
    pub proposed_post: String,
    #[serde(default)]
    pub review: String,
    /// recommend | reservations | not_recommended
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub reasons: String,
}

pub async fn review_cadre(db: &Db, actor: &str, evaluator: Option<&str>, n: NewCadreReview) -> Result<CadreReview> {
    let mut c = Check::default();
    let unit_id = c.id("unit_id", n.unit_id.as_deref().unwrap_or(""), "请选择驻区单位", "choose a resident unit");
    let name = c.text("cadre_name", &n.cadre_name, 50, "请填写干部姓名", "the cadre's name is required");
    let current = c.text("current_post", &n.current_post, 100, "请填写现任职务", "the current post is required");
    let proposed = c.text("proposed_post", &n.proposed_post, 100, "请填写拟任职务", "the proposed post is required");
    let review = c.text("review", &n.review, 4000, "请填写审查评价意见", "the written review is required");
    let rec: Option<Recommendation> =
        c.word("recommendation", &n.recommendation, "请选择建议", "choose a recommendation");
    let reasons = c.text("reasons", &n.reasons, 2000, "请说明理由", "give the reasons");
    c.done()?;
    let unit = evaluated_unit(db, evaluator, unit_id.unwrap_or_default()).await?;
    let rec = rec.unwrap_or(Recommendation::Reservations);
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO party_cadre_reviews (community_code, district_code, unit_id, cadre_name, current_post, proposed_post, review, recommendation, reasons, reviewed_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&unit.community_code)
    .bind(&unit.district_code)
    .bind(unit.id)
    .bind(&name)
    .bind(&current)
    .bind(&proposed)
    .bind(&review)
    .bind(rec.word())
    .bind(&reasons)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    // The audit chain is readable by auditors: it names the record, not the person.
    audit_write(
        &mut tx,
        actor,
        "party.cadre_review",
        "party_cadre_review",
        id,
        (&unit.community_code, &unit.district_code),
        json!({ "unit": unit.id, "recommendation": rec }),
    )
    .await?;
    tx.commit().await?;
    cadre_review(db, id).await
}

const CADRE_REVIEWS: &str =
    "SELECT r.*, u.name AS unit_name FROM party_cadre_reviews r JOIN units u ON u.id = r.unit_id";

pub async fn cadre_review(db: &Db, id: i64) -> Result<CadreReview> {
    super::by_id(db, CADRE_REVIEWS, "r", id).await
}

pub async fn cadre_reviews(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    unit: Option<i64>,
) -> Result<Capped<CadreReview>> {
    super::within(db, CADRE_REVIEWS, "r", "r.id DESC", super::Within { community, district, unit }).await
}

// ----- the unit's reply ----------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reply {
    #[serde(default)]
    pub reply: String,
}

/// What a unit replies to: its evaluation or a review of one of its cadres.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replied {
    Evaluation,
    CadreReview,
}

/// The unit replies (once) to an evaluation or a cadre review of its own (the caller checked the unit).
pub async fn reply(db: &Db, actor: &str, what: Replied, id: i64, r: Reply) -> Result<()> {
    let mut c = Check::default();
    let text = c.text("reply", &r.reply, 2000, "请填写回复", "the reply is empty");
    c.done()?;
    let (table, entity, scope) = match what {
        Replied::Evaluation => {
            let e = evaluation(db, id).await?;
            ("party_evaluations", "party_evaluation", (e.community_code, e.district_code))
        }
        Replied::CadreReview => {
            let e = cadre_review(db, id).await?;
            ("party_cadre_reviews", "party_cadre_review", (e.community_code, e.district_code))
        }
    };
    let mut tx = db.begin().await?;
    let n = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {table} SET reply = $1, replied_by = $2, replied_at = $3 WHERE id = $4 AND replied_at IS NULL"
    )))
    .bind(&text)
    .bind(actor)
    .bind(clock::now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(bad("reply", "已经回复过", "already replied"));
    }
    audit_write(&mut tx, actor, "party.reply", entity, id, (&scope.0, &scope.1), json!({ "reply": text })).await?;
    tx.commit().await?;
    Ok(())
}
