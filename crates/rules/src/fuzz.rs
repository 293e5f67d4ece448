//! The fuzzing entry point (issue 12, point 14) for the GB 11643 and GB 32100
//! checks: `fuzz/fuzz_targets/id_numbers.rs` calls it with libFuzzer's bytes,
//! and `crates/rules/tests/fuzz_corpus.rs` replays the committed corpus
//! through it on the stable toolchain.

use crate::{gb11643, gb32100};

/// Any bytes, as text, through both checks (the 18-character citizen ID, the
/// 15-digit legacy one, the mask; the social credit code). Must not panic, and
/// what a check accepts must satisfy it: a citizen ID is 18 characters whose
/// mask shows 4 and the check character; an accepted credit code re-validates
/// to itself and composes from its first 17 characters.
pub fn fuzz_id_numbers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let today = time::macros::date!(2026 - 12 - 06);
    for id in
        [gb11643::CitizenId::parse(&text, today), gb11643::CitizenId::from_legacy15(&text, today)].into_iter().flatten()
    {
        assert_eq!(id.as_str().len(), 18);
        assert_eq!(gb11643::mask(id.as_str()), id.masked());
        assert_eq!(id.masked().matches('*').count(), 13);
        assert!(id.birth_date <= today);
        let _ = id.age_on(today);
        assert_eq!(gb11643::CitizenId::parse(id.as_str(), today).as_ref(), Ok(&id));
    }
    let _ = gb11643::mask(&text);
    if let Ok(code) = gb32100::validate(&text) {
        assert_eq!(gb32100::validate(&code).as_deref(), Ok(code.as_str()));
        assert_eq!(gb32100::compose(&code[..17]).as_deref(), Some(code.as_str()));
        let _ = gb32100::is_civil_affairs_org(&code);
    }
    let _ = gb32100::check_char(text.as_bytes());
}
