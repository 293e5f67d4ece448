//! The walking engine on one OSM extract, timed in-process: PBF → walking graph (reading the file
//! included; on all cores and on one), placing the facilities, and the nearest-facility query —
//! median and minimum of N runs, printed as one JSON line; and coverage of 10 facility types
//! (50 facility nodes each, chosen by a fixed pseudo-random sequence, at the catalogue's
//! distances) over 740,000 residents spread over every node of the graph as homes. `scripts/circle-bench.py` runs it
//! beside pyosmium and scipy in the same run.
//!
//! ```sh
//! cargo run -p circle --release --example circle_bench -- FILE.osm.pbf FACILITIES.csv [RUNS]
//! ```
//! FACILITIES.csv: a header with a `node_id` column (the reference files' form).

use circle::{Facility, Graph, Locator};
use std::time::Instant;

fn stats(mut t: Vec<f64>) -> String {
    t.sort_by(|a, b| a.total_cmp(b));
    format!("{{\"median_ms\":{:.4},\"min_ms\":{:.4}}}", t[t.len() / 2], t[0])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (osm, fac) = match (args.get(1), args.get(2)) {
        (Some(o), Some(f)) => (o.clone(), f.clone()),
        _ => {
            eprintln!("usage: circle_bench FILE.osm.pbf FACILITIES.csv [RUNS]");
            std::process::exit(2);
        }
    };
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20).max(1);
    let text = std::fs::read_to_string(&fac).expect("facilities file");
    let mut lines = text.lines();
    let col = lines.next().expect("header").split(',').position(|h| h.trim() == "node_id").expect("node_id column");
    let list: Vec<Facility> = lines
        .map(|l| Facility::Node(l.split(',').nth(col).expect("node_id").trim().parse().expect("node id")))
        .collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let build = |threads: usize| -> (Graph, f64) {
        let t = Instant::now();
        let bytes = std::fs::read(&osm).expect("extract");
        let g = Graph::from_pbf(&bytes, threads).unwrap_or_else(|e| panic!("{osm}: {e}"));
        (g, t.elapsed().as_secs_f64() * 1e3)
    };
    let (g, _) = build(threads); // warm-up: the file in the page cache
    let (mut graph_ms, mut graph_1t_ms) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        graph_ms.push(build(threads).1);
        graph_1t_ms.push(build(1).1);
    }
    let (mut snap_ms, mut sources) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let loc = Locator::new(&g);
        sources = circle::place(&g, &loc, &list, 500.0).unwrap_or_else(|(k, e)| panic!("facility {}: {e}", k + 1));
        snap_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let (mut query_ms, mut within) = (Vec::new(), 0);
    for _ in 0..runs.max(50) {
        let t = Instant::now();
        let r = circle::nearest(&g, &sources, 1200.0);
        query_ms.push(t.elapsed().as_secs_f64() * 1e3);
        within = r.dist.iter().filter(|d| d.is_finite()).count();
    }
    // Coverage: 740,000 residents over one home per node; 10 types of 50 facilities each.
    let n = g.node_count() as u32;
    let homes: Vec<circle::Home> =
        (0..n).map(|i| circle::Home { node: i, residents: 740_000 / n + u32::from(i < 740_000 % n) }).collect();
    let mut seed = 42u64;
    let types: Vec<(Vec<u32>, f64)> = circle::catalogue::TYPES[..10]
        .iter()
        .map(|t| {
            let fac = (0..50)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 33) % u64::from(n)) as u32
                })
                .collect();
            (fac, f64::from(t.walk_m(&circle::catalogue::LEVELS).unwrap_or(1000)))
        })
        .collect();
    let (mut coverage_ms, mut shares) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        shares = types.iter().map(|(fac, m)| circle::coverage(&g, &homes, fac, *m).share()).collect();
        coverage_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let residents: u32 = homes.iter().map(|h| h.residents).sum();
    eprintln!("coverage shares of the 10 types over {residents} residents: {shares:.3?}");
    println!(
        "{{\"nodes\":{},\"edges\":{},\"facilities\":{},\"nodes_within\":{within},\"threads\":{threads},\"runs\":{runs},\
         \"graph\":{},\"graph_1_thread\":{},\"locator_and_place\":{},\"query\":{},\"coverage_10_types_740k\":{}}}",
        g.node_count(),
        g.edge_count(),
        sources.len(),
        stats(graph_ms),
        stats(graph_1t_ms),
        stats(snap_ms),
        stats(query_ms),
        stats(coverage_ms)
    );
}
