//! `shequ`: one binary for the whole platform.
#![forbid(unsafe_code)]

use clap::Parser;

#[tokio::main]
async fn main() {
    // Logs go to stderr, so command output (pb solve, exports) stays clean on stdout.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = shequ::cli::run(shequ::cli::Cli::parse()).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
