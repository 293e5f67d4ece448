//! GB 32100-2015 unified social credit codes (统一社会信用代码, rules §6c).

use crate::Msg;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or None if one is
/// outside the 31-character alphabet.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    Some(ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// Validate shape (rules §6c a) and check character (§6c b).
pub fn validate(raw: &str) -> Result<String, Msg> {
    let s = raw.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    let shape_ok = b.len() == 18
        && b[..2].iter().all(|&c| value(c).is_some())
        && b[2..8].iter().all(u8::is_ascii_digit)
        && b[8..].iter().all(|&c| value(c).is_some());
    if !shape_ok {
        return Err(Msg::new(
            "统一社会信用代码格式错误（应为18位，不含I、O、Z、S、V）",
            "unified social credit code must be 18 characters without I, O, Z, S, V",
        ));
    }
    if check_char(&b[..17]) != Some(b[17]) {
        return Err(Msg::new("统一社会信用代码校验位错误", "unified social credit code check character is wrong"));
    }
    Ok(s)
}

/// Rules §5.14 / §6c c: a registered community social organisation carries
/// 民政 prefix 51 (社团), 52 (民非) or 53 (基金会).
pub fn is_civil_affairs_org(code: &str) -> bool {
    matches!(code.get(..2), Some("51" | "52" | "53"))
}

/// Build a valid code from 17 characters (demo data and tests).
pub fn compose(first17: &str) -> Option<String> {
    let c = check_char(first17.as_bytes())?;
    Some(format!("{first17}{}", c as char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_6c_worked_example() {
        assert_eq!(validate("91350100M000100Y43").unwrap(), "91350100M000100Y43");
        assert!(validate("91350100M000100Y4Z").is_err());
        assert_eq!(check_char(b"91350100M000100Y4"), Some(b'3'));
    }

    #[test]
    fn rules_6c_forum_examples() {
        assert!(validate("9131000063159284XQ").is_ok());
        assert!(validate("91350211M0000XUF46").is_err());
        assert!(validate("91350100M0001TGQXM").is_err());
    }

    #[test]
    fn rejects_bad_shapes_and_checks_prefix() {
        assert!(validate("91350100M000100Y4").is_err());
        assert!(validate("9I350100M000100Y43").is_err());
        let code = compose("51340705MJ0000001").unwrap();
        assert!(validate(&code).is_ok());
        assert!(is_civil_affairs_org(&code));
        assert!(!is_civil_affairs_org("91350100M000100Y43"));
    }
}
