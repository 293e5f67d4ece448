//! Community social organisations (社区社会组织), their federation and
//! government purchase of services, persisted (issue 17). The rules are the
//! `rules::orgs` engine's; every write is one transaction with its audit entry.
//! An organisation's own log-in (role `organisation`) is bound to it in `org_accounts`.
//!
//! - this file: the registry (three tiers, members, activities), accounts, settings;
//! - [`inspections`]: the annual inspection, its reminders through the outbox, the overdue view;
//! - [`federation`]: the federation's roll-up and the figures per community and district;
//! - [`purchases`]: catalogue, budget lines, projects, applications, contracts;
//! - [`service`]: service records, evaluations and payments through the ledger.

mod catalogue;
mod federation;
mod inspections;
mod members;
mod purchases;
mod service;

pub use catalogue::*;
pub use federation::*;
pub use inspections::*;
pub use members::*;
pub use purchases::*;
pub use service::*;

use crate::audit::record as audit_write;
use crate::error::bad;
use crate::party::{Check, refused};
use crate::typed::{Word, words};
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use rules::orgs::registry::{self as reg, Thresholds};
use serde::{Deserialize, Serialize};
use serde_json::json;

words! {
    /// §5.11's tiers.
    pub enum Tier, "organisation tier" {
        Registered => "registered",
        Filed => "filed",
        Small => "small",
    }
}

words! {
    /// A registered organisation's legal form (§5.14: prefix 51, 52, 53).
    pub enum LegalForm, "legal form" {
        SocialGroup => "social_group",
        ServiceOrg => "service_org",
        Foundation => "foundation",
    }
}

impl Tier {
    pub fn engine(self) -> reg::Tier {
        reg::Tier::from_word(self.word()).unwrap_or(reg::Tier::Small)
    }
    pub fn name(self) -> Msg {
        self.engine().name()
    }
}

impl LegalForm {
    pub fn engine(self) -> reg::LegalForm {
        reg::LegalForm::from_word(self.word()).unwrap_or(reg::LegalForm::SocialGroup)
    }
    pub fn name(self) -> Msg {
        self.engine().name()
    }
}

/// A text flag from a form or JSON: `true`, `on`, `1`, `yes`.
pub(crate) fn flag(s: &str) -> bool {
    matches!(s.trim(), "true" | "on" | "1" | "yes")
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Org {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub name: String,
    pub tier: Tier,
    pub legal_form: Option<LegalForm>,
    /// The unified social credit code: registered organisations only (§5.12).
    pub uscc: Option<String>,
    pub is_federation: i64,
    /// Fields of service.
    pub fields: String,
    pub person_in_charge: String,
    pub founded_on: String,
    pub created_by: String,
    pub created_at: String,
    pub illustrative: i64,
    /// The person in charge's phone: the organisation's contact for its notices (`org:<id>` in
    /// the outbox). Shown in full only to those who manage the organisation (`web::privacy`).
    pub person_phone: String,
}

/// A phone number as digits and hyphens (7 to 15 of them), or empty; an error otherwise.
fn phone(c: &mut Check, field: &str, s: &str) -> String {
    let t = s.trim();
    let p = crate::hotline::normalise(t);
    if t.is_empty() {
        return String::new();
    }
    if p.len() < 7 || p.len() > 15 || p.len() != t.chars().filter(|c| !c.is_whitespace()).count() {
        c.add(field, Msg::new("电话号码格式不正确", "not a valid phone number"));
    }
    p
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewOrg {
    #[serde(default)]
    pub name: String,
    /// registered | filed | small
    #[serde(default)]
    pub tier: String,
    /// Registered only: social_group | service_org | foundation
    #[serde(default)]
    pub legal_form: String,
    /// Registered only: the unified social credit code.
    #[serde(default)]
    pub uscc: String,
    /// community_service | residents_committee_body | owners_committee | building_self_governance | for_profit
    #[serde(default)]
    pub nature: String,
    /// Carries on profit-making business (§5.13).
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub profit_making: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub is_federation: Option<String>,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub person_in_charge: String,
    /// The person in charge's phone (optional).
    #[serde(default)]
    pub person_phone: String,
    #[serde(default)]
    pub founded_on: String,
    /// A 社会团体's founding members (§5.15): people and organisations.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub people: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub units: Option<String>,
}

fn count(c: &mut Check, field: &str, s: Option<&str>) -> u32 {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s.parse().unwrap_or_else(|_| {
            c.add(field, Msg::new("应为非负整数", "a whole number, not negative"));
            0
        }),
    }
}

/// The district's local settings (§5.15 thresholds, inspection due day, reminder lead).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Settings {
    pub district_code: String,
    pub sg_individuals: i64,
    pub sg_units: i64,
    pub sg_mixed_total: i64,
    /// MM-DD: the inspection of year Y is due on this day of year Y.
    pub inspection_due: String,
    pub reminder_days: i64,
}

impl Settings {
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            individuals: self.sg_individuals.max(0) as u32,
            units: self.sg_units.max(0) as u32,
            mixed_total: self.sg_mixed_total.max(0) as u32,
        }
    }
}

pub async fn settings(db: &Db, district: &str) -> Result<Settings> {
    let s: Option<Settings> = sqlx::query_as("SELECT * FROM org_settings WHERE district_code = $1")
        .bind(district)
        .fetch_optional(&db.pool)
        .await?;
    let d = Thresholds::default();
    Ok(s.unwrap_or(Settings {
        district_code: district.to_string(),
        sg_individuals: d.individuals.into(),
        sg_units: d.units.into(),
        sg_mixed_total: d.mixed_total.into(),
        inspection_due: "05-31".into(),
        reminder_days: 30,
    }))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewSettings {
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub sg_individuals: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub sg_units: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub sg_mixed_total: Option<String>,
    #[serde(default)]
    pub inspection_due: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub reminder_days: Option<String>,
}

/// The district sets its local thresholds (§5.15: configurable) and inspection calendar.
pub async fn set_settings(db: &Db, actor: &str, district: &str, n: NewSettings) -> Result<Settings> {
    let mut c = Check::default();
    let a = count(&mut c, "sg_individuals", n.sg_individuals.as_deref());
    let b = count(&mut c, "sg_units", n.sg_units.as_deref());
    let m = count(&mut c, "sg_mixed_total", n.sg_mixed_total.as_deref());
    let r = count(&mut c, "reminder_days", n.reminder_days.as_deref());
    let due = n.inspection_due.trim().to_string();
    if clock::parse_date(&format!("2025-{due}")).is_none() {
        c.add("inspection_due", Msg::new("年检截止日应为MM-DD", "the due day is MM-DD"));
    }
    c.done()?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM org_settings WHERE district_code = $1").bind(district).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO org_settings (district_code, sg_individuals, sg_units, sg_mixed_total, inspection_due, reminder_days) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(district)
    .bind(i64::from(a))
    .bind(i64::from(b))
    .bind(i64::from(m))
    .bind(&due)
    .bind(i64::from(r))
    .execute(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "orgs.settings",
        "district",
        0,
        (None, district),
        json!({ "thresholds": [a, b, m], "due": due, "reminder_days": r }),
    )
    .await?;
    tx.commit().await?;
    settings(db, district).await
}

/// Register, file or record an organisation in `community` (§5.11–§5.16, §6c).
pub async fn register(db: &Db, actor: &str, community: &str, district: &str, n: NewOrg) -> Result<Org> {
    let mut c = Check::default();
    let name = c.text("name", &n.name, 100, "请填写组织名称", "the organisation's name is required");
    let tier: Option<Tier> = c.word("tier", &n.tier, "请选择登记、备案或社区培育", "choose registered, filed or small");
    let form: Option<LegalForm> = match n.legal_form.trim() {
        "" => None,
        s => c.word("legal_form", s, "请选择社会团体、社会服务机构或基金会", "choose the legal form"),
    };
    let nature = reg::Nature::from_word(n.nature.trim());
    if nature.is_none() {
        c.add("nature", Msg::new("请选择组织性质", "choose what the organisation is"));
    }
    let fields = c.text("fields", &n.fields, 200, "请填写服务领域", "the fields of service are required");
    let person =
        c.text("person_in_charge", &n.person_in_charge, 50, "请填写负责人", "the person in charge is required");
    let person_phone = phone(&mut c, "person_phone", &n.person_phone);
    let founded = c.date("founded_on", &n.founded_on);
    let people = count(&mut c, "people", n.people.as_deref());
    let units = count(&mut c, "units", n.units.as_deref());
    let federation = flag(n.is_federation.as_deref().unwrap_or(""));
    let profit = flag(n.profit_making.as_deref().unwrap_or(""));
    // The rules, each its field's error, all at once.
    if let Some(nature) = nature
        && let Err(m) = reg::rule_5_13_not_excluded(nature, profit)
    {
        c.add("nature", m);
    }
    let uscc_text = Some(n.uscc.trim()).filter(|s| !s.is_empty());
    let mut uscc = None;
    if let Some(t) = tier {
        let (et, ef) = (t.engine(), form.map(LegalForm::engine));
        if let Err(m) = reg::rule_5_11_tier_and_form(et, ef) {
            c.add("legal_form", m);
        }
        if let Err(m) = reg::rule_5_12_code_only_when_registered(et, uscc_text) {
            c.add("uscc", m);
        } else if let (Some(f), Some(code)) = (ef, uscc_text) {
            match reg::rule_5_14_code_matches_form(f, code) {
                Ok(code) => uscc = Some(code),
                Err(m) => c.add("uscc", m),
            }
        }
        let th = settings(db, district).await?.thresholds();
        if let Err(m) = reg::rule_5_15_member_thresholds(th, et, ef, people, units) {
            c.add("people", m);
        }
        if federation && let Err(m) = reg::rule_5_16_federation_is_social_group(et, ef) {
            c.add("is_federation", m);
        }
    }
    c.done()?;
    let (Some(tier), Some(founded)) = (tier, founded) else { return Err(bad("tier", "输入有误", "invalid input")) };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (community_code, district_code, name, tier, legal_form, uscc, is_federation, fields, person_in_charge, founded_on, created_by, created_at, person_phone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(community)
    .bind(district)
    .bind(&name)
    .bind(tier.word())
    .bind(form.map(|f| f.word()))
    .bind(&uscc)
    .bind(i64::from(federation))
    .bind(&fields)
    .bind(&person)
    .bind(founded.to_string())
    .bind(actor)
    .bind(clock::now_text())
    .bind(&person_phone)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| crate::error::unique_violation(&e).unwrap_or(e.into()))?;
    audit_write(
        &mut tx,
        actor,
        "orgs.register",
        "org",
        id,
        (community, district),
        json!({ "name": name, "tier": tier, "form": form, "uscc": uscc, "federation": federation, "people": people, "units": units }),
    )
    .await?;
    tx.commit().await?;
    org(db, id).await
}

pub async fn org(db: &Db, id: i64) -> Result<Org> {
    sqlx::query_as("SELECT * FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The registry in scope, by community and name.
pub async fn orgs(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Org>> {
    crate::sql::scoped(
        db,
        "SELECT * FROM orgs WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY community_code, is_federation DESC, name",
        community,
        district,
    )
    .await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgEdit {
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub person_in_charge: String,
    #[serde(default)]
    pub person_phone: String,
}

/// The organisation (or its community) maintains its record: fields of service and the person in charge.
pub async fn edit(db: &Db, actor: &str, id: i64, n: OrgEdit) -> Result<Org> {
    let o = org(db, id).await?;
    let mut c = Check::default();
    let fields = c.text("fields", &n.fields, 200, "请填写服务领域", "the fields of service are required");
    let person =
        c.text("person_in_charge", &n.person_in_charge, 50, "请填写负责人", "the person in charge is required");
    let person_phone = phone(&mut c, "person_phone", &n.person_phone);
    c.done()?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE orgs SET fields = $1, person_in_charge = $2, person_phone = $3 WHERE id = $4")
        .bind(&fields)
        .bind(&person)
        .bind(&person_phone)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "orgs.edit",
        "org",
        id,
        (&o.community_code, &o.district_code),
        json!({ "fields": fields, "person_in_charge": person }),
    )
    .await?;
    tx.commit().await?;
    org(db, id).await
}
