//! `shequ election tally`: the real binary on the shared election scenarios,
//! on a refused scenario and on files that are not scenarios. No database.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// `SHEQU_ELECTIONS_DIR` if set, else `../../../shared/data/elections` from the
/// crate, else `/work/shared/data/elections`. `None` (skipped, loudly) if missing,
/// except under CI, where that is a failure.
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
    if std::env::var("CI").is_ok_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "false" | "0")) {
        panic!("election scenarios not found in {candidates:?} (set SHEQU_ELECTIONS_DIR)");
    }
    if let Some(file) = std::env::var_os("SHEQU_SKIPPED").filter(|f| !f.is_empty()) {
        use std::io::Write;
        let line = "shequ/tests/election.rs: election scenarios (SHEQU_ELECTIONS_DIR) are not available\n";
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| f.write_all(line.as_bytes()));
    }
    eprintln!("\n*** SKIPPED: election scenarios not found in {candidates:?} (set SHEQU_ELECTIONS_DIR) ***\n");
    None
}

/// Run `shequ election tally FILE`: (exit code, stdout as JSON, stderr).
fn run(file: &Path) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shequ")).args(["election", "tally"]).arg(file).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}"));
    (out.status.code().unwrap_or(-1), v, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shequ-election-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn the_binary_prints_each_shared_scenarios_expected_outcome() {
    let Some(dir) = data_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in &files {
        let expected: Value =
            serde_json::from_str::<Value>(&std::fs::read_to_string(f).unwrap()).unwrap()["expected"].clone();
        let (code, got, stderr) = run(f);
        assert_eq!(got, expected, "{}", f.display());
        assert_eq!(code, if expected.get("error").is_some() { 2 } else { 0 }, "{}: {stderr}", f.display());
    }
}

#[test]
fn a_refused_scenario_prints_error_and_post_and_exits_2() {
    let f = temp(
        "refused.json",
        r#"{"round":"first","registered_voters":10,"ballots_issued":8,"ballots_returned":8,
            "posts":[{"post":"主任","seats":1,"candidates":["甲","乙"]},{"post":"委员","seats":3,"candidates":["甲"]}],
            "ballots":[{"count":8,"votes":{}}]}"#,
    );
    let (code, v, stderr) = run(&f);
    assert_eq!(code, 2);
    assert_eq!(v, json!({"error": "candidate_list_out_of_bounds", "post": "委员"}));
    assert!(stderr.contains("rule 2.8"), "{stderr}");
}

#[test]
fn unreadable_or_malformed_files_are_a_clear_error_exiting_2() {
    let (code, v, _) = run(Path::new("/nonexistent/scenario.json"));
    assert_eq!((code, v["error"].as_str()), (2, Some("unreadable_scenario")));
    let f = temp("malformed.json", "{\"round\": \"first\",\n \"registered_voters\": \"many\"}");
    let (code, v, stderr) = run(&f);
    assert_eq!((code, v["error"].as_str()), (2, Some("malformed_scenario")));
    assert!(v["at"].as_str().unwrap().starts_with("line 2 "), "{v}");
    assert!(v["message"]["zh"].as_str().unwrap().contains("格式错误"));
    assert!(stderr.contains("malformed"), "{stderr}");
}
