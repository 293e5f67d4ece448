//! `shequ bench …`: measured figures for BENCHMARKS.md (run in release).
//!
//! One file per bench: `residents` (list and search latency, and the
//! residents file for timing imports), `finance` (claim approvals), `lists`
//! (the four lists at scale), `intake` (durable case intake over HTTP, with
//! its load generator in `client`) and `cases` (queue and statistics pages at
//! city scale).

mod cases;
mod circle;
mod client;
mod finance;
mod intake;
mod lists;
mod residents;
mod restore;

use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum BenchCmd {
    /// Residents list page and search at the loaded scale: server-side latency percentiles.
    Residents {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 300)]
        requests: usize,
    },
    /// Single-claim approvals per second (each: one durable transaction posting to the ledger),
    /// beside the machine's durable-write bound (empty write transactions per second).
    /// Run against a fresh `demo --scale small` database.
    Finance {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 300)]
        claims: usize,
    },
    /// Start-up: the in-memory ledger rebuilt from N stored postings (seeded as copies of the
    /// demo's first allocation) and the catalogue cached, by a fresh connection. Run on a demo database.
    Restore {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 1_000_000)]
        postings: usize,
    },
    /// The four lists at scale: publishes a new version of each list with N entries into the
    /// database, then times the public list pages' store path (`lists::in_force`, one list's
    /// versions) and the automatic checks (`lists::check`) of one application.
    Lists {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 5_000)]
        entries: usize,
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Durable case intake over HTTP: N concurrent clients post cases through the front-desk
    /// JSON API, the front-desk form and Open311 for a few seconds each, beside the machine's own
    /// bound for one-row durable transactions measured first in the same run.
    Intake {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the tiny demo.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// The service center's reading pages at city scale: seeds N cases (with their tallies) into
    /// the database, then times the back-office queue pages, the statistics and the league table,
    /// at the store and over HTTP through the real server (p50/p95/max).
    Cases {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the tiny demo.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        #[arg(long, default_value_t = 300)]
        requests: usize,
    },
    /// The living circle: coverage of every facility type over the registry's buildings (engine
    /// alone, and computed and stored), one community's coverage map page and the city's page.
    Circle {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the demo at --scale.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, value_enum, default_value = "small")]
        scale: crate::demo::Scale,
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Write a residents CSV of N rows with valid ID numbers (input for timing `residents import`).
    ResidentsFile {
        #[arg(long, default_value_t = 740_000)]
        rows: usize,
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub(crate) fn row(name: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.total_cmp(b));
    println!("| {name} | {:.2} | {:.2} | {:.2} |", pct(times, 0.5), pct(times, 0.95), times[times.len() - 1]);
}

pub async fn run(cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Intake { db, clients, seconds } => intake::run(db, clients, seconds).await,
        BenchCmd::Circle { db, scale, requests } => circle::run(db, scale, requests).await,
        BenchCmd::Cases { db, cases, requests } => cases::run(db, cases, requests).await,
        BenchCmd::Lists { db, entries, runs } => lists::run(db, entries, runs).await,
        BenchCmd::Finance { db, claims } => finance::run(db, claims).await,
        BenchCmd::Restore { db, postings } => restore::run(db, postings).await,
        BenchCmd::ResidentsFile { rows, to } => residents::write_file(rows, to),
        BenchCmd::Residents { db, requests } => residents::run(db, requests).await,
    }
}
