//! Duplicate candidates for intake: the open cases a new one may repeat.
//!
//! The engine decides what is a duplicate (`cases::duplicates`); this module
//! finds what it compares against without a query per case. The intake
//! writer keeps, per (community, service item), the recent open cases it has
//! read or written: read once inside its own transaction, then kept current
//! by the writer itself (the only process-wide writer of new cases). Each
//! group keeps the newest few cases per building and per ~50 m cell, which
//! is all the rule looks at. A group is read again when a case of it closes
//! or is rejected here (events mark it stale) and at least every
//! [`GROUP_TTL`], so cases written by another node of a PostgreSQL
//! deployment are seen within that time.

use super::ts;
use crate::sql::Sql;
use crate::{Dialect, Result};
use cases::{CaseId, CaseSummary};
use sqlx::AnyConnection;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How long a group is trusted before it is read again.
const GROUP_TTL: Duration = Duration::from_secs(60);
/// The newest cases kept per building and per cell.
const KEPT: usize = 8;
/// The most duplicates a new case is flagged with, the newest: the front
/// desk links it to one original, and a long list would only crowd the page.
const FLAGGED: usize = 5;
/// A cell's side in degrees of latitude (about 55 m); longitude is scaled.
const CELL_DEG: f64 = 0.0005;
/// The window of the duplicate rule, in days (the engine checks it exactly).
const WINDOW_DAYS: i64 = 7;

/// What a new case is compared by.
#[derive(Clone, Debug)]
pub(crate) struct Probe {
    pub community: String,
    pub item: String,
    pub building: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub at: OffsetDateTime,
}

impl Probe {
    pub fn summary(&self, id: CaseId) -> CaseSummary {
        CaseSummary {
            id,
            item: self.item.clone(),
            building: Some(self.building.clone()).filter(|b| !b.is_empty()),
            location: self.lat.zip(self.lon),
            accepted_at: self.at,
        }
    }

    fn comparable(&self) -> bool {
        !self.building.trim().is_empty() || self.lat.zip(self.lon).is_some()
    }

    fn key(&self) -> (String, String) {
        (self.community.clone(), self.item.clone())
    }
}

/// A grid cell of about 55 m on each side.
fn cell((lat, lon): (f64, f64)) -> (i64, i64) {
    let scale = lat.to_radians().cos().max(0.01);
    ((lat / CELL_DEG).floor() as i64, (lon * scale / CELL_DEG).floor() as i64)
}

/// The open cases of one community and item, newest last in each bucket.
#[derive(Default)]
struct Group {
    read_at: Option<Instant>,
    by_building: HashMap<String, VecDeque<CaseSummary>>,
    by_cell: HashMap<(i64, i64), VecDeque<CaseSummary>>,
}

fn keep(bucket: &mut VecDeque<CaseSummary>, c: &CaseSummary) {
    bucket.push_back(c.clone());
    if bucket.len() > KEPT {
        bucket.pop_front();
    }
}

impl Group {
    fn add(&mut self, c: &CaseSummary) {
        if let Some(b) = c.building.as_deref().filter(|b| !b.trim().is_empty()) {
            keep(self.by_building.entry(b.trim().to_string()).or_default(), c);
        }
        if let Some(p) = c.location {
            keep(self.by_cell.entry(cell(p)).or_default(), c);
        }
    }

    /// The ids of the cases the engine finds `new` duplicates, among those at
    /// its building and in the 3×3 cells around it: the newest [`FLAGGED`].
    fn duplicates(&self, p: &Probe, new: &CaseSummary) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        let (d_lat, d_lon) = (CELL_DEG, p.lat.map_or(0.0, |a| CELL_DEG / a.to_radians().cos().max(0.01)));
        let mut check = |bucket: &VecDeque<CaseSummary>, by_place: bool| {
            for c in bucket {
                // A cell's corners are farther than the rule reaches: a box first, the engine's metres after.
                let near = |(a, o): (f64, f64)| {
                    p.lat.zip(p.lon).is_some_and(|(la, lo)| (a - la).abs() <= d_lat && (o - lo).abs() <= d_lon)
                };
                if by_place && !c.location.is_some_and(near) {
                    continue;
                }
                if !cases::duplicates(new, std::slice::from_ref(c)).is_empty()
                    && let Ok(id) = c.id.0.parse::<i64>()
                    && !out.contains(&id)
                {
                    out.push(id);
                }
            }
        };
        if let Some(b) = self.by_building.get(p.building.trim()).filter(|_| !p.building.trim().is_empty()) {
            check(b, false);
        }
        if let Some((la, lo)) = p.lat.zip(p.lon).map(cell) {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    if let Some(b) = self.by_cell.get(&(la + dy, lo + dx)) {
                        check(b, true);
                    }
                }
            }
        }
        out.sort_unstable_by(|a, b| b.cmp(a));
        out.truncate(FLAGGED);
        out.reverse();
        out
    }
}

type Row = (i64, String, String, Option<f64>, Option<f64>, String);

/// Groups that events changed, to be read again (shared with the writer).
pub(crate) type Stale = Arc<Mutex<Vec<(String, String)>>>;

/// The intake writer's picture of recent open cases.
pub(crate) struct Nearby {
    groups: HashMap<(String, String), Group>,
    stale: Stale,
}

impl Nearby {
    pub fn new(stale: Stale) -> Nearby {
        Nearby { groups: HashMap::new(), stale }
    }

    fn drop_stale(&mut self) {
        for key in std::mem::take(&mut *self.stale.lock().unwrap_or_else(|e| e.into_inner())) {
            self.groups.remove(&key);
        }
    }

    fn fresh(&self, key: &(String, String)) -> bool {
        self.groups.get(key).and_then(|g| g.read_at).is_some_and(|t| t.elapsed() < GROUP_TTL)
    }

    /// Whether [`Nearby::refresh`] would read anything for these probes.
    pub fn needs_reading(&mut self, probes: &[Probe]) -> bool {
        self.drop_stale();
        probes.iter().any(|p| p.comparable() && !self.fresh(&p.key()))
    }

    /// Reads, inside the writer's transaction, every group this batch needs
    /// that is missing, stale or too old; before any case of the batch is
    /// added, so that none is lost by a read.
    pub async fn refresh(&mut self, dialect: Dialect, tx: &mut AnyConnection, probes: &[Probe]) -> Result<()> {
        self.drop_stale();
        for p in probes.iter().filter(|p| p.comparable()) {
            let key = p.key();
            if self.fresh(&key) {
                continue;
            }
            let mut q = Sql::new(
                dialect,
                "SELECT id, item_code, building, lat, lon, created_at FROM cases WHERE community_code = ",
            );
            q.bind(p.community.as_str()).push(" AND item_code = ").bind(p.item.as_str());
            q.push(" AND created_at >= ").bind(ts(p.at - time::Duration::days(WINDOW_DAYS)));
            q.push(" AND status NOT IN ('closed', 'rejected') ORDER BY created_at, id");
            let rows: Vec<Row> = q.query_as().fetch_all(&mut *tx).await?;
            let mut g = Group { read_at: Some(Instant::now()), ..Group::default() };
            for (id, item, building, lat, lon, at) in rows {
                g.add(&CaseSummary {
                    id: CaseId::new(id.to_string()),
                    item,
                    building: Some(building).filter(|b| !b.is_empty()),
                    location: lat.zip(lon),
                    accepted_at: OffsetDateTime::parse(&at, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH),
                });
            }
            self.groups.insert(key, g);
        }
        Ok(())
    }

    /// The open cases `new` duplicates, by the engine's rule (after [`Nearby::refresh`]).
    pub fn duplicates(&self, p: &Probe, new: &CaseSummary) -> Vec<i64> {
        if !p.comparable() {
            return Vec::new();
        }
        self.groups.get(&p.key()).map(|g| g.duplicates(p, new)).unwrap_or_default()
    }

    /// A case written in the current transaction (later cases of the same
    /// batch compare against it too).
    pub fn add(&mut self, p: &Probe, c: &CaseSummary) {
        if let Some(g) = self.groups.get_mut(&p.key()) {
            g.add(c);
        }
    }

    /// The transaction failed: forget what it added.
    pub fn forget(&mut self, probes: impl Iterator<Item = (String, String)>) {
        for key in probes {
            self.groups.remove(&key);
        }
    }
}

/// After a case closes or is rejected: its group is read again.
pub(crate) fn mark_stale(stale: &Stale, community: &str, item: &str) {
    stale.lock().unwrap_or_else(|e| e.into_inner()).push((community.to_string(), item.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn probe(building: &str, at: Option<(f64, f64)>) -> Probe {
        Probe {
            community: "c".into(),
            item: "i".into(),
            building: building.into(),
            lat: at.map(|p| p.0),
            lon: at.map(|p| p.1),
            at: datetime!(2026-03-02 10:00 +8),
        }
    }

    #[test]
    fn a_group_finds_the_same_building_and_the_cells_around() {
        let mut g = Group::default();
        let here = (30.9450, 117.8120);
        g.add(&probe("3栋", None).summary(CaseId::new("1")));
        // 40 m north: may fall in the next cell, still found.
        g.add(&probe("", Some((here.0 + 0.00036, here.1))).summary(CaseId::new("2")));
        // 500 m away: not a candidate.
        g.add(&probe("", Some((here.0 + 0.0045, here.1))).summary(CaseId::new("3")));
        let p = probe("3栋", Some(here));
        assert_eq!(g.duplicates(&p, &p.summary(CaseId::new("9"))), vec![1, 2]);
    }

    #[test]
    fn only_the_newest_duplicates_are_flagged() {
        let mut g = Group::default();
        for i in 0..20 {
            g.add(&probe("1栋", None).summary(CaseId::new(i.to_string())));
        }
        let p = probe("1栋", None);
        assert_eq!(g.duplicates(&p, &p.summary(CaseId::new("99"))), vec![15, 16, 17, 18, 19]);
    }
}
