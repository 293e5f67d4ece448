-- Cases at city scale: projection columns the engine recomputes at every
-- write (never hand-set), live tallies kept in the same transaction as the
-- case they count, duplicate links and attachments with checksums.

ALTER TABLE cases ADD COLUMN category TEXT NOT NULL DEFAULT '';
-- The legal deadline and the warning time from `cases::sla` at the last
-- event; NULL while the clock is stopped or once the office's work is done.
ALTER TABLE cases ADD COLUMN deadline_at TEXT;
ALTER TABLE cases ADD COLUMN warn_at TEXT;
ALTER TABLE cases ADD COLUMN resolved_at TEXT;
-- 1 when the last resolution came before its deadline.
ALTER TABLE cases ADD COLUMN on_time INTEGER;
ALTER TABLE cases ADD COLUMN rating INTEGER;
ALTER TABLE cases ADD COLUMN co_handlers TEXT NOT NULL DEFAULT '[]';
-- The front desk linked this case to an earlier one it duplicates.
ALTER TABLE cases ADD COLUMN linked_to INTEGER REFERENCES cases(id);

DROP INDEX cases_by_queue;
CREATE INDEX cases_by_queue ON cases (lead_queue, status, deadline_at);
-- Duplicate candidates: the same item at the same building, or nearby.
DROP INDEX cases_open_by_item;
CREATE INDEX cases_dup_building ON cases (community_code, item_code, building, created_at);
CREATE INDEX cases_dup_place ON cases (community_code, item_code, lat) WHERE lat IS NOT NULL;
CREATE INDEX cases_open_deadline ON cases (status, deadline_at, district_code, community_code);
CREATE INDEX cases_by_phone ON cases (caller_phone, id);
CREATE INDEX cases_by_resident ON cases (resident_id, id) WHERE resident_id IS NOT NULL;
-- A community's or a district's open cases, most urgent first: queue pages
-- and overdue counts read only the open few, not the scope's whole history.
-- The WHERE must match query.rs's OPEN list word for word.
CREATE INDEX cases_open_by_community ON cases (community_code, deadline_at, id)
    WHERE status IN ('accepted', 'routed', 'in_progress', 'returned_for_materials');
CREATE INDEX cases_open_by_district ON cases (district_code, deadline_at, id)
    WHERE status IN ('accepted', 'routed', 'in_progress', 'returned_for_materials');

-- How many cases are in each status now, per community, channel, category
-- and lead queue ('' before routing). Moved by every write that moves a case.
CREATE TABLE case_tally (
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    queue TEXT NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (community_code, channel, category, queue, status)
);

-- What happened, summed: resolutions (on time or not, working time taken),
-- first responses, ratings and reopenings, per the same keys.
CREATE TABLE case_outcome (
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    queue TEXT NOT NULL,
    resolved_n INTEGER NOT NULL DEFAULT 0,
    on_time_n INTEGER NOT NULL DEFAULT 0,
    handle_secs INTEGER NOT NULL DEFAULT 0,
    respond_n INTEGER NOT NULL DEFAULT 0,
    respond_secs INTEGER NOT NULL DEFAULT 0,
    rated_n INTEGER NOT NULL DEFAULT 0,
    overall_sum INTEGER NOT NULL DEFAULT 0,
    speed_sum INTEGER NOT NULL DEFAULT 0,
    attitude_sum INTEGER NOT NULL DEFAULT 0,
    unhappy_n INTEGER NOT NULL DEFAULT 0,
    reopened_n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community_code, channel, category, queue)
);

-- Files handed in with a case; the SHA-256 is checked on every read.
CREATE TABLE case_attachments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX case_attachments_by_case ON case_attachments (case_id);
