//! The fuzzing entry point (issue 12, point 14): `fuzz/fuzz_targets/pabulib.rs`
//! calls it with libFuzzer's bytes, and `tests/fuzz_corpus.rs` replays the
//! committed corpus through it on the stable toolchain.

/// Any bytes: read as a `.pb` file; what reads is written back, read again
/// (it must read), and solved by greedy approval. Must not panic.
pub fn fuzz_pabulib(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(election) = crate::parse(text) else { return };
    let again = crate::write(&election);
    if let Err(e) = crate::parse(&again) {
        panic!("a parsed election written back does not read: {e}\n{again}");
    }
    let _ = crate::solve(&election, crate::Rule::Greedy, crate::TieBreak::default());
}
