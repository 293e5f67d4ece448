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
    /// its building and in the 3×3 cells around it.
    fn duplicates(&self, p: &Probe, new: &CaseSummary) -> Vec<CaseId> {
        let mut out: Vec<CaseId> = Vec::new();
        let mut check = |bucket: &VecDeque<CaseSummary>| {
            let (a, b) = bucket.as_slices();
            for id in cases::duplicates(new, a).into_iter().chain(cases::duplicates(new, b)) {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        };
        if let Some(b) = self.by_building.get(p.building.trim()).filter(|_| !p.building.trim().is_empty()) {
            check(b);
        }
        if let Some((la, lo)) = p.lat.zip(p.lon).map(cell) {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    if let Some(b) = self.by_cell.get(&(la + dy, lo + dx)) {
                        check(b);
                    }
                }
            }
        }
        out.sort_by_key(|id| id.0.parse::<i64>().unwrap_or(0));
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

    /// Reads, inside the writer's transaction, every group this batch needs
    /// that is missing, stale or too old; before any case of the batch is
    /// added, so that none is lost by a read.
    pub async fn refresh(&mut self, dialect: Dialect, tx: &mut AnyConnection, probes: &[Probe]) -> Result<()> {
        for key in std::mem::take(&mut *self.stale.lock().unwrap_or_else(|e| e.into_inner())) {
            self.groups.remove(&key);
        }
        for p in probes.iter().filter(|p| p.comparable()) {
            let key = p.key();
            let fresh = self.groups.get(&key).and_then(|g| g.read_at).is_some_and(|t| t.elapsed() < GROUP_TTL);
            if fresh {
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
    pub fn duplicates(&self, p: &Probe, new: &CaseSummary) -> Vec<CaseId> {
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
        let found: Vec<String> = g.duplicates(&p, &p.summary(CaseId::new("9"))).into_iter().map(|c| c.0).collect();
        assert_eq!(found, vec!["1", "2"]);
    }

    #[test]
    fn a_bucket_keeps_only_the_newest() {
        let mut g = Group::default();
        for i in 0..20 {
            g.add(&probe("1栋", None).summary(CaseId::new(i.to_string())));
        }
        let p = probe("1栋", None);
        let found: Vec<String> = g.duplicates(&p, &p.summary(CaseId::new("99"))).into_iter().map(|c| c.0).collect();
        assert_eq!(found.len(), KEPT);
        assert_eq!(found.last().map(String::as_str), Some("19"));
    }
}
