-- Open311 requests located by an address alone (GeoReport v2 allows
-- address_string without lat/long) that the registry cannot place in one
-- community: they wait in the hotline's triage queue until an operator routes
-- them by hand, within the queue's own time limit (due_at).
CREATE TABLE open311_triage (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    service_code TEXT NOT NULL,
    address TEXT NOT NULL,
    request TEXT NOT NULL,
    received_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    routed_by TEXT,
    routed_at TEXT,
    case_id BIGINT REFERENCES cases(id)
);

CREATE INDEX open311_triage_waiting ON open311_triage (routed_at, due_at);
