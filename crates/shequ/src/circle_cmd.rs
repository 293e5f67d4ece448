//! `shequ circle …`: the 15-minute living circle on a real OpenStreetMap extract.

use anyhow::{Context, Result, anyhow, bail};
use circle::{Facility, Graph, Locator};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Subcommand)]
pub enum CircleCmd {
    /// For every node of the walking graph, the walking distance to the nearest facility:
    /// `node_id,dist_m` lines (empty distance: none within --max-m, or unreachable).
    Nearest {
        /// An OpenStreetMap extract (.osm.pbf).
        #[arg(long)]
        osm: PathBuf,
        /// CSV with a header and a `node_id` column (graph nodes) or `lon,lat` columns (WGS 84
        /// degrees, snapped to the nearest graph node); other columns are ignored.
        #[arg(long)]
        facilities: PathBuf,
        /// The walking-distance limit in metres.
        #[arg(long, default_value_t = 1200.0)]
        max_m: f64,
        /// A lon,lat facility farther than this from every graph node is refused as off the network.
        #[arg(long, default_value_t = 500.0)]
        max_snap_m: f64,
        /// Print the time of each step (ms) to stderr.
        #[arg(long)]
        timing: bool,
    },
    /// Build the walking graph of an extract and store it in the database (one transaction,
    /// with a progress bar), so the server needs no re-import.
    ImportOsm {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        /// The network's name (default: the file's name without .osm.pbf).
        #[arg(long)]
        name: Option<String>,
        file: PathBuf,
    },
    /// Add facilities to the registry from a CSV or XLSX (all or nothing): columns type/类型 (catalogue
    /// code or name), name/名称, lon/经度, lat/纬度, and optionally capacity/容量,
    /// opening_hours/开放时间, owner/权属, former_street_office/原街道办 (是/yes/1).
    ImportFacilities {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        /// A stored network the facilities must lie on (within --max-snap-m).
        #[arg(long)]
        network: Option<String>,
        #[arg(long, default_value_t = 500.0)]
        max_snap_m: f64,
        file: PathBuf,
    },
    /// Place the residents registry's buildings on the map from a CSV or XLSX (all or nothing):
    /// columns community/社区 (code or name), building/楼栋 (as the registry names it), lon/经度, lat/纬度.
    PlaceBuildings {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        file: PathBuf,
    },
    /// Compute coverage on a stored network over the registry's placed buildings, for every
    /// facility type, and store it (per community, the city, and the buildings outside the standard).
    ComputeCoverage {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long)]
        network: String,
    },
    /// Where to build next: k new sites of a facility type that cover the most residents not yet
    /// within its walking distance (greedy maximum coverage, at least 1 − 1/e of the best).
    Site {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long)]
        network: String,
        /// A catalogue code or name (幼儿园).
        #[arg(long = "type")]
        type_text: String,
        #[arg(long)]
        homes: PathBuf,
        #[arg(long, default_value_t = 3)]
        k: usize,
        /// Candidate sites (node_id or lon,lat columns); default: every node of the network.
        #[arg(long)]
        candidates: Option<PathBuf>,
        #[arg(long, default_value_t = 500.0)]
        max_snap_m: f64,
    },
    /// Coverage per facility type on a stored network: the share of residents whose walking
    /// distance to the nearest facility of the type is within its level's distance (rules §7).
    /// Homes: a CSV with lon/经度, lat/纬度 and residents/人数 columns.
    Coverage {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long)]
        network: String,
        #[arg(long)]
        homes: PathBuf,
        #[arg(long, default_value_t = 500.0)]
        max_snap_m: f64,
    },
}

pub async fn run(cmd: CircleCmd) -> Result<()> {
    match cmd {
        CircleCmd::Nearest { osm, facilities, max_m, max_snap_m, timing } => {
            nearest(&osm, &facilities, max_m, max_snap_m, timing)
        }
        CircleCmd::ImportOsm { db, name, file } => import_osm(&db, name, &file).await,
        CircleCmd::ImportFacilities { db, network, max_snap_m, file } => {
            crate::circle_registry::import_facilities(&db, network.as_deref(), max_snap_m, &file).await
        }
        CircleCmd::PlaceBuildings { db, file } => crate::circle_registry::place_buildings(&db, &file).await,
        CircleCmd::ComputeCoverage { db, network } => crate::circle_registry::compute_coverage(&db, &network).await,
        CircleCmd::Site { db, network, type_text, homes, k, candidates, max_snap_m } => {
            crate::circle_registry::site(&db, &network, &type_text, &homes, k, candidates.as_deref(), max_snap_m).await
        }
        CircleCmd::Coverage { db, network, homes, max_snap_m } => {
            crate::circle_registry::coverage(&db, &network, &homes, max_snap_m).await
        }
    }
}

async fn import_osm(db: &crate::cli::DbArgs, name: Option<String>, file: &Path) -> Result<()> {
    // The file is read and checked before the database is touched.
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let x = circle::Extract::from_pbf(&bytes, threads()).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let g = &x.graph;
    let source = file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.unwrap_or_else(|| source.trim_end_matches(".pbf").trim_end_matches(".osm").to_string());
    let d = crate::cli::open(db).await?;
    let bar = indicatif::ProgressBar::new((g.node_count() + g.edge_count() + x.places.len()) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} eta {eta}")
            .unwrap_or(indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("节点、路段、建筑和设施 / nodes, edges, buildings and amenities");
    let net = store::circle::import_network(&d, "cli", &name, &source, g, &x.places, |n| bar.inc(n as u64))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    bar.finish_and_clear();
    let (buildings, amenities) = store::circle::place_counts(&d, net.id).await?;
    println!(
        "imported walking network {} (id {}) from {}: {} nodes, {} edges; {buildings} buildings, {amenities} amenities",
        net.name, net.id, net.source, net.node_count, net.edge_count
    );
    Ok(())
}

/// Threads for decoding an extract's blocks.
pub fn threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Reads an extract and builds its walking graph; errors name the file.
pub fn read_graph(osm: &Path) -> Result<Graph> {
    let bytes = std::fs::read(osm).with_context(|| format!("reading {}", osm.display()))?;
    Graph::from_pbf(&bytes, threads()).map_err(|e| anyhow!("{}: {e}", osm.display()))
}

/// A facilities file: its header names a `node_id` column, or `lon` and `lat` columns.
pub fn read_facilities(path: &Path) -> Result<Vec<Facility>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.display();
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> =
        r.headers().with_context(|| format!("{name}: no header"))?.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    let form = match (col("node_id"), col("lon").zip(col("lat"))) {
        (Some(i), _) => Ok(i),
        (None, Some(xy)) => Err(xy),
        (None, None) => bail!(
            "{name}: 设施文件需要 node_id 列或 lon、lat 两列 / the facilities file needs a node_id column or lon and lat columns (header: {})",
            header.join(",")
        ),
    };
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let line = k + 2;
        let rec = rec.with_context(|| format!("{name}: line {line}"))?;
        let at = |what: &str| format!("{name}: line {line}: {what}");
        out.push(match form {
            Ok(i) => {
                let v = cell(&rec, i).ok_or_else(|| anyhow!("{} 为空 / is empty", at("node_id")))?;
                Facility::Node(
                    v.parse().map_err(|_| anyhow!("{}「{v}」不是整数 / {v:?} is not an integer", at("node_id")))?,
                )
            }
            Err((x, y)) => {
                let num = |i: usize, what: &str| -> Result<f64> {
                    let v = cell(&rec, i).ok_or_else(|| anyhow!("{} 为空 / is empty", at(what)))?;
                    v.parse::<f64>().map_err(|_| anyhow!("{}「{v}」不是数字 / {v:?} is not a number", at(what)))
                };
                Facility::LonLat { lon: num(x, "lon")?, lat: num(y, "lat")? }
            }
        });
    }
    if out.is_empty() {
        bail!("{name}: 没有设施 / no facilities in the file");
    }
    Ok(out)
}

/// A non-empty, trimmed cell.
fn cell(rec: &csv::StringRecord, i: usize) -> Option<&str> {
    rec.get(i).map(str::trim).filter(|v| !v.is_empty())
}

fn nearest(osm: &Path, facilities: &Path, max_m: f64, max_snap_m: f64, timing: bool) -> Result<()> {
    if !(max_m.is_finite() && max_m >= 0.0) {
        bail!("--max-m must be a distance in metres ≥ 0");
    }
    let t0 = Instant::now();
    let list = read_facilities(facilities)?;
    let g = read_graph(osm)?;
    let t1 = Instant::now();
    let loc = Locator::new(&g);
    let sources = circle::place(&g, &loc, &list, max_snap_m)
        .map_err(|(k, e)| anyhow!("{}: line {}: {e}", facilities.display(), k + 2))?;
    let t2 = Instant::now();
    let r = circle::nearest(&g, &sources, max_m);
    let t3 = Instant::now();
    let print = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        writeln!(out, "node_id,dist_m")?;
        for (i, id) in g.ids.iter().enumerate() {
            match r.within(i) {
                Some(d) => writeln!(out, "{id},{d:.6}")?,
                None => writeln!(out, "{id},")?,
            }
        }
        out.flush()
    };
    match print() {
        // A reader that stops early (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other?,
    }
    if timing {
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        eprintln!(
            "nodes={} edges={} read_and_graph_ms={:.3} snap_ms={:.3} query_ms={:.3} write_ms={:.3}",
            g.node_count(),
            g.edge_count(),
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3),
            ms(t3, Instant::now())
        );
    }
    Ok(())
}
