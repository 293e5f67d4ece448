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

-- Nomination (rules §2.6, §2.7, §2.10): the election committee's members (a
-- member named a formal candidate leaves it, with the day and why), joint
-- nominations with their signers from the published roll (or a residents'
-- group nominating as a body), and the count of an open nomination (海选) per post.
CREATE TABLE election_committee_members (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    name TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    left_on TEXT,
    left_reason TEXT,
    UNIQUE (election_id, name)
);

CREATE TABLE election_nominations (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    post TEXT NOT NULL,
    candidate TEXT NOT NULL,
    by_kind TEXT NOT NULL CHECK (by_kind IN ('voters', 'group')),
    group_name TEXT NOT NULL,
    signers INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX election_nominations_by_election ON election_nominations (election_id, id);

CREATE TABLE election_nomination_signers (
    id INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES election_nominations(id),
    election_id INTEGER NOT NULL,
    voter_id INTEGER NOT NULL REFERENCES election_voters(id),
    UNIQUE (nomination_id, voter_id)
);
CREATE INDEX election_nomination_signers_by_election ON election_nomination_signers (election_id, nomination_id);

CREATE TABLE election_open_nominations (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    post TEXT NOT NULL,
    took_part INTEGER NOT NULL,
    voters INTEGER NOT NULL,
    votes TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, post)
);

-- The roll after publication (rules §2.4, §2.5): objections filed inside the
-- window with the day their decision is due and the decision (an upheld
-- objection strikes a voter off, or puts a resident left off on, the roll);
-- voters who notified the committee in time that they cannot return leave the
-- turnout denominator.
ALTER TABLE election_voters ADD COLUMN struck_on TEXT;

CREATE TABLE election_objections (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    filed_on TEXT NOT NULL,
    objector TEXT NOT NULL,
    subject TEXT NOT NULL,
    claim TEXT NOT NULL CHECK (claim IN ('omitted', 'wrongly_listed')),
    grounds TEXT NOT NULL,
    decision_due TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    decided_on TEXT,
    upheld INTEGER,
    decision TEXT,
    decided_by TEXT
);
CREATE INDEX election_objections_by_election ON election_objections (election_id, id);

CREATE TABLE election_absence_notices (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    voter_id INTEGER NOT NULL REFERENCES election_voters(id),
    notified_on TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (election_id, voter_id)
);

-- §2.1(c): a resident living here without 户籍 is registered only on their own
-- application, approved by the election committee before the roll is built.
CREATE TABLE election_applications (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    name TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    approved INTEGER NOT NULL,
    decided_on TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    UNIQUE (election_id, resident_id)
);
