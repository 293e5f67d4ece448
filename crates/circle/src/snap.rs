//! Placing a longitude/latitude on the walking graph: the nearest node, found through a uniform
//! grid over a local equirectangular projection; and the checks that catch swapped columns,
//! projected coordinates and points off the network.

use crate::error::Error;
use crate::graph::{EARTH_RADIUS_M, Graph, haversine_m};

/// A grid over the graph's nodes.
#[derive(Debug, Clone)]
pub struct Locator {
    cos0: f64,
    cell: f64,
    x0: f64,
    y0: f64,
    nx: i64,
    ny: i64,
    start: Vec<u32>,
    items: Vec<u32>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// min lon, min lat, max lon, max lat of the nodes.
    bbox: [f64; 4],
}

/// A point placed on the graph: its node and the great-circle distance to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub node: u32,
    pub dist_m: f64,
}

impl Locator {
    pub fn new(g: &Graph) -> Locator {
        let n = g.node_count();
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for i in 0..n {
            bbox[0] = bbox[0].min(g.lon[i]);
            bbox[1] = bbox[1].min(g.lat[i]);
            bbox[2] = bbox[2].max(g.lon[i]);
            bbox[3] = bbox[3].max(g.lat[i]);
        }
        if n == 0 {
            bbox = [0.0; 4];
        }
        let cos0 = ((bbox[1] + bbox[3]) / 2.0).to_radians().cos();
        let k = EARTH_RADIUS_M.to_radians();
        let xs: Vec<f64> = g.lon.iter().map(|l| l * cos0 * k).collect();
        let ys: Vec<f64> = g.lat.iter().map(|l| l * k).collect();
        let x0 = bbox[0] * cos0 * k;
        let y0 = bbox[1] * k;
        let (w, h) = ((bbox[2] - bbox[0]) * cos0 * k, (bbox[3] - bbox[1]) * k);
        // About two nodes per cell, never finer than 25 m.
        let cell = ((w * h / n.max(1) as f64).sqrt() * 1.5).max(25.0);
        let nx = (w / cell) as i64 + 1;
        let ny = (h / cell) as i64 + 1;
        let mut count = vec![0u32; (nx * ny) as usize + 1];
        let cell_of = |i: usize| -> usize {
            let cx = (((xs[i] - x0) / cell) as i64).clamp(0, nx - 1);
            let cy = (((ys[i] - y0) / cell) as i64).clamp(0, ny - 1);
            (cy * nx + cx) as usize
        };
        for i in 0..n {
            count[cell_of(i) + 1] += 1;
        }
        for c in 0..(nx * ny) as usize {
            count[c + 1] += count[c];
        }
        let mut fill = count.clone();
        let mut items = vec![0u32; n];
        for i in 0..n {
            let c = cell_of(i);
            items[fill[c] as usize] = i as u32;
            fill[c] += 1;
        }
        Locator { cos0, cell, x0, y0, nx, ny, start: count, items, xs, ys, bbox }
    }

    /// The node nearest to (lon, lat) by projected distance, if any lies within about `limit_m`.
    pub fn nearest(&self, lon: f64, lat: f64, limit_m: f64) -> Option<u32> {
        let k = EARTH_RADIUS_M.to_radians();
        let (qx, qy) = (lon * self.cos0 * k, lat * k);
        let cx = ((qx - self.x0) / self.cell).floor() as i64;
        let cy = ((qy - self.y0) / self.cell).floor() as i64;
        let reach = limit_m * 1.05 + self.cell;
        let mut best: Option<(f64, u32)> = None;
        let mut r: i64 = 0;
        loop {
            let ring_min = (r - 1).max(0) as f64 * self.cell;
            if best.is_some_and(|(d, _)| d <= ring_min) || ring_min > reach {
                break;
            }
            let mut visit = |x: i64, y: i64| {
                if x < 0 || y < 0 || x >= self.nx || y >= self.ny {
                    return;
                }
                let c = (y * self.nx + x) as usize;
                for &i in &self.items[self.start[c] as usize..self.start[c + 1] as usize] {
                    let (dx, dy) = (self.xs[i as usize] - qx, self.ys[i as usize] - qy);
                    let d = (dx * dx + dy * dy).sqrt();
                    if best.is_none_or(|(b, j)| d < b || (d == b && i < j)) {
                        best = Some((d, i));
                    }
                }
            };
            if r == 0 {
                visit(cx, cy);
            } else {
                for x in (cx - r).max(-1)..=(cx + r).min(self.nx) {
                    visit(x, cy - r);
                    visit(x, cy + r);
                }
                for y in (cy - r + 1).max(-1)..=(cy + r - 1).min(self.ny) {
                    visit(cx - r, y);
                    visit(cx + r, y);
                }
            }
            // Once the square covers the whole grid, further rings hold nothing.
            if cx - r < 0 && cy - r < 0 && cx + r >= self.nx && cy + r >= self.ny {
                break;
            }
            r += 1;
        }
        best.map(|(_, i)| i)
    }

    fn near_box(&self, lon: f64, lat: f64, margin_m: f64) -> bool {
        let dlat = (margin_m / EARTH_RADIUS_M).to_degrees();
        let dlon = dlat / self.cos0.max(0.01);
        lon >= self.bbox[0] - dlon
            && lon <= self.bbox[2] + dlon
            && lat >= self.bbox[1] - dlat
            && lat <= self.bbox[3] + dlat
    }

    /// Places (lon, lat) on its nearest node, refusing what is not WGS 84 degrees, a pair whose
    /// swap falls on the network while itself does not, and a point more than `max_snap_m` from
    /// every node.
    pub fn locate(&self, g: &Graph, lon: f64, lat: f64, max_snap_m: f64) -> Result<Snap, Error> {
        if !self.near_box(lon, lat, max_snap_m) && self.near_box(lat, lon, max_snap_m) {
            return Err(Error::Swapped { lon, lat });
        }
        if !lon.is_finite() || !lat.is_finite() || lon.abs() > 180.0 || lat.abs() > 90.0 {
            return Err(Error::NotDegrees { lon, lat });
        }
        if let Some(node) = self.nearest(lon, lat, max_snap_m) {
            let i = node as usize;
            let dist_m = haversine_m(lon, lat, g.lon[i], g.lat[i]);
            if dist_m <= max_snap_m {
                return Ok(Snap { node, dist_m });
            }
        }
        // Off the network: say how far the nearest node really is.
        let dist_m =
            (0..g.node_count()).map(|i| haversine_m(lon, lat, g.lon[i], g.lat[i])).fold(f64::INFINITY, f64::min);
        Err(Error::OffNetwork { lon, lat, dist_m, limit_m: max_snap_m })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 20 × 20 lattice of nodes 0.001° apart around (117.81, 30.93), Tongling.
    fn lattice() -> Graph {
        let mut g = Graph::default();
        for y in 0..20 {
            for x in 0..20 {
                g.ids.push(g.ids.len() as i64 + 1);
                g.lon.push(117.80 + x as f64 * 0.001);
                g.lat.push(30.92 + y as f64 * 0.001);
            }
        }
        g
    }

    #[test]
    fn nearest_agrees_with_a_scan() {
        let g = lattice();
        let loc = Locator::new(&g);
        for (lon, lat) in
            [(117.8053, 30.9261), (117.80, 30.92), (117.819, 30.939), (117.7995, 30.9301), (117.83, 30.91)]
        {
            let got = loc.nearest(lon, lat, 5000.0).unwrap() as usize;
            let best = (0..g.node_count())
                .min_by(|&a, &b| {
                    haversine_m(lon, lat, g.lon[a], g.lat[a]).total_cmp(&haversine_m(lon, lat, g.lon[b], g.lat[b]))
                })
                .unwrap();
            assert_eq!(got, best, "({lon}, {lat})");
        }
    }

    #[test]
    fn an_exact_node_position_snaps_to_that_node() {
        let g = lattice();
        let s = Locator::new(&g).locate(&g, g.lon[57], g.lat[57], 500.0).unwrap();
        assert_eq!(s, Snap { node: 57, dist_m: 0.0 });
    }

    #[test]
    fn swapped_projected_and_far_points_are_refused_by_name() {
        let g = lattice();
        let loc = Locator::new(&g);
        assert_eq!(loc.locate(&g, 30.925, 117.805, 500.0), Err(Error::Swapped { lon: 30.925, lat: 117.805 }));
        assert!(matches!(loc.locate(&g, 500_000.0, 3_420_000.0, 500.0), Err(Error::NotDegrees { .. })));
        assert!(matches!(loc.locate(&g, f64::NAN, 30.9, 500.0), Err(Error::NotDegrees { .. })));
        match loc.locate(&g, 117.90, 30.93, 500.0) {
            Err(Error::OffNetwork { dist_m, .. }) => assert!(dist_m > 7000.0 && dist_m < 8000.0, "{dist_m}"),
            other => panic!("{other:?}"),
        }
    }
}
