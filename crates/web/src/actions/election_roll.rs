//! Actions: the roll after publication (rules §2.4, §2.5). The community admin
//! (for the election committee) records objections to the roll and decides them;
//! community staff record a voter's notice that they cannot return.

use crate::AppState;
use crate::actions::elections::{date_field, done};
use crate::error::ApiError;
use crate::policy::Principal;
use crate::scope::load;
use rules::Msg;
use serde::Deserialize;
use store::clock;
use store::elections::Election;
use store::elections::objections::{self as obj, Claim, NewObjection, Notice, Objection};
use store::typed::Word;

fn required(v: &str, field: &str, zh: &str, en: &str, errs: &mut Vec<(String, Msg)>) -> String {
    let v = v.trim();
    if v.is_empty() {
        errs.push((field.into(), Msg::new(zh, en)));
    }
    v.to_string()
}

fn not_future(d: Option<time::Date>, field: &str, errs: &mut Vec<(String, Msg)>) {
    if d.is_some_and(|d| d > clock::today()) {
        errs.push((field.into(), Msg::new("日期不能晚于今天", "the day cannot be in the future")));
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FileObjection {
    #[serde(default)]
    pub filed_on: String,
    #[serde(default)]
    pub objector: String,
    /// The person the objection is about.
    #[serde(default)]
    pub subject: String,
    /// omitted | wrongly_listed
    #[serde(default)]
    pub claim: String,
    #[serde(default)]
    pub grounds: String,
}

/// §2.4: an objection to the published roll, inside the window.
pub async fn file_objection(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: FileObjection,
) -> Result<Objection, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let filed_on = date_field(&cmd.filed_on, "filed_on", Some(clock::today()), &mut errs);
    not_future(filed_on, "filed_on", &mut errs);
    let objector = required(&cmd.objector, "objector", "请填写申诉人", "name the objector", &mut errs);
    let subject = required(&cmd.subject, "subject", "请填写申诉涉及的人", "name the person concerned", &mut errs);
    let grounds = required(&cmd.grounds, "grounds", "请写明申诉理由", "give the grounds", &mut errs);
    let claim = Claim::from_word(cmd.claim.trim()).map_err(|_| {
        errs.push(("claim".into(), Msg::new("请选择申诉事项：漏登或错登", "choose: omitted or wrongly listed")))
    });
    done(errs)?;
    let (Some(filed_on), Ok(claim)) = (filed_on, claim) else { return Err(ApiError::fields([])) };
    let o = NewObjection { filed_on, objector, subject, claim, grounds };
    Ok(obj::file_objection(&state.db, &me.actor(), &e, &o).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecideObjection {
    #[serde(default)]
    pub decided_on: String,
    /// 1 / true / on: the objection is upheld.
    #[serde(default)]
    pub upheld: Option<serde_json::Value>,
    #[serde(default)]
    pub decision: String,
}

/// §2.4: the election committee's decision on an objection.
pub async fn decide_objection(
    state: &AppState,
    me: &Principal,
    id: i64,
    objection: i64,
    cmd: DecideObjection,
) -> Result<Objection, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let d = date_field(&cmd.decided_on, "decided_on", Some(clock::today()), &mut errs);
    not_future(d, "decided_on", &mut errs);
    let decision = required(&cmd.decision, "decision", "请写明处理决定", "state the decision", &mut errs);
    let upheld = match &cmd.upheld {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
        Some(serde_json::Value::String(s)) => matches!(s.trim(), "1" | "true" | "on"),
        _ => false,
    };
    done(errs)?;
    let d = d.unwrap_or_else(clock::today);
    Ok(obj::decide_objection(&state.db, &me.actor(), &e, objection, d, upheld, &decision).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AbsenceNotice {
    /// The voter's name as on the roll.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub notified_on: String,
}

/// §2.5: a voter's notice that they cannot return on election day.
pub async fn add_notice(state: &AppState, me: &Principal, id: i64, cmd: AbsenceNotice) -> Result<Notice, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let d = date_field(&cmd.notified_on, "notified_on", Some(clock::today()), &mut errs);
    not_future(d, "notified_on", &mut errs);
    let name = required(&cmd.name, "name", "请填写选民姓名", "name the voter", &mut errs);
    done(errs)?;
    Ok(obj::add_notice(&state.db, &me.actor(), &e, &name, d.unwrap_or_else(clock::today)).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Application {
    /// The resident's name as in the registry.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub applied_on: String,
    /// 1 / true / on: the committee approves.
    #[serde(default)]
    pub approved: Option<serde_json::Value>,
    #[serde(default)]
    pub decided_on: String,
}

/// §2.1(c): a resident without 户籍 applies to register; the committee's decision.
pub async fn apply(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: Application,
) -> Result<store::elections::roll::Application, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let a = date_field(&cmd.applied_on, "applied_on", Some(clock::today()), &mut errs);
    not_future(a, "applied_on", &mut errs);
    let d = date_field(&cmd.decided_on, "decided_on", Some(clock::today()), &mut errs);
    not_future(d, "decided_on", &mut errs);
    let name = required(&cmd.name, "name", "请填写申请人姓名", "name the applicant", &mut errs);
    let approved = match &cmd.approved {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
        Some(serde_json::Value::String(s)) => matches!(s.trim(), "1" | "true" | "on"),
        _ => false,
    };
    done(errs)?;
    let (a, d) = (a.unwrap_or_else(clock::today), d.unwrap_or_else(clock::today));
    Ok(store::elections::roll::apply(&state.db, &me.actor(), &e, &name, a, approved, d).await?)
}
