//! Routing: "前台一口受理、后台分类处置". The front desk accepts everything at
//! one window; the back office handles by category. Routing rules are data —
//! a table of (service category or item, community or any) → lead queue plus
//! co-handling queues — and [`RoutingTable::resolve`] is a pure lookup.
//!
//! Precedence, most specific first: item + community, item + any community,
//! category + community, category + any community. Two rules with the same
//! key are refused when the table is built, so resolution never depends on
//! rule order. A rule may target the requesting community's own team
//! ([`Target::OwnCommunityTeam`]) instead of a fixed queue. When no rule
//! matches, or the desk disagrees, [`Assignment::manual`] records a manual
//! override, which needs a reason.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{CaseError, Msg, has_text};

/// A back-office queue's id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QueueId(pub String);

impl QueueId {
    pub fn new(s: impl Into<String>) -> Self {
        QueueId(s.into())
    }
}

/// What kind of unit works a queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueKind {
    /// A community's own back-office team (社区工作人员).
    CommunityTeam { community: String },
    /// A district department (区直职能部门), e.g. urban management.
    DistrictDepartment { department: String },
    /// Contracted service providers of one type (e.g. plumbing, home care).
    Provider { provider_type: String },
}

/// A queue and who supervises it (escalations go there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub id: QueueId,
    pub kind: QueueKind,
    pub name: Msg,
    /// The supervisor's position or account id, for escalations.
    pub supervisor: String,
}

/// What a rule matches on the service side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceMatch {
    /// One service item (事项) code.
    Item(String),
    /// Every item of a category.
    Category(String),
}

/// What a rule matches on the place side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CommunityMatch {
    Community(String),
    Any,
}

/// Where a rule sends the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Queue(QueueId),
    /// The community team of the community the request comes from.
    OwnCommunityTeam,
}

/// One row of the routing table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    pub service: ServiceMatch,
    pub community: CommunityMatch,
    pub lead: Target,
    pub co_handlers: Vec<Target>,
}

/// What a request offers for routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRequest {
    pub category: String,
    pub item: String,
    pub community: String,
}

/// How an assignment came about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RouteSource {
    /// Rule at this index of the table.
    Rule { index: usize },
    /// Manual override by the front desk or a supervisor.
    Manual { reason: String },
    /// Transfer from another queue.
    Transfer { from: QueueId, reason: String },
}

/// The lead queue (主办) and co-handling queues (协办) of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub lead: QueueId,
    pub co_handlers: Vec<QueueId>,
    pub source: RouteSource,
}

impl Assignment {
    /// A manual assignment; the reason must not be blank.
    pub fn manual(lead: QueueId, co_handlers: Vec<QueueId>, reason: impl Into<String>) -> Result<Self, CaseError> {
        let reason = reason.into();
        if !has_text(&reason) {
            return Err(CaseError::RuleForbids(Msg::new(
                "人工分派必须说明理由",
                "a manual routing override requires a reason",
            )));
        }
        Ok(Assignment { co_handlers: clean_co(&lead, co_handlers), lead, source: RouteSource::Manual { reason } })
    }

    /// Checks what the state machine relies on: reasons present, the lead
    /// not also a co-handler, no co-handler twice.
    pub fn validate(&self) -> Result<(), CaseError> {
        let reason_ok = match &self.source {
            RouteSource::Rule { .. } => true,
            RouteSource::Manual { reason } | RouteSource::Transfer { reason, .. } => has_text(reason),
        };
        if !reason_ok {
            return Err(CaseError::RuleForbids(Msg::new(
                "人工分派或转办必须说明理由",
                "a manual routing or transfer requires a reason",
            )));
        }
        let set: BTreeSet<_> = self.co_handlers.iter().collect();
        if set.len() != self.co_handlers.len() || set.contains(&self.lead) {
            return Err(CaseError::InvalidData(Msg::new(
                "协办单位不得重复，也不得与主办单位相同",
                "co-handlers must be distinct and differ from the lead queue",
            )));
        }
        Ok(())
    }
}

fn clean_co(lead: &QueueId, co: Vec<QueueId>) -> Vec<QueueId> {
    let mut seen = BTreeSet::new();
    co.into_iter().filter(|q| q != lead && seen.insert(q.clone())).collect()
}

/// Queues plus rules, validated together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingTable {
    queues: BTreeMap<QueueId, Queue>,
    rules: Vec<RoutingRule>,
}

impl RoutingTable {
    /// Builds a table. Refuses duplicate queue ids, two rules with the same
    /// (service, community) key, and rules naming unknown queues.
    pub fn new(queues: Vec<Queue>, rules: Vec<RoutingRule>) -> Result<Self, CaseError> {
        let mut qmap = BTreeMap::new();
        for q in queues {
            let id = q.id.clone();
            if qmap.insert(id.clone(), q).is_some() {
                return Err(CaseError::InvalidData(Msg::new(
                    format!("队列“{}”重复", id.0),
                    format!("queue “{}” defined twice", id.0),
                )));
            }
        }
        let mut keys = BTreeSet::new();
        for r in &rules {
            if !keys.insert((r.service.clone(), r.community.clone())) {
                return Err(CaseError::InvalidData(Msg::new(
                    format!("分派规则重复：{:?} / {:?}", r.service, r.community),
                    format!("duplicate routing rule: {:?} / {:?}", r.service, r.community),
                )));
            }
            for t in std::iter::once(&r.lead).chain(&r.co_handlers) {
                if let Target::Queue(q) = t
                    && !qmap.contains_key(q)
                {
                    return Err(CaseError::InvalidData(Msg::new(
                        format!("分派规则引用了不存在的队列“{}”", q.0),
                        format!("routing rule names unknown queue “{}”", q.0),
                    )));
                }
            }
        }
        Ok(RoutingTable { queues: qmap, rules })
    }

    pub fn queue(&self, id: &QueueId) -> Option<&Queue> {
        self.queues.get(id)
    }

    pub fn rules(&self) -> &[RoutingRule] {
        &self.rules
    }

    /// The community team queue of a community, if one is defined.
    pub fn community_team(&self, community: &str) -> Option<&QueueId> {
        self.queues.values().find_map(|q| match &q.kind {
            QueueKind::CommunityTeam { community: c } if c == community => Some(&q.id),
            _ => None,
        })
    }

    /// The supervisor to escalate an overdue case of this queue to.
    pub fn supervisor_of(&self, id: &QueueId) -> Option<&str> {
        self.queues.get(id).map(|q| q.supervisor.as_str())
    }

    /// Automatic routing: the most specific matching rule wins.
    pub fn resolve(&self, req: &RouteRequest) -> Result<Assignment, CaseError> {
        let rank = |r: &RoutingRule| -> Option<u8> {
            let svc = match &r.service {
                ServiceMatch::Item(i) if *i == req.item => 2,
                ServiceMatch::Category(c) if *c == req.category => 0,
                _ => return None,
            };
            let place = match &r.community {
                CommunityMatch::Community(c) if *c == req.community => 1,
                CommunityMatch::Any => 0,
                _ => return None,
            };
            Some(svc + place)
        };
        let (index, rule) = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| rank(r).map(|k| (k, i, r)))
            .max_by_key(|&(k, i, _)| (k, std::cmp::Reverse(i)))
            .map(|(_, i, r)| (i, r))
            .ok_or_else(|| CaseError::NoRoute { category: req.category.clone(), item: req.item.clone() })?;
        let target = |t: &Target| -> Result<QueueId, CaseError> {
            match t {
                Target::Queue(q) => Ok(q.clone()),
                Target::OwnCommunityTeam => self.community_team(&req.community).cloned().ok_or_else(|| {
                    CaseError::InvalidData(Msg::new(
                        format!("社区“{}”没有配置社区工作队列", req.community),
                        format!("community “{}” has no community team queue", req.community),
                    ))
                }),
            }
        };
        let lead = target(&rule.lead)?;
        let co = rule.co_handlers.iter().map(target).collect::<Result<Vec<_>, _>>()?;
        Ok(Assignment { co_handlers: clean_co(&lead, co), lead, source: RouteSource::Rule { index } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, kind: QueueKind) -> Queue {
        Queue { id: QueueId::new(id), kind, name: Msg::new(id, id), supervisor: format!("sup-{id}") }
    }

    fn table() -> RoutingTable {
        let queues = vec![
            q("team-a", QueueKind::CommunityTeam { community: "A".into() }),
            q("team-b", QueueKind::CommunityTeam { community: "B".into() }),
            q("urban", QueueKind::DistrictDepartment { department: "城管".into() }),
            q("plumbers", QueueKind::Provider { provider_type: "水电维修".into() }),
            q("civil", QueueKind::DistrictDepartment { department: "民政".into() }),
        ];
        let rules = vec![
            RoutingRule {
                service: ServiceMatch::Category("repair".into()),
                community: CommunityMatch::Any,
                lead: Target::Queue(QueueId::new("plumbers")),
                co_handlers: vec![Target::OwnCommunityTeam],
            },
            RoutingRule {
                service: ServiceMatch::Category("repair".into()),
                community: CommunityMatch::Community("B".into()),
                lead: Target::OwnCommunityTeam,
                co_handlers: vec![],
            },
            RoutingRule {
                service: ServiceMatch::Item("illegal-construction".into()),
                community: CommunityMatch::Any,
                lead: Target::Queue(QueueId::new("urban")),
                co_handlers: vec![Target::OwnCommunityTeam, Target::OwnCommunityTeam],
            },
            RoutingRule {
                service: ServiceMatch::Category("elderly".into()),
                community: CommunityMatch::Any,
                lead: Target::OwnCommunityTeam,
                co_handlers: vec![Target::Queue(QueueId::new("civil"))],
            },
        ];
        RoutingTable::new(queues, rules).unwrap()
    }

    fn req(cat: &str, item: &str, c: &str) -> RouteRequest {
        RouteRequest { category: cat.into(), item: item.into(), community: c.into() }
    }

    #[test]
    fn category_any_with_own_team_as_co_handler() {
        let a = table().resolve(&req("repair", "pipe", "A")).unwrap();
        assert_eq!(a.lead, QueueId::new("plumbers"));
        assert_eq!(a.co_handlers, vec![QueueId::new("team-a")]);
        assert_eq!(a.source, RouteSource::Rule { index: 0 });
    }

    #[test]
    fn community_specific_beats_any() {
        let a = table().resolve(&req("repair", "pipe", "B")).unwrap();
        assert_eq!(a.lead, QueueId::new("team-b"));
        assert_eq!(a.source, RouteSource::Rule { index: 1 });
    }

    #[test]
    fn item_beats_category_and_co_handlers_deduplicated() {
        let a = table().resolve(&req("repair", "illegal-construction", "B")).unwrap();
        assert_eq!(a.lead, QueueId::new("urban"));
        assert_eq!(a.co_handlers, vec![QueueId::new("team-b")]);
        a.validate().unwrap();
    }

    #[test]
    fn no_rule_and_missing_team() {
        assert!(matches!(table().resolve(&req("tax", "x", "A")), Err(CaseError::NoRoute { .. })));
        assert!(matches!(table().resolve(&req("elderly", "meal", "Z")), Err(CaseError::InvalidData(_))));
    }

    #[test]
    fn manual_override_needs_reason() {
        assert!(Assignment::manual(QueueId::new("urban"), vec![], "  ").is_err());
        let a = Assignment::manual(
            QueueId::new("urban"),
            vec![QueueId::new("urban"), QueueId::new("civil")],
            "居民要求城管到场",
        )
        .unwrap();
        assert_eq!(a.co_handlers, vec![QueueId::new("civil")]);
        a.validate().unwrap();
    }

    #[test]
    fn table_validation() {
        let dup_rule = RoutingRule {
            service: ServiceMatch::Category("repair".into()),
            community: CommunityMatch::Any,
            lead: Target::OwnCommunityTeam,
            co_handlers: vec![],
        };
        assert!(RoutingTable::new(vec![], vec![dup_rule.clone(), dup_rule.clone()]).is_err());
        let unknown = RoutingRule { lead: Target::Queue(QueueId::new("nowhere")), ..dup_rule };
        assert!(RoutingTable::new(vec![], vec![unknown]).is_err());
        let t = table();
        assert_eq!(t.supervisor_of(&QueueId::new("urban")), Some("sup-urban"));
    }
}
