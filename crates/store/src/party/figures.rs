//! The figures of party building with units, per community as of a date:
//! units seated, agreements signed and in force, commitments fulfilled,
//! volunteer hours and venues open. Districts and the city are the sums.

use super::*;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// The community (empty for a total).
    pub community_code: String,
    pub community_name: String,
    pub district_code: String,
    /// Distinct units holding a part-time seat on the date.
    pub units_seated: i64,
    /// Agreements signed by the date.
    pub agreements_signed: i64,
    /// Agreements in force on the date.
    pub agreements_in_force: i64,
    pub commitments: i64,
    /// Commitments whose confirmed fulfilment reached their quantity.
    pub commitments_fulfilled: i64,
    /// Confirmed volunteer hours up to the date.
    pub volunteer_hours: i64,
    /// Venue commitments of agreements in force on the date.
    pub venues_open: i64,
}

impl Figures {
    /// Commitments fulfilled, in percent of all commitments (rule P4's measure).
    pub fn fulfilled_percent(&self) -> i64 {
        if self.commitments == 0 { 0 } else { engine::fulfilled_percent(self.commitments, self.commitments_fulfilled) }
    }

    fn add(&mut self, o: &Figures) {
        self.units_seated += o.units_seated;
        self.agreements_signed += o.agreements_signed;
        self.agreements_in_force += o.agreements_in_force;
        self.commitments += o.commitments;
        self.commitments_fulfilled += o.commitments_fulfilled;
        self.volunteer_hours += o.volunteer_hours;
        self.venues_open += o.venues_open;
    }
}

/// The sum of rows (a district's or the city's figures).
pub fn total(rows: &[Figures], district_code: &str) -> Figures {
    let mut t = Figures { district_code: district_code.to_string(), ..Default::default() };
    for r in rows {
        t.add(r);
    }
    t
}

type CommitmentLine = (String, String, i64, i64, String, String);

/// One row per community of `district` (`None`: the city) as of `on`.
pub async fn figures(db: &Db, district: Option<&str>, on: Date) -> Result<Vec<Figures>> {
    let on = on.to_string();
    let d = district.map(str::to_string);
    let seated: Vec<(String, i64)> = sqlx::query_as(
        "SELECT community_code, CAST(COUNT(DISTINCT unit_id) AS BIGINT) FROM party_seats \
         WHERE membership = 'part_time' AND term_from <= $2 AND COALESCE(ended_on, term_to) >= $2 AND (CAST($1 AS TEXT) IS NULL OR district_code = $1) \
         GROUP BY community_code",
    )
    .bind(d.clone())
    .bind(&on)
    .fetch_all(&db.pool)
    .await?;
    let signed: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT community_code, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN period_from <= $2 AND period_to >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM party_agreements WHERE signed_on <= $2 AND (CAST($1 AS TEXT) IS NULL OR district_code = $1) GROUP BY community_code",
    )
    .bind(d.clone())
    .bind(&on)
    .fetch_all(&db.pool)
    .await?;
    let lines: Vec<CommitmentLine> = sqlx::query_as(
        "SELECT c.community_code, c.kind, c.quantity, \
         CAST(COALESCE(SUM(f.quantity), 0) AS BIGINT), a.period_from, a.period_to \
         FROM party_commitments c JOIN party_agreements a ON a.id = c.agreement_id \
         LEFT JOIN party_fulfilments f ON f.commitment_id = c.id AND f.status = 'confirmed' AND f.done_on <= $2 \
         WHERE a.signed_on <= $2 AND (CAST($1 AS TEXT) IS NULL OR c.district_code = $1) \
         GROUP BY c.id, c.community_code, c.kind, c.quantity, a.period_from, a.period_to",
    )
    .bind(d)
    .bind(&on)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for c in crate::structure::communities(db, district).await? {
        let mut f = Figures {
            community_code: c.code.clone(),
            community_name: c.name.clone(),
            district_code: c.district_code.clone(),
            ..Default::default()
        };
        f.units_seated = seated.iter().find(|(k, _)| *k == c.code).map(|x| x.1).unwrap_or(0);
        if let Some((_, s, i)) = signed.iter().find(|(k, ..)| *k == c.code) {
            (f.agreements_signed, f.agreements_in_force) = (*s, *i);
        }
        for (_, kind, qty, done, from, to) in lines.iter().filter(|l| l.0 == c.code) {
            f.commitments += 1;
            if done >= qty {
                f.commitments_fulfilled += 1;
            }
            match kind.as_str() {
                "volunteers" => f.volunteer_hours += done,
                "venue" if from.as_str() <= on.as_str() && on.as_str() <= to.as_str() => f.venues_open += 1,
                _ => {}
            }
        }
        out.push(f);
    }
    Ok(out)
}
