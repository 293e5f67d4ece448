-- Between elections (issue 15; rules §1.10, §1.12, §2.21, §2.22): the residents' committee changes
-- only through a 居民会议 decision, members who do not live in the community are marked, and a
-- 居民公约 takes effect with a 居民会议 decision and the district's filing.

-- Whether a committee member lives in the community (rule 2.21: non-residents at most 1/3).
ALTER TABLE body_members ADD COLUMN lives_here INTEGER NOT NULL DEFAULT 1;

-- A removal (撤换, after a recall motion at the §2.22 thresholds) or a by-election (补选), each on
-- a passed resolution of a validly held 居民会议 of the community (rule 1.10).
CREATE TABLE committee_changes (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('removal', 'by_election')),
    member_name TEXT NOT NULL,
    post TEXT NOT NULL,
    lives_here INTEGER NOT NULL,
    resolution_id INTEGER NOT NULL REFERENCES delib_resolutions(id),
    motion_voters INTEGER NOT NULL DEFAULT 0,
    motion_households INTEGER NOT NULL DEFAULT 0,
    motion_groups INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX committee_changes_by_community ON committee_changes (community_code, id);

-- A residents' covenant (居民公约): effective only once decided by the 居民会议 and filed with the district (rule 1.12).
CREATE TABLE covenants (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    resolution_id INTEGER REFERENCES delib_resolutions(id),
    filing_ref TEXT NOT NULL DEFAULT '',
    filed_on TEXT,
    filed_by TEXT,
    effective_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX covenants_by_community ON covenants (community_code, id);
CREATE INDEX covenants_by_district ON covenants (district_code, id);
