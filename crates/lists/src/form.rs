//! Field parsers shared by [`application`](crate::application) and
//! [`entry`](crate::entry): text as a form, JSON or a spreadsheet sends it,
//! into the engine's values. Every parser names its field; [`Errors`]
//! gathers the first error of each field, so a form shows them all at once.

use crate::model::{Fen, FundingBasis};
use rules::Msg;
use serde::{Deserialize, Serialize};
use time::Date;

/// Bad input in one field, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

impl FieldError {
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> FieldError {
        FieldError { field: field.to_string(), msg: Msg::new(zh, en) }
    }
}

/// The errors of one input, in the order the fields were checked; at most
/// one per field (the first found).
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, e: FieldError) {
        if !self.0.iter().any(|x| x.field == e.field) {
            self.0.push(e);
        }
    }

    pub fn add(&mut self, field: &str, zh: impl Into<String>, en: impl Into<String>) {
        self.push(FieldError::new(field, zh, en));
    }

    /// The value, or `None` after recording its error.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.push(e)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// A date `YYYY-MM-DD`.
pub fn date(field: &str, s: &str) -> Result<Date, FieldError> {
    Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| FieldError::new(field, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD"))
}

/// A whole number from 1 to `max`.
pub fn count(field: &str, s: &str, max: u64) -> Result<u64, FieldError> {
    s.trim().parse::<u64>().ok().filter(|n| *n >= 1 && *n <= max).ok_or_else(|| {
        FieldError::new(field, format!("应为1到{max}之间的整数"), format!("must be a whole number from 1 to {max}"))
    })
}

/// [`count`] as a `u32` (`max` fits).
pub fn count_u32(field: &str, s: &str, max: u32) -> Result<u32, FieldError> {
    count(field, s, u64::from(max)).map(|n| u32::try_from(n).unwrap_or(max))
}

/// A positive amount of yuan with at most two decimals (`1,200.50`) as fen,
/// below 10,000,000,000 yuan: [`ledger::Yuan::parse_amount`], as the store's `parse_yuan`.
pub fn yuan(field: &str, s: &str) -> Result<Fen, FieldError> {
    ledger::Yuan::parse_amount(s)
        .map(ledger::Yuan::fen)
        .map_err(|e| FieldError { field: field.to_string(), msg: e.msg() })
}

/// A unit enum by its snake_case code (`work_task`, `national`…).
pub fn code<'de, T: Deserialize<'de>>(field: &str, s: &'de str, zh: &str, en: &str) -> Result<T, FieldError> {
    use serde::de::IntoDeserializer;
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(s.trim()))
        .map_err(|_| FieldError::new(field, zh, en))
}

/// Items separated by commas (`,` `，`) or `、`, trimmed, empty ones dropped.
pub fn items(s: &str) -> Vec<String> {
    s.split([',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// How funding is counted, from the `funding_basis` field and, for per-unit
/// funding, the `funding_unit` field. Accepted (the union of what the
/// application form, the entry form and the spreadsheet export write):
///
/// * empty, `per_community_per_year`, `每社区每年` → [`FundingBasis::PerCommunityPerYear`];
/// * `per_unit` with a non-empty `unit` → [`FundingBasis::PerUnit`] with that unit
///   (an empty unit is an error on `funding_unit`);
/// * `每<unit>` (what [`FundingBasis::describe`] writes, e.g. `每户次`) →
///   [`FundingBasis::PerUnit`] with that unit.
///
/// Anything else is an error on `funding_basis`.
pub fn funding_basis(basis: &str, unit: &str) -> Result<FundingBasis, FieldError> {
    match basis.trim() {
        "" | "per_community_per_year" | "每社区每年" => Ok(FundingBasis::PerCommunityPerYear),
        "per_unit" => match unit.trim() {
            "" => Err(FieldError::new("funding_unit", "按工作量计费须写明计量单位", "per-unit funding needs its unit")),
            u => Ok(FundingBasis::PerUnit { unit: u.to_string() }),
        },
        s if s.starts_with('每') && s.chars().count() > 1 => {
            Ok(FundingBasis::PerUnit { unit: s.trim_start_matches('每').trim().to_string() })
        }
        _ => Err(FieldError::new(
            "funding_basis",
            "经费计算方式应为每社区每年或每单位工作量",
            "funding basis is per_community_per_year or per_unit",
        )),
    }
}

/// A checkbox: `true`/`on`/`1`/`yes` (form) or a JSON boolean.
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum F {
        B(bool),
        S(String),
    }
    Ok(match F::deserialize(d)? {
        F::B(b) => b,
        F::S(s) => matches!(s.trim(), "true" | "on" | "1" | "yes"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funding_basis_accepts_the_union_of_the_old_parsers() {
        use FundingBasis::*;
        for s in ["", " per_community_per_year ", "每社区每年"] {
            assert_eq!(funding_basis(s, "份"), Ok(PerCommunityPerYear), "{s:?}");
        }
        assert_eq!(funding_basis("per_unit", " 户次 "), Ok(PerUnit { unit: "户次".into() }));
        assert_eq!(funding_basis("每户次", ""), Ok(PerUnit { unit: "户次".into() }));
        assert_eq!(funding_basis("per_unit", " ").unwrap_err().field, "funding_unit");
        for s in ["每", "monthly", "per unit"] {
            assert_eq!(funding_basis(s, "份").unwrap_err().field, "funding_basis", "{s:?}");
        }
    }

    #[test]
    fn funding_basis_reads_back_what_describe_writes() {
        for b in [FundingBasis::PerCommunityPerYear, FundingBasis::PerUnit { unit: "户次".into() }] {
            assert_eq!(funding_basis(&b.describe().zh, ""), Ok(b));
        }
    }

    #[test]
    fn yuan_is_exact_and_positive() {
        assert_eq!(yuan("a", "1,200.5"), Ok(120_050));
        assert_eq!(yuan("a", " 0.01 "), Ok(1));
        assert_eq!(yuan("a", "12"), Ok(1200));
        for bad in ["", "0", "-1", "1.234", "1e3", ".5", "abc", "10000000000"] {
            assert!(yuan("a", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn errors_keep_the_first_of_each_field_in_order() {
        let mut e = Errors::default();
        e.add("b", "一", "one");
        e.add("a", "二", "two");
        e.add("b", "三", "three");
        let v = e.into_vec();
        assert_eq!(v.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(v[0].msg.en, "one");
    }

    #[test]
    fn codes_and_counts() {
        let t: crate::ItemType = code("kind", " work_task ", "", "").unwrap();
        assert_eq!(t, crate::ItemType::WorkTask);
        assert!(code::<crate::ItemType>("kind", "", "z", "e").is_err());
        assert_eq!(count("n", "3650", 3650), Ok(3650));
        assert!(count("n", "0", 10).is_err() && count("n", "11", 10).is_err() && count("n", "x", 10).is_err());
        assert_eq!(items(" a，b、, c "), ["a", "b", "c"]);
    }
}
