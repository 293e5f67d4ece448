//! `shequ`: one binary for the whole platform.
#![forbid(unsafe_code)]

mod bench;
mod cli;
mod demo;
mod pb_cmd;

use anyhow::Result;
use clap::Parser;

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .init();
    let args = cli::Cli::parse();
    cli::run(args).await
}
