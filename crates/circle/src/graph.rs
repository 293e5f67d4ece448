//! The walking graph: plain arrays and a CSR adjacency, built from an extract's blocks by the
//! README's rules (each consecutive node pair of a walkable way is one undirected edge, duplicate
//! pairs merged, self-pairs and pairs with an unlocated node dropped; haversine lengths; no
//! simplification, no pruning of small components).

use crate::error::Error;
use crate::pbf::{self, Block, COORD_SCALE};

/// The earth radius of the references (metres).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres, computed in the same order as the references' numpy code.
#[inline]
pub fn haversine_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let p1 = lat1.to_radians();
    let p2 = lat2.to_radians();
    let dphi = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let s1 = (dphi / 2.0).sin();
    let s2 = (dl / 2.0).sin();
    let a = s1 * s1 + p1.cos() * p2.cos() * (s2 * s2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// Node `i` is `ids[i]` at (`lon[i]`, `lat[i]`); ids ascend. Edge `k` joins `edge_u[k] < edge_v[k]`
/// (indices, so also ids in ascending order) with length `edge_m[k]`; edges are sorted.
/// The neighbours of `i` are `adj[offsets[i]..offsets[i + 1]]` with lengths `adj_m[…]`.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub ids: Vec<i64>,
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub edge_u: Vec<u32>,
    pub edge_v: Vec<u32>,
    pub edge_m: Vec<f64>,
    pub offsets: Vec<u32>,
    pub adj: Vec<u32>,
    pub adj_m: Vec<f64>,
}

impl Graph {
    /// Reads a `.osm.pbf` file's bytes and builds its walking graph.
    pub fn from_pbf(bytes: &[u8], threads: usize) -> Result<Graph, Error> {
        Graph::from_blocks(&pbf::read(bytes, threads)?)
    }

    pub fn from_blocks(blocks: &[Block]) -> Result<Graph, Error> {
        let (ids, lon, lat) = located_nodes(blocks);
        Graph::from_located(blocks, &ids, &lon, &lat)
    }

    /// The graph of the blocks' walkable ways over their located nodes (see [`located_nodes`]).
    pub(crate) fn from_located(blocks: &[Block], ids: &[i64], lon: &[i32], lat: &[i32]) -> Result<Graph, Error> {
        // Edges as pairs of positions in the sorted node arrays (so ordered as ids are).
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for b in blocks {
            for way in b.ways() {
                let mut prev = ids.binary_search(&way[0]).ok();
                for w in way.windows(2) {
                    let cur = if w[1] == w[0] { prev } else { ids.binary_search(&w[1]).ok() };
                    if w[0] != w[1]
                        && let (Some(a), Some(c)) = (prev, cur)
                    {
                        pairs.push(if a < c { (a as u32, c as u32) } else { (c as u32, a as u32) });
                    }
                    prev = cur;
                }
            }
        }
        if pairs.is_empty() {
            return Err(Error::NoWalkingGraph);
        }
        pairs.sort_unstable();
        pairs.dedup();
        // The graph's nodes: those on at least one edge, renumbered in id order.
        let mut index = vec![u32::MAX; ids.len()];
        for &(a, b) in &pairs {
            index[a as usize] = 0;
            index[b as usize] = 0;
        }
        let (mut gids, mut glon, mut glat) = (Vec::new(), Vec::new(), Vec::new());
        for (pos, slot) in index.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = gids.len() as u32;
                gids.push(ids[pos]);
                glon.push(f64::from(lon[pos]) / COORD_SCALE);
                glat.push(f64::from(lat[pos]) / COORD_SCALE);
            }
        }
        let edge_u: Vec<u32> = pairs.iter().map(|&(a, _)| index[a as usize]).collect();
        let edge_v: Vec<u32> = pairs.iter().map(|&(_, b)| index[b as usize]).collect();
        let edge_m = edge_u
            .iter()
            .zip(&edge_v)
            .map(|(&u, &v)| {
                let (u, v) = (u as usize, v as usize);
                haversine_m(glon[u], glat[u], glon[v], glat[v])
            })
            .collect();
        Ok(Graph::csr(gids, glon, glat, edge_u, edge_v, edge_m))
    }

    /// A graph from its nodes and edges as [`Graph`] describes them (e.g. read back from a
    /// database), with its CSR adjacency built here; `None` unless the parts agree: equal
    /// lengths, ids ascending, every edge `u < v` between existing nodes, lengths finite and ≥ 0.
    pub fn from_parts(
        ids: Vec<i64>,
        lon: Vec<f64>,
        lat: Vec<f64>,
        edge_u: Vec<u32>,
        edge_v: Vec<u32>,
        edge_m: Vec<f64>,
    ) -> Option<Graph> {
        let n = ids.len();
        let ok = lon.len() == n
            && lat.len() == n
            && edge_v.len() == edge_u.len()
            && edge_m.len() == edge_u.len()
            && ids.windows(2).all(|w| w[0] < w[1])
            && edge_u.iter().zip(&edge_v).all(|(&u, &v)| u < v && (v as usize) < n)
            && edge_m.iter().all(|m| m.is_finite() && *m >= 0.0);
        ok.then(|| Graph::csr(ids, lon, lat, edge_u, edge_v, edge_m))
    }

    fn csr(ids: Vec<i64>, lon: Vec<f64>, lat: Vec<f64>, edge_u: Vec<u32>, edge_v: Vec<u32>, edge_m: Vec<f64>) -> Graph {
        let n = ids.len();
        let mut degree = vec![0u32; n + 1];
        for (&u, &v) in edge_u.iter().zip(&edge_v) {
            degree[u as usize + 1] += 1;
            degree[v as usize + 1] += 1;
        }
        for i in 0..n {
            degree[i + 1] += degree[i];
        }
        let mut fill = degree.clone();
        let mut adj = vec![0; 2 * edge_u.len()];
        let mut adj_m = vec![0.0; 2 * edge_u.len()];
        for k in 0..edge_u.len() {
            let (u, v, m) = (edge_u[k], edge_v[k], edge_m[k]);
            for (from, to) in [(u, v), (v, u)] {
                let slot = &mut fill[from as usize];
                adj[*slot as usize] = to;
                adj_m[*slot as usize] = m;
                *slot += 1;
            }
        }
        Graph { ids, lon, lat, edge_u, edge_v, edge_m, offsets: degree, adj, adj_m }
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_u.len()
    }

    /// The index of an OSM node id, if it is a node of the graph.
    pub fn index_of(&self, id: i64) -> Option<u32> {
        self.ids.binary_search(&id).ok().map(|i| i as u32)
    }

    /// The neighbours of node `i` with the edge lengths.
    pub fn neighbours(&self, i: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let r = self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize;
        self.adj[r.clone()].iter().copied().zip(self.adj_m[r].iter().copied())
    }
}

/// Every located node of the blocks, sorted by id (1e-7 degrees); a repeated id keeps its last
/// location, as a dict would.
pub(crate) fn located_nodes(blocks: &[Block]) -> (Vec<i64>, Vec<i32>, Vec<i32>) {
    let total: usize = blocks.iter().map(|b| b.node_ids.len()).sum();
    let mut ids = Vec::with_capacity(total);
    let mut lon = Vec::with_capacity(total);
    let mut lat = Vec::with_capacity(total);
    for b in blocks {
        ids.extend_from_slice(&b.node_ids);
        lon.extend_from_slice(&b.node_lon);
        lat.extend_from_slice(&b.node_lat);
    }
    if !ids.windows(2).all(|w| w[0] < w[1]) {
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.sort_by_key(|&i| ids[i as usize]);
        // Keep the last of equal ids: stable sort keeps file order within them.
        order.dedup_by(|later, earlier| {
            let same = ids[*later as usize] == ids[*earlier as usize];
            if same {
                *earlier = *later;
            }
            same
        });
        ids = order.iter().map(|&i| ids[i as usize]).collect();
        lon = order.iter().map(|&i| lon[i as usize]).collect();
        lat = order.iter().map(|&i| lat[i as usize]).collect();
    }
    (ids, lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::tests::write_pbf;

    #[test]
    fn osm_walk_edges_are_consecutive_pairs_merged_undirected() {
        let file = write_pbf(
            &[(1, 117.8, 30.9), (2, 117.801, 30.9), (3, 117.801, 30.901), (4, 117.9, 31.0), (5, 117.7, 30.8)],
            &[
                // 1-2-3, then the same pairs reversed, a repeated node (2,2) and a node missing from
                // the file (99): three edges in all.
                (10, vec![1, 2, 2, 3], vec![("highway", "residential"), ("oneway", "yes")]),
                (11, vec![3, 2, 1], vec![("highway", "footway")]),
                (12, vec![3, 99, 1], vec![("highway", "path")]),
                (13, vec![1, 3], vec![("highway", "steps")]),
                // not walkable: its nodes 4 and 5 stay out of the graph
                (14, vec![4, 5], vec![("highway", "motorway")]),
            ],
        );
        let g = Graph::from_pbf(&file, 1).unwrap();
        assert_eq!(g.ids, [1, 2, 3]);
        assert_eq!(g.edge_count(), 3);
        assert_eq!((g.edge_u.clone(), g.edge_v.clone()), (vec![0, 0, 1], vec![1, 2, 2]));
        // 0.001° of longitude at 30.9° N with R = 6,371,008.8 m
        assert!((g.edge_m[0] - 95.405).abs() < 0.01, "{}", g.edge_m[0]);
        assert_eq!(g.neighbours(0).map(|(v, _)| v).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(g.index_of(3), Some(2));
        assert_eq!(g.index_of(4), None);
    }

    #[test]
    fn parts_that_disagree_make_no_graph() {
        let part = |u: u32, v: u32, m: f64| {
            Graph::from_parts(vec![1, 2], vec![0.0; 2], vec![0.0; 2], vec![u], vec![v], vec![m])
        };
        assert!(part(0, 1, 5.0).is_some());
        assert!(part(1, 0, 5.0).is_none());
        assert!(part(0, 2, 5.0).is_none());
        assert!(part(0, 1, f64::NAN).is_none());
        assert!(Graph::from_parts(vec![2, 1], vec![0.0; 2], vec![0.0; 2], vec![], vec![], vec![]).is_none());
    }

    #[test]
    fn an_extract_without_walkable_ways_has_no_graph() {
        let file = write_pbf(&[(1, 1.0, 1.0), (2, 1.1, 1.0)], &[(10, vec![1, 2], vec![("building", "yes")])]);
        assert_eq!(Graph::from_pbf(&file, 1).unwrap_err(), Error::NoWalkingGraph);
    }

    #[test]
    fn haversine_matches_a_known_distance() {
        // One degree of latitude on this sphere: R·π/180.
        let d = haversine_m(0.0, 0.0, 0.0, 1.0);
        assert!((d - EARTH_RADIUS_M * std::f64::consts::PI / 180.0).abs() < 1e-6);
    }
}
