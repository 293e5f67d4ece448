//! Replays the committed fuzz corpus of `id_numbers` (fuzz/corpus/id_numbers/, minimised with
//! `cargo fuzz cmin`) through the function the fuzz target calls, on the
//! stable toolchain: every input that once passed still passes (issue 12, point 14).

#[test]
fn id_numbers_corpus_replays_without_a_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/id_numbers");
    let mut n = 0;
    for f in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = f.unwrap().path();
        rules::fuzz::fuzz_id_numbers(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0, "{} is empty", dir.display());
}
