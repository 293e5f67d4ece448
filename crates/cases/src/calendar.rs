//! Working-day calendar: which days are working days, and how much working
//! time lies between two instants.
//!
//! A day is a working day if it is a make-up working day (调休上班), or else
//! if it is Monday–Friday and not a public holiday. Holidays and make-up days
//! are data ([`OfficialYear`]); China's 2024–2026 schedules ship as demo data
//! ([`CN_2024`], [`CN_2025`], [`CN_2026`]). Outside the years a calendar
//! covers, only the weekday rule applies ([`Calendar::covers`] tells).
//!
//! Working time: each working day has office windows (minutes of the local
//! day, default the whole day 00:00–24:00). Working time between two
//! instants is the part of the interval that falls inside windows of working
//! days, counted in seconds. All local dates use the calendar's fixed UTC
//! offset (+08:00 for China), never the machine's time zone.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::macros::{date, offset};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset, Weekday};

use crate::error::{CaseError, Msg};

/// One year's official schedule of public holidays and make-up working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialYear {
    pub year: i32,
    /// The notice the dates come from.
    pub source: &'static str,
    /// Inclusive date ranges on which everyone is off (放假).
    pub holidays: &'static [(Date, Date)],
    /// Weekend days that are working days (调休上班).
    pub makeup_workdays: &'static [Date],
}

/// China, year 2024. Source: 国务院办公厅关于2024年部分节假日安排的通知,
/// 国办发明电〔2023〕7号 (2023-10-25).
/// New Year's Day only 1 Jan (Mon, joined to the weekend); 除夕 2-9 is only
/// "encouraged" as a day off, so it stays a working day here.
pub const CN_2024: OfficialYear = OfficialYear {
    year: 2024,
    source: "国办发明电〔2023〕7号",
    holidays: &[
        (date!(2024 - 01 - 01), date!(2024 - 01 - 01)), // 元旦
        (date!(2024 - 02 - 10), date!(2024 - 02 - 17)), // 春节
        (date!(2024 - 04 - 04), date!(2024 - 04 - 06)), // 清明节
        (date!(2024 - 05 - 01), date!(2024 - 05 - 05)), // 劳动节
        (date!(2024 - 06 - 10), date!(2024 - 06 - 10)), // 端午节
        (date!(2024 - 09 - 15), date!(2024 - 09 - 17)), // 中秋节
        (date!(2024 - 10 - 01), date!(2024 - 10 - 07)), // 国庆节
    ],
    makeup_workdays: &[
        date!(2024 - 02 - 04),
        date!(2024 - 02 - 18),
        date!(2024 - 04 - 07),
        date!(2024 - 04 - 28),
        date!(2024 - 05 - 11),
        date!(2024 - 09 - 14),
        date!(2024 - 09 - 29),
        date!(2024 - 10 - 12),
    ],
};

/// China, year 2025. Source: 国务院办公厅关于2025年部分节假日安排的通知,
/// 国办发明电〔2024〕12号 (2024-11-12). First year under the revised
/// 《全国年节及纪念日放假办法》: Spring Festival and Labour Day each gained one
/// statutory day (春节 from 除夕, 8 days; 劳动节 5 days); National Day and
/// Mid-Autumn merged into 8 days.
pub const CN_2025: OfficialYear = OfficialYear {
    year: 2025,
    source: "国办发明电〔2024〕12号",
    holidays: &[
        (date!(2025 - 01 - 01), date!(2025 - 01 - 01)), // 元旦, no make-up day
        (date!(2025 - 01 - 28), date!(2025 - 02 - 04)), // 春节 (除夕–初七)
        (date!(2025 - 04 - 04), date!(2025 - 04 - 06)), // 清明节
        (date!(2025 - 05 - 01), date!(2025 - 05 - 05)), // 劳动节
        (date!(2025 - 05 - 31), date!(2025 - 06 - 02)), // 端午节
        (date!(2025 - 10 - 01), date!(2025 - 10 - 08)), // 国庆节、中秋节
    ],
    makeup_workdays: &[
        date!(2025 - 01 - 26),
        date!(2025 - 02 - 08),
        date!(2025 - 04 - 27),
        date!(2025 - 09 - 28),
        date!(2025 - 10 - 11),
    ],
};

/// China, year 2026. Source: 国务院办公厅关于2026年部分节假日安排的通知,
/// 国办发明电〔2025〕7号 (2025-11-04). Spring Festival 9 days (腊月二十八 to
/// 正月初七).
pub const CN_2026: OfficialYear = OfficialYear {
    year: 2026,
    source: "国办发明电〔2025〕7号",
    holidays: &[
        (date!(2026 - 01 - 01), date!(2026 - 01 - 03)), // 元旦
        (date!(2026 - 02 - 15), date!(2026 - 02 - 23)), // 春节
        (date!(2026 - 04 - 04), date!(2026 - 04 - 06)), // 清明节
        (date!(2026 - 05 - 01), date!(2026 - 05 - 05)), // 劳动节
        (date!(2026 - 06 - 19), date!(2026 - 06 - 21)), // 端午节
        (date!(2026 - 09 - 25), date!(2026 - 09 - 27)), // 中秋节
        (date!(2026 - 10 - 01), date!(2026 - 10 - 07)), // 国庆节
    ],
    makeup_workdays: &[
        date!(2026 - 01 - 04),
        date!(2026 - 02 - 14),
        date!(2026 - 02 - 28),
        date!(2026 - 05 - 09),
        date!(2026 - 09 - 20),
        date!(2026 - 10 - 10),
    ],
};

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    Workday,
    Weekend,
    Holiday,
    MakeupWorkday,
}

const DAY_SECS: i64 = 24 * 60 * 60;

/// A configurable working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    offset: UtcOffset,
    holidays: BTreeSet<Date>,
    makeup_workdays: BTreeSet<Date>,
    /// Office windows as minutes of the local day, `[start, end)`, sorted,
    /// non-overlapping, non-empty.
    windows: Vec<(u16, u16)>,
    years: BTreeSet<i32>,
}

impl Calendar {
    /// Weekday rule only, whole-day windows, at the given UTC offset.
    pub fn new(offset: UtcOffset) -> Self {
        Calendar {
            offset,
            holidays: BTreeSet::new(),
            makeup_workdays: BTreeSet::new(),
            windows: vec![(0, 24 * 60)],
            years: BTreeSet::new(),
        }
    }

    /// China (+08:00) with the 2024, 2025 and 2026 official schedules.
    pub fn china() -> Self {
        Calendar::new(offset!(+8)).with_year(&CN_2024).with_year(&CN_2025).with_year(&CN_2026)
    }

    /// Adds one year's official schedule and marks the year as covered.
    pub fn with_year(mut self, y: &OfficialYear) -> Self {
        for &(first, last) in y.holidays {
            let mut d = first;
            while d <= last {
                self.holidays.insert(d);
                d = d.next_day().expect("date in range");
            }
        }
        self.makeup_workdays.extend(y.makeup_workdays.iter().copied());
        self.years.insert(y.year);
        self
    }

    /// Adds a local holiday (e.g. a typhoon day off). A make-up working day
    /// on the same date still wins.
    pub fn add_holiday(&mut self, d: Date) {
        self.holidays.insert(d);
    }

    /// Adds a make-up working day.
    pub fn add_makeup_workday(&mut self, d: Date) {
        self.makeup_workdays.insert(d);
    }

    /// Replaces the whole-day window with office hours, e.g.
    /// `[(08:30, 12:00), (14:30, 17:30)]`. Windows must be sorted, not
    /// overlap, and not be empty; `Time::MIDNIGHT` as an end means 24:00.
    pub fn with_office_hours(mut self, windows: &[(Time, Time)]) -> Result<Self, CaseError> {
        let mins = |t: Time| t.hour() as u16 * 60 + t.minute() as u16;
        let mut out: Vec<(u16, u16)> = Vec::new();
        for &(s, e) in windows {
            let s = mins(s);
            let e = if e == Time::MIDNIGHT { 24 * 60 } else { mins(e) };
            let after_prev = out.last().is_none_or(|&(_, pe)| s >= pe);
            if s >= e || !after_prev {
                return Err(CaseError::InvalidData(Msg::new(
                    "办公时段须按时间先后排列、不得重叠且不得为空",
                    "office windows must be sorted, non-overlapping and non-empty",
                )));
            }
            out.push((s, e));
        }
        if out.is_empty() {
            return Err(CaseError::InvalidData(Msg::new(
                "至少需要一个办公时段",
                "at least one office window is required",
            )));
        }
        self.windows = out;
        Ok(self)
    }

    /// The fixed UTC offset local dates are taken in.
    pub fn offset(&self) -> UtcOffset {
        self.offset
    }

    /// Whether official holiday data was loaded for the year of `d`.
    pub fn covers(&self, d: Date) -> bool {
        self.years.contains(&d.year())
    }

    /// Classifies a local date.
    pub fn day_kind(&self, d: Date) -> DayKind {
        if self.makeup_workdays.contains(&d) {
            DayKind::MakeupWorkday
        } else if self.holidays.contains(&d) {
            DayKind::Holiday
        } else if matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        matches!(self.day_kind(d), DayKind::Workday | DayKind::MakeupWorkday)
    }

    /// The first working day strictly after `d`.
    pub fn next_working_day(&self, d: Date) -> Date {
        let mut d = d.next_day().expect("date in range");
        while !self.is_working_day(d) {
            d = d.next_day().expect("date in range");
        }
        d
    }

    /// The `n`th working day strictly after `d` (counting starts the next
    /// working day). For `n == 0`: `d` itself if it is a working day, else
    /// the next working day.
    pub fn nth_working_day_after(&self, d: Date, n: u32) -> Date {
        if n == 0 {
            return if self.is_working_day(d) { d } else { self.next_working_day(d) };
        }
        let mut d = d;
        for _ in 0..n {
            d = self.next_working_day(d);
        }
        d
    }

    /// Working minutes in one working day (1440 with whole-day windows).
    pub fn minutes_per_working_day(&self) -> i64 {
        self.windows.iter().map(|&(s, e)| (e - s) as i64).sum()
    }

    /// The local date of an instant.
    pub fn local_date(&self, t: OffsetDateTime) -> Date {
        t.to_offset(self.offset).date()
    }

    fn midnight(&self, d: Date) -> OffsetDateTime {
        d.midnight().assume_offset(self.offset)
    }

    /// The end of a day's last office window (24:00, i.e. the next midnight,
    /// with whole-day windows).
    pub fn end_of_day(&self, d: Date) -> OffsetDateTime {
        let end = self.windows.last().map_or(24 * 60, |&(_, e)| e);
        self.midnight(d) + Duration::minutes(end as i64)
    }

    /// Working seconds in `[a, b)`; negative when `b < a`.
    pub fn working_seconds_between(&self, a: OffsetDateTime, b: OffsetDateTime) -> i64 {
        if b < a {
            return -self.working_seconds_between(b, a);
        }
        let (a, b) = (a.to_offset(self.offset), b.to_offset(self.offset));
        let mut total = 0;
        let mut d = a.date();
        while d <= b.date() {
            if self.is_working_day(d) {
                let m = self.midnight(d);
                let from = (a - m).whole_seconds().max(0);
                let to = (b - m).whole_seconds().min(DAY_SECS);
                for &(s, e) in &self.windows {
                    let lo = from.max(s as i64 * 60);
                    let hi = to.min(e as i64 * 60);
                    total += (hi - lo).max(0);
                }
            }
            d = d.next_day().expect("date in range");
        }
        total
    }

    /// The instant at which `secs` working seconds have passed since
    /// `from` (`secs <= 0` returns `from`).
    pub fn advance(&self, from: OffsetDateTime, secs: i64) -> OffsetDateTime {
        if secs <= 0 {
            return from;
        }
        let from = from.to_offset(self.offset);
        let mut left = secs;
        let mut d = from.date();
        let mut pos = (from - self.midnight(d)).whole_seconds();
        loop {
            if self.is_working_day(d) {
                for &(s, e) in &self.windows {
                    let (s, e) = (s as i64 * 60, e as i64 * 60);
                    if pos >= e {
                        continue;
                    }
                    let start = pos.max(s);
                    let avail = e - start;
                    if left <= avail {
                        return self.midnight(d) + Duration::seconds(start + left);
                    }
                    left -= avail;
                    pos = e;
                }
            }
            d = d.next_day().expect("date in range");
            pos = 0;
        }
    }
}

impl Default for Calendar {
    /// [`Calendar::china`].
    fn default() -> Self {
        Calendar::china()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, time};

    #[test]
    fn known_days_2025() {
        let c = Calendar::china();
        assert_eq!(c.day_kind(date!(2025 - 01 - 26)), DayKind::MakeupWorkday);
        assert_eq!(date!(2025 - 01 - 26).weekday(), Weekday::Sunday);
        assert!(c.is_working_day(date!(2025 - 02 - 08)));
        for day in 1..=8 {
            let d = Date::from_calendar_date(2025, time::Month::October, day).unwrap();
            assert_eq!(c.day_kind(d), DayKind::Holiday, "{d}");
        }
        assert!(c.is_working_day(date!(2025 - 10 - 09)));
        assert!(c.is_working_day(date!(2025 - 10 - 11)));
        assert!(c.is_working_day(date!(2025 - 09 - 28)));
        assert!(!c.is_working_day(date!(2025 - 01 - 28)));
        assert!(!c.is_working_day(date!(2025 - 02 - 04)));
        assert!(c.is_working_day(date!(2025 - 02 - 05)));
        assert_eq!(c.day_kind(date!(2025 - 05 - 05)), DayKind::Holiday);
        assert_eq!(c.day_kind(date!(2025 - 04 - 27)), DayKind::MakeupWorkday);
        assert_eq!(c.day_kind(date!(2025 - 01 - 01)), DayKind::Holiday);
        assert_eq!(c.day_kind(date!(2025 - 03 - 01)), DayKind::Weekend);
        assert_eq!(c.day_kind(date!(2025 - 03 - 03)), DayKind::Workday);
    }

    #[test]
    fn known_days_2024_and_2026() {
        let c = Calendar::china();
        assert_eq!(c.day_kind(date!(2024 - 02 - 04)), DayKind::MakeupWorkday);
        assert!(c.is_working_day(date!(2024 - 02 - 09))); // 除夕 only "encouraged"
        assert!(!c.is_working_day(date!(2024 - 02 - 16)));
        assert!(c.is_working_day(date!(2024 - 10 - 12)));
        assert!(!c.is_working_day(date!(2026 - 02 - 23)));
        assert!(c.is_working_day(date!(2026 - 02 - 14)));
        assert!(c.is_working_day(date!(2026 - 01 - 04)));
        assert!(!c.is_working_day(date!(2026 - 10 - 07)));
        assert!(c.is_working_day(date!(2026 - 10 - 10)));
    }

    #[test]
    fn official_data_is_consistent() {
        for y in [CN_2024, CN_2025, CN_2026] {
            let mut holidays = 0;
            for &(a, b) in y.holidays {
                assert!(a <= b && a.year() == y.year && b.year() == y.year);
                holidays += (b - a).whole_days() + 1;
            }
            for d in y.makeup_workdays {
                assert_eq!(d.year(), y.year);
                assert!(matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday), "{d}");
                assert!(!y.holidays.iter().any(|&(a, b)| (a..=b).contains(d)));
            }
            assert!(holidays >= 20, "{}", y.year);
        }
        let c = Calendar::china();
        assert!(c.covers(date!(2026 - 12 - 31)));
        assert!(!c.covers(date!(2027 - 01 - 01)));
        // Outside the data only the weekday rule applies.
        assert!(c.is_working_day(date!(2027 - 01 - 01)));
    }

    #[test]
    fn nth_working_day_skips_golden_week() {
        let c = Calendar::china();
        // Accepted Tue 2025-09-30: day 1 is Thu 10-09, day 2 Fri 10-10, day 3 Sat 10-11 (make-up).
        assert_eq!(c.nth_working_day_after(date!(2025 - 09 - 30), 1), date!(2025 - 10 - 09));
        assert_eq!(c.nth_working_day_after(date!(2025 - 09 - 30), 3), date!(2025 - 10 - 11));
        assert_eq!(c.nth_working_day_after(date!(2025 - 09 - 30), 4), date!(2025 - 10 - 13));
        assert_eq!(c.nth_working_day_after(date!(2025 - 10 - 04), 0), date!(2025 - 10 - 09));
        assert_eq!(c.nth_working_day_after(date!(2025 - 10 - 09), 0), date!(2025 - 10 - 09));
    }

    #[test]
    fn working_seconds_and_advance_whole_days() {
        let c = Calendar::china();
        let fri = datetime!(2025-03-07 16:00 +8);
        let mon = datetime!(2025-03-10 10:00 +8);
        assert_eq!(c.working_seconds_between(fri, mon), 18 * 3600);
        assert_eq!(c.working_seconds_between(mon, fri), -18 * 3600);
        assert_eq!(c.advance(fri, 18 * 3600), mon);
        assert_eq!(c.advance(fri, 0), fri);
        // Same instant in UTC gives the same answer.
        assert_eq!(c.working_seconds_between(fri.to_offset(offset!(UTC)), mon), 18 * 3600);
        assert_eq!(c.end_of_day(date!(2025 - 03 - 07)), datetime!(2025-03-08 00:00 +8));
        assert_eq!(c.minutes_per_working_day(), 1440);
    }

    #[test]
    fn office_hours() {
        let c =
            Calendar::china().with_office_hours(&[(time!(8:30), time!(12:00)), (time!(14:30), time!(17:30))]).unwrap();
        assert_eq!(c.minutes_per_working_day(), 390);
        assert_eq!(c.end_of_day(date!(2025 - 03 - 07)), datetime!(2025-03-07 17:30 +8));
        let a = datetime!(2025-03-07 11:00 +8);
        let b = datetime!(2025-03-10 9:00 +8);
        // 11:00–12:00 + 14:30–17:30 on Fri, 08:30–09:00 on Mon.
        assert_eq!(c.working_seconds_between(a, b), (60 + 180 + 30) * 60);
        assert_eq!(c.advance(a, (60 + 180 + 30) * 60), b);
        assert_eq!(c.advance(datetime!(2025-03-07 12:30 +8), 60), datetime!(2025-03-07 14:31 +8));
        assert!(Calendar::china().with_office_hours(&[]).is_err());
        assert!(Calendar::china().with_office_hours(&[(time!(14:00), time!(12:00))]).is_err());
        assert!(
            Calendar::china().with_office_hours(&[(time!(8:00), time!(13:00)), (time!(12:00), time!(17:00))]).is_err()
        );
    }

    #[test]
    fn local_holiday_and_override() {
        let mut c = Calendar::new(offset!(+8));
        assert!(c.is_working_day(date!(2025 - 10 - 01)));
        c.add_holiday(date!(2025 - 10 - 01));
        assert!(!c.is_working_day(date!(2025 - 10 - 01)));
        c.add_makeup_workday(date!(2025 - 10 - 01));
        assert!(c.is_working_day(date!(2025 - 10 - 01)));
    }

    proptest::proptest! {
        #[test]
        fn advance_inverts_working_seconds(
            start_min in 0i64..(3 * 366 * 24 * 60),
            secs in 0i64..(40 * 24 * 3600),
            office in proptest::bool::ANY,
        ) {
            let mut c = Calendar::china();
            if office {
                c = c.with_office_hours(&[(time!(8:30), time!(12:00)), (time!(14:30), time!(17:30))]).unwrap();
            }
            let a = datetime!(2024-01-01 00:00 +8) + Duration::minutes(start_min);
            let b = c.advance(a, secs);
            proptest::prop_assert!(b >= a);
            proptest::prop_assert_eq!(c.working_seconds_between(a, b), secs);
            proptest::prop_assert!(c.advance(a, secs + 60) > b);
        }
    }
}
