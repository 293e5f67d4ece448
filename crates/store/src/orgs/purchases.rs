//! Government purchase of services: purchase projects (§5.1–§5.4, §5.8's prior assessment),
//! applications by organisations, and the contract (§5.5–§5.7, §5.9, §5.12).

use super::*;
use crate::Capped;
use rules::orgs::purchase::{self as pur, BarredContent, CatalogueItem as EngineItem, Method, PartyKind, Terms};

words! {
    pub enum ProjectStatus, "project status" {
        Open => "open",
        Contracted => "contracted",
    }
}

words! {
    /// What a project's quantity counts.
    pub enum Measure, "measure" {
        Visits => "visits",
        Hours => "hours",
        People => "people",
    }
}

impl Measure {
    pub fn name(self) -> Msg {
        match self {
            Measure::Visits => Msg::new("服务人次", "visits"),
            Measure::Hours => Msg::new("服务小时", "hours"),
            Measure::People => Msg::new("服务对象人数", "people served"),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub title: String,
    pub catalogue_id: i64,
    pub budget_line_id: i64,
    pub buyer_name: String,
    pub buyer_kind: String,
    pub content: String,
    pub prior_assessment: String,
    pub targets: String,
    pub measure: Measure,
    pub target_quantity: i64,
    pub price_fen: i64,
    pub status: ProjectStatus,
    pub created_by: String,
    pub created_at: String,
    pub provider_org_id: Option<i64>,
    pub provider_name: Option<String>,
    pub provider_kind: Option<String>,
    pub individual_reason: String,
    pub method: Option<String>,
    pub quantity_terms: String,
    pub quality_terms: String,
    pub settlement: String,
    pub rights: String,
    pub liability: String,
    pub term_from: Option<String>,
    pub term_to: Option<String>,
    pub justification: String,
    pub budget_guarantee: i64,
    pub published_on: Option<String>,
    pub contracted_by: Option<String>,
    pub contracted_at: Option<String>,
    pub illustrative: i64,
    pub from_source: i64,
    pub catalogue_title: String,
    pub budget_title: String,
}

impl Project {
    pub fn buyer(&self) -> Msg {
        PartyKind::from_word(&self.buyer_kind).map(PartyKind::name).unwrap_or_else(|| Msg::new("", ""))
    }
    pub fn method_name(&self) -> Option<Msg> {
        self.method.as_deref().and_then(Method::from_word).map(Method::name)
    }
}

const PROJECTS: &str = "SELECT p.*, c.title AS catalogue_title, b.title AS budget_title FROM purchase_projects p \
    JOIN purchase_catalogue c ON c.id = p.catalogue_id JOIN purchase_budget_lines b ON b.id = p.budget_line_id";

pub async fn project(db: &Db, id: i64) -> Result<Project> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{PROJECTS} WHERE p.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn projects(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Project>> {
    crate::capped::scoped(
        db,
        &format!("{PROJECTS} WHERE (CAST($1 AS TEXT) IS NULL OR p.community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR p.district_code = $2) ORDER BY p.id DESC"),
        500,
        community,
        district,
    )
    .await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewProject {
    /// The community served (a district buyer names it; a community's own is implied).
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub catalogue_id: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub budget_line_id: Option<String>,
    #[serde(default)]
    pub buyer_name: String,
    /// state_organ | residents_committee | … (`rules::orgs::purchase::PartyKind`)
    #[serde(default)]
    pub buyer_kind: String,
    #[serde(default)]
    pub content: String,
    /// §5.3: what the content is, if barred (comma-separated words; empty: none).
    #[serde(default)]
    pub barred: String,
    #[serde(default)]
    pub prior_assessment: String,
    #[serde(default)]
    pub targets: String,
    /// visits | hours | people
    #[serde(default)]
    pub measure: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub target_quantity: Option<String>,
    /// Yuan.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub price: Option<String>,
}

/// The shortest title a containment match counts (a bare 服务 or 管理 matches nothing).
const EXIT_MATCH_MIN_CHARS: usize = 4;

/// The exit-list entries (rules §3) the item or the project's title is: by code, or by title
/// after normalisation (width, whitespace, punctuation, case), equal or containing each other.
async fn exit_matches(db: &Db, item: &CatalogueItem, title: &str) -> Result<Vec<String>> {
    let Ok(lists) = crate::lists::in_force(db, clock::today()).await else { return Ok(vec![]) };
    let exit = lists.list(lists::ListKind::Exit);
    let mut out: Vec<String> = Vec::new();
    for t in [item.title.as_str(), title] {
        out.extend(exit.overlapping(t, EXIT_MATCH_MIN_CHARS).into_iter().map(|e| e.title.clone()));
    }
    if let Some(e) = exit.entry_like(&item.code) {
        out.push(e.title.clone());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A buyer opens a purchase project in `community`: §5.1–§5.4 and §5.8's prior assessment.
pub async fn open_project(db: &Db, actor: &str, community: &str, district: &str, n: NewProject) -> Result<Project> {
    let mut c = Check::default();
    let title = c.text("title", &n.title, 100, "请填写项目名称", "the project's title is required");
    let item = c.id(
        "catalogue_id",
        n.catalogue_id.as_deref().unwrap_or(""),
        "请选择指导性目录事项",
        "choose a catalogue item",
    );
    let line =
        c.id("budget_line_id", n.budget_line_id.as_deref().unwrap_or(""), "请选择预算科目", "choose a budget line");
    let buyer_name = c.text("buyer_name", &n.buyer_name, 100, "请填写购买主体", "the buyer is required");
    let buyer = PartyKind::from_word(n.buyer_kind.trim());
    match buyer {
        None => c.add("buyer_kind", Msg::new("请选择购买主体类别", "choose what the buyer is")),
        Some(b) => {
            if let Err(m) = pur::rule_5_1_buyer_is_state_organ(b).and_then(|_| pur::rule_5_2_not_barred(b)) {
                c.add("buyer_kind", m);
            }
        }
    }
    let content = c.text("content", &n.content, 1000, "请填写服务内容", "the service content is required");
    let mut barred = Vec::new();
    for w in n.barred.split(',').map(str::trim).filter(|w| !w.is_empty() && *w != "none") {
        match BarredContent::from_word(w) {
            Some(b) => barred.push(b),
            None => c.add("barred", Msg::new("禁止购买事项无效", "unknown barred content")),
        }
    }
    if let Err(m) = pur::rule_5_3_content_allowed(&barred) {
        c.add("barred", m);
    }
    if let Err(m) = pur::rule_5_8_prior_assessment(&n.prior_assessment, &n.targets) {
        c.add("prior_assessment", m);
    }
    let measure: Option<Measure> = c.word("measure", &n.measure, "请选择计量方式", "choose the measure");
    let target = c.id(
        "target_quantity",
        n.target_quantity.as_deref().unwrap_or(""),
        "请填写目标服务量",
        "the target quantity is required",
    );
    if target.is_some_and(|t| t <= 0) {
        c.add("target_quantity", Msg::new("目标服务量须大于零", "the target is more than zero"));
    }
    let price = yuan_field(&mut c, "price", n.price.as_deref());
    // §5.4: the catalogue item of this district, published and not negative, not an exit-list item.
    let item = match item {
        Some(id) => catalogue_item(db, id).await.ok().filter(|i| i.district_code == district),
        None => None,
    };
    if n.catalogue_id.as_deref().is_some_and(|s| !s.trim().is_empty()) || item.is_some() {
        let published =
            item.as_ref().is_some_and(|i| clock::parse_date(&i.published_on).is_some_and(|d| d <= clock::today()));
        let e = item.as_ref().map(|i| EngineItem { published, negative: i.negative == 1 });
        if let Err(m) = pur::rule_5_4_catalogue_item(e) {
            c.add("catalogue_id", m);
        } else if let Some(i) = &item
            && let Err(m) = pur::rule_5_4_not_exit_list(&exit_matches(db, i, &title).await?)
        {
            c.add("catalogue_id", m);
        }
    }
    c.done()?;
    let (Some(item), Some(line_id), Some(measure), Some(target)) = (item, line, measure, target) else {
        return Err(bad("catalogue_id", "输入有误", "invalid input"));
    };
    let mut tx = db.begin().await?;
    // §5.4: the budget line of this community, with enough left — read inside the transaction.
    let l: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT community_code, amount_fen, CAST(COALESCE((SELECT SUM(p.price_fen) FROM purchase_projects p WHERE p.budget_line_id = b.id), 0) AS BIGINT) \
         FROM purchase_budget_lines b WHERE id = $1",
    )
    .bind(line_id)
    .fetch_optional(&mut *tx)
    .await?;
    let l = l.filter(|(lc, _, _)| lc == community).map(|(_, a, used)| (a, used));
    pur::rule_5_4_budget_line(l, price).map_err(|m| refused("budget_line_id", m))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_projects (community_code, district_code, title, catalogue_id, budget_line_id, buyer_name, buyer_kind, content, \
         prior_assessment, targets, measure, target_quantity, price_fen, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15) RETURNING id",
    )
    .bind(community)
    .bind(district)
    .bind(&title)
    .bind(item.id)
    .bind(line_id)
    .bind(&buyer_name)
    .bind(n.buyer_kind.trim())
    .bind(&content)
    .bind(n.prior_assessment.trim())
    .bind(n.targets.trim())
    .bind(measure.word())
    .bind(target)
    .bind(price)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "purchase.open",
        "purchase_project",
        id,
        (community, district),
        json!({ "title": title, "item": item.id, "line": line_id, "price_fen": price, "buyer": buyer_name }),
    )
    .await?;
    tx.commit().await?;
    project(db, id).await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub project_id: i64,
    pub org_id: i64,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
    pub org_name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewApplication {
    #[serde(default)]
    pub note: String,
}

/// An organisation applies to provide an open project of its district.
pub async fn apply(db: &Db, actor: &str, org_id: i64, project_id: i64, n: NewApplication) -> Result<Application> {
    let o = org(db, org_id).await?;
    let p = project(db, project_id).await?;
    let mut c = Check::default();
    let note = c.text("note", &n.note, 1000, "请说明承接能力", "say why the organisation can provide it");
    c.done()?;
    if p.district_code != o.district_code || p.status != ProjectStatus::Open {
        return Err(bad("project", "该项目不接受申请", "this project takes no applications"));
    }
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_applications (project_id, org_id, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(project_id)
    .bind(org_id)
    .bind(&note)
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => bad("note", "已申请该项目", "already applied"),
        None => e.into(),
    })?;
    audit_write(
        &mut tx,
        actor,
        "purchase.apply",
        "purchase_project",
        project_id,
        (&p.community_code, &p.district_code),
        json!({ "org": org_id }),
    )
    .await?;
    tx.commit().await?;
    applications(db, project_id).await?.into_iter().find(|a| a.id == id).ok_or(StoreError::NotFound)
}

pub async fn applications(db: &Db, project_id: i64) -> Result<Vec<Application>> {
    Ok(sqlx::query_as(
        "SELECT a.*, o.name AS org_name FROM purchase_applications a JOIN orgs o ON o.id = a.org_id WHERE a.project_id = $1 ORDER BY a.id",
    )
    .bind(project_id)
    .fetch_all(&db.pool)
    .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewContract {
    /// The provider from the registry; or else `provider_name` and `provider_kind`.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub provider_org_id: Option<String>,
    #[serde(default)]
    pub provider_name: String,
    #[serde(default)]
    pub provider_kind: String,
    /// §5.9: why the service suits an individual.
    #[serde(default)]
    pub individual_reason: String,
    #[serde(default)]
    pub method: String,
    /// §5.5: the provider conditions discriminate.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub discriminatory: Option<String>,
    #[serde(default)]
    pub quantity_terms: String,
    #[serde(default)]
    pub quality_terms: String,
    #[serde(default)]
    pub settlement: String,
    #[serde(default)]
    pub rights: String,
    #[serde(default)]
    pub liability: String,
    #[serde(default)]
    pub term_from: String,
    #[serde(default)]
    pub term_to: String,
    #[serde(default)]
    pub justification: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub budget_guarantee: Option<String>,
    #[serde(default)]
    pub published_on: String,
}

/// The buyer records the selected provider and the written, published contract.
pub async fn contract(db: &Db, actor: &str, project_id: i64, n: NewContract) -> Result<Project> {
    let p = project(db, project_id).await?;
    let mut c = Check::default();
    let oid = n.provider_org_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (mut provider_name, mut kind) =
        (n.provider_name.trim().to_string(), PartyKind::from_word(n.provider_kind.trim()));
    let mut org_id = None;
    if let Some(s) = oid {
        let o = match s.parse::<i64>() {
            Ok(id) => org(db, id).await.ok().filter(|o| o.district_code == p.district_code),
            Err(_) => None,
        };
        match o {
            None => c.add("provider_org_id", Msg::new("本区没有该组织", "no such organisation in this district")),
            Some(o) => {
                kind = Some(if o.tier == Tier::Registered {
                    PartyKind::SocialOrganisation
                } else {
                    PartyKind::FiledGroup
                });
                provider_name = o.name.clone();
                org_id = Some(o.id);
            }
        }
    } else {
        if provider_name.is_empty() {
            c.add("provider_name", Msg::new("请选择或填写承接主体", "choose or name the provider"));
        }
        if kind.is_none() {
            c.add("provider_kind", Msg::new("请选择承接主体类别", "choose what the provider is"));
        }
    }
    if let Some(k) = kind {
        let r = pur::rule_5_1_provider_eligible(k)
            .and_then(|_| pur::rule_5_2_not_barred(k))
            .and_then(|_| pur::rule_5_12_filed_group_cannot_sign(k));
        if let Err(m) = r {
            c.add(if oid.is_some() { "provider_org_id" } else { "provider_kind" }, m);
        }
        if let Err(m) = pur::rule_5_9_individual_suits(k, &n.individual_reason) {
            c.add("individual_reason", m);
        }
    }
    let method = Method::from_word(n.method.trim());
    if let Err(m) = pur::rule_5_5_procurement(method, flag(n.discriminatory.as_deref().unwrap_or(""))) {
        c.add("method", m);
    }
    let published = clock::parse_date(&n.published_on);
    let terms = Terms {
        content: &p.content,
        quantity: &n.quantity_terms,
        quality: &n.quality_terms,
        settlement: &n.settlement,
        rights: &n.rights,
        liability: &n.liability,
        price: p.price_fen,
        published_on: published,
    };
    if let Err(m) = pur::rule_5_6_contract_terms(&terms) {
        c.add("quantity_terms", m);
    }
    let (from, to) = (c.date("term_from", &n.term_from), c.date("term_to", &n.term_to));
    let guarantee = flag(n.budget_guarantee.as_deref().unwrap_or(""));
    if let (Some(f), Some(t)) = (from, to)
        && let Err(m) = pur::rule_5_7_term(f, t, &n.justification, guarantee)
    {
        c.add("term_to", m);
    }
    c.done()?;
    if p.status != ProjectStatus::Open {
        return Err(bad("provider_org_id", "该项目已签订合同", "this project is already contracted"));
    }
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE purchase_projects SET status = 'contracted', provider_org_id = $1, provider_name = $2, provider_kind = $3, individual_reason = $4, \
         method = $5, quantity_terms = $6, quality_terms = $7, settlement = $8, rights = $9, liability = $10, term_from = $11, term_to = $12, \
         justification = $13, budget_guarantee = $14, published_on = $15, contracted_by = $16, contracted_at = $17 WHERE id = $18 AND status = 'open'",
    )
    .bind(org_id)
    .bind(&provider_name)
    .bind(kind.map(PartyKind::word))
    .bind(n.individual_reason.trim())
    .bind(method.map(Method::word))
    .bind(n.quantity_terms.trim())
    .bind(n.quality_terms.trim())
    .bind(n.settlement.trim())
    .bind(n.rights.trim())
    .bind(n.liability.trim())
    .bind(from.map(|d| d.to_string()))
    .bind(to.map(|d| d.to_string()))
    .bind(n.justification.trim())
    .bind(i64::from(guarantee))
    .bind(published.map(|d| d.to_string()))
    .bind(actor)
    .bind(clock::now_text())
    .bind(project_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(bad("provider_org_id", "该项目已签订合同", "this project is already contracted"));
    }
    audit_write(&mut tx, actor, "purchase.contract", "purchase_project", project_id, (&p.community_code, &p.district_code), json!({ "provider": provider_name, "org": org_id, "method": method.map(Method::word), "term": [from.map(|d| d.to_string()), to.map(|d| d.to_string())] })).await?;
    tx.commit().await?;
    project(db, project_id).await
}
