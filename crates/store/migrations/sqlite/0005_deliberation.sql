-- Self-governance I: resident deliberation (居民协商议事) — topics, discussion,
-- meetings (议事会 and 居民会议) with agenda, attendance, minutes and resolutions,
-- petitions (居组法 Art 10) and follow-up actions — and stewards (管家计划).

CREATE TABLE delib_topics (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    raised_by_kind TEXT NOT NULL CHECK (raised_by_kind IN ('resident', 'unit', 'committee')),
    raised_by_name TEXT NOT NULL DEFAULT '',
    raised_by TEXT NOT NULL,
    important INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closing_resolution_id INTEGER,
    closing_note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX delib_topics_by_community ON delib_topics (community_code, id);
CREATE INDEX delib_topics_by_district ON delib_topics (district_code, id);

CREATE TABLE delib_comments (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES delib_topics(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    author TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX delib_comments_by_topic ON delib_comments (topic_id, id);

CREATE TABLE delib_meetings (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('council', 'assembly')),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    base_kind TEXT CHECK (base_kind IS NULL OR base_kind IN ('all_adults', 'households', 'group_representatives')),
    base_count INTEGER NOT NULL CHECK (base_count > 0),
    present INTEGER CHECK (present IS NULL OR (present >= 0 AND present <= base_count)),
    attendees TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX delib_meetings_by_community ON delib_meetings (community_code, id);
CREATE INDEX delib_meetings_by_district ON delib_meetings (district_code, id);

CREATE TABLE delib_agenda (
    meeting_id INTEGER NOT NULL REFERENCES delib_meetings(id),
    topic_id INTEGER NOT NULL REFERENCES delib_topics(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    ord INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, topic_id)
);
CREATE INDEX delib_agenda_by_topic ON delib_agenda (topic_id);

CREATE TABLE delib_resolutions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES delib_meetings(id),
    topic_id INTEGER REFERENCES delib_topics(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    motion TEXT NOT NULL,
    present INTEGER NOT NULL,
    votes_yes INTEGER NOT NULL CHECK (votes_yes >= 0),
    votes_no INTEGER NOT NULL CHECK (votes_no >= 0),
    votes_abstain INTEGER NOT NULL CHECK (votes_abstain >= 0),
    passed INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX delib_resolutions_by_meeting ON delib_resolutions (meeting_id, id);
CREATE INDEX delib_resolutions_by_topic ON delib_resolutions (topic_id);

CREATE TABLE delib_petitions (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    subject TEXT NOT NULL,
    adults_signed INTEGER NOT NULL CHECK (adults_signed >= 0),
    households_signed INTEGER NOT NULL CHECK (households_signed >= 0),
    groups_signed INTEGER NOT NULL CHECK (groups_signed >= 0),
    adults_total INTEGER NOT NULL,
    households_total INTEGER NOT NULL,
    groups_total INTEGER NOT NULL,
    forces_meeting INTEGER NOT NULL,
    received_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX delib_petitions_by_community ON delib_petitions (community_code, id);

CREATE TABLE delib_followups (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('convene_assembly', 'action')),
    mandatory INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    source_id INTEGER,
    done INTEGER NOT NULL DEFAULT 0,
    done_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX delib_followups_by_community ON delib_followups (community_code, id);

CREATE TABLE stewards (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    name TEXT NOT NULL,
    area TEXT NOT NULL,
    motivation TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX stewards_by_community ON stewards (community_code, id);
CREATE INDEX stewards_by_user ON stewards (user_id);

CREATE TABLE steward_issues (
    id INTEGER PRIMARY KEY,
    steward_id INTEGER NOT NULL REFERENCES stewards(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    area TEXT NOT NULL,
    building TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'forwarded', 'closed')),
    status_note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX steward_issues_by_community ON steward_issues (community_code, id);
CREATE INDEX steward_issues_by_area ON steward_issues (community_code, area, status);
