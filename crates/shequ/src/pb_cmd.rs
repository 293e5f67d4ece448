//! `shequ pb …`: participatory budgeting on pabulib files.

use anyhow::{Result, bail};
use std::path::Path;

pub fn solve(_rule: &str, _tie: &str, _json: bool, _file: &Path) -> Result<()> {
    bail!("pb solve is not wired yet")
}
