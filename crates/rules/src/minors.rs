//! Residents under 14 (rules §6.5; PIPL Art 28 and 31): all their data is
//! sensitive, and registering them needs a guardian's consent on record.
//! Who may see them is `web::privacy`'s decision; this module says who they are.

use crate::Msg;
use time::{Date, Month};

/// The age below which all of a person's data is sensitive (PIPL Art 28).
pub const AGE: i32 = 14;

/// The latest birth date of someone who is 14 or older on `today` (born on
/// 29 February: the 28th in a common year).
pub fn cutoff(today: Date) -> Date {
    let year = today.year() - AGE;
    Date::from_calendar_date(year, today.month(), today.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .expect("a valid date")
}

/// §6.5: is a person born on `birth` under 14 on `today`?
pub fn under_14(birth: Date, today: Date) -> bool {
    birth > cutoff(today)
}

/// §6.5: a resident under 14 is registered only with a guardian's consent: the
/// guardian's name and relation. The field at fault, and why.
pub fn check_guardian(birth: Date, today: Date, name: &str, relation: &str) -> Result<(), (&'static str, Msg)> {
    if !under_14(birth, today) {
        return Ok(());
    }
    if name.trim().is_empty() {
        return Err((
            "guardian_name",
            Msg::new(
                "未满十四周岁的居民须经监护人同意方可登记：请填写监护人姓名",
                "a resident under 14 is registered only with a guardian's consent: give the guardian's name",
            ),
        ));
    }
    if relation.trim().is_empty() {
        return Err((
            "guardian_relation",
            Msg::new(
                "请填写监护人与居民的关系（如父母）",
                "give the guardian's relation to the resident (e.g. parent)",
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rule_6_5_under_14_is_counted_to_the_day() {
        let today = date!(2026 - 12 - 06);
        assert_eq!(cutoff(today), date!(2012 - 12 - 06));
        assert!(!under_14(date!(2012 - 12 - 06), today), "14 today");
        assert!(under_14(date!(2012 - 12 - 07), today), "14 tomorrow");
        assert!(!under_14(date!(1985 - 06 - 01), today));
        assert_eq!(cutoff(date!(2028 - 02 - 29)), date!(2014 - 02 - 28));
    }

    #[test]
    fn rule_6_5_a_child_is_registered_only_with_a_guardians_consent() {
        let today = date!(2026 - 12 - 06);
        let child = date!(2020 - 03 - 01);
        assert!(check_guardian(child, today, "王芳", "母亲").is_ok());
        assert_eq!(check_guardian(child, today, "", "母亲").unwrap_err().0, "guardian_name");
        assert_eq!(check_guardian(child, today, "王芳", " ").unwrap_err().0, "guardian_relation");
        assert!(check_guardian(date!(1990 - 01 - 01), today, "", "").is_ok(), "an adult needs none");
    }
}
