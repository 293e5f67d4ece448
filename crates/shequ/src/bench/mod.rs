//! `shequ bench …`: measured figures for BENCHMARKS.md (run in release).
//!
//! One file per bench: `residents` (list and search latency, and the
//! residents file for timing imports), `finance` (claim approvals), `lists`
//! (the four lists at scale), `intake` (durable case intake over HTTP, with
//! its load generator in `client`) and `cases` (queue and statistics pages at
//! city scale), `election` (every community's roll, and a count of 30,000 ballots entered through the API).

mod baseline;
mod cases;
mod circle;
mod client;
mod election;
mod finance;
mod intake;
mod lists;
mod notify;
mod residents;
mod restore;
mod wrk;

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
    /// Durable case intake through the front door of a real `shequ serve` process (Open311, the
    /// front desk's JSON API and form), beside a minimal one-row server and a minimal group-commit
    /// server, each a process of its own, all driven by `wrk -t2 -cN`, in alternating rounds.
    /// With `--in-process`: the older bench whose clients run inside this process (and which
    /// also times the store without HTTP).
    Intake {
        /// With --in-process only. Default: a fresh SQLite file, loaded with the tiny demo.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        #[arg(long)]
        in_process: bool,
    },
    /// One of the minimal servers `bench intake` compares against (see bench/baseline.rs).
    Baseline {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, value_enum)]
        mode: baseline::Mode,
        #[arg(long, default_value = "127.0.0.1:18999")]
        listen: String,
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
        /// The database's sealing key (default: a new one beside a fresh database).
        #[arg(long)]
        key_file: Option<std::path::PathBuf>,
    },
    /// The outbox's delivery (issue 19): N queued SMS to a local fake gateway (signed, each
    /// checked), then case intake (store path) alone and while another N are delivered.
    Notify {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the tiny demo.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 10_000)]
        messages: usize,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Alternating rounds of intake alone and intake while delivering.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// The gateway's rate cap, messages a second, sent at an even pace (SHEQU_SMS_RATE in serve).
        #[arg(long, default_value_t = 1250)]
        rate: u64,
        /// Messages claimed and settled in one transaction (SHEQU_NOTIFY_BATCH in serve).
        #[arg(long, default_value_t = 2500)]
        batch: i64,
        /// A gateway already running (`shequ sms-sink --quiet`, secret `bench-secret`), its /sms URL.
        /// Default: `shequ sms-sink --quiet` started by the bench as a process of its own.
        #[arg(long)]
        gateway: Option<String>,
        /// The niceness of the sink process the bench starts (0: as the bench's own).
        #[arg(long, default_value_t = 0)]
        sink_nice: i32,
        /// Instead of the rounds: one continuous intake run with delivery switched on and off every
        /// this many seconds (--rounds pairs, in ABBA order), which resolves a small effect sooner.
        #[arg(long)]
        interleave: Option<u64>,
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
    /// Residents' committee elections (issue 15): every community's voter roll built, cross-checked
    /// (rule 2.2) and published, timed together; then N ballots of the largest roll entered through
    /// the JSON API as tally sheets of --per-box ballots, and the count after the last one.
    Election {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the demo at --scale.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, value_enum, default_value = "city")]
        scale: crate::demo::Scale,
        #[arg(long, default_value_t = 30_000)]
        ballots: u64,
        #[arg(long, default_value_t = 500)]
        per_box: u64,
    },
    /// Write a residents CSV of N rows with valid ID numbers (input for timing `residents import`).
    ResidentsFile {
        #[arg(long, default_value_t = 740_000)]
        rows: usize,
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

/// An item the intake benches' bodies can take at the counter: no required
/// question to answer, and no applicant's ID number to give (rule I1).
pub(crate) fn takes_bench_body(i: &store::cases::Item) -> bool {
    i.takes(store::cases::Channel::Counter)
        && !i.questions.iter().any(|q| q.required)
        && !::cases::intake::i1_needs_id_number(i.materials_list())
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
        BenchCmd::Intake { db, clients, seconds, in_process: true, .. } => intake::run(db, clients, seconds).await,
        BenchCmd::Intake { clients, seconds, rounds, .. } => wrk::run(seconds, rounds, clients).await,
        BenchCmd::Baseline { db, mode, listen } => baseline::serve(db, listen, mode).await,
        BenchCmd::Circle { db, scale, requests } => circle::run(db, scale, requests).await,
        BenchCmd::Election { db, scale, ballots, per_box } => election::run(db, scale, ballots, per_box).await,
        BenchCmd::Notify { db, messages, clients, seconds, rounds, rate, batch, gateway, sink_nice, interleave } => {
            let shape =
                notify::Shape { messages, clients, seconds, rounds, rate, batch, gateway, sink_nice, interleave };
            notify::run(db, shape).await
        }
        BenchCmd::Cases { db, cases, requests, key_file } => cases::run(db, cases, requests, key_file).await,
        BenchCmd::Lists { db, entries, runs } => lists::run(db, entries, runs).await,
        BenchCmd::Finance { db, claims } => finance::run(db, claims).await,
        BenchCmd::Restore { db, postings } => restore::run(db, postings).await,
        BenchCmd::ResidentsFile { rows, to } => residents::write_file(rows, to),
        BenchCmd::Residents { db, requests } => residents::run(db, requests).await,
    }
}
