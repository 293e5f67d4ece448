//! Times every rule on every pabulib file of the shared data directory
//! (one warm-up run, then the median of 5; building the deduplicated
//! profile is included, parsing the file is not) and
//! compares with pabutools 1.2.3's time and outcome from
//! `reference_outcomes.json`.
//!
//! `cargo run -p pb --release --example pb_bench [DIR]`

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use pb::{Rule, TieBreak};
use serde_json::Value;

fn data_dir() -> PathBuf {
    if let Some(d) = std::env::args().nth(1) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("SHEQU_PABULIB_DIR") {
        return PathBuf::from(d);
    }
    let rel = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pabulib");
    if rel.is_dir() {
        return rel;
    }
    PathBuf::from("/work/shared/data/pabulib")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn fmt_dur(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

fn main() {
    let dir = data_dir();
    let refs: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("reference_outcomes.json")).expect("reference_outcomes.json"),
    )
    .expect("valid JSON");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("data dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pb"))
        .collect();
    files.sort();
    let rules: [(Rule, &str); 7] = [
        (Rule::Greedy, "greedy_av"),
        (Rule::GreedyPoints, "greedy_points"),
        (Rule::Mes, "mes"),
        (Rule::MesAdd1, "mes_add1"),
        (Rule::MesAdd1Greedy, "mes_add1_greedy"),
        (Rule::Phragmen, "phragmen"),
        (Rule::MesCardinality, "-"),
    ];
    println!("| file | voters | uniq | rule | ours (median of 5) | pabutools | speed-up | outcome |");
    println!("|---|---:|---:|---|---:|---:|---:|---|");
    let (mut matched, mut mismatched, mut min_speedup) = (0, 0, f64::INFINITY);
    for f in &files {
        let text = std::fs::read_to_string(dir.join(f)).expect("readable file");
        let e = pb::parse(&text).unwrap_or_else(|err| panic!("{f}: {err}"));
        let uniq = pb::Profile::new(&e).n_ballots();
        let r = &refs[f.as_str()];
        let short: String = f.trim_end_matches(".pb").chars().take(34).collect();
        for (rule, key) in rules {
            if rule == Rule::GreedyPoints && e.vote_type != pb::VoteType::Cumulative {
                continue;
            }
            let mut times = Vec::new();
            let mut out = Some(pb::solve(&e, rule, TieBreak::Lexicographic)); // warm-up
            for _ in 0..5 {
                let t = Instant::now();
                let o = pb::solve(&e, rule, TieBreak::Lexicographic);
                times.push(t.elapsed());
                out = Some(o);
            }
            let ours = median(times);
            let out = out.expect("ran");
            let got: BTreeSet<&str> = out.selected.iter().map(String::as_str).collect();
            let expected = &r["outcomes"][key];
            let verdict = if key == "-" {
                "(no reference)".to_string()
            } else if expected.get("status").is_some() || expected.is_null() {
                "(pabutools timed out)".to_string()
            } else {
                let want: BTreeSet<&str> =
                    expected.as_array().expect("list").iter().map(|x| x.as_str().expect("id")).collect();
                if want == got {
                    matched += 1;
                    "match".to_string()
                } else {
                    mismatched += 1;
                    "MISMATCH".to_string()
                }
            };
            let tkey = if key == "mes_add1_greedy" { "mes_add1" } else { key };
            let t = &r["times"][tkey];
            let mut secs = t["seconds"].as_f64();
            if key == "mes_add1_greedy"
                && let (Some(s), Some(g)) = (secs, t["greedy_completion_s"].as_f64())
            {
                secs = Some(s + g);
            }
            let timeout = t["status"].as_str() == Some("timeout");
            let (pabu, speed) = match secs {
                Some(s) if timeout => (format!("> {s:.1} s"), format!("> {:.0}×", s / ours.as_secs_f64())),
                Some(s) => {
                    let x = s / ours.as_secs_f64();
                    if s >= 0.01 {
                        min_speedup = f64::min(min_speedup, x);
                    }
                    (format!("{s:.3} s"), format!("{x:.0}×"))
                }
                None => ("-".into(), "-".into()),
            };
            println!(
                "| {short} | {} | {uniq} | {rule} | {} | {pabu} | {speed} | {verdict} |",
                e.ballots.len(),
                fmt_dur(ours),
            );
        }
    }
    println!(
        "\n{matched} outcomes match pabutools, {mismatched} differ; smallest speed-up where pabutools took ≥ 10 ms: {min_speedup:.0}×"
    );
}
