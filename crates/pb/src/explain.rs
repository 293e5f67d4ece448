//! Rule outcomes and their per-project explanation trace.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};
pub use rules::Msg;
use serde::Serialize;

/// Why a project ended up (not) funded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Explanation {
    pub project_id: String,
    pub name: String,
    /// Cost in the election's smallest unit (see `Outcome::scale`).
    pub cost: u64,
    /// Number of voters approving the project (approval view).
    pub votes: u64,
    pub selected: bool,
    /// 1-based position in the selection order (for selected projects), or
    /// the round at which the decision not to fund it was taken.
    pub round: Option<usize>,
    /// Why, in both languages (a result stored before reasons were
    /// bilingual reads back with its English text in both).
    #[serde(deserialize_with = "msg_or_text")]
    pub reason: Msg,
}

/// A reason as stored now (`{zh, en}`) or before (English text).
fn msg_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Msg, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Either {
        Msg(Msg),
        Text(String),
    }
    Ok(match <Either as serde::Deserialize>::deserialize(d)? {
        Either::Msg(m) => m,
        Either::Text(t) => Msg::new(t.clone(), t),
    })
}

/// The result of running a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Outcome {
    /// Rule name as accepted by `Rule::from_str`.
    pub rule: String,
    /// Selected project ids, in selection order.
    pub selected: Vec<String>,
    /// Total cost of the selection (smallest unit).
    pub total_cost: u64,
    /// Budget limit (smallest unit).
    pub budget: u64,
    /// Money scale of the election (amounts are `value / scale` currency).
    pub scale: u64,
    /// Rule-level remarks (e.g. the per-voter budget MES ended with).
    pub notes: Vec<String>,
    /// One entry per project, in the election's project order.
    pub explanations: Vec<Explanation>,
}

/// Formats the exact fraction `num / den` (in smallest money units, divided
/// by `scale` for display) with two decimals, rounding half up. No floats.
pub fn format_fraction(num: &BigInt, den: &BigInt, scale: u64) -> String {
    let den = den * BigInt::from(scale.max(1));
    if den.is_zero() {
        return "∞".into();
    }
    let neg = num.is_negative() != den.is_negative() && !num.is_zero();
    let (n, d) = (num.abs() * 100u32, den.abs());
    let (q, r) = n.div_rem(&d);
    let q = if r * 2u32 >= d { q + 1u32 } else { q };
    let (int, frac) = q.div_rem(&BigInt::from(100u32));
    format!("{}{}.{:02}", if neg { "-" } else { "" }, int, frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_format() {
        let f = |a: i64, b: i64| format_fraction(&BigInt::from(a), &BigInt::from(b), 1);
        assert_eq!(f(1, 3), "0.33");
        assert_eq!(f(2, 3), "0.67");
        assert_eq!(f(10, 1), "10.00");
        assert_eq!(f(-1, 2), "-0.50");
        assert_eq!(format_fraction(&BigInt::from(15), &BigInt::from(1), 10), "1.50");
    }
}
