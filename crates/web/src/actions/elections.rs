//! Actions: direct elections of residents' committees (rules §1.1, §1.4–§1.5,
//! §2). The community admin (for the election committee) opens an election,
//! publishes the voter roll built from the registry and the formal
//! candidates; the front desk enters each box's tally sheet at the counting
//! desk; the admin counts the round and seats the new committee. Every rule
//! is the `election` engine's; a refusal names the rule and changes nothing.

use std::collections::BTreeMap;

use crate::AppState;
use crate::error::ApiError;
use crate::policy::{Principal, own_community};
use crate::scope::load;
use election::sheet::PostSheet;
use rules::Msg;
use rules::committee::Post;
use serde::{Deserialize, Deserializer};
use store::clock;
use store::elections::{self as el, BallotBox, BoxEntry, BoxKind, Election, ElectionMode, ElectionSpec, RollReport};
use store::structure::Community;
use store::typed::Word;
use time::Date;

/// The posts of a committee in ballot order, with the field each is named by.
pub const POSTS: [(Post, &str); 3] =
    [(Post::Director, "director"), (Post::DeputyDirector, "deputy"), (Post::Member, "member")];

/// A number from a form (text) or JSON (a number or text).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Num {
    N(i64),
    S(String),
}

impl Default for Num {
    fn default() -> Num {
        Num::S(String::new())
    }
}

pub(crate) fn num(v: Option<&Num>, field: &str, errs: &mut Vec<(String, Msg)>) -> u64 {
    let parsed = match v {
        None => Some(0),
        Some(Num::N(n)) => u64::try_from(*n).ok(),
        Some(Num::S(s)) if s.trim().is_empty() => Some(0),
        Some(Num::S(s)) => s.trim().parse::<u64>().ok(),
    };
    parsed.unwrap_or_else(|| {
        errs.push((field.into(), Msg::new("请填写不小于0的整数", "a whole number, 0 or more")));
        0
    })
}

/// Names from a list, or from text with one name a line (or separated by 、，,).
pub(crate) fn names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Names {
        L(Vec<String>),
        S(String),
    }
    let list = match Option::<Names>::deserialize(d)? {
        None => Vec::new(),
        Some(Names::L(l)) => l,
        Some(Names::S(s)) => s.split(['\n', '、', '，', ',']).map(str::to_string).collect(),
    };
    Ok(list.into_iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect())
}

pub(crate) fn date_field(v: &str, field: &str, default: Option<Date>, errs: &mut Vec<(String, Msg)>) -> Option<Date> {
    if v.trim().is_empty() && default.is_some() {
        return default;
    }
    let d = clock::parse_date(v.trim());
    if d.is_none() {
        errs.push((field.into(), Msg::new("日期格式应为YYYY-MM-DD", "a date as YYYY-MM-DD")));
    }
    d
}

pub(crate) fn done(errs: Vec<(String, Msg)>) -> Result<(), ApiError> {
    if errs.is_empty() { Ok(()) } else { Err(ApiError::fields(errs)) }
}

/// §2.3, §2.9: polling (the tally sheets and the count) is locked while a gap is unmet.
pub(crate) fn polling_open(e: &Election) -> Result<(), ApiError> {
    done(e.locked().into_iter().map(|m| ("calendar".to_string(), m)).collect())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewElection {
    /// direct_all_voters (default) | household_representatives | group_representatives (rule 1.5)
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub election_day: String,
    /// Seats per post.
    #[serde(default)]
    pub director: Option<Num>,
    #[serde(default)]
    pub deputy: Option<Num>,
    #[serde(default)]
    pub member: Option<Num>,
}

/// Open an election in the admin's own community (§1.1 seats by the engine).
pub async fn create(state: &AppState, me: &Principal, cmd: NewElection) -> Result<Election, ApiError> {
    let c = load::<Community>(state, me, own_community(me)?.to_string()).await?;
    let mut errs = Vec::new();
    let mode = if cmd.mode.trim().is_empty() { "direct_all_voters" } else { cmd.mode.trim() };
    let mode = match ElectionMode::from_word(mode) {
        Ok(m) => Some(m),
        Err(_) => {
            errs.push(("mode".into(), Msg::new("选举方式无效", "unknown election mode")));
            None
        }
    };
    let day = date_field(&cmd.election_day, "election_day", None, &mut errs);
    let seats: Vec<(Post, u32)> = POSTS
        .iter()
        .map(|(p, f)| {
            let v = match *f {
                "director" => cmd.director.as_ref(),
                "deputy" => cmd.deputy.as_ref(),
                _ => cmd.member.as_ref(),
            };
            (*p, u32::try_from(num(v, f, &mut errs)).unwrap_or(u32::MAX))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    if let Err(m) = election::committee::check_seats(&seats) {
        errs.push(("seats".into(), m));
    }
    done(errs)?;
    let (Some(mode), Some(election_day)) = (mode, day) else { return Err(ApiError::fields([])) };
    Ok(el::create(&state.db, &me.actor(), &c, &ElectionSpec { mode, election_day, seats }, false).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishRoll {
    /// The day the roll was posted (default: today).
    #[serde(default)]
    pub published_on: String,
    /// Group representatives only (§1.5): per residents' group its 2 or 3
    /// representatives — an object of lists, or text with a line per group
    /// (`第一居民小组：张三、李四`).
    #[serde(default)]
    pub representatives: Option<Representatives>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Representatives {
    Map(BTreeMap<String, Vec<String>>),
    Text(String),
}

/// (group, name) pairs, in the order given.
fn representatives(r: Option<&Representatives>) -> Vec<(String, String)> {
    let split = |names: &str| -> Vec<String> {
        names.split(['、', '，', ',', ' ', '\t']).map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
    };
    let pairs: Vec<(String, Vec<String>)> = match r {
        None => Vec::new(),
        Some(Representatives::Map(m)) => m.iter().map(|(g, ns)| (g.trim().to_string(), ns.clone())).collect(),
        Some(Representatives::Text(t)) => t
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (g, ns) = l.split_once(['：', ':']).unwrap_or((l, ""));
                (g.trim().to_string(), split(ns))
            })
            .collect(),
    };
    pairs
        .into_iter()
        .flat_map(|(g, ns)| ns.into_iter().map(move |n| (g.clone(), n.trim().to_string())))
        .filter(|(_, n)| !n.is_empty())
        .collect()
}

fn published_on(v: &str, e: &Election, errs: &mut Vec<(String, Msg)>) -> Option<Date> {
    let today = clock::today();
    let d = date_field(v, "published_on", Some(today), errs)?;
    if d > today {
        errs.push((
            "published_on".into(),
            Msg::new("公布日期不能晚于今天", "the day published cannot be in the future"),
        ));
    }
    if e.day().is_some_and(|day| d > day) {
        errs.push((
            "published_on".into(),
            Msg::new("公布日期不能晚于选举日", "the day published cannot be after election day"),
        ));
    }
    Some(d)
}

/// Build the roll from the registry (§1.4, §2.1, §2.2) and publish it (§2.3).
pub async fn publish_roll(state: &AppState, me: &Principal, id: i64, cmd: PublishRoll) -> Result<RollReport, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let mut errs = Vec::new();
    let d = published_on(&cmd.published_on, &e, &mut errs);
    let reps = representatives(cmd.representatives.as_ref());
    if e.mode == ElectionMode::GroupRepresentatives && reps.is_empty() {
        errs.push((
            "representatives".into(),
            Msg::new(
                "居民小组代表选举：请填写每个居民小组推选的二至三名代表（规则1.5）",
                "group representatives: give each residents' group's 2 or 3 representatives (rule 1.5)",
            ),
        ));
    }
    done(errs)?;
    Ok(el::publish_roll_with(&state.db, &me.actor(), &e, d.unwrap_or_else(clock::today), &reps).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Candidates {
    #[serde(default)]
    pub published_on: String,
    #[serde(default, deserialize_with = "names")]
    pub director: Vec<String>,
    #[serde(default, deserialize_with = "names")]
    pub deputy: Vec<String>,
    #[serde(default, deserialize_with = "names")]
    pub member: Vec<String>,
    /// The candidates above who do not live in the community (hired community workers, rule 2.21).
    #[serde(default, deserialize_with = "names")]
    pub elsewhere: Vec<String>,
}

/// §2.8–§2.9: the formal candidates of every post, each list within the 差额 bounds.
pub async fn set_candidates(state: &AppState, me: &Principal, id: i64, cmd: Candidates) -> Result<(), ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let posts = el::posts(&state.db, e.id).await?;
    let mut errs = Vec::new();
    let d = published_on(&cmd.published_on, &e, &mut errs);
    let rs = election::Ruleset::default();
    let mut lists = Vec::new();
    for (p, field) in POSTS {
        let given = match field {
            "director" => &cmd.director,
            "deputy" => &cmd.deputy,
            _ => &cmd.member,
        };
        let Some(seats) = posts.iter().find(|s| s.post == p.zh()) else {
            if !given.is_empty() {
                errs.push((
                    field.into(),
                    Msg::new(format!("本次选举没有“{}”职务", p.zh()), "this election has no such post"),
                ));
            }
            continue;
        };
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = given.iter().find(|n| !seen.insert(n.as_str())) {
            errs.push((
                field.into(),
                Msg::new(format!("候选人“{dup}”重复"), format!("candidate {dup} is listed twice")),
            ));
        }
        if let Err(m) = election::nomination::check_list_size(&rs, p.zh(), seats.seats as u32, given.len(), false) {
            errs.push((field.into(), m));
        }
        lists.push((p.zh().to_string(), given.clone()));
    }
    if let Some(stranger) = cmd.elsewhere.iter().find(|n| !lists.iter().any(|(_, names)| names.contains(n))) {
        errs.push((
            "elsewhere".into(),
            Msg::new(format!("“{stranger}”不在正式候选人名单中"), format!("{stranger} is not among the candidates")),
        ));
    }
    done(errs)?;
    Ok(el::set_candidates(&state.db, &me.actor(), &e, &lists, &cmd.elsewhere, d.unwrap_or_else(clock::today)).await?)
}

/// One post's figures on a tally sheet.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PostFigures {
    /// Votes per name: candidates and write-ins.
    #[serde(default)]
    pub votes: BTreeMap<String, Num>,
    #[serde(default)]
    pub invalid: Option<Num>,
    #[serde(default)]
    pub blank: Option<Num>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TallySheet {
    /// The box: 第一投票站, 流动票箱一 …
    #[serde(default)]
    pub name: String,
    /// station | mobile
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub issued: Option<Num>,
    #[serde(default)]
    pub returned: Option<Num>,
    /// Record a box that returned more ballots than it issued: the round will be invalid (§2.15).
    #[serde(default)]
    pub confirm_over: Option<Num>,
    /// Per post (主任, 副主任, 委员): the figures.
    #[serde(default)]
    pub posts: BTreeMap<String, PostFigures>,
}

/// A box's tally sheet at the counting desk: polling open (§2.3, §2.9), on
/// or after election day, returned ≤ issued unless confirmed (§2.15), and
/// figures some set of ballots could give (§2.16).
pub async fn enter_box(state: &AppState, me: &Principal, id: i64, cmd: TallySheet) -> Result<BallotBox, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    polling_open(&e)?;
    if e.day().is_some_and(|d| clock::today() < d) {
        return Err(ApiError::invalid(
            "name",
            "选举日之前不能录入计票单",
            "tally sheets are entered from election day on",
        ));
    }
    let posts = el::posts(&state.db, e.id).await?;
    let entry = checked_sheet(&posts, cmd)?;
    Ok(el::enter_box(&state.db, &me.actor(), &e, &entry).await?)
}

/// A tally sheet for a ballot with these posts: returned ≤ issued unless
/// confirmed (§2.15), figures some set of ballots could give (§2.16), every
/// field error at once.
pub(crate) fn checked_sheet(posts: &[el::PostSeats], cmd: TallySheet) -> Result<BoxEntry, ApiError> {
    let mut errs = Vec::new();
    let name = cmd.name.trim().to_string();
    if name.is_empty() {
        errs.push(("name".into(), Msg::new("请填写票箱名称", "name the box")));
    }
    let kind = if cmd.kind.trim().is_empty() { "station" } else { cmd.kind.trim() };
    let kind = BoxKind::from_word(kind).unwrap_or_else(|_| {
        errs.push(("kind".into(), Msg::new("票箱类型无效", "unknown box kind")));
        BoxKind::Station
    });
    let issued = num(cmd.issued.as_ref(), "issued", &mut errs);
    let returned = num(cmd.returned.as_ref(), "returned", &mut errs);
    let confirmed = matches!(&cmd.confirm_over, Some(Num::N(1)))
        || matches!(&cmd.confirm_over, Some(Num::S(s)) if matches!(s.trim(), "1" | "true" | "on"));
    if let (false, Err(m)) = (confirmed, election::sheet::check_box(&name, issued, returned)) {
        errs.push(("returned".into(), m));
    }
    if let Some(other) = cmd.posts.keys().find(|k| !posts.iter().any(|p| &p.post == *k)) {
        errs.push((
            "posts".into(),
            Msg::new(format!("本轮没有“{other}”职务"), format!("this ballot has no post {other}")),
        ));
    }
    let mut sheets = Vec::new();
    for p in posts {
        let f = cmd.posts.get(&p.post).cloned().unwrap_or_default();
        let field = |x: &str| format!("posts.{}.{x}", p.post);
        let votes: Vec<(String, u64)> = f
            .votes
            .iter()
            .filter(|(n, _)| !n.trim().is_empty())
            .map(|(n, v)| (n.trim().to_string(), num(Some(v), &field("votes"), &mut errs)))
            .filter(|(_, v)| *v > 0)
            .collect();
        let invalid = num(f.invalid.as_ref(), &field("invalid"), &mut errs);
        let blank = num(f.blank.as_ref(), &field("blank"), &mut errs);
        sheets.push(PostSheet { post: p.post.clone(), seats: p.seats as u32, votes, invalid, blank });
    }
    done(errs)?;
    election::sheet::ballots(returned, &sheets).map_err(|m| ApiError::Invalid { field: "posts".into(), msg: m })?;
    Ok(BoxEntry { name, kind, issued, returned, posts: sheets })
}

/// Count the round (§2.12, §2.14–§2.17) once polling is open.
pub async fn count(state: &AppState, me: &Principal, id: i64) -> Result<election::Outcome, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    polling_open(&e)?;
    Ok(el::count(&state.db, &me.actor(), &e).await?)
}

/// Seat the new residents' committee from the counted round (§1.1, §1.3, §2.18).
pub async fn seat(state: &AppState, me: &Principal, id: i64) -> Result<Vec<(String, String)>, ApiError> {
    let e = load::<Election>(state, me, id).await?;
    let roster = el::seat(&state.db, &me.actor(), &e).await?;
    Ok(roster.into_iter().map(|(p, n)| (p.zh().to_string(), n)).collect())
}
