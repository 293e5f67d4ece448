//! The seed's figures computed live (issue 14): each measure the source
//! quotes for 2014, counted from our rows by a stated definition, per
//! district (the city is the sum), and the hotline's solved requests per year.
//! Read-only; the web's city dashboard shows them beside the source's numbers.

use crate::{Db, Result};
use serde::Serialize;

/// One district's figures (the city's when `district_code` is empty).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DistrictFigures {
    pub district_code: String,
    pub district_name: String,
    /// Big communities.
    pub communities: i64,
    /// Communities whose public service center has an address on record.
    pub with_center: i64,
    /// Hotline requests (channel `hotline`) resolved, in callback or closed.
    pub hotline_solved: i64,
    /// Residents' committee elections counted or seated.
    pub elections: i64,
    /// Of those, elected directly by all voters (mode `direct_all_voters`).
    pub direct_elections: i64,
    /// Resident-chosen projects with a budget line (chosen by the residents' vote), and their money.
    pub projects: i64,
    pub project_fen: i64,
    /// Payments of government purchase of services (政府购买服务): the purchase projects'
    /// instalments and paid claims on the service-purchase fund, and their money.
    pub purchases: i64,
    pub purchase_fen: i64,
}

impl DistrictFigures {
    fn add(&mut self, o: &DistrictFigures) {
        self.communities += o.communities;
        self.with_center += o.with_center;
        self.hotline_solved += o.hotline_solved;
        self.elections += o.elections;
        self.direct_elections += o.direct_elections;
        self.projects += o.projects;
        self.project_fen += o.project_fen;
        self.purchases += o.purchases;
        self.purchase_fen += o.purchase_fen;
    }

    /// Communities with a service center, in percent (0 without communities).
    pub fn coverage_percent(&self) -> i64 {
        if self.communities == 0 { 0 } else { self.with_center * 100 / self.communities }
    }

    /// Elections held directly, in percent of the elections counted (None before any count).
    pub fn direct_percent(&self) -> Option<i64> {
        (self.elections > 0).then(|| self.direct_elections * 100 / self.elections)
    }
}

/// The sum of districts' figures: the city's.
pub fn city(rows: &[DistrictFigures]) -> DistrictFigures {
    let mut t = DistrictFigures::default();
    for r in rows {
        t.add(r);
    }
    t
}

type Count = (String, i64);
type Money = (String, i64, i64);

/// One row per district in force that has communities, in code order.
pub async fn by_district(db: &Db) -> Result<Vec<DistrictFigures>> {
    let p = &db.pool;
    let districts: Vec<(String, String)> = sqlx::query_as(
        "SELECT d.code, d.name FROM districts d WHERE d.valid_to IS NULL \
         AND EXISTS (SELECT 1 FROM communities c WHERE c.district_code = d.code) ORDER BY d.code",
    )
    .fetch_all(p)
    .await?;
    let communities: Vec<Money> = sqlx::query_as(
        "SELECT district_code, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN center_address <> '' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM communities GROUP BY district_code",
    )
    .fetch_all(p)
    .await?;
    let hotline: Vec<Count> = sqlx::query_as(
        "SELECT district_code, CAST(COUNT(*) AS BIGINT) FROM cases \
         WHERE channel = 'hotline' AND status IN ('resolved', 'callback', 'closed') GROUP BY district_code",
    )
    .fetch_all(p)
    .await?;
    let elections: Vec<Money> = sqlx::query_as(
        "SELECT district_code, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN mode = 'direct_all_voters' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM elections WHERE status IN ('counted', 'seated') GROUP BY district_code",
    )
    .fetch_all(p)
    .await?;
    let projects: Vec<Money> = sqlx::query_as(
        "SELECT district_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) \
         FROM budget_lines WHERE source = 'pb_project' GROUP BY district_code",
    )
    .fetch_all(p)
    .await?;
    let purchases: Vec<Money> = sqlx::query_as(
        "SELECT district_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) \
         FROM (SELECT district_code, amount_fen FROM fin_claims WHERE fund = 'service_purchase' AND status = 'paid' \
               UNION ALL SELECT district_code, amount_fen FROM purchase_payments) paid GROUP BY district_code",
    )
    .fetch_all(p)
    .await?;
    let one = |rows: &[Count], d: &str| rows.iter().find(|r| r.0 == d).map(|r| r.1).unwrap_or(0);
    let two = |rows: &[Money], d: &str| rows.iter().find(|r| r.0 == d).map(|r| (r.1, r.2)).unwrap_or((0, 0));
    Ok(districts
        .into_iter()
        .map(|(code, name)| {
            let (communities, with_center) = two(&communities, &code);
            let (elections, direct_elections) = two(&elections, &code);
            let (projects, project_fen) = two(&projects, &code);
            let (purchases, purchase_fen) = two(&purchases, &code);
            DistrictFigures {
                hotline_solved: one(&hotline, &code),
                district_code: code,
                district_name: name,
                communities,
                with_center,
                elections,
                direct_elections,
                projects,
                project_fen,
                purchases,
                purchase_fen,
            }
        })
        .collect())
}

/// Hotline requests solved per year of their taking, oldest first.
pub async fn hotline_solved_by_year(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT SUBSTR(created_at, 1, 4) AS y, CAST(COUNT(*) AS BIGINT) FROM cases \
         WHERE channel = 'hotline' AND status IN ('resolved', 'callback', 'closed') GROUP BY SUBSTR(created_at, 1, 4) ORDER BY y",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// A community's resident-chosen projects (title, budget, spent, in fen), in the order they were chosen.
pub async fn community_projects(db: &Db, code: &str) -> Result<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT title, amount_fen, spent_fen FROM budget_lines WHERE source = 'pb_project' AND community_code = $1 ORDER BY id",
    )
    .bind(code)
    .fetch_all(&db.pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_is_the_sum_and_rates_are_of_what_was_counted() {
        let a =
            DistrictFigures { communities: 4, with_center: 4, elections: 2, direct_elections: 2, ..Default::default() };
        let b = DistrictFigures { communities: 1, with_center: 0, ..Default::default() };
        let c = city(&[a.clone(), b]);
        assert_eq!((c.communities, c.with_center, c.coverage_percent()), (5, 4, 80));
        assert_eq!(c.direct_percent(), Some(100));
        assert_eq!(DistrictFigures::default().direct_percent(), None, "no election counted: no rate, not 0%");
        assert_eq!(DistrictFigures::default().coverage_percent(), 0);
    }
}

/// A district's or a community's residents' committee elections (rules §2.23, §2.14, §2.8),
/// from each community's last counted or seated election.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ElectionFigures {
    /// District or community code and name.
    pub code: String,
    pub name: String,
    pub communities: i64,
    /// Communities whose last election was held by all voters (§2.23's 直选).
    pub last_direct: i64,
    /// Communities with a counted or seated election.
    pub with_election: i64,
    /// First rounds of those last elections (or their counted re-run, §2.14): voters registered and
    /// ballots returned (turnout).
    pub registered: i64,
    pub returned: i64,
    /// Posts of those elections, and those with more formal candidates than seats (差额, §2.8).
    pub posts: i64,
    pub contested_posts: i64,
}

impl ElectionFigures {
    /// §2.23: communities whose last election was direct over all communities, in percent.
    pub fn direct_rate(&self) -> Option<i64> {
        (self.communities > 0).then(|| self.last_direct * 100 / self.communities)
    }
    pub fn turnout(&self) -> Option<i64> {
        (self.registered > 0).then(|| self.returned * 100 / self.registered)
    }
    pub fn contested(&self) -> Option<i64> {
        (self.posts > 0).then(|| self.contested_posts * 100 / self.posts)
    }
}

/// Per community (in code order): the figures of its last counted or seated election.
pub async fn elections_by_community(db: &Db) -> Result<Vec<(String, ElectionFigures)>> {
    type Row = (String, String, String, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        // §2.14: when the first round was invalid and held again, the counted re-run's turnout.
        "SELECT c.district_code, c.code, c.name, e.mode, \
         COALESCE((SELECT x.registered_voters FROM election_rounds x WHERE x.election_id = e.id \
            AND x.kind = 'rerun' AND x.status = 'counted' ORDER BY x.number DESC LIMIT 1), r.registered_voters), \
         COALESCE((SELECT x.ballots_returned FROM election_rounds x WHERE x.election_id = e.id \
            AND x.kind = 'rerun' AND x.status = 'counted' ORDER BY x.number DESC LIMIT 1), r.ballots_returned), \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM election_posts p WHERE p.election_id = e.id), \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM election_posts p WHERE p.election_id = e.id \
            AND (SELECT COUNT(*) FROM election_candidates k WHERE k.election_id = e.id AND k.post = p.post) > p.seats) \
         FROM communities c \
         LEFT JOIN elections e ON e.id = (SELECT MAX(x.id) FROM elections x WHERE x.community_code = c.code \
            AND x.status IN ('counted', 'seated')) \
         LEFT JOIN election_results r ON r.election_id = e.id \
         ORDER BY c.code",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(district, code, name, mode, registered, returned, posts, contested)| {
            let held = mode.is_some();
            (
                district,
                ElectionFigures {
                    code,
                    name,
                    communities: 1,
                    last_direct: i64::from(mode.as_deref() == Some("direct_all_voters")),
                    with_election: i64::from(held),
                    registered: registered.unwrap_or(0),
                    returned: returned.unwrap_or(0),
                    posts: if held { posts.unwrap_or(0) } else { 0 },
                    contested_posts: if held { contested.unwrap_or(0) } else { 0 },
                },
            )
        })
        .collect())
}

/// Per district in force with communities, summed from [`elections_by_community`]; the city is their sum.
pub async fn elections_by_district(db: &Db) -> Result<Vec<ElectionFigures>> {
    let districts: Vec<(String, String)> = sqlx::query_as(
        "SELECT d.code, d.name FROM districts d WHERE d.valid_to IS NULL \
         AND EXISTS (SELECT 1 FROM communities c WHERE c.district_code = d.code) ORDER BY d.code",
    )
    .fetch_all(&db.pool)
    .await?;
    let rows = elections_by_community(db).await?;
    Ok(districts
        .into_iter()
        .map(|(code, name)| {
            let mut t = ElectionFigures { code: code.clone(), name, ..Default::default() };
            for (_, r) in rows.iter().filter(|(d, _)| *d == code) {
                t.communities += r.communities;
                t.last_direct += r.last_direct;
                t.with_election += r.with_election;
                t.registered += r.registered;
                t.returned += r.returned;
                t.posts += r.posts;
                t.contested_posts += r.contested_posts;
            }
            t
        })
        .collect())
}
