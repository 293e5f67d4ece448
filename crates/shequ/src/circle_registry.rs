//! `shequ circle import-facilities` and `shequ circle coverage`: the facilities registry from a
//! CSV, and coverage per facility type on a stored walking network (rules §7).

use anyhow::{Context, Result, anyhow, bail};
use std::path::Path;

/// A CSV's rows as (line, cells) with a column finder that takes English or Chinese names.
struct Table {
    header: Vec<String>,
    rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut r =
            csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = r.headers()?.iter().map(|h| h.trim().to_lowercase()).collect();
        let mut rows = Vec::new();
        for (k, rec) in r.records().enumerate() {
            rows.push((k + 2, rec.with_context(|| format!("{}: line {}", path.display(), k + 2))?));
        }
        Ok(Table { header, rows })
    }

    fn col(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.contains(&h.as_str()))
    }
}

fn cell(rec: &csv::StringRecord, col: Option<usize>) -> &str {
    col.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("")
}

fn number(rec: &csv::StringRecord, col: Option<usize>, what: &str, line: usize, errors: &mut Vec<String>) -> f64 {
    let v = cell(rec, col);
    v.parse().unwrap_or_else(|_| {
        errors.push(format!("line {line}: {what}「{v}」不是数字 / {what} {v:?} is not a number"));
        f64::NAN
    })
}

/// A CSV or XLSX file's rows, or every unreadable cell named with its line.
fn rows_of<T>(
    file: &Path,
    read: fn(&[(usize, Vec<String>)]) -> std::result::Result<Vec<T>, Vec<store::circle::Rejected>>,
) -> Result<Vec<T>> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let t =
        store::circle::file::table(&name, &bytes).map_err(|m| anyhow!("{}: {} / {}", file.display(), m.zh, m.en))?;
    read(&t).map_err(|r| refused(file, &r))
}

fn refused(file: &Path, rejected: &[store::circle::Rejected]) -> anyhow::Error {
    let lines: Vec<String> =
        rejected.iter().map(|r| format!("line {}: {}: {} / {}", r.line, r.field, r.msg.zh, r.msg.en)).collect();
    anyhow!("{}: nothing imported, {} rows refused:\n  {}", file.display(), rejected.len(), lines.join("\n  "))
}

pub async fn import_facilities(
    db: &crate::cli::DbArgs,
    network: Option<&str>,
    max_snap_m: f64,
    file: &Path,
) -> Result<()> {
    let rows = rows_of(file, store::circle::file::facilities_from)?;
    let d = crate::cli::open(db).await?;
    let g = match network {
        Some(n) => Some(
            store::circle::load_network(&d, n).await?.ok_or_else(|| anyhow!("没有路网 {n} / no network named {n}"))?.1,
        ),
        None => None,
    };
    match store::circle::import_facilities(&d, "cli", &rows, g.as_ref(), max_snap_m).await? {
        Ok(n) => {
            println!("{n} facilities added to the registry");
            Ok(())
        }
        Err(rejected) => Err(refused(file, &rejected)),
    }
}

pub async fn place_buildings(db: &crate::cli::DbArgs, file: &Path) -> Result<()> {
    let rows = rows_of(file, store::circle::file::buildings_from)?;
    let d = crate::cli::open(db).await?;
    let source = file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    match store::circle::homes::place_buildings(&d, "cli", &rows, &source, false).await? {
        Ok(n) => {
            println!("{n} buildings placed");
            Ok(())
        }
        Err(rejected) => Err(refused(file, &rejected)),
    }
}

pub async fn compute_coverage(db: &crate::cli::DbArgs, network: &str) -> Result<()> {
    let d = crate::cli::open(db).await?;
    let run = store::circle::homes::compute_coverage(&d, "cli", network).await?;
    let rows = store::circle::homes::rows(&d, run.id, None).await?;
    println!(
        "run {} on {} ({}): {} buildings, {} residents placed; {} buildings ({} residents) not placed",
        run.id,
        run.network_name,
        run.computed_on,
        run.buildings,
        run.residents,
        run.unplaced_buildings,
        run.unplaced_residents
    );
    println!("type_code,walk_m,facilities,residents,covered,share");
    for r in store::circle::homes::city(&rows) {
        let share = if r.residents == 0 { 0.0 } else { r.covered as f64 / r.residents as f64 };
        println!("{},{},{},{},{},{share:.4}", r.type_code, r.walk_m, r.facilities, r.residents, r.covered);
    }
    Ok(())
}

/// A stored network, its locator, and the homes of a CSV placed on it (every bad row listed).
async fn network_and_homes(
    d: &store::Db,
    network: &str,
    homes: &Path,
    max_snap_m: f64,
) -> Result<(circle::Graph, circle::Locator, Vec<circle::Home>)> {
    let t = Table::read(homes)?;
    let [lon, lat, people] = [&["lon", "经度"][..], &["lat", "纬度"], &["residents", "人数"]].map(|n| t.col(n));
    if lon.is_none() || lat.is_none() || people.is_none() {
        bail!("{}: 需要 经度、纬度、人数 三列 / needs lon, lat and residents columns", homes.display());
    }
    let (_, g) = store::circle::load_network(d, network)
        .await?
        .ok_or_else(|| anyhow!("没有路网 {network} / no network named {network}"))?;
    let loc = circle::Locator::new(&g);
    let mut errors = Vec::new();
    let mut placed = Vec::new();
    for (line, rec) in &t.rows {
        let (x, y) = (number(rec, lon, "lon", *line, &mut errors), number(rec, lat, "lat", *line, &mut errors));
        let residents = cell(rec, people).parse::<u32>().unwrap_or_else(|_| {
            errors.push(format!("line {line}: residents「{}」不是人数 / is not a count", cell(rec, people)));
            0
        });
        match loc.locate(&g, x, y, max_snap_m) {
            Ok(s) => placed.push(circle::Home { node: s.node, residents }),
            Err(e) if x.is_finite() && y.is_finite() => errors.push(format!("line {line}: {e}")),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        bail!("{}:\n  {}", homes.display(), errors.join("\n  "));
    }
    Ok((g, loc, placed))
}

/// A type's walking distance (its level's, or its own stricter radius) and its facilities' nodes.
async fn type_on_network(
    d: &store::Db,
    g: &circle::Graph,
    loc: &circle::Locator,
    ty: &store::circle::FacilityType,
    max_snap_m: f64,
) -> Result<Option<(i64, Vec<u32>)>> {
    let levels = store::circle::levels(d).await?;
    let Some(level) = levels.iter().find(|l| l.code == ty.level_code) else { return Ok(None) };
    let walk_m = ty.radius_m.map_or(level.walk_m, |r| r.min(level.walk_m));
    let mut nodes = Vec::new();
    for f in store::circle::facilities(d).await?.iter().filter(|f| f.type_code == ty.code) {
        let s = loc.locate(g, f.lon, f.lat, max_snap_m).map_err(|e| anyhow!("{} {}: {e}", ty.name, f.name))?;
        nodes.push(s.node);
    }
    Ok(Some((walk_m, nodes)))
}

pub async fn coverage(db: &crate::cli::DbArgs, network: &str, homes: &Path, max_snap_m: f64) -> Result<()> {
    let d = crate::cli::open(db).await?;
    let (g, loc, placed) = network_and_homes(&d, network, homes, max_snap_m).await?;
    store::circle::seed_catalogue(&d, "cli").await?;
    println!("type_code,type_name,walk_m,facilities,residents,covered,share");
    for ty in store::circle::facility_types(&d).await? {
        let Some((walk_m, nodes)) = type_on_network(&d, &g, &loc, &ty, max_snap_m).await? else { continue };
        let c = circle::coverage(&g, &placed, &nodes, walk_m as f64);
        println!("{},{},{walk_m},{},{},{},{:.4}", ty.code, ty.name, nodes.len(), c.residents, c.covered, c.share());
    }
    Ok(())
}

/// Greedy siting of `k` new facilities of one type among every node of the network (or the
/// candidates' lon,lat), printed as `node_id,lon,lat,added_residents` and a summary on stderr.
pub async fn site(
    db: &crate::cli::DbArgs,
    network: &str,
    type_text: &str,
    homes: &Path,
    k: usize,
    candidates: Option<&Path>,
    max_snap_m: f64,
) -> Result<()> {
    let d = crate::cli::open(db).await?;
    let (g, loc, placed) = network_and_homes(&d, network, homes, max_snap_m).await?;
    store::circle::seed_catalogue(&d, "cli").await?;
    let ty = store::circle::facility_types(&d)
        .await?
        .into_iter()
        .find(|t| t.code == type_text || t.name == type_text)
        .ok_or_else(|| {
            anyhow!("设施类型「{type_text}」不在目录中 / facility type {type_text:?} is not in the catalogue")
        })?;
    let (walk_m, existing) = type_on_network(&d, &g, &loc, &ty, max_snap_m)
        .await?
        .ok_or_else(|| anyhow!("{}: 没有层级 / no level", ty.name))?;
    let cands: Vec<u32> = match candidates {
        None => (0..g.node_count() as u32).collect(),
        Some(path) => {
            let list = crate::circle_cmd::read_facilities(path)?;
            circle::place(&g, &loc, &list, max_snap_m)
                .map_err(|(k, e)| anyhow!("{}: line {}: {e}", path.display(), k + 2))?
        }
    };
    let s = circle::site(&g, &placed, &existing, &cands, walk_m as f64, k);
    println!("node_id,lon,lat,added_residents");
    for (n, add) in &s.sites {
        let i = *n as usize;
        println!("{},{:.7},{:.7},{add}", g.ids[i], g.lon[i], g.lat[i]);
    }
    let pct = |x: u64| if s.residents == 0 { 0.0 } else { 100.0 * x as f64 / s.residents as f64 };
    eprintln!(
        "{}（{walk_m} 米）：覆盖 {} → {} / {} 人（{:.1}% → {:.1}%）；贪心最大覆盖，不少于最优的 1 − 1/e ≈ 63% / \
         {} within {walk_m} m: {} → {} of {} residents; greedy maximum coverage, at least 1 − 1/e of the best k sites",
        ty.name,
        s.covered_before,
        s.covered_after,
        s.residents,
        pct(s.covered_before),
        pct(s.covered_after),
        ty.code,
        s.covered_before,
        s.covered_after,
        s.residents
    );
    Ok(())
}
