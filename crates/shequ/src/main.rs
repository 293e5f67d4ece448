//! `shequ`: one binary for the whole platform.
#![forbid(unsafe_code)]

use clap::Parser;

// Case intake hands many small buffers from request threads to the database's
// threads; mimalloc frees them across threads far more cheaply than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    // Logs go to stderr, so command output (pb solve, exports) stays clean on stdout.
    // RUST_LOG picks the level (error, warn, info, debug, trace); benchmarks default to warn so
    // that a line per request does not become what they measure.
    let bench = std::env::args().nth(1).as_deref() == Some("bench");
    let level = std::env::var("RUST_LOG").ok().and_then(|l| l.parse::<tracing::Level>().ok()).unwrap_or(if bench {
        tracing::Level::WARN
    } else {
        tracing::Level::INFO
    });
    // Colours only on a terminal: a log file or journal gets plain lines (and no escape codes to write).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = shequ::cli::run(shequ::cli::Cli::parse()).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
