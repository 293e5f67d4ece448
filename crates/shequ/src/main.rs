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
    // A thread of its own writes the lines, buffered, once per burst: a request thread formats
    // its access-log line but does not make a write call per request (measured on intake,
    // BENCHMARKS.md). Not lossy: with the queue full, a request waits rather than lose its line.
    let (writer, flushed_at_drop) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("log-writer")
        .finish(std::io::BufWriter::new(std::io::stderr()));
    tracing_subscriber::fmt().with_max_level(level).with_target(false).with_ansi(ansi).with_writer(writer).init();
    let result = shequ::cli::run(shequ::cli::Cli::parse()).await;
    drop(flushed_at_drop);
    if let Err(e) = result {
        match e.downcast_ref::<shequ::cli::ExitStatus>() {
            Some(status) => std::process::exit(status.0),
            None => {
                eprintln!("error: {e:#}");
                std::process::exit(1);
            }
        }
    }
}
