-- Open311 GeoReport v2: the clients that may post requests (only the SHA-256
-- of their api_key is kept), the tokens handed back for posted requests, and
-- each community's service area (a circle) for routing a request by location.

CREATE TABLE open311_clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE open311_tokens (
    token TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    client_id INTEGER NOT NULL REFERENCES open311_clients(id),
    created_at TEXT NOT NULL
);
CREATE INDEX open311_tokens_case ON open311_tokens (case_id);

ALTER TABLE communities ADD COLUMN center_lat REAL;
ALTER TABLE communities ADD COLUMN center_lon REAL;
ALTER TABLE communities ADD COLUMN radius_m INTEGER;

CREATE INDEX cases_by_created ON cases (created_at);
