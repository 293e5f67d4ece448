//! The `shequ` binary's library half: the CLI, the demo city and benchmarks,
//! exposed so that integration tests drive exactly what users run.
#![forbid(unsafe_code)]

pub mod bench;
pub mod bench_cases;
pub mod bench_client;
pub mod bench_intake;
pub mod cli;
pub mod demo;
pub mod demo_cases;
pub mod demo_open311;
pub mod demo_providers;
pub mod pb_cmd;
