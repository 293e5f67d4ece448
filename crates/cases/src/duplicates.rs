//! Duplicate detection. Many residents report the same burst pipe or the
//! same pile of rubbish; the front desk should see that before opening yet
//! another case. A new case is flagged against an open case when both name
//! the same service item, were accepted within a recent window of each
//! other, and are at the same place: the same building code, or within
//! [`DuplicateRule::radius_m`] metres by the haversine great-circle
//! distance on WGS-84 latitude/longitude (mean Earth radius 6 371 008.8 m).
//! Flagging does not merge: the desk decides.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::state::CaseId;

/// What duplicate detection needs to know about a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: CaseId,
    /// Service item code.
    pub item: String,
    /// Building code (楼栋), if known.
    pub building: Option<String>,
    /// (latitude, longitude) in degrees, if known.
    pub location: Option<(f64, f64)>,
    pub accepted_at: OffsetDateTime,
}

/// The thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRule {
    /// Default 50 m.
    pub radius_m: f64,
    /// Default 7 days.
    pub window: Duration,
}

impl Default for DuplicateRule {
    fn default() -> Self {
        DuplicateRule { radius_m: 50.0, window: Duration::days(7) }
    }
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two (lat, lon) points in degrees.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

fn valid(p: (f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite() && p.0.abs() <= 90.0 && p.1.abs() <= 180.0
}

/// [`duplicates_with`] under the default rule (50 m, 7 days).
pub fn duplicates(new: &CaseSummary, open: &[CaseSummary]) -> Vec<CaseId> {
    duplicates_with(new, open, &DuplicateRule::default())
}

/// The ids of open cases the new case probably duplicates, in input order.
pub fn duplicates_with(new: &CaseSummary, open: &[CaseSummary], rule: &DuplicateRule) -> Vec<CaseId> {
    open.iter()
        .filter(|o| o.id != new.id && o.item == new.item)
        .filter(|o| (new.accepted_at - o.accepted_at).abs() <= rule.window)
        .filter(|o| {
            let same_building = match (&new.building, &o.building) {
                (Some(a), Some(b)) => !a.trim().is_empty() && a.trim() == b.trim(),
                _ => false,
            };
            let near = match (new.location, o.location) {
                (Some(a), Some(b)) if valid(a) && valid(b) => haversine_m(a, b) <= rule.radius_m,
                _ => false,
            };
            same_building || near
        })
        .map(|o| o.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    // Tongling city centre, roughly.
    const P: (f64, f64) = (30.9450, 117.8120);

    fn s(id: &str, item: &str, building: Option<&str>, loc: Option<(f64, f64)>) -> CaseSummary {
        CaseSummary {
            id: CaseId::new(id),
            item: item.into(),
            building: building.map(Into::into),
            location: loc,
            accepted_at: datetime!(2025-03-03 10:00 +8),
        }
    }

    #[test]
    fn haversine_known_distances() {
        // One degree of latitude ≈ 111.195 km on the mean sphere.
        let d = haversine_m((0.0, 0.0), (1.0, 0.0));
        assert!((d - 111_195.08).abs() < 1.0, "{d}");
        assert_eq!(haversine_m(P, P), 0.0);
        // 0.0004° of latitude ≈ 44.5 m.
        let d = haversine_m(P, (P.0 + 0.0004, P.1));
        assert!((44.0..45.0).contains(&d), "{d}");
        // Antipodes do not produce NaN.
        assert!(haversine_m((0.0, 0.0), (0.0, 180.0)).is_finite());
    }

    #[test]
    fn flags_same_building_or_near() {
        let new = s("n", "pipe", Some("7栋"), Some(P));
        let open = vec![
            s("a", "pipe", Some("7栋"), None),                    // same building
            s("b", "pipe", None, Some((P.0 + 0.0004, P.1))),      // ~44 m
            s("c", "pipe", None, Some((P.0 + 0.0006, P.1))),      // ~67 m
            s("d", "rubbish", Some("7栋"), Some(P)),              // other item
            s("e", "pipe", Some("8栋"), None),                    // other building
            s("n", "pipe", Some("7栋"), Some(P)),                 // itself
            s("f", "pipe", Some(" 7栋 "), Some((f64::NAN, 0.0))), // trimmed, bad point ignored
        ];
        let ids: Vec<_> = duplicates(&new, &open).into_iter().map(|i| i.0).collect();
        assert_eq!(ids, vec!["a", "b", "f"]);
    }

    #[test]
    fn window_limits() {
        let new = s("n", "pipe", Some("7栋"), None);
        let mut old = s("o", "pipe", Some("7栋"), None);
        old.accepted_at = new.accepted_at - Duration::days(8);
        assert!(duplicates(&new, std::slice::from_ref(&old)).is_empty());
        let rule = DuplicateRule { window: Duration::days(10), ..DuplicateRule::default() };
        assert_eq!(duplicates_with(&new, &[old], &rule), vec![CaseId::new("o")]);
        let blank = s("b", "pipe", Some(""), None);
        assert!(duplicates(&s("m", "pipe", Some(""), None), &[blank]).is_empty());
    }
}
