-- Direct elections of residents' committees (rules §1.1, §1.3–§1.5, §2): an
-- election per community with its mode, election day and the dates the
-- election committee published the voter roll and the candidate list (§2.3,
-- §2.9); its posts and seats, formal candidates, the published roll (names,
-- residents' groups and the §2.1 category only — never an ID number, rules
-- §6), each ballot box with its tally sheet, and the counted result.
CREATE TABLE elections (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('direct_all_voters', 'household_representatives', 'group_representatives')),
    election_day TEXT NOT NULL,
    roll_published TEXT,
    candidates_published TEXT,
    status TEXT NOT NULL CHECK (status IN ('preparing', 'counted', 'seated')),
    illustrative INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX elections_by_community ON elections (community_code, id);

CREATE TABLE election_posts (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    post TEXT NOT NULL,
    seats INTEGER NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (election_id, post)
);

CREATE TABLE election_candidates (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    post TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (election_id, post, name)
);

CREATE TABLE election_voters (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    name TEXT NOT NULL,
    group_name TEXT NOT NULL,
    category TEXT NOT NULL,
    UNIQUE (election_id, resident_id)
);
CREATE INDEX election_voters_by_resident ON election_voters (resident_id);

CREATE TABLE election_boxes (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'mobile')),
    issued INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, name)
);

CREATE TABLE election_sheet_lines (
    id INTEGER PRIMARY KEY,
    box_id INTEGER NOT NULL REFERENCES election_boxes(id),
    election_id INTEGER NOT NULL,
    post TEXT NOT NULL,
    line TEXT NOT NULL CHECK (line IN ('candidate', 'write_in', 'invalid', 'blank')),
    name TEXT NOT NULL,
    votes INTEGER NOT NULL
);
CREATE INDEX election_sheet_lines_by_box ON election_sheet_lines (box_id, id);

CREATE TABLE election_results (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL UNIQUE REFERENCES elections(id),
    round TEXT NOT NULL CHECK (round IN ('first', 'repeat')),
    registered_voters INTEGER NOT NULL,
    ballots_issued INTEGER NOT NULL,
    ballots_returned INTEGER NOT NULL,
    round_valid INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    counted_by TEXT NOT NULL,
    counted_at TEXT NOT NULL,
    seated_at TEXT
);
