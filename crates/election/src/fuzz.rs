//! The fuzzing entry point (issue 12, point 14): `fuzz/fuzz_targets/scenario.rs`
//! calls it with libFuzzer's bytes, and `crates/election/tests/fuzz_corpus.rs`
//! replays the committed corpus through it on the stable toolchain.

/// Any bytes, as a scenario file: what [`crate::parse`] accepts is tallied
/// under the Anhui rules (a refusal is an answer, a panic is not).
pub fn fuzz_scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(s) = crate::parse(text) else { return };
    let _ = crate::tally(&s, &crate::Ruleset::anhui());
}
