//! Buildings and amenities of an extract (issue 16: homes and facilities can come from the same
//! file as the walking graph): every node or way tagged `building` or `amenity`, placed at the
//! node, or at the mean of a way's located nodes (a closed way's repeated first node counted once).

use crate::error::Error;
use crate::graph::{Graph, located_nodes};
use crate::pbf::{self, COORD_SCALE};

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// A way (else a node) of OpenStreetMap, and its id.
    pub way: bool,
    pub id: i64,
    /// The `building`, `amenity` and `name` tags.
    pub building: Option<String>,
    pub amenity: Option<String>,
    pub name: Option<String>,
    pub lon: f64,
    pub lat: f64,
}

/// An extract read whole for the living circle: its walking graph and its places.
#[derive(Debug, Clone)]
pub struct Extract {
    pub graph: Graph,
    pub places: Vec<Place>,
}

impl Extract {
    pub fn from_pbf(bytes: &[u8], threads: usize) -> Result<Extract, Error> {
        let blocks = pbf::read_with(bytes, threads, true)?;
        let (ids, lon, lat) = located_nodes(&blocks);
        let graph = Graph::from_located(&blocks, &ids, &lon, &lat)?;
        let mut places = Vec::new();
        for raw in blocks.into_iter().flat_map(|b| b.places) {
            let (x, y) = if raw.way {
                let refs = match raw.refs.as_slice() {
                    [first, inner @ .., last] if first == last && !inner.is_empty() => &raw.refs[..raw.refs.len() - 1],
                    all => all,
                };
                let (mut sx, mut sy, mut n) = (0i64, 0i64, 0i64);
                for r in refs {
                    if let Ok(i) = ids.binary_search(r) {
                        sx += i64::from(lon[i]);
                        sy += i64::from(lat[i]);
                        n += 1;
                    }
                }
                if n == 0 {
                    continue; // none of its nodes is in the extract
                }
                (sx as f64 / n as f64, sy as f64 / n as f64)
            } else {
                (f64::from(raw.lon), f64::from(raw.lat))
            };
            places.push(Place {
                way: raw.way,
                id: raw.id,
                building: raw.building,
                amenity: raw.amenity,
                name: raw.name,
                lon: x / COORD_SCALE,
                lat: y / COORD_SCALE,
            });
        }
        Ok(Extract { graph, places })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::tests::write_pbf_tagged;

    #[test]
    fn buildings_and_amenities_are_placed_at_their_node_or_way_centre() {
        let file = write_pbf_tagged(
            &[
                (1, 117.800, 30.900, vec![]),
                (2, 117.802, 30.900, vec![]),
                (3, 117.802, 30.902, vec![]),
                (4, 117.800, 30.902, vec![]),
                (5, 117.801, 30.901, vec![("amenity", "kindergarten"), ("name", "示例幼儿园")]),
            ],
            &[
                (10, vec![1, 2, 3, 4, 1], vec![("building", "residential"), ("name", "1栋")]),
                (11, vec![1, 2], vec![("highway", "footway")]),
                (12, vec![98, 99, 98], vec![("building", "yes")]),
            ],
        );
        let x = Extract::from_pbf(&file, 1).unwrap();
        assert_eq!(x.graph.node_count(), 2);
        assert_eq!(x.places.len(), 2, "the building without located nodes is left out");
        let n = &x.places[0];
        assert_eq!(
            (n.way, n.id, n.amenity.as_deref(), n.name.as_deref()),
            (false, 5, Some("kindergarten"), Some("示例幼儿园"))
        );
        let w = &x.places[1];
        assert_eq!(
            (w.way, w.id, w.building.as_deref(), w.name.as_deref()),
            (true, 10, Some("residential"), Some("1栋"))
        );
        assert!((w.lon - 117.801).abs() < 1e-9 && (w.lat - 30.901).abs() < 1e-9, "{w:?}");
        // Reading the graph alone skips them.
        assert!(crate::pbf::read(&file, 1).unwrap().iter().all(|b| b.places.is_empty()));
    }
}
