//! Which ways people walk on: the rules of `shared/data/osm/README.md` ("The walking graph the
//! references use"), the same as `reference.py`'s `is_walkable`.

/// README rule 1a: `highway` values that are never walkable.
pub const EXCLUDED_HIGHWAY: [&str; 19] = [
    "motorway",
    "motorway_link",
    "bus_guideway",
    "busway",
    "construction",
    "proposed",
    "planned",
    "abandoned",
    "razed",
    "raceway",
    "platform",
    "escape",
    "no",
    "disused",
    "elevator",
    "corridor",
    "emergency_bay",
    "rest_area",
    "services",
];

/// The four tags the walking rules read (a later duplicate key wins, as in a Python dict).
#[derive(Debug, Default, Clone, Copy)]
pub struct WayTags<'a> {
    pub highway: Option<&'a [u8]>,
    pub area: Option<&'a [u8]>,
    pub foot: Option<&'a [u8]>,
    pub access: Option<&'a [u8]>,
}

impl<'a> WayTags<'a> {
    #[inline]
    pub fn set(&mut self, key: &[u8], value: &'a [u8]) {
        match key {
            b"highway" => self.highway = Some(value),
            b"area" => self.area = Some(value),
            b"foot" => self.foot = Some(value),
            b"access" => self.access = Some(value),
            _ => {}
        }
    }
}

/// A way is walkable when all four README rules hold:
/// 1. it has a `highway` tag whose value is not in [`EXCLUDED_HIGHWAY`];
/// 2. `area` is not `yes`;
/// 3. `foot` is not `no`/`private`;
/// 4. `access` is not `no`/`private`, unless `foot` is `yes`/`designated`/`permissive`.
///
/// `oneway` is not read: people walk both ways.
pub fn is_walkable(t: &WayTags<'_>) -> bool {
    let Some(hw) = t.highway else { return false };
    if EXCLUDED_HIGHWAY.iter().any(|x| x.as_bytes() == hw) {
        return false;
    }
    if t.area == Some(b"yes") {
        return false;
    }
    if matches!(t.foot, Some(b"no" | b"private")) {
        return false;
    }
    let foot_allows = matches!(t.foot, Some(b"yes" | b"designated" | b"permissive"));
    foot_allows || !matches!(t.access, Some(b"no" | b"private"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags<'a>(pairs: &[(&str, &'a str)]) -> WayTags<'a> {
        let mut t = WayTags::default();
        for (k, v) in pairs {
            t.set(k.as_bytes(), v.as_bytes());
        }
        t
    }

    #[test]
    fn osm_walk_rule1_highway_accepts_footways_and_residential_streets() {
        assert!(is_walkable(&tags(&[("highway", "footway")])));
        assert!(is_walkable(&tags(&[("highway", "residential"), ("oneway", "yes")])));
        assert!(is_walkable(&tags(&[("highway", "primary")])));
    }

    #[test]
    fn osm_walk_rule1_highway_refuses_excluded_values_and_untagged_ways() {
        for hw in EXCLUDED_HIGHWAY {
            assert!(!is_walkable(&tags(&[("highway", hw)])), "{hw}");
        }
        assert!(!is_walkable(&tags(&[("building", "yes")])));
    }

    #[test]
    fn osm_walk_rule2_area_accepts_area_no() {
        assert!(is_walkable(&tags(&[("highway", "pedestrian"), ("area", "no")])));
    }

    #[test]
    fn osm_walk_rule2_area_refuses_area_yes() {
        assert!(!is_walkable(&tags(&[("highway", "pedestrian"), ("area", "yes")])));
    }

    #[test]
    fn osm_walk_rule3_foot_accepts_foot_yes() {
        assert!(is_walkable(&tags(&[("highway", "trunk"), ("foot", "yes")])));
    }

    #[test]
    fn osm_walk_rule3_foot_refuses_no_and_private() {
        assert!(!is_walkable(&tags(&[("highway", "trunk"), ("foot", "no")])));
        assert!(!is_walkable(&tags(&[("highway", "path"), ("foot", "private")])));
    }

    #[test]
    fn osm_walk_rule4_access_accepts_private_access_with_foot_allowed() {
        for foot in ["yes", "designated", "permissive"] {
            assert!(is_walkable(&tags(&[("highway", "service"), ("access", "private"), ("foot", foot)])));
        }
        assert!(is_walkable(&tags(&[("highway", "service"), ("access", "destination")])));
    }

    #[test]
    fn osm_walk_rule4_access_refuses_no_or_private_access() {
        assert!(!is_walkable(&tags(&[("highway", "service"), ("access", "private")])));
        assert!(!is_walkable(&tags(&[("highway", "service"), ("access", "no"), ("foot", "unknown")])));
    }

    #[test]
    fn a_later_duplicate_key_wins() {
        assert!(!is_walkable(&tags(&[("highway", "footway"), ("highway", "motorway")])));
    }
}
