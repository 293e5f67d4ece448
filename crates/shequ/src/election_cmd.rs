//! `shequ election tally SCENARIO.json`: one round counted by the `election`
//! engine, printed as JSON on standard output.
//!
//! Exit codes: 0 with the outcome; 2 with `{"error": …, "post": …}` when the
//! rules refuse the scenario (`candidate_list_out_of_bounds`, `ballot_count_mismatch`),
//! and 2 as well when the file cannot be read (`unreadable_scenario`) or is not a
//! scenario (`malformed_scenario`, with `at` and a bilingual `message`). The
//! reason in words goes to standard error.

use std::path::Path;

use serde_json::json;

/// Count the round in `file`; returns the exit code and what to print on stdout.
pub fn tally(file: &Path, combined_ballot: bool) -> (i32, String) {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            let out = json!({"error": "unreadable_scenario", "post": null, "message": {
                "zh": format!("无法读取文件：{e}"), "en": format!("cannot read the file: {e}")}});
            return (2, out.to_string());
        }
    };
    let scenario = match election::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            let out = json!({"error": "malformed_scenario", "post": null, "at": e.at, "message": e.msg});
            return (2, out.to_string());
        }
    };
    let rs = election::Ruleset { aggregate_combined_ballot: combined_ballot, ..election::Ruleset::default() };
    match election::tally(&scenario, &rs) {
        Ok(outcome) => (0, serde_json::to_string_pretty(&outcome).unwrap_or_default()),
        Err(refusal) => {
            eprintln!("refused: {}", refusal.msg);
            (2, serde_json::to_string(&refusal).unwrap_or_default())
        }
    }
}
