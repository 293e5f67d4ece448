//! The federation's roll-up (§5.16, `rules::orgs::federation`) and the registry's
//! figures per community: counts, no personal data.

use super::*;
use rules::orgs::federation::{self as fed, Figures};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct FederationFigures {
    pub org_id: i64,
    /// Organisations under the federation, each counted once.
    pub organisations: usize,
    pub figures: Figures,
    /// Those organisations by name.
    pub names: Vec<String>,
}

/// Every organisation's own figures in a district: activities, participants, hours, people.
async fn own_figures(db: &Db, district: &str) -> Result<BTreeMap<i64, Figures>> {
    let acts: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT org_id, COUNT(*), CAST(COALESCE(SUM(participants), 0) AS BIGINT), CAST(COALESCE(SUM(hours), 0) AS BIGINT) \
         FROM org_activities WHERE district_code = $1 GROUP BY org_id",
    )
    .bind(district)
    .fetch_all(&db.pool)
    .await?;
    let people: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT m.org_id, COUNT(*) FROM org_members m JOIN orgs o ON o.id = m.org_id \
         WHERE o.district_code = $1 AND m.person IS NOT NULL GROUP BY m.org_id",
    )
    .bind(district)
    .fetch_all(&db.pool)
    .await?;
    let mut own: BTreeMap<i64, Figures> = BTreeMap::new();
    for (o, n, p, h) in acts {
        let f = own.entry(o).or_default();
        (f.activities, f.participants, f.hours) = (n, p, h);
    }
    for (o, n) in people {
        own.entry(o).or_default().people = n;
    }
    Ok(own)
}

/// The membership edges (organisation, member organisation) of a district.
async fn edges(db: &Db, district: &str) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT m.org_id, m.member_org_id FROM org_members m JOIN orgs o ON o.id = m.org_id \
         WHERE o.district_code = $1 AND m.member_org_id IS NOT NULL",
    )
    .bind(district)
    .fetch_all(&db.pool)
    .await?)
}

/// A federation's (or any organisation's) roll-up: its own figures and each organisation below it once.
pub async fn federation_figures(db: &Db, o: &Org) -> Result<FederationFigures> {
    let e = edges(db, &o.district_code).await?;
    let own = own_figures(db, &o.district_code).await?;
    let (n, figures) = fed::roll_up(o.id, &e, &own);
    let ids = fed::members(o.id, &e);
    let all = orgs(db, None, Some(&o.district_code)).await?;
    let names = all.into_iter().filter(|x| ids.contains(&x.id)).map(|x| x.name).collect();
    Ok(FederationFigures { org_id: o.id, organisations: n, figures, names })
}

/// The roll-up of one community (or, as `total`, of everything in scope): its organisations by
/// tier, each organisation once (`area.organisations`, those inside a federation `area.in_federations`),
/// the sums of their own figures, and the annual reports filed for the latest inspection year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CommunityFigures {
    pub community_code: String,
    pub district_code: String,
    pub registered: i64,
    pub filed: i64,
    pub small: i64,
    pub figures: Figures,
    pub area: fed::Area,
    /// The latest inspection year in scope, its inspections and the reports filed of them
    /// (submitted, passed or failed).
    pub year: Option<i64>,
    pub inspections: i64,
    pub reports_filed: i64,
}

/// Per community in scope and the total over the scope (§5.16 roll-up, each organisation once).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RollUp {
    pub communities: Vec<CommunityFigures>,
    pub total: CommunityFigures,
}

/// The roll-up per community and over the whole scope (a district, or the city).
pub async fn roll_up(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<RollUp> {
    let list = orgs(db, community, district).await?;
    let mut by_district: BTreeMap<String, Vec<&Org>> = BTreeMap::new();
    for o in &list {
        by_district.entry(o.district_code.clone()).or_default().push(o);
    }
    let year: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(year) FROM org_inspections WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2)",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_one(&db.pool)
    .await?;
    let reports: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT community_code, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status IN ('submitted', 'passed', 'failed') THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM org_inspections WHERE year = $1 AND (CAST($2 AS TEXT) IS NULL OR community_code = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR district_code = $3) GROUP BY community_code",
    )
    .bind(year.unwrap_or(0))
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?;
    let mut rows: BTreeMap<String, CommunityFigures> = BTreeMap::new();
    let mut total =
        CommunityFigures { year, district_code: district.unwrap_or_default().to_string(), ..Default::default() };
    for (dc, in_district) in &by_district {
        let own = own_figures(db, dc).await?;
        let e = edges(db, dc).await?;
        let all = orgs(db, None, Some(dc)).await?;
        let feds: Vec<i64> = all.iter().filter(|o| o.is_federation == 1).map(|o| o.id).collect();
        let mut per: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for o in in_district {
            per.entry(o.community_code.as_str()).or_default().push(o.id);
            let r = rows.entry(o.community_code.clone()).or_insert_with(|| CommunityFigures {
                community_code: o.community_code.clone(),
                district_code: o.district_code.clone(),
                year,
                ..Default::default()
            });
            match o.tier {
                Tier::Registered => r.registered += 1,
                Tier::Filed => r.filed += 1,
                Tier::Small => r.small += 1,
            }
        }
        for (c, ids) in &per {
            let a = fed::area(ids, &feds, &e, &own);
            let r = rows.get_mut(*c).expect("row");
            r.figures = a.figures;
            r.area = a;
        }
        let ids: Vec<i64> = in_district.iter().map(|o| o.id).collect();
        let a = fed::area(&ids, &feds, &e, &own);
        total.area.organisations += a.organisations;
        total.area.in_federations += a.in_federations;
        total.area.figures += a.figures;
    }
    for (c, n, filed) in reports {
        if let Some(r) = rows.get_mut(&c) {
            (r.inspections, r.reports_filed) = (n, filed);
        }
    }
    for r in rows.values() {
        total.registered += r.registered;
        total.filed += r.filed;
        total.small += r.small;
        total.inspections += r.inspections;
        total.reports_filed += r.reports_filed;
    }
    total.figures = total.area.figures;
    Ok(RollUp { communities: rows.into_values().collect(), total })
}

/// Per community in scope (see [`roll_up`]).
pub async fn community_figures(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
) -> Result<Vec<CommunityFigures>> {
    Ok(roll_up(db, community, district).await?.communities)
}
