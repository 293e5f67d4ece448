-- The foundation: structure, people, users, audit. Every row that belongs to a
-- community carries community_code and district_code (shard key for Citus).
CREATE TABLE districts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    successor TEXT
);

CREATE TABLE communities (
    code TEXT PRIMARY KEY,
    district_code TEXT NOT NULL REFERENCES districts(code),
    former_district_code TEXT REFERENCES districts(code),
    name TEXT NOT NULL,
    formed_on TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0,
    center_address TEXT NOT NULL DEFAULT '',
    center_phone TEXT NOT NULL DEFAULT '',
    center_hours TEXT NOT NULL DEFAULT ''
);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('party_committee', 'residents_committee', 'service_center')),
    name TEXT NOT NULL,
    term_start TEXT,
    term_end TEXT,
    UNIQUE (community_code, kind)
);

CREATE TABLE body_members (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    name TEXT NOT NULL,
    post TEXT NOT NULL
);

CREATE TABLE resident_groups (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (community_code, name)
);

CREATE TABLE functions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('down', 'up')),
    receiver TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    party_org TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    community_code TEXT REFERENCES communities(code),
    district_code TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    group_id INTEGER REFERENCES resident_groups(id),
    name TEXT NOT NULL,
    id_index TEXT NOT NULL UNIQUE,
    id_sealed TEXT NOT NULL,
    id_masked TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    household TEXT NOT NULL,
    building TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    hukou INTEGER NOT NULL,
    moved_in TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX residents_by_community_name ON residents (community_code, name, id);
CREATE INDEX residents_by_community_id ON residents (community_code, id);
CREATE INDEX residents_by_phone ON residents (phone);
CREATE INDEX residents_by_community_building ON residents (community_code, building);

CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    total INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected_json TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    community_code TEXT,
    district_code TEXT,
    digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_community ON audit_log (community_code, seq);
