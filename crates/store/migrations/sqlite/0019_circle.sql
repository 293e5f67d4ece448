-- The 15-minute living circle (issue 16, rules §7): walking networks imported from
-- OpenStreetMap (`shequ circle import-osm`), stored so the server needs no re-import,
-- and the living-circle levels and facility types as data a city may edit.

CREATE TABLE circle_networks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- The file it was imported from (its name only).
    source TEXT NOT NULL,
    node_count INTEGER NOT NULL,
    edge_count INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- Node idx of a network (0-based, in OSM id order) is the engine's node index.
CREATE TABLE circle_nodes (
    network_id INTEGER NOT NULL REFERENCES circle_networks(id),
    idx INTEGER NOT NULL,
    osm_id INTEGER NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    PRIMARY KEY (network_id, idx)
);

-- One row per undirected edge, u < v (node idx), length in metres (haversine).
CREATE TABLE circle_edges (
    network_id INTEGER NOT NULL REFERENCES circle_networks(id),
    u INTEGER NOT NULL,
    v INTEGER NOT NULL,
    length_m REAL NOT NULL,
    PRIMARY KEY (network_id, u, v)
);

-- Buildings and amenities of the same extract: a node, or a way placed at the mean of its
-- nodes; node_idx is the nearest walking-graph node within 500 m (snap_m away), else NULL.
CREATE TABLE circle_places (
    network_id INTEGER NOT NULL REFERENCES circle_networks(id),
    osm_type TEXT NOT NULL CHECK (osm_type IN ('node', 'way')),
    osm_id INTEGER NOT NULL,
    building TEXT,
    amenity TEXT,
    name TEXT,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    node_idx INTEGER,
    snap_m REAL,
    PRIMARY KEY (network_id, osm_type, osm_id)
);
CREATE INDEX circle_places_by_amenity ON circle_places (network_id, amenity);

-- GB 50180-2018 levels: the walking distance a home is judged against; `source` says
-- whose number it is (the standard's, or a local one).
CREATE TABLE circle_levels (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    walk_m INTEGER NOT NULL,
    range_text TEXT NOT NULL,
    source TEXT NOT NULL,
    sort INTEGER NOT NULL
);

CREATE TABLE circle_facility_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level_code TEXT NOT NULL REFERENCES circle_levels(code),
    -- A service radius stricter than the level's distance (schools, rules §7.2).
    radius_m INTEGER,
    source TEXT NOT NULL,
    sort INTEGER NOT NULL
);

-- The facilities registry: each facility of a catalogue type at a WGS 84 position; a former
-- street office's building that the reform converted is marked as such.
CREATE TABLE circle_facilities (
    id INTEGER PRIMARY KEY,
    type_code TEXT NOT NULL REFERENCES circle_facility_types(code),
    name TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    capacity INTEGER,
    opening_hours TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    former_street_office INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (type_code, name)
);
