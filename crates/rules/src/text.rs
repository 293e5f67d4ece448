//! Text that people type: the one check every value entering shequ passes
//! (issue 12, point 11; no section of rules.md — these protect what the
//! registry, the public pages and the exports show). Three rules:
//!
//! - **T1** no control character but tab, line feed and carriage return: a NUL
//!   ends a string in C tools and PostgreSQL refuses it in text;
//! - **T2** no bidirectional embedding, override or isolate (U+202A–U+202E,
//!   U+2066–U+2069): they make a name or a title read differently from what it
//!   is ("Trojan Source");
//! - **T3** not invisible only: a value that holds a zero-width or other
//!   invisible character and nothing visible is no name or title at all
//!   (`"\u{200B}"` passes `str::trim().is_empty()`).
//!
//! The web layer runs [`check`] on every field of every form and JSON body
//! (`web::text`); the residents import runs it on every cell.

use crate::Msg;

/// Bidirectional embeddings, overrides and isolates (T2).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing: whitespace, zero-width characters, the word
/// joiner, the byte-order mark, soft hyphen, Hangul fillers and the like.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Why this value may not be taken (T1, T2, T3), or Ok.
pub fn check(value: &str) -> Result<(), Msg> {
    if value.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(Msg::new("含有不可见的控制字符（如空字符）", "contains a control character (such as NUL)"));
    }
    if value.chars().any(is_bidi_control) {
        return Err(Msg::new("含有改变文字方向的控制字符", "contains a bidirectional override character"));
    }
    if !value.is_empty() && value.chars().all(is_invisible) && !value.trim().is_empty() {
        return Err(Msg::new("只有不可见的字符", "holds only invisible characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_t1_control_characters_are_refused_tab_and_newlines_taken() {
        assert!(check("王小明").is_ok());
        assert!(check("第一行\n第二行\r\n\t缩进").is_ok());
        assert!(check("王\0明").is_err());
        assert!(check("\u{7}").is_err());
        assert!(check("a\u{85}b").is_err());
    }

    #[test]
    fn rule_t2_bidirectional_overrides_are_refused() {
        assert!(check("مرحبا 你好").is_ok(), "right-to-left text itself is fine");
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            assert!(check(&format!("项目{c}名称")).is_err(), "{:X}", c as u32);
        }
    }

    #[test]
    fn rule_t3_invisible_only_is_refused_blank_and_joined_text_taken() {
        for v in ["\u{200B}", "\u{200B}\u{200C}\u{200D}", " \u{FEFF} ", "\u{2060}", "\u{3164}"] {
            assert!(check(v).is_err(), "{v:?}");
        }
        // Empty and plain blanks are for each field's own "required" check; joiners inside text are fine.
        for v in ["", "   ", "\u{3000}", "👨\u{200D}👩\u{200D}👧", "张\u{200B}三"] {
            assert!(check(v).is_ok(), "{v:?}");
        }
    }
}
