//! A calendar date without a time-of-day or time zone, stored as days since
//! 1970-01-01 (proleptic Gregorian). Books are kept by day, so this is all the
//! ledger needs, and an `i32` keeps per-account postings small and fast to
//! search.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Days since 1970-01-01. Serialized as `"YYYY-MM-DD"`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Days from 0000-03-01 to 1970-01-01 in the shifted (March-first) calendar.
const EPOCH_SHIFT: i64 = 719_468;
/// Days in a 400-year Gregorian cycle.
const CYCLE_DAYS: i64 = 146_097;

impl Date {
    /// The date `days` days after 1970-01-01 (negative: before).
    pub const fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01; what a storage layer may keep in an INTEGER column.
    pub const fn days(self) -> i32 {
        self.0
    }

    /// A date from year (1..=9999), month (1..=12) and day; `None` if no such day exists.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Count years from March so that the leap day is the last day of the year.
        let y = i64::from(if month <= 2 { year - 1 } else { year });
        let cycle = y.div_euclid(400);
        let year_of_cycle = y - cycle * 400;
        let month_from_march = (i64::from(month) + 9) % 12;
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
        let day_of_cycle = year_of_cycle * 365 + year_of_cycle / 4 - year_of_cycle / 100 + day_of_year;
        Some(Date((cycle * CYCLE_DAYS + day_of_cycle - EPOCH_SHIFT) as i32))
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u8, u8) {
        let z = i64::from(self.0) + EPOCH_SHIFT;
        let cycle = z.div_euclid(CYCLE_DAYS);
        let day_of_cycle = z - cycle * CYCLE_DAYS;
        let year_of_cycle = (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36_524 - day_of_cycle / 146_096) / 365;
        let day_of_year = day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
        let year = year_of_cycle + cycle * 400 + i64::from(month <= 2);
        (year as i32, month as u8, day as u8)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    pub fn month(self) -> u8 {
        self.ymd().1
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }
}

/// Number of days in a month of a (proleptic Gregorian) year; 0 for a month outside 1..=12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The text was not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError(pub String);

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a YYYY-MM-DD date: {:?}", self.0)
    }
}

impl std::error::Error for ParseDateError {}

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Date, ParseDateError> {
        let err = || ParseDateError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, ParseDateError> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) { part.parse().map_err(|_| err()) } else { Err(err()) }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::from_ymd(y as i32, m as u8, d as u8).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(Date::from_ymd(2010, 7, 1).unwrap().to_string(), "2010-07-01");
        assert_eq!(Date::from_ymd(1969, 12, 31).unwrap().days(), -1);
    }

    #[test]
    fn round_trip_every_day_of_four_centuries() {
        let start = Date::from_ymd(1900, 1, 1).unwrap();
        let end = Date::from_ymd(2300, 12, 31).unwrap();
        let mut d = start;
        let mut expected = (1900, 1, 1);
        while d <= end {
            assert_eq!(d.ymd(), expected);
            assert_eq!(Date::from_ymd(expected.0, expected.1, expected.2), Some(d));
            // advance the expected civil date by hand
            let (y, m, day) = expected;
            expected = if day < days_in_month(y, m) {
                (y, m, day + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            d = d.add_days(1);
        }
    }

    #[test]
    fn rejects_impossible_dates_and_bad_text() {
        assert!(Date::from_ymd(2023, 2, 29).is_none());
        assert!(Date::from_ymd(2024, 2, 29).is_some());
        assert!(Date::from_ymd(1900, 2, 29).is_none());
        assert!(Date::from_ymd(2000, 2, 29).is_some());
        assert!(Date::from_ymd(2024, 13, 1).is_none());
        assert!(Date::from_ymd(2024, 4, 31).is_none());
        for bad in ["2024-1-01", "2024-02-30", "20240201", "2024-0a-01", "+024-01-01", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!("2024-02-29".parse::<Date>().unwrap(), Date::from_ymd(2024, 2, 29).unwrap());
    }
}
