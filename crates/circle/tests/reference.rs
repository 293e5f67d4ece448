//! The walking graph and nearest-facility distances against the references in the shared OSM
//! data directory (made by `reference.py` with pyosmium and scipy): every node's `dist_scipy_m`
//! to 1e-3 m, the node and edge counts of the README, and Porto's whole edge list.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use circle::{Facility, Graph, Locator};

/// `SHEQU_OSM_DIR` if set, else `../../../shared/data/osm` from the crate, else
/// `/work/shared/data/osm`. `None` (skipped, loudly) if missing, except under CI.
fn data_dir() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("SHEQU_OSM_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osm"),
            PathBuf::from("/work/shared/data/osm"),
        ],
    };
    if let Some(dir) = candidates.iter().find(|d| d.join("porto.osm.pbf").is_file()) {
        return Some(dir.clone());
    }
    // CI is any value but empty, `false` or `0`, as in crates/shequ/tests/common/mod.rs.
    if std::env::var("CI").is_ok_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "false" | "0")) {
        panic!("OSM reference data not found in {candidates:?} (set SHEQU_OSM_DIR)");
    }
    if let Some(file) = std::env::var_os("SHEQU_SKIPPED").filter(|f| !f.is_empty()) {
        use std::io::Write;
        let line = "circle/tests/reference.rs: OSM reference data (SHEQU_OSM_DIR) is not available\n";
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| f.write_all(line.as_bytes()));
    }
    eprintln!("\n*** SKIPPED: OSM reference data not found in {candidates:?} (set SHEQU_OSM_DIR) ***\n");
    None
}

/// A reference CSV as rows of named columns (the files have no quoted fields).
fn csv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    lines.map(|l| header.iter().cloned().zip(l.split(',').map(str::to_string)).collect()).collect()
}

fn graph(dir: &Path, name: &str) -> Graph {
    let bytes = std::fs::read(dir.join(format!("{name}.osm.pbf"))).unwrap();
    Graph::from_pbf(&bytes, 2).unwrap()
}

fn facilities(dir: &Path, name: &str) -> Vec<HashMap<String, String>> {
    csv(&dir.join(format!("reference_{name}_facilities.csv")))
}

/// Compares every node's distance with `dist_scipy_m` (empty = none within 1200 m).
fn check_distances(dir: &Path, name: &str, g: &Graph, sources: &[u32]) {
    let r = circle::nearest(g, sources, 1200.0);
    let rows = csv(&dir.join(format!("reference_{name}.csv")));
    assert_eq!(rows.len(), g.node_count(), "{name}: node count");
    let (mut within, mut worst) = (0, 0.0f64);
    for (i, row) in rows.iter().enumerate() {
        let id: i64 = row["node_id"].parse().unwrap();
        assert_eq!(g.ids[i], id, "{name}: node {i}");
        let want = &row["dist_scipy_m"];
        match (r.within(i), want.is_empty()) {
            (None, true) => {}
            (Some(d), false) => {
                let want: f64 = want.parse().unwrap();
                worst = worst.max((d - want).abs());
                assert!((d - want).abs() <= 1e-3, "{name}: node {id}: {d} vs scipy {want}");
                within += 1;
            }
            (got, _) => panic!("{name}: node {id}: {got:?} vs scipy {want:?}"),
        }
    }
    assert!(within > rows.len() / 4, "{name}: only {within} nodes within 1200 m");
    eprintln!("{name}: {} nodes, {within} within 1200 m, largest difference {worst:.6} m", rows.len());
}

#[test]
fn graph_sizes_match_the_readme() {
    let Some(dir) = data_dir() else { return };
    for (name, nodes, edges) in [("porto", 12_079, 13_019), ("helsinki", 5_841, 6_851)] {
        let g = graph(&dir, name);
        assert_eq!((g.node_count(), g.edge_count()), (nodes, edges), "{name}");
    }
}

#[test]
fn porto_edges_match_the_reference_edge_list() {
    let Some(dir) = data_dir() else { return };
    let g = graph(&dir, "porto");
    let rows = csv(&dir.join("reference_porto_edges.csv"));
    assert_eq!(rows.len(), g.edge_count());
    let mut want: Vec<(i64, i64, f64)> = rows
        .iter()
        .map(|r| (r["u"].parse().unwrap(), r["v"].parse().unwrap(), r["length_m"].parse().unwrap()))
        .collect();
    want.sort_by_key(|&(u, v, _)| (u, v));
    for (k, (u, v, m)) in want.into_iter().enumerate() {
        let (gu, gv) = (g.ids[g.edge_u[k] as usize], g.ids[g.edge_v[k] as usize]);
        assert_eq!((gu, gv), (u, v), "edge {k}");
        // The reference rounds lengths to 1 mm.
        assert!((g.edge_m[k] - m).abs() <= 0.0005 + 1e-9, "edge {u}-{v}: {} vs {m}", g.edge_m[k]);
    }
}

#[test]
fn nearest_by_node_id_matches_scipy_on_every_node() {
    let Some(dir) = data_dir() else { return };
    for name in ["porto", "helsinki"] {
        let g = graph(&dir, name);
        let f: Vec<Facility> =
            facilities(&dir, name).iter().map(|r| Facility::Node(r["node_id"].parse().unwrap())).collect();
        assert_eq!(f.len(), 50);
        let sources = circle::place(&g, &Locator::new(&g), &f, 500.0).unwrap();
        check_distances(&dir, name, &g, &sources);
    }
}

#[test]
fn nearest_by_lon_lat_snaps_to_the_same_nodes_and_matches_scipy() {
    let Some(dir) = data_dir() else { return };
    for name in ["porto", "helsinki"] {
        let g = graph(&dir, name);
        let rows = facilities(&dir, name);
        let f: Vec<Facility> = rows
            .iter()
            .map(|r| Facility::LonLat { lon: r["lon"].parse().unwrap(), lat: r["lat"].parse().unwrap() })
            .collect();
        let sources = circle::place(&g, &Locator::new(&g), &f, 500.0).unwrap();
        for (s, r) in sources.iter().zip(&rows) {
            assert_eq!(g.ids[*s as usize].to_string(), r["node_id"], "{name}: snapped facility");
        }
        check_distances(&dir, name, &g, &sources);
    }
}

#[test]
fn a_truncated_extract_is_refused_by_name() {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("helsinki.osm.pbf")).unwrap();
    let offsets = circle::pbf::block_offsets(&bytes).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 1, offsets[0] + 10] {
        let e = Graph::from_pbf(&bytes[..cut], 2).unwrap_err();
        assert!(matches!(e, circle::Error::Truncated { .. }), "cut at {cut}: {e}");
        assert!(e.to_string().contains("truncated") && e.to_string().contains("不完整"));
    }
}

#[test]
fn buildings_and_amenities_match_the_readme_counts() {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("porto.osm.pbf")).unwrap();
    let x = circle::Extract::from_pbf(&bytes, 2).unwrap();
    let g = Graph::from_pbf(&bytes, 2).unwrap();
    assert_eq!((&x.graph.ids, &x.graph.edge_m), (&g.ids, &g.edge_m), "the same graph either way");
    // README: 11,353 buildings (ways tagged building), 2,470 amenities (nodes and ways).
    let buildings = x.places.iter().filter(|p| p.way && p.building.is_some()).count();
    let amenities = x.places.iter().filter(|p| p.amenity.is_some()).count();
    assert_eq!((buildings, amenities), (11_353, 2_470));
    let bound = |v: &[f64]| v.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let ((x0, x1), (y0, y1)) = (bound(&g.lon), bound(&g.lat));
    let pad = 0.01;
    let inside = |p: &circle::Place| p.lon > x0 - pad && p.lon < x1 + pad && p.lat > y0 - pad && p.lat < y1 + pad;
    assert!(x.places.iter().all(inside), "every place lies in the extract's area");
}
