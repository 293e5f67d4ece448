-- The four lists (清单) and community access approval (社区准入).
-- List versions keep the engine's `lists::ListVersion` as JSON (entries included);
-- a published version is never updated.
CREATE TABLE list_versions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    effective_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    illustrative INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, version)
);

-- An access application: the engine's `lists::Application` as JSON plus indexed columns.
CREATE TABLE access_applications (
    id INTEGER PRIMARY KEY,
    department TEXT NOT NULL,
    level TEXT NOT NULL,
    district_code TEXT,
    item_type TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    verdict TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_applications_status ON access_applications (status);
CREATE INDEX access_applications_department ON access_applications (department);
CREATE INDEX access_applications_district ON access_applications (district_code);

-- The automatic check report (`lists::CheckReport` as JSON).
CREATE TABLE access_checks (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES access_applications(id),
    verdict TEXT NOT NULL,
    report TEXT NOT NULL,
    checked_on TEXT NOT NULL
);
CREATE INDEX access_checks_application ON access_checks (application_id);

CREATE TABLE access_approvals (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL UNIQUE REFERENCES access_applications(id),
    number TEXT NOT NULL UNIQUE,
    approved_on TEXT NOT NULL,
    expires_on TEXT,
    approved_by TEXT NOT NULL,
    funding_plan TEXT
);

-- Work that reached a community: approved (with its number) or pushed without approval.
CREATE TABLE community_tasks (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    application_id INTEGER REFERENCES access_applications(id),
    approval_number TEXT,
    approved_on TEXT,
    expires_on TEXT,
    emergency TEXT,
    department TEXT NOT NULL,
    item_type TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    refusal_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX community_tasks_community ON community_tasks (community_code, status);
CREATE INDEX community_tasks_district ON community_tasks (district_code);

CREATE TABLE task_refusals (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL UNIQUE REFERENCES community_tasks(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    department TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    refused_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX task_refusals_department ON task_refusals (department);
