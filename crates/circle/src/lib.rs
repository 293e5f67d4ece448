//! `circle` — the 15-minute living circle's walking engine (issue 16, rules §7), pure: it takes
//! bytes and numbers, never a file or a database.
//!
//! - [`pbf`]: an OpenStreetMap `.osm.pbf` reader (blob framing, zlib, dense nodes, ways) that
//!   keeps only what the walking graph needs, decoding blocks on several threads.
//! - [`places`]: the buildings and amenities of the same extract ([`Extract`]).
//! - [`walk`]: which ways are walkable (the rules of `shared/data/osm/README.md`).
//! - [`graph`]: the walking graph as plain arrays and a CSR adjacency, haversine edge lengths.
//! - [`nearest`]: multi-source Dijkstra with a cut-off (rules §7.3: walking distance on the network).
//! - [`snap`]: longitude/latitude to the nearest graph node, refusing swapped, projected or
//!   off-network coordinates.
//! - [`coverage`]: for a facility type, the homes within its walking distance and the share of
//!   residents covered (rules §7.3).
//! - [`siting`]: k new sites for a facility type by greedy maximum coverage ((1 − 1/e) bound).
//! - [`catalogue`]: GB 50180-2018's levels and facility types (rules §7), the default data a
//!   city may edit.
//!
//! ```
//! # fn demo(bytes: &[u8]) -> Result<(), circle::Error> {
//! let g = circle::Graph::from_pbf(bytes, 2)?;
//! let loc = circle::Locator::new(&g);
//! let sources = circle::place(&g, &loc, &[circle::Facility::LonLat { lon: -8.61, lat: 41.15 }], 500.0)
//!     .map_err(|(_, e)| e)?;
//! let r = circle::nearest(&g, &sources, 1200.0);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

pub mod catalogue;
pub mod coverage;
pub mod error;
pub mod graph;
pub mod nearest;
pub mod pbf;
pub mod places;
mod proto;
pub mod siting;
pub mod snap;
pub mod walk;

pub use coverage::{Coverage, Home, by_group, coverage};
pub use error::Error;
pub use graph::{EARTH_RADIUS_M, Graph, haversine_m};
pub use nearest::{Nearest, nearest};
pub use places::{Extract, Place};
pub use siting::{Siting, site};
pub use snap::{Locator, Snap};

/// A facility as a planner's file gives it: a node of the graph, or a position to snap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Facility {
    Node(i64),
    LonLat { lon: f64, lat: f64 },
}

/// The graph nodes of the facilities, in order; the first one that cannot be placed is returned
/// with its position in `facilities` and the reason.
pub fn place(g: &Graph, loc: &Locator, facilities: &[Facility], max_snap_m: f64) -> Result<Vec<u32>, (usize, Error)> {
    facilities
        .iter()
        .enumerate()
        .map(|(k, f)| match *f {
            Facility::Node(id) => g.index_of(id).ok_or((k, Error::UnknownNode { id })),
            Facility::LonLat { lon, lat } => loc.locate(g, lon, lat, max_snap_m).map(|s| s.node).map_err(|e| (k, e)),
        })
        .collect()
}
