//! Every election scenario of the shared data directory, tallied and compared
//! with the outcome written beside it (`expected`).

use std::path::PathBuf;

use election::{Ruleset, parse, tally};
use serde_json::Value;

/// `SHEQU_ELECTIONS_DIR` if set, else `../../../shared/data/elections` from the
/// crate, else `/work/shared/data/elections`. `None` (test skipped, loudly) if
/// the directory is missing, except under CI, where that is a failure.
fn data_dir() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("SHEQU_ELECTIONS_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/elections"),
            PathBuf::from("/work/shared/data/elections"),
        ],
    };
    if let Some(dir) = candidates.iter().find(|d| d.join("README.md").is_file()) {
        return Some(dir.clone());
    }
    // CI is any value but empty, `false` or `0`, as in crates/shequ/tests/common/mod.rs.
    if std::env::var("CI").is_ok_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "false" | "0")) {
        panic!("election scenarios not found in {candidates:?} (set SHEQU_ELECTIONS_DIR)");
    }
    // Recorded for scripts/test.sh, which lists skipped suites after cargo's summary.
    if let Some(file) = std::env::var_os("SHEQU_SKIPPED").filter(|f| !f.is_empty()) {
        use std::io::Write;
        let line = "election/tests/scenarios.rs: election scenarios (SHEQU_ELECTIONS_DIR) are not available\n";
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| f.write_all(line.as_bytes()));
    }
    eprintln!("\n*** SKIPPED: election scenarios not found in {candidates:?} (set SHEQU_ELECTIONS_DIR) ***\n");
    None
}

#[test]
fn every_shared_scenario_gives_its_expected_outcome() {
    let Some(dir) = data_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios in {}", dir.display());
    for f in &files {
        let s = parse(&std::fs::read_to_string(f).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let expected = s.expected.clone().unwrap_or_else(|| panic!("{}: no expected outcome", f.display()));
        let got = match tally(&s, &Ruleset::default()) {
            Ok(o) => serde_json::to_value(&o).unwrap(),
            Err(r) => serde_json::to_value(&r).unwrap(),
        };
        assert_eq!(got, expected, "{}", f.display());
    }
    eprintln!("{} election scenarios match their expected outcomes", files.len());
}

#[test]
fn the_shared_readme_example_shapes_hold() {
    // The README's refusal shape, on a scenario made here.
    let text = r#"{"round":"first","registered_voters":10,"ballots_issued":8,"ballots_returned":8,
        "posts":[{"post":"主任","seats":1,"candidates":["甲","乙","丙"]}],"ballots":[{"count":8,"votes":{}}]}"#;
    let r = tally(&parse(text).unwrap(), &Ruleset::default()).unwrap_err();
    let v: Value = serde_json::to_value(&r).unwrap();
    assert_eq!(v, serde_json::json!({"error": "candidate_list_out_of_bounds", "post": "主任"}));
}
