//! Timestamps and dates are stored as ISO-8601 text on both databases.
use time::{Date, OffsetDateTime, format_description::well_known::Rfc3339};

pub fn now_text() -> String {
    text(OffsetDateTime::now_utc())
}

/// A moment as stored: RFC 3339 in UTC, whole seconds.
pub fn text(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).unwrap_or_default()
}

/// Today in China Standard Time (UTC+8), the calendar the rules use.
pub fn today() -> Date {
    (OffsetDateTime::now_utc() + time::Duration::hours(8)).date()
}

pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}
