//! The seed's figures over time (issue 14): each measure of [`crate::figures`] counted per
//! community and per year, so the dashboard draws them over time for the city, a district or one
//! community, beside the source's 2014 figure. Stocks (centers, units seated, agreements signed)
//! are as of the year's last day (today for this year); flows (hotline requests solved, elections,
//! projects, payments) are counted in the year they happened. Districts and the city are sums.
//! Read-only; the open-data table `community-figures-yearly` holds the same rows.

use crate::{Db, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// One community's figures in one year.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YearRow {
    pub community_code: String,
    pub community_name: String,
    pub district_code: String,
    pub district_name: String,
    pub year: i32,
    /// 1 when the community was formed by the year's last day.
    pub formed: i64,
    /// 1 when it was formed by then and its public service center is on record.
    pub with_center: i64,
    /// Hotline requests taken in the year and solved (resolved, in callback or closed).
    pub hotline_solved: i64,
    /// Residents' committee elections held in the year (election day), counted or seated; of them direct.
    pub elections: i64,
    pub direct_elections: i64,
    /// Distinct units holding a part-time seat on the year's last day.
    pub units_seated: i64,
    /// Co-building agreements signed by the year's last day.
    pub agreements_signed: i64,
    /// Resident-chosen projects given a budget line in the year, and their budgets.
    pub projects: i64,
    pub project_fen: i64,
    /// Payments of purchased services made in the year, and their money.
    pub purchases: i64,
    pub purchase_fen: i64,
}

impl YearRow {
    /// Add another row's counts (a district's or the city's sum).
    pub fn add(&mut self, o: &YearRow) {
        self.formed += o.formed;
        self.with_center += o.with_center;
        self.hotline_solved += o.hotline_solved;
        self.elections += o.elections;
        self.direct_elections += o.direct_elections;
        self.units_seated += o.units_seated;
        self.agreements_signed += o.agreements_signed;
        self.projects += o.projects;
        self.project_fen += o.project_fen;
        self.purchases += o.purchases;
        self.purchase_fen += o.purchase_fen;
    }
}

/// The sum per year of the rows `keep` picks, oldest first.
pub fn sum_by_year(rows: &[YearRow], keep: impl Fn(&YearRow) -> bool) -> Vec<YearRow> {
    let mut years: BTreeMap<i32, YearRow> = BTreeMap::new();
    for r in rows.iter().filter(|r| keep(r)) {
        years.entry(r.year).or_insert_with(|| YearRow { year: r.year, ..Default::default() }).add(r);
    }
    years.into_values().collect()
}

fn year_of(text: &str) -> Option<i32> {
    text.get(..4)?.parse().ok()
}

/// (community, year) → counts, from rows of (community, year text, a, b).
type Counts = BTreeMap<(String, i32), (i64, i64)>;

async fn counts(db: &Db, sql: &'static str) -> Result<Counts> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(sql).fetch_all(&db.pool).await?;
    let mut out = Counts::new();
    for (c, y, a, b) in rows {
        if let Some(y) = year_of(&y) {
            let e = out.entry((c, y)).or_default();
            e.0 += a;
            e.1 += b;
        }
    }
    Ok(out)
}

/// One row per community and year, from the first year anything happened (a community formed,
/// a request solved, …) to this year; in community code, then year order.
pub async fn by_community_year(db: &Db) -> Result<Vec<YearRow>> {
    let today = crate::clock::today();
    let this_year = today.year();
    let communities: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT c.code, c.name, c.district_code, COALESCE(d.name, ''), c.formed_on, \
         CAST(CASE WHEN c.center_address <> '' THEN 1 ELSE 0 END AS BIGINT) \
         FROM communities c LEFT JOIN districts d ON d.code = c.district_code ORDER BY c.code",
    )
    .fetch_all(&db.pool)
    .await?;
    let hotline = counts(
        db,
        "SELECT community_code, SUBSTR(created_at, 1, 4), CAST(COUNT(*) AS BIGINT), CAST(0 AS BIGINT) FROM cases \
         WHERE channel = 'hotline' AND status IN ('resolved', 'callback', 'closed') GROUP BY 1, 2",
    )
    .await?;
    let elections = counts(
        db,
        "SELECT community_code, SUBSTR(election_day, 1, 4), CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(CASE WHEN mode = 'direct_all_voters' THEN 1 ELSE 0 END) AS BIGINT) \
         FROM elections WHERE status IN ('counted', 'seated') GROUP BY 1, 2",
    )
    .await?;
    let projects = counts(
        db,
        "SELECT community_code, SUBSTR(created_at, 1, 4), CAST(COUNT(*) AS BIGINT), CAST(SUM(amount_fen) AS BIGINT) \
         FROM budget_lines WHERE source = 'pb_project' GROUP BY 1, 2",
    )
    .await?;
    let purchases = counts(
        db,
        "SELECT community_code, SUBSTR(paid, 1, 4), CAST(COUNT(*) AS BIGINT), CAST(SUM(amount_fen) AS BIGINT) FROM \
         (SELECT community_code, COALESCE(paid_on, created_at) AS paid, amount_fen FROM fin_claims \
            WHERE fund = 'service_purchase' AND status = 'paid' \
          UNION ALL SELECT community_code, paid_on, amount_fen FROM purchase_payments) p GROUP BY 1, 2",
    )
    .await?;
    let first = communities
        .iter()
        .filter_map(|c| year_of(&c.4))
        .chain([&hotline, &elections, &projects, &purchases].into_iter().flat_map(|m| m.keys().map(|k| k.1)))
        .min()
        .unwrap_or(this_year)
        .min(this_year);
    // Stocks of the party's co-building, as of each year's last day (today for this year).
    let mut party: BTreeMap<(String, i32), (i64, i64)> = BTreeMap::new();
    for year in first..=this_year {
        let on = time::Date::from_calendar_date(year, time::Month::December, 31).unwrap_or(today).min(today);
        for f in crate::party::figures(db, None, on).await? {
            party.insert((f.community_code, year), (f.units_seated, f.agreements_signed));
        }
    }
    let mut out = Vec::new();
    for (code, name, district_code, district_name, formed_on, center) in communities {
        let formed_year = year_of(&formed_on).unwrap_or(first);
        for year in first..=this_year {
            let k = (code.clone(), year);
            let get = |m: &Counts| m.get(&k).copied().unwrap_or_default();
            let formed = i64::from(formed_year <= year);
            let (elections, direct_elections) = get(&elections);
            let (projects, project_fen) = get(&projects);
            let (purchases, purchase_fen) = get(&purchases);
            let (units_seated, agreements_signed) = party.get(&k).copied().unwrap_or_default();
            out.push(YearRow {
                community_code: code.clone(),
                community_name: name.clone(),
                district_code: district_code.clone(),
                district_name: district_name.clone(),
                year,
                formed,
                with_center: formed * center,
                hotline_solved: get(&hotline).0,
                elections,
                direct_elections,
                units_seated,
                agreements_signed,
                projects,
                project_fen,
                purchases,
                purchase_fen,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_the_sum_of_its_communities_per_year() {
        let r = |c: &str, d: &str, year: i32, hotline_solved: i64| YearRow {
            community_code: c.into(),
            district_code: d.into(),
            year,
            formed: 1,
            hotline_solved,
            ..Default::default()
        };
        let rows = [r("a", "x", 2013, 1), r("a", "x", 2014, 2), r("b", "x", 2014, 3), r("c", "y", 2014, 4)];
        let x = sum_by_year(&rows, |r| r.district_code == "x");
        assert_eq!(
            x.iter().map(|r| (r.year, r.formed, r.hotline_solved)).collect::<Vec<_>>(),
            [(2013, 1, 1), (2014, 2, 5)]
        );
        let city = sum_by_year(&rows, |_| true);
        assert_eq!(city[1].hotline_solved, 9);
        assert!(sum_by_year(&rows, |r| r.community_code == "none").is_empty());
        assert_eq!(year_of("2014-07-01"), Some(2014));
        assert_eq!(year_of(""), None);
    }
}
