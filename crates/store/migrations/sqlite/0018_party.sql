-- Party building with resident units (大党工委, 共驻共建): issue 18.

-- A resident unit's liaison officer: the log-in (role unit_liaison) acts for this unit.
CREATE TABLE party_liaisons (
    username TEXT PRIMARY KEY REFERENCES users(username),
    unit_id INTEGER NOT NULL REFERENCES units(id)
);

-- Seats on the community's big party working committee, over time: full-time
-- members (no unit) and part-time members from resident units.
CREATE TABLE party_seats (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    person TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    membership TEXT NOT NULL CHECK (membership IN ('full_time', 'part_time')),
    post TEXT NOT NULL CHECK (post IN ('secretary', 'deputy_secretary', 'member')),
    term_from TEXT NOT NULL,
    term_to TEXT NOT NULL,
    appointment_ref TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- A seat left before its term ends: the last day held, and why.
    ended_on TEXT,
    end_note TEXT NOT NULL DEFAULT '',
    CHECK (term_to >= term_from),
    CHECK ((membership = 'part_time') = (unit_id IS NOT NULL))
);
CREATE INDEX party_seats_by_community ON party_seats (community_code, term_to);
CREATE INDEX party_seats_by_unit ON party_seats (unit_id);

-- A unit's representative at a residents' meeting or council (居组法 Art 19, rules §1.17).
CREATE TABLE party_representatives (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    meeting_id INTEGER NOT NULL REFERENCES delib_meetings(id),
    person TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (meeting_id, unit_id)
);

-- Co-building agreements (共驻共建协议): a unit, signed for a period.
CREATE TABLE party_agreements (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (period_to >= period_from)
);
CREATE INDEX party_agreements_by_community ON party_agreements (community_code, period_to);
CREATE INDEX party_agreements_by_district ON party_agreements (district_code, period_to);
CREATE INDEX party_agreements_by_unit ON party_agreements (unit_id);

-- What an agreement commits, by kind; quantity in the kind's measure (money: fen).
CREATE TABLE party_commitments (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES party_agreements(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL CHECK (kind IN ('venue', 'volunteers', 'money', 'goods', 'services', 'jobs')),
    description TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    schedule TEXT NOT NULL DEFAULT '',
    fund TEXT NOT NULL DEFAULT '',
    -- Money only: the 居民会议 that decided to collect it (居组法 Art 16, rules §1.14).
    decision_meeting_id INTEGER REFERENCES delib_meetings(id)
);
CREATE INDEX party_commitments_by_agreement ON party_commitments (agreement_id);

-- Fulfilment over time: entered by the unit, confirmed (or not) by the community.
CREATE TABLE party_fulfilments (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES party_commitments(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    done_on TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('reported', 'confirmed', 'rejected')),
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    fin_tx_id INTEGER
);
CREATE INDEX party_fulfilments_by_commitment ON party_fulfilments (commitment_id, status);
CREATE INDEX party_fulfilments_by_community ON party_fulfilments (community_code, done_on);

-- The community's yearly evaluation of a unit, and the unit's reply.
CREATE TABLE party_evaluations (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    grade TEXT NOT NULL CHECK (grade IN ('excellent', 'good', 'fair', 'poor')),
    fulfilled_percent INTEGER NOT NULL,
    comments TEXT NOT NULL,
    evaluated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    replied_by TEXT,
    replied_at TEXT,
    UNIQUE (unit_id, year)
);
CREATE INDEX party_evaluations_by_community ON party_evaluations (community_code, year);

-- The review and recommendation on a unit cadre's promotion (审查评价建议权):
-- personal data, seen only by the community, the cadre's unit and the district.
CREATE TABLE party_cadre_reviews (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    cadre_name TEXT NOT NULL,
    current_post TEXT NOT NULL,
    proposed_post TEXT NOT NULL,
    review TEXT NOT NULL,
    recommendation TEXT NOT NULL CHECK (recommendation IN ('recommend', 'reservations', 'not_recommended')),
    reasons TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    replied_by TEXT,
    replied_at TEXT
);
CREATE INDEX party_cadre_reviews_by_community ON party_cadre_reviews (community_code, id);

-- The one-vote veto over a unit's party-building assessment for a year, its
-- grounds (commitments from the unit's own record) and the district's review.
CREATE TABLE party_vetoes (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    statement TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    review TEXT NOT NULL CHECK (review IN ('pending', 'upheld', 'overturned')),
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT,
    reviewed_at TEXT,
    UNIQUE (unit_id, year)
);
CREATE INDEX party_vetoes_by_district ON party_vetoes (district_code, year);

CREATE TABLE party_veto_grounds (
    veto_id INTEGER NOT NULL REFERENCES party_vetoes(id),
    commitment_id INTEGER NOT NULL REFERENCES party_commitments(id),
    committed INTEGER NOT NULL,
    due INTEGER NOT NULL,
    fulfilled INTEGER NOT NULL,
    PRIMARY KEY (veto_id, commitment_id)
);
