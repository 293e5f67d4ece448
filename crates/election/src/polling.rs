//! Election mode and polling (rules §1.5, §2.11–§2.13, §2.15 per box).

use std::collections::{BTreeMap, BTreeSet};

use rules::Msg;
use time::Date;

use crate::ruleset::Ruleset;

/// §1.5: exactly one mode per election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// All voters (the only mode that counts as 直选, §2.23).
    DirectAllVoters,
    /// One representative per household.
    HouseholdRepresentatives,
    /// Two or three representatives per residents' group.
    GroupRepresentatives,
}

/// §1.5: under group representatives every residents' group sends 2 or 3.
/// Every group out of range is named at once.
pub fn check_group_representatives(per_group: &BTreeMap<String, u32>) -> Result<(), Vec<Msg>> {
    let errors: Vec<Msg> = per_group
        .iter()
        .filter(|(_, n)| !(2..=3).contains(*n))
        .map(|(g, n)| {
            Msg::new(
                format!("居民小组“{g}”应推选代表二至三人，现为{n}人（居组法第八条）"),
                format!("residents' group {g} sends 2 or 3 representatives, not {n} (Organic Law Art 8)"),
            )
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// §2.23: the direct-election rate, communities whose last election was
/// [`Mode::DirectAllVoters`] over all communities, as an exact pair.
pub fn direct_election_rate(last_modes: &[Option<Mode>]) -> (usize, usize) {
    (last_modes.iter().filter(|m| **m == Some(Mode::DirectAllVoters)).count(), last_modes.len())
}

/// A request to vote by proxy (§2.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyRequest {
    pub principal: String,
    pub proxy: String,
    /// The authorisation is in writing.
    pub written: bool,
    /// The day the election committee approved it.
    pub approved: Option<Date>,
    /// The proxy is a registered voter of the same community.
    pub proxy_registered_here: bool,
    pub close_relatives: bool,
}

/// §2.11: approved proxies, each checked as it is added; `published` is the public list.
#[derive(Debug, Clone, Default)]
pub struct ProxyBook {
    by_proxy: BTreeMap<String, BTreeSet<String>>,
    principals: BTreeSet<String>,
}

impl ProxyBook {
    /// Written, approved before election day, proxy a registered voter here,
    /// not oneself, one proxy per principal, at most 3 (the ruleset's figure)
    /// principals per proxy, close relatives only where the ruleset says so.
    pub fn approve(&mut self, rs: &Ruleset, election_day: Date, r: &ProxyRequest) -> Result<(), Msg> {
        let refuse = |zh: String, en: String| Err(Msg::new(format!("{zh}（规则2.11）"), format!("{en} (rule 2.11)")));
        if !r.written {
            return refuse("委托投票须有书面委托".into(), "a proxy vote needs a written authorisation".into());
        }
        if r.approved.is_none_or(|d| d >= election_day) {
            return refuse(
                "委托须在选举日前经选举委员会同意".into(),
                "the election committee approves a proxy before election day".into(),
            );
        }
        if !r.proxy_registered_here || r.proxy == r.principal {
            return refuse(
                "受托人须是本社区的另一名登记选民".into(),
                "the proxy must be another registered voter of this community".into(),
            );
        }
        if rs.proxy_close_relatives_only && !r.close_relatives {
            return refuse("本规则只允许委托近亲属".into(), "this ruleset allows close relatives only".into());
        }
        if self.principals.contains(&r.principal) {
            return refuse("该选民已委托他人".into(), "this voter has already named a proxy".into());
        }
        let held = self.by_proxy.get(&r.proxy).map_or(0, BTreeSet::len);
        if held >= rs.max_proxies_per_voter {
            return refuse(
                format!("每一选民接受委托不得超过{}人", rs.max_proxies_per_voter),
                format!("a proxy may hold at most {} authorisations", rs.max_proxies_per_voter),
            );
        }
        self.principals.insert(r.principal.clone());
        self.by_proxy.entry(r.proxy.clone()).or_default().insert(r.principal.clone());
        Ok(())
    }

    /// The list to publish: each proxy with the principals they vote for.
    pub fn published(&self) -> Vec<(String, Vec<String>)> {
        self.by_proxy.iter().map(|(p, s)| (p.clone(), s.iter().cloned().collect())).collect()
    }
}

/// A polling station or a mobile ballot box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoxKind {
    Station,
    Mobile,
}

/// §2.12: every station or mobile box has at least 3 staff (the ruleset's figure).
pub fn check_box_staff(rs: &Ruleset, kind: BoxKind, staff: usize) -> Result<(), Msg> {
    if staff >= rs.min_box_staff {
        return Ok(());
    }
    let (zh, en) = match kind {
        BoxKind::Station => ("投票站", "a polling station"),
        BoxKind::Mobile => ("流动票箱", "a mobile ballot box"),
    };
    Err(Msg::new(
        format!("每个{zh}须有{}名以上工作人员，现为{staff}名（规则2.12）", rs.min_box_staff),
        format!("{en} needs at least {} staff, has {staff} (rule 2.12)", rs.min_box_staff),
    ))
}

/// Why a voter may use the mobile box (§2.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unable {
    Ill,
    Elderly,
    Disabled,
}

/// §2.12: the mobile box serves only voters flagged as unable to attend.
pub fn check_mobile_voter(flag: Option<Unable>) -> Result<(), Msg> {
    flag.map(|_| ()).ok_or_else(|| {
        Msg::new(
            "流动票箱只供因病、年老或残疾不能到场的选民使用（规则2.12）",
            "the mobile box serves only voters who cannot attend through illness, age or disability (rule 2.12)",
        )
    })
}

/// §2.13: a teller (监票人, 计票人, 唱票人) is neither a candidate nor a candidate's close relative.
pub fn check_teller(is_candidate: bool, close_relative_of_candidate: bool) -> Result<(), Msg> {
    if is_candidate || close_relative_of_candidate {
        Err(Msg::new(
            "候选人及其近亲属不得担任监票人、计票人、唱票人（规则2.13）",
            "candidates and their close relatives may not be tellers (rule 2.13)",
        ))
    } else {
        Ok(())
    }
}

/// One box's ballots at the counting desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxCount {
    pub name: String,
    pub issued: u64,
    pub returned: u64,
}

/// §2.15 over every box brought to the main venue (§2.12): the totals, and
/// each box whose returned ballots exceed those it issued. The round's
/// validity follows the totals ([`crate::tally::round_validity`]); a box over
/// its count is named so the committee can record why.
pub fn reconcile(boxes: &[BoxCount]) -> ((u64, u64), Vec<String>) {
    let issued = boxes.iter().map(|b| b.issued).fold(0u64, u64::saturating_add);
    let returned = boxes.iter().map(|b| b.returned).fold(0u64, u64::saturating_add);
    let over = boxes.iter().filter(|b| b.returned > b.issued).map(|b| b.name.clone()).collect();
    ((issued, returned), over)
}

/// One box's counts with its tally sheet: the ballots as entered at the counting desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxSheet {
    pub count: BoxCount,
    pub ballots: Vec<crate::scenario::BallotGroup>,
}

/// §2.12 and §2.15: every station and mobile box is opened and counted together at
/// the main venue as one round. A sheet whose ballots do not add up to its box's
/// returned ballots is refused, naming the box; the round's own validity is the tally's.
pub fn round_from_boxes(
    round: crate::scenario::RoundKind,
    registered_voters: u64,
    posts: Vec<crate::scenario::PostSpec>,
    sheets: &[BoxSheet],
) -> Result<crate::scenario::Scenario, Msg> {
    let too_many = || Msg::new("选票数超出范围", "more ballots than can be counted");
    let (mut issued, mut returned, mut ballots) = (0u64, 0u64, Vec::new());
    for s in sheets {
        let on_sheet = s.ballots.iter().try_fold(0u64, |sum, g| sum.checked_add(g.count)).ok_or_else(too_many)?;
        if on_sheet != s.count.returned {
            return Err(Msg::new(
                format!("“{}”计票单合计{on_sheet}张，与收回的{}张不符", s.count.name, s.count.returned),
                format!(
                    "{}: the tally sheet holds {on_sheet} ballots, not the {} returned",
                    s.count.name, s.count.returned
                ),
            ));
        }
        issued = issued.checked_add(s.count.issued).ok_or_else(too_many)?;
        returned = returned.checked_add(s.count.returned).ok_or_else(too_many)?;
        ballots.extend(s.ballots.iter().cloned());
    }
    Ok(crate::scenario::Scenario {
        name: None,
        round,
        registered_voters,
        ballots_issued: issued,
        ballots_returned: returned,
        posts,
        ballots,
        expected: None,
    })
}

#[cfg(test)]
#[path = "polling_tests.rs"]
mod tests;
