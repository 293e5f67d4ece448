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

/// The registry's figures of one community.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CommunityFigures {
    pub community_code: String,
    pub district_code: String,
    pub registered: i64,
    pub filed: i64,
    pub small: i64,
    pub figures: Figures,
}

/// Per community in scope: organisations by tier, and the sums of their own figures
/// (each organisation once, however many federations it belongs to).
pub async fn community_figures(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
) -> Result<Vec<CommunityFigures>> {
    let list = orgs(db, community, district).await?;
    let mut owns: BTreeMap<String, BTreeMap<i64, Figures>> = BTreeMap::new();
    let mut rows: BTreeMap<String, CommunityFigures> = BTreeMap::new();
    for o in &list {
        if !owns.contains_key(&o.district_code) {
            owns.insert(o.district_code.clone(), own_figures(db, &o.district_code).await?);
        }
        let r = rows.entry(o.community_code.clone()).or_insert_with(|| CommunityFigures {
            community_code: o.community_code.clone(),
            district_code: o.district_code.clone(),
            ..Default::default()
        });
        match o.tier {
            Tier::Registered => r.registered += 1,
            Tier::Filed => r.filed += 1,
            Tier::Small => r.small += 1,
        }
        r.figures += owns[&o.district_code].get(&o.id).copied().unwrap_or_default();
    }
    Ok(rows.into_values().collect())
}
