//! Fuzzing entry points (issue 12, point 14) for the file readers, which are
//! pure (no database): `fuzz/fuzz_targets/{residents_file,list_xlsx}.rs` call
//! them with libFuzzer's bytes, and `crates/shequ/tests/fuzz_corpus.rs`
//! replays the committed corpora through them on the stable toolchain.

use lists::{ListKind, ListVersion};

/// Any bytes as an uploaded residents file: streamed as the import reads it
/// (CSV record by record, or XLSX when the bytes begin as a zip), and whole as
/// CSV and as XLSX. Every row read is a resident or a reason; nothing panics.
pub fn fuzz_residents_file(data: &[u8]) {
    if let Ok(rows) = crate::residents_file::open("upload", data.len() as u64, data) {
        for (_, row) in rows {
            if let Ok(v) = row {
                assert_eq!(v.id.as_str().len(), 18);
            }
        }
    }
    let _ = crate::residents_file::parse_csv(data);
    let _ = crate::residents_file::parse_xlsx(data);
}

/// Any bytes as a list workbook to import into a draft (the XLSX reader), and
/// as tab-separated rows through the same row reader the workbook's cells go
/// to. Rows the import would add are added to a draft of each list: `add`
/// must accept every one of them.
pub fn fuzz_list_xlsx(data: &[u8]) {
    let mut forms = crate::lists::read_entries_xlsx(data).unwrap_or_default();
    let text = String::from_utf8_lossy(data);
    let rows: Vec<Vec<String>> = text.lines().map(|l| l.split('\t').map(|c| c.trim().to_string()).collect()).collect();
    if let Ok(more) = lists::entry::forms_from_rows(&rows, 0) {
        forms.extend(more);
    }
    for kind in ListKind::ALL {
        let mut draft = ListVersion::draft(kind, 2, "");
        let (ok, _) = lists::entry::sort_import(&draft, &forms);
        for e in ok {
            let code = e.code.clone();
            if let Err(err) = draft.add(e) {
                panic!("an entry the import accepts ({code}) is refused by the draft: {err:?}");
            }
        }
    }
}
