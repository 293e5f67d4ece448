//! Replays the committed fuzz corpora of the file readers and the Open311 body
//! (fuzz/corpus/<target>/, minimised with `cargo fuzz cmin`) through the
//! functions the fuzz targets call, on the stable toolchain: every input that
//! once passed still passes (issue 12, point 14). Pure parsing: no database,
//! so nothing here differs between SQLite and PostgreSQL.

fn replay(target: &str, f: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.unwrap().path();
        f(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0, "{} is empty", dir.display());
}

#[test]
fn residents_file_corpus_replays_without_a_panic() {
    replay("residents_file", store::fuzz::fuzz_residents_file);
}

#[test]
fn list_xlsx_corpus_replays_without_a_panic() {
    replay("list_xlsx", store::fuzz::fuzz_list_xlsx);
}

#[test]
fn open311_form_corpus_replays_without_a_panic() {
    replay("open311_form", web::api::open311::fuzz::fuzz_open311_form);
}
