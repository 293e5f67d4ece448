-- Later rounds of an election and the filing of its result (rules §2.17,
-- §2.18, §2.20). The first round stays in election_boxes and
-- election_results; each later round — a run-off among candidates tied across
-- the last seat, or a 另行选举 for seats still unfilled — holds its posts and
-- seats, its candidates, each box's tally sheet and its counted outcome. The
-- result is announced on the spot and the ballots sealed, then filed with the
-- district, which records its receipt.
CREATE TABLE election_rounds (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('runoff', 'repeat')),
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

CREATE TABLE election_round_posts (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES election_rounds(id),
    post TEXT NOT NULL,
    seats INTEGER NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (round_id, post)
);

CREATE TABLE election_round_candidates (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES election_rounds(id),
    post TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (round_id, post, name)
);

CREATE TABLE election_round_boxes (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES election_rounds(id),
    election_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'mobile')),
    issued INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (round_id, name)
);

CREATE TABLE election_round_lines (
    id INTEGER PRIMARY KEY,
    box_id INTEGER NOT NULL REFERENCES election_round_boxes(id),
    round_id INTEGER NOT NULL,
    post TEXT NOT NULL,
    line TEXT NOT NULL CHECK (line IN ('candidate', 'write_in', 'invalid', 'blank')),
    name TEXT NOT NULL,
    votes INTEGER NOT NULL
);
CREATE INDEX election_round_lines_by_round ON election_round_lines (round_id, box_id, id);

CREATE TABLE election_filings (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL UNIQUE REFERENCES elections(id),
    announced_on TEXT NOT NULL,
    sealed_on TEXT NOT NULL,
    seal_note TEXT NOT NULL,
    announced_by TEXT NOT NULL,
    filed_on TEXT,
    filed_by TEXT,
    received_on TEXT,
    received_by TEXT,
    reference TEXT
);
