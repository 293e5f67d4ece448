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

-- §2.14: a first round that is invalid (not more than half the voters took
-- part, or more ballots returned than issued) is held again as a new round of
-- the same election, kind 'rerun', with the same posts and formal candidates;
-- the first round's boxes and sheets stay as they were, sealed. SQLite cannot
-- alter a CHECK, so the later-round tables are rebuilt: the new ones are made
-- and filled, the old ones dropped children first (no row is ever orphaned),
-- and the new ones renamed, which points their references at the final names.
CREATE TABLE election_rounds_new (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('runoff', 'repeat', 'rerun')),
    polling_day TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('polling', 'counted')),
    registered_voters INTEGER,
    ballots_issued INTEGER,
    ballots_returned INTEGER,
    round_valid INTEGER,
    outcome TEXT,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    counted_by TEXT,
    counted_at TEXT,
    UNIQUE (election_id, number)
);

CREATE TABLE election_round_posts_new (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES election_rounds_new(id),
    post TEXT NOT NULL,
    seats INTEGER NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (round_id, post)
);

CREATE TABLE election_round_candidates_new (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES election_rounds_new(id),
    post TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (round_id, post, name)
);

CREATE TABLE election_round_boxes_new (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES election_rounds_new(id),
    election_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'mobile')),
    issued INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (round_id, name)
);

CREATE TABLE election_round_lines_new (
    id INTEGER PRIMARY KEY,
    box_id INTEGER NOT NULL REFERENCES election_round_boxes_new(id),
    round_id INTEGER NOT NULL,
    post TEXT NOT NULL,
    line TEXT NOT NULL CHECK (line IN ('candidate', 'write_in', 'invalid', 'blank')),
    name TEXT NOT NULL,
    votes INTEGER NOT NULL
);

INSERT INTO election_rounds_new SELECT * FROM election_rounds;
INSERT INTO election_round_posts_new SELECT * FROM election_round_posts;
INSERT INTO election_round_candidates_new SELECT * FROM election_round_candidates;
INSERT INTO election_round_boxes_new SELECT * FROM election_round_boxes;
INSERT INTO election_round_lines_new SELECT * FROM election_round_lines;
DROP TABLE election_round_lines;
DROP TABLE election_round_boxes;
DROP TABLE election_round_candidates;
DROP TABLE election_round_posts;
DROP TABLE election_rounds;
ALTER TABLE election_rounds_new RENAME TO election_rounds;
ALTER TABLE election_round_posts_new RENAME TO election_round_posts;
ALTER TABLE election_round_candidates_new RENAME TO election_round_candidates;
ALTER TABLE election_round_boxes_new RENAME TO election_round_boxes;
ALTER TABLE election_round_lines_new RENAME TO election_round_lines;
CREATE INDEX election_round_lines_by_round ON election_round_lines (round_id, box_id, id);
