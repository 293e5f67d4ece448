//! Actions: nomination (rules §2.6, §2.7, §2.10). The community admin (for the
//! election committee) records its members, each joint nomination with its
//! signers from the published roll (or a residents' group's nomination), or the
//! open nomination's (海选) count, which publishes the formal candidates;
//! members named formal candidates leave the committee as the list is published.

use std::collections::BTreeMap;

use crate::AppState;
use crate::actions::elections::{Num, POSTS, date_field, done, names, num};
use crate::error::ApiError;
use crate::policy::Principal;
use crate::scope::load;
use rules::Msg;
use serde::Deserialize;
use store::clock;
use store::elections::nomination::{self as nom, By, CommitteeMember, NominationRow};
use store::elections::{self as el, Election};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Members {
    /// Names, a list or one a line.
    #[serde(default, deserialize_with = "names")]
    pub names: Vec<String>,
}

/// Add members to the election committee.
pub async fn add_members(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: Members,
) -> Result<Vec<CommitteeMember>, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    if cmd.names.is_empty() {
        return Err(ApiError::invalid("names", "请填写成员姓名", "give the members' names"));
    }
    Ok(nom::add_members(&state.db, &me.actor(), &e, &cmd.names).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Nominate {
    /// 主任 | 副主任 | 委员
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub candidate: String,
    /// voters (jointly signed) | group (a residents' group as a body)
    #[serde(default)]
    pub by: String,
    /// The signing voters' names as on the roll, a list or one a line.
    #[serde(default, deserialize_with = "names")]
    pub signers: Vec<String>,
    #[serde(default)]
    pub group: String,
}

/// §2.6: a joint nomination (10 voters by default, the per-voter cap) or a group's.
pub async fn nominate(state: &AppState, me: &Principal, id: i64, cmd: Nominate) -> Result<NominationRow, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let posts = el::posts(&state.db, e.id).await?;
    let mut errs = Vec::new();
    let post = cmd.post.trim();
    if !posts.iter().any(|p| p.post == post) {
        errs.push(("post".into(), Msg::new("请选择本次选举的职务", "choose a post of this election")));
    }
    let candidate = cmd.candidate.trim();
    if candidate.is_empty() {
        errs.push(("candidate".into(), Msg::new("请填写被提名人姓名", "name the nominee")));
    }
    let by = match cmd.by.trim() {
        "" | "voters" => By::Voters(cmd.signers.clone()),
        "group" if !cmd.group.trim().is_empty() => By::Group(cmd.group.trim().to_string()),
        "group" => {
            errs.push(("group".into(), Msg::new("请填写提名的居民小组", "name the residents' group")));
            By::Group(String::new())
        }
        _ => {
            errs.push(("by".into(), Msg::new("提名方式无效", "unknown way of nominating")));
            By::Voters(Vec::new())
        }
    };
    done(errs)?;
    Ok(nom::nominate(&state.db, &me.actor(), &e, post, candidate, &by).await?)
}

/// Votes per name: a JSON object, or text with a line per name (`name votes`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Votes {
    Map(BTreeMap<String, Num>),
    Text(String),
}

fn votes_of(v: Option<&Votes>, field: &str, errs: &mut Vec<(String, Msg)>) -> Vec<(String, u64)> {
    let pairs: Vec<(String, Num)> = match v {
        None => Vec::new(),
        Some(Votes::Map(m)) => m.iter().map(|(k, v)| (k.trim().to_string(), v.clone())).collect(),
        Some(Votes::Text(t)) => t
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, n) = l.rsplit_once([' ', ',', '，', '\t']).unwrap_or((l, ""));
                (name.trim().to_string(), Num::S(n.trim().to_string()))
            })
            .collect(),
    };
    pairs.into_iter().filter(|(n, _)| !n.is_empty()).map(|(n, v)| (n, num(Some(&v), field, errs))).collect()
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenNomination {
    #[serde(default)]
    pub published_on: String,
    /// Voters who took part in the 海选.
    #[serde(default)]
    pub took_part: Option<Num>,
    #[serde(default)]
    pub director: Option<Votes>,
    #[serde(default)]
    pub deputy: Option<Votes>,
    #[serde(default)]
    pub member: Option<Votes>,
}

/// §2.7: the 海选's count per post; the top names become the formal candidates, published.
pub async fn open_nomination(
    state: &AppState,
    me: &Principal,
    id: i64,
    cmd: OpenNomination,
) -> Result<Vec<(String, Vec<String>)>, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let today = clock::today();
    let d = date_field(&cmd.published_on, "published_on", Some(today), &mut errs);
    if d.is_some_and(|d| d > today) {
        errs.push(("published_on".into(), Msg::new("公布日期不能晚于今天", "the day cannot be in the future")));
    }
    let took_part = num(cmd.took_part.as_ref(), "took_part", &mut errs);
    let votes: Vec<(String, Vec<(String, u64)>)> = POSTS
        .iter()
        .map(|(p, f)| {
            let v = match *f {
                "director" => cmd.director.as_ref(),
                "deputy" => cmd.deputy.as_ref(),
                _ => cmd.member.as_ref(),
            };
            (p.zh().to_string(), votes_of(v, f, &mut errs))
        })
        .collect();
    done(errs)?;
    Ok(nom::open_nomination(&state.db, &me.actor(), &e, took_part, &votes, d.unwrap_or(today)).await?)
}
