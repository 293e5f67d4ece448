//! Money as people read and write it: [`Yuan`], an amount held in integer
//! [`Fen`] that parses from and prints as yuan with up to two decimals.
//!
//! The one place where text becomes money and money becomes text: forms and
//! API fields are parsed with [`Yuan::parse`], pages and messages print with
//! `Display` (`"-1.50"`, always two decimals) or [`Yuan::compact`] (`"830000"`,
//! `"12.05"`: whole amounts without `.00`). No floats anywhere.

use crate::model::{Fen, Msg};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An amount of money: integer fen, read and written in yuan (1 yuan = 100 fen).
/// Signed, like [`Fen`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Yuan(pub Fen);

/// Why a text is not an amount of yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// Empty, or not digits with an optional sign, point and decimals.
    NotANumber,
    /// More than two digits after the point (a fraction of a fen).
    TooManyDecimals,
    /// Too large for the ledger's integer fen, or (for an amount to pay or
    /// receive) at or above [`Yuan::MAX_AMOUNT`].
    Overflow,
    /// Zero or negative where an amount to pay or receive is asked for.
    NotPositive,
}

impl MoneyError {
    pub fn msg(self) -> Msg {
        match self {
            MoneyError::NotANumber => {
                Msg::new("金额应为数字（元，如 12.50）", "the amount must be a number of yuan (e.g. 12.50)")
            }
            MoneyError::TooManyDecimals => Msg::new(
                "金额最多两位小数（元，精确到分）",
                "the amount may have at most two decimals (yuan to the fen)",
            ),
            MoneyError::Overflow => Msg::new("金额过大", "the amount is too large"),
            MoneyError::NotPositive => Msg::new("金额应大于0", "the amount must be above zero"),
        }
    }
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.msg().fmt(f)
    }
}

impl std::error::Error for MoneyError {}

impl Yuan {
    /// The amount in fen.
    pub const fn fen(self) -> Fen {
        self.0
    }

    /// Parse yuan: `"12.50"`, `"12.5"`, `"12"`, `"12."`, `"-1.50"`, `"+3"`;
    /// surrounding spaces and thousands separators (`,` and `，`) are ignored.
    /// At most two decimals, so the amount is exact in fen.
    pub fn parse(text: &str) -> Result<Yuan, MoneyError> {
        let s = text.trim().replace([',', '，'], "");
        let (negative, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s.as_str()),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        // Leading zeros do not make an amount larger: drop them before the length check.
        let whole = whole.trim_start_matches('0');
        if whole.len() > 18 {
            return Err(MoneyError::Overflow);
        }
        let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::Overflow)? };
        let frac: i128 = format!("{frac:0<2}").parse().map_err(|_| MoneyError::NotANumber)?;
        let fen = whole * 100 + frac;
        let fen = if negative { -fen } else { fen };
        Fen::try_from(fen).map(Yuan).map_err(|_| MoneyError::Overflow)
    }

    /// The largest amount a form may ask for, exclusive: ten billion yuan.
    pub const MAX_AMOUNT: Fen = 1_000_000_000_000;

    /// Parse an amount to pay or receive (a claim, a budget, a funding
    /// standard): like [`Yuan::parse`], but above zero and below [`Yuan::MAX_AMOUNT`].
    pub fn parse_amount(text: &str) -> Result<Yuan, MoneyError> {
        let y = Yuan::parse(text)?;
        if y.0 >= Yuan::MAX_AMOUNT {
            return Err(MoneyError::Overflow);
        }
        if y.0 <= 0 {
            return Err(MoneyError::NotPositive);
        }
        Ok(y)
    }

    /// Like `Display`, but a whole amount has no decimals: `"830000"`,
    /// `"12.05"`, `"-1.50"`.
    pub fn compact(self) -> impl fmt::Display {
        struct Compact(Yuan);
        impl fmt::Display for Compact {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let (sign, whole, frac) = self.0.parts();
                if frac == 0 { write!(f, "{sign}{whole}") } else { write!(f, "{sign}{whole}.{frac:02}") }
            }
        }
        Compact(self)
    }

    /// Sign, whole yuan and fen of the magnitude (`unsigned_abs`, so `i64::MIN` too).
    fn parts(self) -> (&'static str, u64, u64) {
        let abs = self.0.unsigned_abs();
        (if self.0 < 0 { "-" } else { "" }, abs / 100, abs % 100)
    }
}

/// Yuan with two decimals: `"12.50"`, `"0.05"`, `"-1.50"`.
impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sign, whole, frac) = self.parts();
        write!(f, "{sign}{whole}.{frac:02}")
    }
}

impl FromStr for Yuan {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Yuan, MoneyError> {
        Yuan::parse(s)
    }
}

impl From<Fen> for Yuan {
    fn from(fen: Fen) -> Yuan {
        Yuan(fen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_usual_forms() {
        for (text, fen) in [
            ("12.50", 1250),
            ("12.5", 1250),
            ("12", 1200),
            ("12.", 1200),
            ("12.05", 1205),
            ("0.05", 5),
            ("-1.50", -150),
            ("-0.05", -5),
            ("+3", 300),
            (" 1,000 ", 100_000),
            ("1，000.10", 100_010),
            ("830000", 83_000_000),
            ("007", 700),
        ] {
            assert_eq!(Yuan::parse(text), Ok(Yuan(fen)), "{text}");
        }
    }

    #[test]
    fn refuses_bad_input_with_a_reason_in_both_languages() {
        for (text, err) in [
            ("", MoneyError::NotANumber),
            ("-", MoneyError::NotANumber),
            (".5", MoneyError::NotANumber),
            ("abc", MoneyError::NotANumber),
            ("1e5", MoneyError::NotANumber),
            ("1.2.3", MoneyError::NotANumber),
            ("--1", MoneyError::NotANumber),
            ("1.-5", MoneyError::NotANumber),
            ("1000000分", MoneyError::NotANumber),
            ("1.234", MoneyError::TooManyDecimals),
            ("10000.005", MoneyError::TooManyDecimals),
            ("92233720368547758.08", MoneyError::Overflow),
            ("-92233720368547758.09", MoneyError::Overflow),
            ("1000000000000000000000", MoneyError::Overflow),
        ] {
            assert_eq!(Yuan::parse(text), Err(err), "{text}");
            let m = err.msg();
            assert!(!m.zh.is_empty() && !m.en.is_empty());
        }
        assert_eq!(Yuan::parse("92233720368547758.07"), Ok(Yuan(i64::MAX)));
        assert_eq!(Yuan::parse("-92233720368547758.08"), Ok(Yuan(i64::MIN)));
    }

    #[test]
    fn prints_two_decimals_and_a_single_sign() {
        assert_eq!(Yuan(-150).to_string(), "-1.50");
        assert_eq!(Yuan(-5).to_string(), "-0.05");
        assert_eq!(Yuan(0).to_string(), "0.00");
        assert_eq!(Yuan(1205).to_string(), "12.05");
        assert_eq!(Yuan(i64::MIN).to_string(), "-92233720368547758.08");
        assert_eq!(Yuan(83_000_000).compact().to_string(), "830000");
        assert_eq!(Yuan(1205).compact().to_string(), "12.05");
        assert_eq!(Yuan(-150).compact().to_string(), "-1.50");
        assert_eq!(Yuan(-200).compact().to_string(), "-2");
    }

    proptest! {
        #[test]
        fn display_then_parse_gives_the_same_fen(fen in any::<i64>()) {
            prop_assert_eq!(Yuan::parse(&Yuan(fen).to_string()), Ok(Yuan(fen)));
            prop_assert_eq!(Yuan::parse(&Yuan(fen).compact().to_string()), Ok(Yuan(fen)));
        }

        #[test]
        fn small_amounts_round_trip_too(fen in -1_000_000i64..1_000_000) {
            let shown = Yuan(fen).to_string();
            prop_assert_eq!(shown.matches('-').count(), usize::from(fen < 0));
            prop_assert_eq!(Yuan::parse(&shown), Ok(Yuan(fen)));
        }

        #[test]
        fn parse_then_display_keeps_the_written_amount(neg in any::<bool>(), whole in 0u64..1_000_000_000, frac in 0u64..100) {
            let text = format!("{}{whole}.{frac:02}", if neg { "-" } else { "" });
            let y = Yuan::parse(&text).unwrap();
            let expected = if neg && whole == 0 && frac == 0 { "0.00".to_string() } else { text };
            prop_assert_eq!(y.to_string(), expected);
        }
    }
}
