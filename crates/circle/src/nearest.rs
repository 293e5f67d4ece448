//! Nearest facility by walking distance: one multi-source Dijkstra from every facility node at
//! once, cut at a limit (rules §7.3: covered means the walking distance on the street network).

use crate::graph::Graph;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// No facility within the limit (or none reachable).
pub const NONE: u32 = u32::MAX;

/// For every node: the walking distance to the nearest facility (`f64::INFINITY` when none is
/// within the limit) and which facility node that is (`NONE` then).
#[derive(Debug, Clone)]
pub struct Nearest {
    pub dist: Vec<f64>,
    pub facility: Vec<u32>,
}

impl Nearest {
    pub fn within(&self, i: usize) -> Option<f64> {
        let d = self.dist[i];
        d.is_finite().then_some(d)
    }
}

/// Multi-source Dijkstra from `sources` (node indices) over the undirected graph, settling only
/// nodes whose distance is at most `max_m` (a node exactly at the limit counts, as in scipy's
/// `dijkstra(limit=…)`). Distances are sums of edge lengths along the path in path order.
pub fn nearest(g: &Graph, sources: &[u32], max_m: f64) -> Nearest {
    let n = g.node_count();
    let mut dist = vec![f64::INFINITY; n];
    let mut facility = vec![NONE; n];
    let mut done = vec![false; n];
    // Non-negative f64s order as their bit patterns do.
    let mut heap: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::with_capacity(n.min(1 << 16));
    if max_m.is_nan() || max_m < 0.0 {
        return Nearest { dist, facility };
    }
    for &s in sources {
        if (s as usize) < n && dist[s as usize] != 0.0 {
            dist[s as usize] = 0.0;
            facility[s as usize] = s;
            heap.push(Reverse((0, s)));
        }
    }
    while let Some(Reverse((bits, u))) = heap.pop() {
        let u = u as usize;
        if done[u] {
            continue;
        }
        done[u] = true;
        let d = f64::from_bits(bits);
        let (from, to) = (g.offsets[u] as usize, g.offsets[u + 1] as usize);
        for k in from..to {
            let v = g.adj[k] as usize;
            let nd = d + g.adj_m[k];
            if nd <= max_m && nd < dist[v] {
                dist[v] = nd;
                facility[v] = facility[u];
                heap.push(Reverse((nd.to_bits(), v as u32)));
            }
        }
    }
    Nearest { dist, facility }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path 0 — 1 — 2 — 3 with edges of 100, 200 and 300 m, and an isolated pair 4 — 5.
    fn path() -> Graph {
        let ids = vec![10, 11, 12, 13, 14, 15];
        let (u, v, m) = (vec![0, 1, 2, 4], vec![1, 2, 3, 5], vec![100.0, 200.0, 300.0, 50.0]);
        Graph::from_parts(ids, vec![0.0; 6], vec![0.0; 6], u, v, m).unwrap()
    }

    #[test]
    fn gb50180_7_3_walking_distance_on_the_network_accepts_nodes_within_the_limit() {
        let r = nearest(&path(), &[0, 3], 300.0);
        assert_eq!(r.dist[..4], [0.0, 100.0, 300.0, 0.0]);
        assert_eq!(r.facility[..4], [0, 0, 3, 3]);
    }

    #[test]
    fn gb50180_7_3_walking_distance_on_the_network_refuses_beyond_the_limit_and_unreachable() {
        let r = nearest(&path(), &[0], 299.0);
        assert_eq!(r.within(1), Some(100.0));
        assert_eq!(r.within(2), None);
        assert_eq!(r.within(3), None);
        assert_eq!(r.within(4), None, "another component is unreachable");
        assert_eq!(r.facility[4], NONE);
    }

    #[test]
    fn no_sources_or_a_bad_limit_reach_nothing() {
        assert!(nearest(&path(), &[], 1e9).dist.iter().all(|d| d.is_infinite()));
        assert!(nearest(&path(), &[0], f64::NAN).dist.iter().all(|d| d.is_infinite()));
    }
}
