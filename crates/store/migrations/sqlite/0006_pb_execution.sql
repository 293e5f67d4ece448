-- Execution of resident-chosen projects: milestones, spending against the
-- budget line, and residents' evaluation at the end.
CREATE TABLE pb_milestones (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES pb_projects(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE pb_spending (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES pb_projects(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    payee TEXT NOT NULL,
    purpose TEXT NOT NULL,
    spent_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE pb_evaluations (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES pb_projects(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    voter_index TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (project_id, voter_index)
);
