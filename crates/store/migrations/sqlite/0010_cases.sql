-- The one-stop service center (一站式服务中心) and hotline: the service items
-- catalogue (事项目录) and cases with their append-only history, persisted
-- for the pure `cases` engine.

CREATE TABLE service_items (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('community', 'department', 'provider')),
    unit_name TEXT NOT NULL,
    materials TEXT NOT NULL DEFAULT '[]',
    limit_days INTEGER NOT NULL CHECK (limit_days > 0),
    fee_kind TEXT NOT NULL CHECK (fee_kind IN ('free', 'standard')),
    fee_fen INTEGER NOT NULL DEFAULT 0,
    channels TEXT NOT NULL DEFAULT '["counter","hotline","web","open311"]',
    questions TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    item_code TEXT NOT NULL REFERENCES service_items(code),
    channel TEXT NOT NULL CHECK (channel IN ('counter', 'hotline', 'web', 'open311')),
    resident_id INTEGER REFERENCES residents(id),
    caller_name TEXT NOT NULL DEFAULT '',
    caller_phone TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL DEFAULT '{}',
    address TEXT NOT NULL DEFAULT '',
    building TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    lead_queue TEXT,
    status TEXT NOT NULL,
    duplicates TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_by_community ON cases (community_code, id);
CREATE INDEX cases_by_queue ON cases (lead_queue, status, id);
CREATE INDEX cases_open_by_item ON cases (community_code, item_code, status);

-- One row per engine HistoryRecord; only ever inserted.
CREATE TABLE case_history (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
