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

-- Tokens need no table: a token is the case id with a keyed check (store::open311::token_for).

ALTER TABLE communities ADD COLUMN center_lat REAL;
ALTER TABLE communities ADD COLUMN center_lon REAL;
ALTER TABLE communities ADD COLUMN radius_m INTEGER;

CREATE INDEX cases_by_created ON cases (created_at);
