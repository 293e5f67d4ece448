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
}
