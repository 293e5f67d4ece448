//! Coverage (rules §7): for one facility type, which homes are within the type's walking distance
//! of a facility of that type on the street network (§7.3), and the share of residents covered.

use crate::graph::Graph;
use crate::nearest::nearest;

/// A home placed on the walking graph: its node and how many residents live there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Home {
    pub node: u32,
    pub residents: u32,
}

/// One facility type's coverage of the homes.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub walk_m: f64,
    pub residents: u64,
    pub covered: u64,
    /// For each home (same order): the walking distance to the nearest facility of the type, or
    /// `None` when none is within `walk_m` (or reachable).
    pub dist_m: Vec<Option<f64>>,
}

impl Coverage {
    /// The share of residents within the distance (0 when there are no residents).
    pub fn share(&self) -> f64 {
        if self.residents == 0 { 0.0 } else { self.covered as f64 / self.residents as f64 }
    }

    /// The homes outside the standard (indices into the homes given).
    pub fn uncovered(&self) -> impl Iterator<Item = usize> + '_ {
        self.dist_m.iter().enumerate().filter(|(_, d)| d.is_none()).map(|(i, _)| i)
    }
}

/// Rules §7.3: a home is covered when its walking distance on the network to the nearest facility
/// of the type is at most the type's distance (§7.1 level, or §7.2 radius).
pub fn coverage(g: &Graph, homes: &[Home], facilities: &[u32], walk_m: f64) -> Coverage {
    let r = nearest(g, facilities, walk_m);
    let mut out = Coverage { walk_m, residents: 0, covered: 0, dist_m: Vec::with_capacity(homes.len()) };
    for h in homes {
        let d = r.dist.get(h.node as usize).copied().filter(|d| d.is_finite());
        out.residents += u64::from(h.residents);
        if d.is_some() {
            out.covered += u64::from(h.residents);
        }
        out.dist_m.push(d);
    }
    out
}

/// Rules §7.3 per area: for homes grouped by area (`group[i]` is home `i`'s area, below `groups`),
/// each area's residents and residents covered, so that a community's share and the city's (the
/// sum over areas) come from the same per-home decision.
pub fn by_group(c: &Coverage, homes: &[Home], group: &[u32], groups: usize) -> Vec<(u64, u64)> {
    let mut out = vec![(0u64, 0u64); groups];
    for ((h, d), &k) in homes.iter().zip(&c.dist_m).zip(group) {
        let slot = &mut out[k as usize];
        slot.0 += u64::from(h.residents);
        if d.is_some() {
            slot.1 += u64::from(h.residents);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path of four nodes, 100 m apart.
    fn path() -> Graph {
        Graph::from_parts(vec![1, 2, 3, 4], vec![0.0; 4], vec![0.0; 4], vec![0, 1, 2], vec![1, 2, 3], vec![100.0; 3])
            .unwrap()
    }

    #[test]
    fn gb50180_7_3_covered_accepts_homes_within_the_walking_distance() {
        let homes = [Home { node: 0, residents: 10 }, Home { node: 2, residents: 30 }];
        let c = coverage(&path(), &homes, &[1], 100.0);
        assert_eq!((c.residents, c.covered), (40, 40));
        assert_eq!(c.dist_m, [Some(100.0), Some(100.0)]);
        assert_eq!(c.share(), 1.0);
    }

    #[test]
    fn gb50180_7_3_covered_refuses_homes_beyond_it_and_lists_them() {
        let homes = [Home { node: 0, residents: 10 }, Home { node: 3, residents: 30 }];
        let c = coverage(&path(), &homes, &[0], 299.0);
        assert_eq!((c.residents, c.covered), (40, 10));
        assert_eq!(c.uncovered().collect::<Vec<_>>(), [1]);
        assert_eq!(c.share(), 0.25);
        assert_eq!(coverage(&path(), &[], &[0], 300.0).share(), 0.0);
    }

    #[test]
    fn gb50180_7_3_by_group_accepts_each_area_s_covered_homes() {
        let homes = [Home { node: 0, residents: 10 }, Home { node: 1, residents: 5 }, Home { node: 3, residents: 30 }];
        let c = coverage(&path(), &homes, &[0], 150.0);
        let g = by_group(&c, &homes, &[0, 1, 1], 3);
        assert_eq!(g, [(10, 10), (35, 5), (0, 0)]);
        let (all, covered) = g.iter().fold((0, 0), |a, x| (a.0 + x.0, a.1 + x.1));
        assert_eq!((all, covered), (c.residents, c.covered));
    }

    #[test]
    fn gb50180_7_3_by_group_refuses_to_count_an_area_s_homes_beyond_the_distance() {
        let homes = [Home { node: 2, residents: 7 }, Home { node: 3, residents: 3 }];
        let c = coverage(&path(), &homes, &[0], 199.0);
        assert_eq!(by_group(&c, &homes, &[0, 0], 1), [(10, 0)]);
    }
}
