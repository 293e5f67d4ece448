//! The residents' committee (居委会) under 《城市居民委员会组织法》(rules §1).

use crate::Msg;
use time::{Date, macros::date};

/// The 2018-12-29 amendment lengthened the term from 3 to 5 years (rules §1.3).
pub const AMENDMENT_2018: Date = date!(2018 - 12 - 29);

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Post {
    /// 主任
    Director,
    /// 副主任
    DeputyDirector,
    /// 委员
    Member,
}

impl Post {
    pub fn zh(self) -> &'static str {
        match self {
            Post::Director => "主任",
            Post::DeputyDirector => "副主任",
            Post::Member => "委员",
        }
    }
    pub fn parse(s: &str) -> Option<Post> {
        match s {
            "主任" | "director" => Some(Post::Director),
            "副主任" | "deputy_director" => Some(Post::DeputyDirector),
            "委员" | "member" => Some(Post::Member),
            _ => None,
        }
    }
}

/// 居组法 Art 7 (rules §1.1): 主任、副主任和委员共五至九人.
pub fn check_roster_size(posts: &[Post]) -> Result<(), Msg> {
    let n = posts.len();
    if !(5..=9).contains(&n) {
        return Err(Msg::new(
            format!("居委会应由主任、副主任和委员共五至九人组成，现为{n}人（居组法第七条）"),
            format!("a residents' committee has 5 to 9 members, got {n} (Organic Law Art 7)"),
        ));
    }
    if posts.iter().filter(|p| **p == Post::Director).count() != 1 {
        return Err(Msg::new("居委会应有且仅有一名主任", "a residents' committee has exactly one director"));
    }
    Ok(())
}

/// 居组法 Art 8 (rules §1.3): term length in years for an election held on `elected`.
pub fn term_years(elected: Date) -> i32 {
    if elected < AMENDMENT_2018 { 3 } else { 5 }
}

/// The end of a term elected on `elected`.
pub fn term_end(elected: Date) -> Date {
    let y = elected.year() + term_years(elected);
    Date::from_calendar_date(y, elected.month(), elected.day())
        .unwrap_or_else(|_| Date::from_calendar_date(y, elected.month(), 28).unwrap_or(elected))
}

/// Rules §1.3: a hand-entered term may not be longer than the law allows.
pub fn check_term(elected: Date, ends: Date) -> Result<(), Msg> {
    if ends <= elected {
        return Err(Msg::new("任期结束日期须晚于选举日期", "the term must end after the election date"));
    }
    if ends > term_end(elected) {
        return Err(Msg::new(
            format!("居委会每届任期{}年，结束日期不得晚于{}（居组法第八条）", term_years(elected), term_end(elected)),
            format!(
                "a term is {} years and may not end after {} (Organic Law Art 8)",
                term_years(elected),
                term_end(elected)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Post::*;

    #[test]
    fn rules_1_1_five_to_nine() {
        assert!(check_roster_size(&[Director, DeputyDirector, Member, Member]).is_err());
        assert!(check_roster_size(&[Director, DeputyDirector, Member, Member, Member]).is_ok());
        assert!(
            check_roster_size(&[Director; 1].iter().chain([Member; 8].iter()).copied().collect::<Vec<_>>()).is_ok()
        );
        assert!(
            check_roster_size(&[Director; 1].iter().chain([Member; 9].iter()).copied().collect::<Vec<_>>()).is_err()
        );
        assert!(check_roster_size(&[Member; 5]).is_err());
    }

    #[test]
    fn rules_1_3_term() {
        assert_eq!(term_end(date!(2021 - 03 - 01)), date!(2026 - 03 - 01));
        assert_eq!(term_end(date!(2017 - 03 - 01)), date!(2020 - 03 - 01));
        assert!(check_term(date!(2021 - 03 - 01), date!(2026 - 03 - 02)).is_err());
        assert!(check_term(date!(2021 - 03 - 01), date!(2026 - 03 - 01)).is_ok());
    }
}
