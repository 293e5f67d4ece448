//! The district's guiding catalogue (指导性目录, with its negative list) and the approved
//! purchase budget lines (§5.4: 先有预算后购买).

use super::*;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CatalogueItem {
    pub id: i64,
    pub district_code: String,
    pub code: String,
    pub title: String,
    pub published_on: String,
    /// On the local negative list (负面清单).
    pub negative: i64,
    pub created_by: String,
    pub created_at: String,
    pub illustrative: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCatalogueItem {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub published_on: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub negative: Option<String>,
}

/// The district publishes an item of its guiding catalogue (or of its negative list).
pub async fn add_catalogue_item(db: &Db, actor: &str, district: &str, n: NewCatalogueItem) -> Result<CatalogueItem> {
    let mut c = Check::default();
    let code = c.text("code", &n.code, 30, "请填写目录编号", "the catalogue code is required");
    let title = c.text("title", &n.title, 100, "请填写服务事项名称", "the item's title is required");
    let on = c.date("published_on", &n.published_on);
    c.done()?;
    let negative = flag(n.negative.as_deref().unwrap_or(""));
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_catalogue (district_code, code, title, published_on, negative, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(district)
    .bind(&code)
    .bind(&title)
    .bind(on.map(|d| d.to_string()).unwrap_or_default())
    .bind(i64::from(negative))
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => bad("code", "该目录编号已存在", "this catalogue code exists"),
        None => e.into(),
    })?;
    audit_write(
        &mut tx,
        actor,
        "purchase.catalogue",
        "purchase_catalogue",
        id,
        (None, district),
        json!({ "code": code, "title": title, "negative": negative }),
    )
    .await?;
    tx.commit().await?;
    catalogue_item(db, id).await
}

pub async fn catalogue_item(db: &Db, id: i64) -> Result<CatalogueItem> {
    sqlx::query_as("SELECT * FROM purchase_catalogue WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn catalogue(db: &Db, district: Option<&str>) -> Result<Vec<CatalogueItem>> {
    Ok(sqlx::query_as(
        "SELECT * FROM purchase_catalogue WHERE (CAST($1 AS TEXT) IS NULL OR district_code = $1) ORDER BY district_code, code",
    )
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BudgetLine {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub year: i64,
    pub title: String,
    pub amount_fen: i64,
    pub approved_ref: String,
    pub created_by: String,
    pub created_at: String,
    pub illustrative: i64,
    /// The prices of the projects already on this line.
    pub committed_fen: i64,
}

const LINES: &str = "SELECT b.*, CAST(COALESCE((SELECT SUM(p.price_fen) FROM purchase_projects p WHERE p.budget_line_id = b.id), 0) AS BIGINT) AS committed_fen FROM purchase_budget_lines b";

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewBudgetLine {
    #[serde(default)]
    pub community: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub year: Option<String>,
    #[serde(default)]
    pub title: String,
    /// Yuan.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub amount: Option<String>,
    #[serde(default)]
    pub approved_ref: String,
}

pub(crate) fn yuan_field(c: &mut Check, field: &str, s: Option<&str>) -> i64 {
    match ledger::Yuan::parse_amount(s.unwrap_or("").trim()) {
        Ok(y) if y.fen() > 0 => y.fen(),
        Ok(_) => {
            c.add(field, Msg::new("金额须大于零", "the amount is more than zero"));
            0
        }
        Err(e) => {
            c.add(field, e.msg());
            0
        }
    }
}

/// The district approves a purchase budget line for one of its communities (先有预算后购买).
pub async fn add_budget_line(db: &Db, actor: &str, district: &str, n: NewBudgetLine) -> Result<BudgetLine> {
    let mut c = Check::default();
    let year = c.id("year", n.year.as_deref().unwrap_or(""), "请填写年度", "the year is required");
    let title = c.text("title", &n.title, 100, "请填写预算科目名称", "the budget line's title is required");
    let amount = yuan_field(&mut c, "amount", n.amount.as_deref());
    let reference =
        c.text("approved_ref", &n.approved_ref, 100, "请填写批复文号", "the approval's reference is required");
    c.done()?;
    let com = crate::structure::community(db, n.community.trim()).await.ok().filter(|x| x.district_code == district);
    let Some(com) = com else {
        return Err(bad("community", "本区没有该社区", "no such community in this district"));
    };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_budget_lines (community_code, district_code, year, title, amount_fen, approved_ref, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&com.code)
    .bind(district)
    .bind(year)
    .bind(&title)
    .bind(amount)
    .bind(&reference)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "purchase.budget_line",
        "purchase_budget_line",
        id,
        (&com.code, district),
        json!({ "title": title, "amount_fen": amount, "ref": reference }),
    )
    .await?;
    tx.commit().await?;
    budget_line(db, id).await
}

pub async fn budget_line(db: &Db, id: i64) -> Result<BudgetLine> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{LINES} WHERE b.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn budget_lines(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<BudgetLine>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LINES} WHERE (CAST($1 AS TEXT) IS NULL OR b.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR b.district_code = $2) ORDER BY b.year DESC, b.id"
    )))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}
