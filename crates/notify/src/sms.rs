//! N5 · SMS length rules (3GPP TS 23.038/23.040): a text in the GSM 7-bit
//! alphabet fits 160 characters in one segment and 153 a part when
//! concatenated (extension characters count two); anything else (Chinese) is
//! UCS-2: 70 characters in one segment, 67 a part. N6 · every text to a
//! resident is signed with the community's name in 【】, as Chinese carriers
//! require of a sender.

/// How a text travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// A text's segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    /// Units used: septets (GSM) or UTF-16 code units (UCS-2).
    pub units: usize,
    pub parts: usize,
}

const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXT: &str = "^{}\\[~]|€\u{c}";

fn gsm_units(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXT.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// N5: the encoding, units and number of parts of a text.
pub fn segments(text: &str) -> Segments {
    let gsm: Option<usize> = text.chars().map(gsm_units).sum();
    let (encoding, units, single, part) = match gsm {
        Some(u) => (Encoding::Gsm7, u, 160, 153),
        None => (Encoding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let parts = if units == 0 {
        1
    } else if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    Segments { encoding, units, parts }
}

/// N6: the text as sent, signed 【community】 in front (a signature already
/// there is not repeated).
pub fn signed(community: &str, text: &str) -> String {
    let sig = format!("【{}】", community.trim());
    if text.starts_with(&sig) { text.to_string() } else { format!("{sig}{text}") }
}

/// N5: the text cut to at most `max_parts` segments, ending in "…" when cut.
pub fn limit(text: &str, max_parts: usize) -> String {
    let max_parts = max_parts.max(1);
    if segments(text).parts <= max_parts {
        return text.to_string();
    }
    let mut out: String = text.chars().collect();
    while !out.is_empty() {
        out.pop();
        let candidate = format!("{out}…");
        if segments(&candidate).parts <= max_parts {
            return candidate;
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_n5_seventy_chinese_characters_are_one_segment_seventy_one_are_two() {
        let seventy = "社".repeat(70);
        assert_eq!(segments(&seventy), Segments { encoding: Encoding::Ucs2, units: 70, parts: 1 });
        assert_eq!(segments(&"社".repeat(71)).parts, 2);
        assert_eq!(segments(&"社".repeat(134)).parts, 2, "67 a part when concatenated");
        assert_eq!(segments(&"社".repeat(135)).parts, 3);
        // One Chinese character makes the whole text UCS-2.
        assert_eq!(segments(&format!("{}社", "a".repeat(69))).parts, 1);
        assert_eq!(segments(&format!("{}社", "a".repeat(70))).parts, 2);
    }

    #[test]
    fn rule_n5_gsm_texts_take_160_then_153_and_extension_characters_count_two() {
        assert_eq!(segments(&"a".repeat(160)), Segments { encoding: Encoding::Gsm7, units: 160, parts: 1 });
        assert_eq!(segments(&"a".repeat(161)).parts, 2);
        assert_eq!(segments(&"a".repeat(306)).parts, 2);
        assert_eq!(segments(&"a".repeat(307)).parts, 3);
        assert_eq!(segments(&format!("{}€", "a".repeat(158))).units, 160);
        assert_eq!(segments(&format!("{}€", "a".repeat(159))).parts, 2);
        assert_eq!(segments("").parts, 1);
    }

    #[test]
    fn rule_n5_a_long_text_is_cut_to_its_parts_with_an_ellipsis() {
        let long = "您的诉求已受理".repeat(40);
        let cut = limit(&long, 2);
        assert_eq!(segments(&cut).parts, 2);
        assert!(cut.ends_with('…'));
        assert_eq!(cut.chars().count(), 134);
        assert_eq!(limit("short", 1), "short", "a text that fits is left alone");
    }

    #[test]
    fn rule_n6_texts_are_signed_with_the_community_once() {
        let s = signed("五松社区", "您的诉求已受理。");
        assert_eq!(s, "【五松社区】您的诉求已受理。");
        assert_eq!(signed("五松社区", &s), s, "not signed twice");
        assert_ne!(signed("五松社区", "x"), "x");
    }
}
