//! Performance per provider, computed from the dispatches and the cases'
//! histories on every read: acceptance time (offer → acceptance), completion
//! time (acceptance → completion), residents' satisfaction (the overall
//! score of `rate` events on the cases a provider completed) and complaints
//! (those cases reopened or rated overall ≤ 2).

use crate::dispatch::DispatchStatus;
use crate::providers::{Dispatch, Provider, list};
use crate::{Db, Result};
use cases::{Event, HistoryRecord};
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Clone, Serialize)]
pub struct Performance {
    pub provider: Provider,
    pub offered: i64,
    /// Accepted at some point (also those since arrived or completed).
    pub accepted: i64,
    pub declined: i64,
    pub completed: i64,
    pub median_accept_minutes: Option<f64>,
    pub avg_accept_minutes: Option<f64>,
    pub avg_completion_hours: Option<f64>,
    /// Average overall rating (1–5) and how many ratings it rests on.
    pub satisfaction: Option<f64>,
    pub ratings: i64,
    pub complaints: i64,
}

fn at(s: &Option<String>) -> Option<OffsetDateTime> {
    s.as_deref().and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
}

fn minutes(from: &str, to: &Option<String>) -> Option<f64> {
    let from = OffsetDateTime::parse(from, &Rfc3339).ok()?;
    Some((at(to)? - from).as_seconds_f64() / 60.0)
}

fn avg(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 })
}

/// Every provider serving a district (all for the city) with its figures.
pub async fn performance(db: &Db, district: Option<&str>) -> Result<Vec<Performance>> {
    let providers = list(db, district).await?;
    let ds: Vec<Dispatch> = sqlx::query_as(
        "SELECT d.* FROM dispatches d JOIN providers p ON p.id = d.provider_id \
         WHERE (CAST($1 AS TEXT) IS NULL OR p.district_code = $1) ORDER BY d.id",
    )
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT h.case_id, h.record FROM case_history h WHERE h.case_id IN \
         (SELECT d.case_id FROM dispatches d JOIN providers p ON p.id = d.provider_id \
          WHERE d.status = 'completed' AND (CAST($1 AS TEXT) IS NULL OR p.district_code = $1)) ORDER BY h.case_id, h.seq",
    )
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?;
    let mut history: BTreeMap<i64, Vec<HistoryRecord>> = BTreeMap::new();
    for (id, r) in rows {
        if let Ok(rec) = serde_json::from_str::<HistoryRecord>(&r) {
            history.entry(id).or_default().push(rec);
        }
    }
    let mut out = Vec::with_capacity(providers.len());
    for p in providers {
        let mine: Vec<&Dispatch> = ds.iter().filter(|d| d.provider_id == p.id).collect();
        let mut accept: Vec<f64> = mine.iter().filter_map(|d| minutes(&d.offered_at, &d.accepted_at)).collect();
        let done: Vec<f64> = mine
            .iter()
            .filter(|d| d.status == DispatchStatus::Completed)
            .filter_map(|d| Some(minutes(d.accepted_at.as_deref()?, &d.completed_at)? / 60.0))
            .collect();
        let (mut scores, mut complaints) = (Vec::new(), 0);
        for d in mine.iter().filter(|d| d.status == DispatchStatus::Completed) {
            let h = history.get(&d.case_id).map(Vec::as_slice).unwrap_or_default();
            let mut complained = false;
            for r in h {
                match &r.event {
                    Event::Rate { rating, .. } => {
                        scores.push(rating.overall as f64);
                        complained |= rating.overall <= 2;
                    }
                    Event::Reopen { .. } => complained = true,
                    _ => {}
                }
            }
            complaints += complained as i64;
        }
        out.push(Performance {
            offered: mine.len() as i64,
            accepted: mine.iter().filter(|d| d.accepted_at.is_some()).count() as i64,
            declined: mine.iter().filter(|d| d.status == DispatchStatus::Declined).count() as i64,
            completed: mine.iter().filter(|d| d.status == DispatchStatus::Completed).count() as i64,
            avg_accept_minutes: avg(&accept),
            median_accept_minutes: median(&mut accept),
            avg_completion_hours: avg(&done),
            satisfaction: avg(&scores),
            ratings: scores.len() as i64,
            complaints,
            provider: p,
        });
    }
    Ok(out)
}
