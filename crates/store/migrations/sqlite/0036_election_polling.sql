-- Polling (rules §2.11–§2.13): proxies with their written authorisation and the
-- election committee's approval (principal and proxy are voters on the roll),
-- polling stations and mobile ballot boxes with their staff, the voters
-- flagged for a mobile box (ill, elderly, disabled), and the tellers (监票人,
-- 计票人, 唱票人) with the count of close relatives each declared, none of whom
-- stands as a candidate.
CREATE TABLE election_proxies (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    principal_id INTEGER NOT NULL REFERENCES election_voters(id),
    proxy_id INTEGER NOT NULL REFERENCES election_voters(id),
    written_on TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    close_relatives INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, principal_id)
);
CREATE INDEX election_proxies_by_proxy ON election_proxies (election_id, proxy_id);

CREATE TABLE election_stations (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'mobile')),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, name)
);

CREATE TABLE election_station_staff (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES election_stations(id),
    election_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (station_id, name)
);

CREATE TABLE election_mobile_voters (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES election_stations(id),
    election_id INTEGER NOT NULL,
    voter_id INTEGER NOT NULL REFERENCES election_voters(id),
    reason TEXT NOT NULL CHECK (reason IN ('ill', 'elderly', 'disabled')),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, voter_id)
);

CREATE TABLE election_tellers (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    name TEXT NOT NULL,
    duty TEXT NOT NULL CHECK (duty IN ('scrutineer', 'counter', 'caller')),
    relatives_declared INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, name, duty)
);
