-- Self-governance I: community service projects chosen by residents (participatory
-- budgeting), deliberation topics and meetings, stewards.
ALTER TABLE users ADD COLUMN resident_id INTEGER REFERENCES residents(id);

CREATE TABLE pb_calls (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    budget_fen INTEGER NOT NULL CHECK (budget_fen > 0),
    phase TEXT NOT NULL CHECK (phase IN ('proposals', 'review', 'voting', 'closed')),
    ballot_kind TEXT NOT NULL CHECK (ballot_kind IN ('approval', 'cumulative')),
    min_choices INTEGER NOT NULL DEFAULT 0,
    max_choices INTEGER,
    max_cost_fen INTEGER,
    points INTEGER,
    rule TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE pb_projects (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES pb_calls(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    cost_fen INTEGER NOT NULL CHECK (cost_fen > 0),
    proposed_cost_fen INTEGER NOT NULL,
    proposer TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    review_score INTEGER,
    review_note TEXT NOT NULL DEFAULT '',
    selected INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX pb_projects_by_call ON pb_projects (call_id, id);

CREATE TABLE pb_ballots (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES pb_calls(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    voter_index TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('web', 'paper', 'import')),
    created_at TEXT NOT NULL,
    UNIQUE (call_id, voter_index)
);

CREATE TABLE pb_ballot_items (
    ballot_id INTEGER NOT NULL REFERENCES pb_ballots(id),
    project_id INTEGER NOT NULL REFERENCES pb_projects(id),
    points INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (ballot_id, project_id)
);

CREATE TABLE pb_results (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES pb_calls(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    rule TEXT NOT NULL,
    outcome_json TEXT NOT NULL,
    computed_at TEXT NOT NULL
);

-- A budget line per selected project; the finance ledger posts against it once it lands.
CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    spent_fen INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (source, source_id)
);
