//! The voter roll under all voters written by the database itself: one
//! `INSERT … SELECT` from the registry, with rules §1.4 (18 on election day,
//! from the registry's birth date, which the import takes from the ID number),
//! §2.1 (户籍 here, or an approved application after the months of residence)
//! and §2.2 (on no other community's roll this cycle) as SQL. It is the fast
//! writer, not the judge: [`super::roll::publish_roll_with`] compares the count
//! and the sum of the resident ids written here with the engine's roll
//! ([`election::roll::judge_roll`]) and writes the engine's roll instead when
//! they differ. `tests/election_roll_sql.rs` checks that both agree, on both
//! databases, on a registry built around every edge of the rules.

use super::Election;
use crate::{Result, Tx};
use election::Ruleset;
use time::{Date, Month};

/// The day `months` whole months before `day` (its day of the month kept, or the
/// month's last day when it has fewer): `from` is at least `months` whole months
/// before `day` (as [`super::roll::months_between`] counts) exactly when `from`
/// is on or before it; with 12 × 18 months, a birth date on or before it is 18 on `day`.
pub(super) fn months_before(day: Date, months: u32) -> Date {
    let total = day.year() * 12 + i32::from(day.month() as u8) - 1 - months as i32;
    let (year, month) = (total.div_euclid(12), Month::try_from(total.rem_euclid(12) as u8 + 1).expect("1..=12"));
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last)).expect("a day of the month")
}

/// Write the roll of `e` (all voters) from the registry; returns the count and
/// the sum of the resident ids written, for the comparison with the engine.
pub(super) async fn insert(tx: &mut Tx, e: &Election, day: Date, rs: &Ruleset) -> Result<(i64, i64)> {
    let adult = months_before(day, 12 * 18);
    // §2.1(c): no residence permit is recorded, so a ruleset that requires one registers no one without 户籍.
    let without_hukou = if rs.residence_permit_required {
        ""
    } else {
        " OR (($4 = '' OR r.moved_in <= $4) AND r.id IN \
         (SELECT resident_id FROM election_applications WHERE election_id = $1 AND approved = 1))"
    };
    let sql = format!(
        "INSERT INTO election_voters (election_id, resident_id, name, group_name, category) \
         SELECT $1, r.id, r.name, COALESCE(g.name, ''), \
         CASE WHEN r.hukou <> 0 THEN 'hukou_and_resident' ELSE 'resident_without_hukou' END \
         FROM residents r LEFT JOIN resident_groups g ON g.id = r.group_id \
         WHERE r.community_code = $2 AND r.birth_date <= $3 AND (r.hukou <> 0{without_hukou}) \
         AND NOT EXISTS (SELECT 1 FROM election_voters v CROSS JOIN elections x WHERE v.resident_id = r.id \
         AND v.struck_on IS NULL AND x.id = v.election_id AND x.community_code <> $2 \
         AND SUBSTR(x.election_day, 1, 4) = $5) ORDER BY r.id"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(e.id).bind(&e.community_code).bind(adult.to_string());
    // No months required (a ruleset may say so): every moved-in date counts, as the engine's `months >= 0`.
    let months = rs.residence_months_without_hukou;
    let moved_in = if months == 0 { String::new() } else { months_before(day, months).to_string() };
    q = q.bind(moved_in).bind(day.year().to_string());
    q.execute(&mut **tx).await?;
    Ok(sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(resident_id), 0) AS BIGINT) FROM election_voters WHERE election_id = $1",
    )
    .bind(e.id)
    .fetch_one(&mut **tx)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::super::roll::months_between;
    use super::*;
    use time::macros::date;

    #[test]
    fn rule_1_4_and_2_1_months_before_agrees_with_whole_months() {
        let days = [date!(2026 - 05 - 30), date!(2026 - 03 - 31), date!(2024 - 02 - 29), date!(2026 - 02 - 28)];
        for day in days {
            for n in [1, 12, 13, 216] {
                let cut = months_before(day, n);
                for d in -40..40 {
                    let from = cut + time::Duration::days(d);
                    assert_eq!(months_between(from, day) >= n, from <= cut, "{from} → {day}, {n} months");
                }
            }
        }
        assert_eq!(months_before(date!(2024 - 02 - 29), 216), date!(2006 - 02 - 28));
    }
}
