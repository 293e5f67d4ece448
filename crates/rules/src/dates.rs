//! Dates people type for things that happen: a meeting is held between the
//! start of the records this system keeps and a year ahead (issue 12, point 11:
//! 0000-01-01 and 9999-12-31 were taken). Rule **D1**.

use crate::Msg;
use time::{Date, Duration, Month};

/// The first year of records a community keeps here: the 1989 Organic Law of
/// residents' committees (rules §1) is older than any record anyone will type.
pub const FIRST_YEAR: i32 = 1990;

/// How far ahead a meeting may be set.
pub const DAYS_AHEAD: i64 = 366;

/// D1: a meeting's date lies in [1990-01-01, today + 366 days].
pub fn meeting_date(d: Date, today: Date) -> Result<(), Msg> {
    let first = Date::from_calendar_date(FIRST_YEAR, Month::January, 1).expect("a valid date");
    let last = today + Duration::days(DAYS_AHEAD);
    if d < first {
        return Err(Msg::new(
            format!("日期不能早于{FIRST_YEAR}年1月1日"),
            format!("the date cannot be before {FIRST_YEAR}-01-01"),
        ));
    }
    if d > last {
        return Err(Msg::new(
            format!("日期不能晚于{last}（一年以内）"),
            format!("the date cannot be after {last} (a year ahead)"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rule_d1_a_meeting_is_dated_between_1990_and_a_year_ahead() {
        let today = date!(2026 - 12 - 06);
        for ok in [date!(1990 - 01 - 01), date!(2010 - 05 - 04), today, date!(2027 - 12 - 07)] {
            assert!(meeting_date(ok, today).is_ok(), "{ok}");
        }
        for bad in [date!(0000 - 01 - 01), date!(1989 - 12 - 31), date!(2027 - 12 - 08), date!(9999 - 12 - 31)] {
            assert!(meeting_date(bad, today).is_err(), "{bad}");
        }
    }
}
