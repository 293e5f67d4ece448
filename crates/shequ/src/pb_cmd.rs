//! `shequ pb …`: participatory budgeting on pabulib files.

use anyhow::{Context, Result, anyhow};
use std::path::Path;

/// Print the projects a rule selects, one id per line (or the whole outcome as JSON).
pub fn solve(rule: &str, tie: &str, json: bool, file: &Path) -> Result<()> {
    let rule: pb::Rule = rule.parse().map_err(|e| anyhow!("{e:?}"))?;
    let tie: pb::TieBreak = match tie {
        "pabutools" => pb::TieBreak::Lexicographic,
        other => other.parse().map_err(|e| anyhow!("{e:?}"))?,
    };
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let election = pb::parse(&text).map_err(|e| anyhow!("{}:{}: {}", file.display(), e.line, e.message))?;
    let outcome = pb::solve(&election, rule, tie);
    if json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        for id in &outcome.selected {
            println!("{id}");
        }
    }
    Ok(())
}
