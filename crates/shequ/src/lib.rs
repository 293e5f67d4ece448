//! The `shequ` binary's library half: the CLI, the demo city and benchmarks,
//! exposed so that integration tests drive exactly what users run.
#![forbid(unsafe_code)]

pub mod bench;
pub mod circle_cmd;
pub mod circle_registry;
pub mod cli;
pub mod deliver;
pub mod demo;
pub mod election_cmd;
pub mod pb_cmd;
mod sweeps;
