-- The 15-minute living circle, continued (issue 16): homes from the residents registry placed
-- on the map, coverage computed and stored with the date and graph it was computed on, the
-- buildings outside the standard (buildings, never people), and facilities that close.

-- Where a registry building stands (community + building, as the residents registry names it).
-- `illustrative` marks a position the demo invented (shown with 示例).
CREATE TABLE circle_buildings (
    community_code TEXT NOT NULL REFERENCES communities(code),
    building TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    source TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0,
    placed_by TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    PRIMARY KEY (community_code, building)
);

-- One computation of coverage: on which network, on which date, over how many homes.
CREATE TABLE circle_coverage_runs (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES circle_networks(id),
    computed_on TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    computed_by TEXT NOT NULL,
    buildings INTEGER NOT NULL,
    residents INTEGER NOT NULL,
    unplaced_buildings INTEGER NOT NULL,
    unplaced_residents INTEGER NOT NULL
);

-- Per community and facility type: residents in placed buildings, and those within the type's
-- walking distance (rules §7.3). The city's figure is the sum over communities.
CREATE TABLE circle_coverage (
    run_id INTEGER NOT NULL REFERENCES circle_coverage_runs(id),
    community_code TEXT NOT NULL,
    type_code TEXT NOT NULL,
    walk_m INTEGER NOT NULL,
    facilities INTEGER NOT NULL,
    residents INTEGER NOT NULL,
    covered INTEGER NOT NULL,
    PRIMARY KEY (run_id, community_code, type_code)
);

-- The buildings outside the standard, per facility type: counts only, no one's name.
CREATE TABLE circle_gaps (
    run_id INTEGER NOT NULL REFERENCES circle_coverage_runs(id),
    type_code TEXT NOT NULL,
    community_code TEXT NOT NULL,
    building TEXT NOT NULL,
    households INTEGER NOT NULL,
    residents INTEGER NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    PRIMARY KEY (run_id, type_code, community_code, building)
);
CREATE INDEX circle_gaps_by_community ON circle_gaps (run_id, community_code);

-- A facility closed on a date stays in the registry (and its history) but no longer counts.
ALTER TABLE circle_facilities ADD COLUMN closed_on TEXT;
