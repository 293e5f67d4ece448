//! The `.pb` writer.

use super::amount::{format_amount, parse_decimal, scaled};
use crate::model::{Election, VoteType};

pub(super) fn quote(s: &str) -> String {
    let needs = s.contains([';', '"', '\n', '\r']) || s.trim() != s;
    if needs { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

pub(super) fn push_row(out: &mut String, fields: &[String]) {
    let row: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    out.push_str(&row.join(";"));
    out.push('\n');
}

/// Serialises an election to the `.pb` format (`\n` line endings). The
/// `budget` and `vote_type` META values are written from the typed fields;
/// [`parse`] of the output yields an equal [`Election`].
pub fn write(e: &Election) -> String {
    let mut out = String::new();
    out.push_str("META\n");
    push_row(&mut out, &["key".into(), "value".into()]);
    let mut meta = e.meta.clone();
    // Keep the original spelling unless the typed value was changed.
    let budget_same =
        meta.get("budget").and_then(|b| parse_decimal(b)).and_then(|d| scaled(d, e.scale)) == Some(e.budget);
    if !budget_same {
        meta.insert("budget".into(), format_amount(e.budget, e.scale));
    }
    let vt_same = meta.get("vote_type").and_then(|v| VoteType::from_pabulib(v)) == Some(e.vote_type)
        || (e.vote_type == VoteType::Approval && !meta.contains_key("vote_type"));
    if !vt_same {
        meta.insert("vote_type".into(), e.vote_type.as_str().into());
    }
    for (k, v) in &meta {
        push_row(&mut out, &[k.clone(), v.clone()]);
    }

    out.push_str("PROJECTS\n");
    let mut pcols = e.project_columns.clone();
    for required in ["cost", "project_id"] {
        if !pcols.iter().any(|c| c == required) {
            pcols.insert(0, required.into());
        }
    }
    push_row(&mut out, &pcols);
    for p in &e.projects {
        let row: Vec<String> = pcols
            .iter()
            .map(|c| match c.as_str() {
                "project_id" => p.id.clone(),
                "cost" => format_amount(p.cost, e.scale),
                "name" => p.name.clone(),
                "category" => p.category.join(","),
                "target" => p.target.join(","),
                "selected" => p.selected.map(|s| s.to_string()).unwrap_or_default(),
                other => p.extra.get(other).cloned().unwrap_or_default(),
            })
            .collect();
        push_row(&mut out, &row);
    }

    out.push_str("VOTES\n");
    let mut vcols = e.vote_columns.clone();
    for required in ["vote", "voter_id"] {
        if !vcols.iter().any(|c| c == required) {
            vcols.insert(0, required.into());
        }
    }
    if e.ballots.iter().any(|b| b.points.is_some()) && !vcols.iter().any(|c| c == "points") {
        let at = vcols.iter().position(|c| c == "vote").map_or(vcols.len(), |i| i + 1);
        vcols.insert(at, "points".into());
    }
    push_row(&mut out, &vcols);
    for b in &e.ballots {
        let row: Vec<String> = vcols
            .iter()
            .map(|c| match c.as_str() {
                "voter_id" => b.voter_id.clone(),
                "vote" => b.approved.iter().map(|&p| e.projects[p].id.as_str()).collect::<Vec<_>>().join(","),
                "points" => b
                    .points
                    .as_ref()
                    .map(|v| v.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
                    .unwrap_or_default(),
                other => b.extra.get(other).cloned().unwrap_or_default(),
            })
            .collect();
        push_row(&mut out, &row);
    }
    out
}
