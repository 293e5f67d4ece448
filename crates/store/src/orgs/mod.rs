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

mod federation;
mod inspections;
mod purchases;
mod service;

pub use federation::*;
pub use inspections::*;
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
        "INSERT INTO orgs (community_code, district_code, name, tier, legal_form, uscc, is_federation, fields, person_in_charge, founded_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
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
}

/// The organisation (or its community) maintains its record: fields of service and the person in charge.
pub async fn edit(db: &Db, actor: &str, id: i64, n: OrgEdit) -> Result<Org> {
    let o = org(db, id).await?;
    let mut c = Check::default();
    let fields = c.text("fields", &n.fields, 200, "请填写服务领域", "the fields of service are required");
    let person =
        c.text("person_in_charge", &n.person_in_charge, 50, "请填写负责人", "the person in charge is required");
    c.done()?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE orgs SET fields = $1, person_in_charge = $2 WHERE id = $3")
        .bind(&fields)
        .bind(&person)
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

// ----- members and activities -------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub org_id: i64,
    pub member_org_id: Option<i64>,
    /// A person's name (shown only to the organisation and its community).
    pub person: Option<String>,
    pub post: String,
    pub joined_on: String,
    pub created_by: String,
    pub created_at: String,
    pub member_org_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewMember {
    /// An organisation joining (its id); or else `person`.
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub member_org_id: Option<String>,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub joined_on: String,
}

/// A person or an organisation (of the same district) joins `org_id`; a federation takes
/// organisations only (§5.16) and nobody joins itself.
pub async fn add_member(db: &Db, actor: &str, org_id: i64, n: NewMember) -> Result<Member> {
    let o = org(db, org_id).await?;
    let mut c = Check::default();
    let mid = n.member_org_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let member = match mid {
        Some(s) => c.id("member_org_id", s, "请选择成员组织", "choose the member organisation"),
        None => None,
    };
    let person = n.person.trim().to_string();
    if member.is_none() && mid.is_none() && person.is_empty() {
        c.add("person", Msg::new("请填写成员姓名或选择成员组织", "name a person or choose an organisation"));
    }
    if person.chars().count() > 50 {
        c.add("person", Msg::new("不能超过50字", "at most 50 characters"));
    }
    let joined = c.date("joined_on", &n.joined_on);
    if o.is_federation == 1
        && mid.is_none()
        && let Err(m) = reg::rule_5_16_federation_members_are_organisations(false)
    {
        c.add("person", m);
    }
    c.done()?;
    if let Some(m) = member {
        let mo = org(db, m)
            .await
            .map_err(|_| bad("member_org_id", "本区没有该组织", "no such organisation in this district"))?;
        if mo.district_code != o.district_code {
            return Err(bad("member_org_id", "本区没有该组织", "no such organisation in this district"));
        }
        if mo.id == o.id {
            return Err(bad("member_org_id", "组织不能加入自身", "an organisation cannot join itself"));
        }
    }
    let person = if member.is_some() { None } else { Some(person) };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_members (org_id, member_org_id, person, post, joined_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org_id)
    .bind(member)
    .bind(&person)
    .bind(n.post.trim())
    .bind(joined.map(|d| d.to_string()).unwrap_or_default())
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => bad("member_org_id", "该组织已是成员", "this organisation is already a member"),
        None => e.into(),
    })?;
    audit_write(
        &mut tx,
        actor,
        "orgs.member",
        "org",
        org_id,
        (&o.community_code, &o.district_code),
        json!({ "member": id, "org": member }),
    )
    .await?;
    tx.commit().await?;
    members(db, org_id).await?.into_iter().find(|m| m.id == id).ok_or(StoreError::NotFound)
}

pub async fn members(db: &Db, org_id: i64) -> Result<Vec<Member>> {
    Ok(sqlx::query_as(
        "SELECT m.*, o.name AS member_org_name FROM org_members m LEFT JOIN orgs o ON o.id = m.member_org_id \
         WHERE m.org_id = $1 ORDER BY m.member_org_id IS NULL, m.id",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub org_id: i64,
    pub community_code: String,
    pub district_code: String,
    pub held_on: String,
    pub title: String,
    pub participants: i64,
    pub hours: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewActivity {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub participants: Option<String>,
    #[serde(default, deserialize_with = "crate::deliberation::loose")]
    pub hours: Option<String>,
}

pub async fn add_activity(db: &Db, actor: &str, org_id: i64, n: NewActivity) -> Result<Activity> {
    let o = org(db, org_id).await?;
    let mut c = Check::default();
    let held = c.date("held_on", &n.held_on);
    let title = c.text("title", &n.title, 100, "请填写活动名称", "the activity's title is required");
    let participants = count(&mut c, "participants", n.participants.as_deref());
    let hours = count(&mut c, "hours", n.hours.as_deref());
    c.done()?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_activities (org_id, community_code, district_code, held_on, title, participants, hours, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org_id)
    .bind(&o.community_code)
    .bind(&o.district_code)
    .bind(held.map(|d| d.to_string()).unwrap_or_default())
    .bind(&title)
    .bind(i64::from(participants))
    .bind(i64::from(hours))
    .bind(actor)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "orgs.activity",
        "org",
        org_id,
        (&o.community_code, &o.district_code),
        json!({ "activity": id, "title": title }),
    )
    .await?;
    tx.commit().await?;
    Ok(sqlx::query_as("SELECT * FROM org_activities WHERE id = $1").bind(id).fetch_one(&db.pool).await?)
}

pub async fn activities(db: &Db, org_id: i64) -> Result<Vec<Activity>> {
    Ok(sqlx::query_as("SELECT * FROM org_activities WHERE org_id = $1 ORDER BY held_on DESC, id DESC LIMIT 500")
        .bind(org_id)
        .fetch_all(&db.pool)
        .await?)
}

// ----- an organisation's own log-in ---------------------------------------------------

/// The organisation an `organisation` log-in acts for, if bound.
pub async fn account_org(db: &Db, username: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT org_id FROM org_accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAccount {
    #[serde(default)]
    pub username: String,
}

/// Bind an `organisation` log-in of the organisation's community to it.
pub async fn bind_account(db: &Db, actor: &str, org_id: i64, n: NewAccount) -> Result<Org> {
    let o = org(db, org_id).await?;
    let username = n.username.trim().to_string();
    let user: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT role, community_code FROM users WHERE username = $1")
            .bind(&username)
            .fetch_optional(&db.pool)
            .await?;
    match user {
        Some((role, Some(uc))) if role == crate::users::Role::Organisation.as_str() && uc == o.community_code => {}
        _ => {
            return Err(bad(
                "username",
                "本社区没有该社会组织账号",
                "no organisation account of that name in this community",
            ));
        }
    }
    if account_org(db, &username).await?.is_some() {
        return Err(refused(
            "username",
            Msg::new("该账号已绑定某个组织", "this account already acts for an organisation"),
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO org_accounts (username, org_id) VALUES ($1, $2)")
        .bind(&username)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "orgs.account",
        "org",
        org_id,
        (&o.community_code, &o.district_code),
        json!({ "username": username }),
    )
    .await?;
    tx.commit().await?;
    Ok(o)
}
