//! Actions: polling (rules §2.11–§2.13). The community admin, for the election
//! committee, approves proxies, sets up polling stations and mobile boxes with
//! their staff, flags the voters a mobile box serves and names the tellers.
//! The whole module stays locked while the calendar's gaps are unmet (§2.3,
//! §2.9); every rule is the engine's (`election::polling`); a refusal names
//! the rule and changes nothing.

use crate::AppState;
use crate::actions::elections::{date_field, done, names, polling_open};
use crate::error::ApiError;
use crate::policy::Principal;
use crate::scope::load;
use rules::Msg;
use serde::Deserialize;
use store::clock;
use store::elections::polling::{self as pol, Duty, MobileReason, ProxyEntry, ProxyLine, Station, Teller};
use store::elections::{BoxKind, Election};
use store::typed::Word;

/// Loaded, in scope, and open for polling.
async fn open(state: &AppState, me: &Principal, id: i64) -> Result<Election, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    polling_open(&e)?;
    Ok(e)
}

fn truthy(v: &Option<String>) -> bool {
    matches!(v.as_deref().map(str::trim), Some("true" | "on" | "1" | "是" | "yes"))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Proxy {
    /// The voter who cannot come, as on the roll.
    #[serde(default)]
    pub principal: String,
    /// The voter who votes for them, as on the roll.
    #[serde(default)]
    pub proxy: String,
    /// The date of the written authorisation (empty: none handed in).
    #[serde(default)]
    pub written_on: String,
    /// The day the election committee approved it (default today).
    #[serde(default)]
    pub approved_on: String,
    /// The two are close relatives (a checkbox, or true/false).
    #[serde(default, deserialize_with = "store::deliberation::loose")]
    pub close_relatives: Option<String>,
}

/// §2.11: a proxy, written and approved, at most 3 per proxy (the ruleset's figure).
pub async fn add_proxy(state: &AppState, me: &Principal, id: i64, cmd: Proxy) -> Result<ProxyLine, ApiError> {
    let e = open(state, me, id).await?;
    let mut errs = Vec::new();
    let (principal, proxy) = (cmd.principal.trim(), cmd.proxy.trim());
    if principal.is_empty() {
        errs.push(("principal".into(), Msg::new("请填写委托人姓名", "name the voter who gives the proxy")));
    }
    if proxy.is_empty() {
        errs.push(("proxy".into(), Msg::new("请填写受托人姓名", "name the proxy")));
    }
    let written_on = if cmd.written_on.trim().is_empty() {
        None
    } else {
        date_field(&cmd.written_on, "written_on", None, &mut errs)
    };
    let today = clock::today();
    let approved_on = date_field(&cmd.approved_on, "approved_on", Some(today), &mut errs);
    if approved_on.is_some_and(|d| d > today) {
        errs.push(("approved_on".into(), Msg::new("同意日期不能晚于今天", "the day cannot be in the future")));
    }
    done(errs)?;
    let entry = ProxyEntry {
        principal: principal.to_string(),
        proxy: proxy.to_string(),
        written_on,
        approved_on: approved_on.unwrap_or(today),
        close_relatives: truthy(&cmd.close_relatives),
    };
    Ok(pol::add_proxy(&state.db, &me.actor(), &e, &entry).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewStation {
    #[serde(default)]
    pub name: String,
    /// station | mobile
    #[serde(default)]
    pub kind: String,
    /// The staff's names, a list or one a line.
    #[serde(default, deserialize_with = "names")]
    pub staff: Vec<String>,
}

/// §2.12: a polling station or a mobile box, each with at least 3 staff.
pub async fn add_station(state: &AppState, me: &Principal, id: i64, cmd: NewStation) -> Result<Station, ApiError> {
    let e = open(state, me, id).await?;
    let mut errs = Vec::new();
    let name = cmd.name.trim();
    if name.is_empty() {
        errs.push(("name".into(), Msg::new("请填写投票站或流动票箱名称", "name the station or box")));
    }
    let kind = if cmd.kind.trim().is_empty() { Ok(BoxKind::Station) } else { BoxKind::from_word(cmd.kind.trim()) };
    if kind.is_err() {
        errs.push(("kind".into(), Msg::new("请选择投票站或流动票箱", "choose a station or a mobile box")));
    }
    done(errs)?;
    Ok(pol::add_station(&state.db, &me.actor(), &e, name, kind.unwrap_or(BoxKind::Station), &cmd.staff).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MobileVoter {
    /// The mobile box's name.
    #[serde(default, rename = "box")]
    pub box_name: String,
    /// The voter, as on the roll.
    #[serde(default)]
    pub voter: String,
    /// ill | elderly | disabled (empty: no reason, refused by rule 2.12)
    #[serde(default)]
    pub reason: String,
}

/// §2.12: a voter a mobile box serves, flagged ill, elderly or disabled.
pub async fn flag_mobile_voter(state: &AppState, me: &Principal, id: i64, cmd: MobileVoter) -> Result<(), ApiError> {
    let e = open(state, me, id).await?;
    let mut errs = Vec::new();
    if cmd.voter.trim().is_empty() {
        errs.push(("voter".into(), Msg::new("请填写选民姓名", "name the voter")));
    }
    let reason = match cmd.reason.trim() {
        "" => None,
        r => match MobileReason::from_word(r) {
            Ok(r) => Some(r),
            Err(_) => {
                errs.push((
                    "reason".into(),
                    Msg::new("原因应为因病、年老或残疾", "the reason is ill, elderly or disabled"),
                ));
                None
            }
        },
    };
    done(errs)?;
    Ok(pol::flag_mobile_voter(&state.db, &me.actor(), &e, cmd.box_name.trim(), cmd.voter.trim(), reason).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTeller {
    #[serde(default)]
    pub name: String,
    /// scrutineer (监票人) | counter (计票人) | caller (唱票人)
    #[serde(default)]
    pub duty: String,
    /// The close relatives the teller declares, a list or one a line; checked against the candidates.
    #[serde(default, deserialize_with = "names")]
    pub relatives: Vec<String>,
}

/// §2.13: a teller who is neither a candidate nor a candidate's close relative.
pub async fn add_teller(state: &AppState, me: &Principal, id: i64, cmd: NewTeller) -> Result<Teller, ApiError> {
    let e = open(state, me, id).await?;
    let mut errs = Vec::new();
    let name = cmd.name.trim();
    if name.is_empty() {
        errs.push(("name".into(), Msg::new("请填写姓名", "give the name")));
    }
    let duty = Duty::from_word(cmd.duty.trim());
    if duty.is_err() {
        errs.push(("duty".into(), Msg::new("请选择监票人、计票人或唱票人", "choose scrutineer, counter or caller")));
    }
    done(errs)?;
    Ok(pol::add_teller(&state.db, &me.actor(), &e, name, duty.unwrap_or(Duty::Scrutineer), &cmd.relatives).await?)
}
