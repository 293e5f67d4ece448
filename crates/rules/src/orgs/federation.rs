//! The federation's roll-up (rules §5.16): its membership is every organisation
//! reachable through member organisations, each counted once however many paths
//! lead to it (a group inside a member organisation that is also a direct member
//! counts once), and its figures are the sums over those organisations.

use std::collections::{BTreeMap, BTreeSet};

/// One organisation's own figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    pub activities: i64,
    pub participants: i64,
    pub hours: i64,
    /// Individual members (people) of the organisation itself.
    pub people: i64,
}

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, o: Figures) {
        self.activities += o.activities;
        self.participants += o.participants;
        self.hours += o.hours;
        self.people += o.people;
    }
}

/// The organisations under `root` (not `root` itself), each once, through the
/// membership edges `(organisation, member organisation)`; cycles end the walk.
pub fn members(root: i64, edges: &[(i64, i64)]) -> BTreeSet<i64> {
    let mut children: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &(p, c) in edges {
        children.entry(p).or_default().push(c);
    }
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(o) = stack.pop() {
        for &c in children.get(&o).into_iter().flatten() {
            if c != root && seen.insert(c) {
                stack.push(c);
            }
        }
    }
    seen
}

/// The federation's figures: its own and every member's below it, each organisation once.
pub fn roll_up(root: i64, edges: &[(i64, i64)], own: &BTreeMap<i64, Figures>) -> (usize, Figures) {
    let m = members(root, edges);
    let mut f = own.get(&root).copied().unwrap_or_default();
    for o in &m {
        f += own.get(o).copied().unwrap_or_default();
    }
    (m.len(), f)
}

/// An area's roll-up (a community, or the whole district, rules §5.16): its organisations
/// and the organisations inside its federations, each counted once however many
/// organisations or federations it belongs to, and the sums of their own figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Area {
    /// Organisations of the area, each once.
    pub organisations: usize,
    /// Those of them inside a federation (directly or through a member organisation), each once.
    pub in_federations: usize,
    /// The sums of every organisation's own figures, each organisation once.
    pub figures: Figures,
}

/// The roll-up of the area holding the organisations `ids`: inside a federation of
/// `federations` (the district's, wherever they sit) through `edges`, figures from `own`.
pub fn area(ids: &[i64], federations: &[i64], edges: &[(i64, i64)], own: &BTreeMap<i64, Figures>) -> Area {
    let ids: BTreeSet<i64> = ids.iter().copied().collect();
    let mut inside = BTreeSet::new();
    for f in federations {
        inside.extend(members(*f, edges).into_iter().filter(|m| ids.contains(m)));
    }
    let mut figures = Figures::default();
    for o in &ids {
        figures += own.get(o).copied().unwrap_or_default();
    }
    Area { organisations: ids.len(), in_federations: inside.len(), figures }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_5_16_a_group_inside_a_member_is_counted_once() {
        // 1 = federation; 2, 3 members; 4 is inside 2 and also a direct member; 3 ↔ 5 cycle.
        let edges = [(1, 2), (1, 3), (2, 4), (1, 4), (3, 5), (5, 3), (5, 1)];
        assert_eq!(members(1, &edges).into_iter().collect::<Vec<_>>(), vec![2, 3, 4, 5]);
        let own: BTreeMap<i64, Figures> =
            (1..=5).map(|i| (i, Figures { activities: 1, participants: 10, hours: 2, people: i })).collect();
        let (n, f) = roll_up(1, &edges, &own);
        assert_eq!(n, 4);
        assert_eq!(f, Figures { activities: 5, participants: 50, hours: 10, people: 15 });
    }

    #[test]
    fn rule_5_16_an_organisation_outside_the_federation_is_not_counted() {
        let edges = [(1, 2), (6, 7)];
        assert_eq!(members(1, &edges).len(), 1);
        assert!(members(7, &edges).is_empty());
    }

    #[test]
    fn rule_5_16_an_area_counts_each_organisation_once() {
        // Federations 1 and 6; 4 is inside member 2, a direct member of 1 and a member of 6.
        let edges = [(1, 2), (1, 3), (2, 4), (1, 4), (6, 4)];
        let (orgs, feds) = ([1, 2, 3, 4, 6], [1, 6]);
        let own: BTreeMap<i64, Figures> = [1, 2, 3, 4, 6]
            .iter()
            .map(|&i| (i, Figures { activities: 1, participants: 5, hours: 1, people: 2 }))
            .collect();
        let a = area(&orgs, &feds, &edges, &own);
        assert_eq!((a.organisations, a.in_federations), (5, 3));
        assert_eq!(a.figures, Figures { activities: 5, participants: 25, hours: 5, people: 10 });
        // A community holding 3 and 4 only: both inside a federation sitting elsewhere.
        assert_eq!(area(&[3, 4], &feds, &edges, &own).in_federations, 2);
    }

    #[test]
    fn rule_5_16_an_area_without_a_federation_has_nobody_inside_one() {
        let a = area(&[2, 3], &[], &[(2, 3)], &BTreeMap::new());
        assert_eq!((a.organisations, a.in_federations), (2, 0));
    }
}
