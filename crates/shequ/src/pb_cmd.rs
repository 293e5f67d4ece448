//! `shequ pb …`: participatory budgeting on pabulib files.

use anyhow::{Context, Result, anyhow};
use std::path::Path;

fn read(file: &Path) -> Result<pb::Election> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    pb::parse(&text).map_err(|e| anyhow!("{}:{}: {}", file.display(), e.line, e.message))
}

/// Print the projects a rule selects, one id per line (or the whole outcome as JSON).
pub fn solve(rule: &str, tie: &str, json: bool, timing: bool, file: &Path) -> Result<()> {
    let rule: pb::Rule = rule.parse().map_err(|e| anyhow!("{e:?}"))?;
    let tie: pb::TieBreak = match tie {
        "pabutools" => pb::TieBreak::Lexicographic,
        other => other.parse().map_err(|e| anyhow!("{e:?}"))?,
    };
    let t0 = std::time::Instant::now();
    let election = read(file)?;
    let t1 = std::time::Instant::now();
    let outcome = pb::solve(&election, rule, tie);
    if timing {
        eprintln!("parse_ms={:.3} solve_ms={:.3}", (t1 - t0).as_secs_f64() * 1e3, t1.elapsed().as_secs_f64() * 1e3);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        for id in &outcome.selected {
            println!("{id}");
        }
    }
    Ok(())
}

/// Load a pabulib file as a closed call of a community, with its result.
pub async fn import(db: &store::Db, community: &str, rule: &str, file: &Path) -> Result<()> {
    let election = read(file)?;
    let call =
        store::budgeting::import_election(db, "cli", community, &election, rule).await.map_err(|e| anyhow!("{e}"))?;
    let outcome = store::budgeting::result(db, call.id).await?.ok_or_else(|| anyhow!("no result"))?;
    println!(
        "imported call {} ({} projects, {} ballots); {} selected {} projects",
        call.id,
        election.projects.len(),
        election.ballots.len(),
        rule,
        outcome.selected.len()
    );
    Ok(())
}

/// Write a call's approved projects and ballots as a pabulib file.
pub async fn export(db: &store::Db, call_id: i64, to: &Path) -> Result<()> {
    let call = store::budgeting::call(db, call_id).await.map_err(|e| anyhow!("{e}"))?;
    let projects = store::budgeting::projects(db, call_id).await?;
    let election = store::budgeting::election(db, &call, &projects).await?;
    std::fs::write(to, pb::write(&election))?;
    println!("wrote call {call_id} to {}", to.display());
    Ok(())
}
