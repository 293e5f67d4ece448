-- The 2881890 community hotline's service providers: public-welfare volunteer
-- teams (free) and market companies (registered, with a price list), the
-- dispatch of cases to them, and the notification outbox (rows only inserted;
-- delivery is a separate worker's job).

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('public_welfare', 'market')),
    -- Matches service_items.unit_name where unit_kind = 'provider'.
    provider_type TEXT NOT NULL,
    -- GB 32100 unified social credit code; required for market providers.
    credit_code TEXT,
    phone TEXT NOT NULL DEFAULT '',
    -- The district served.
    district_code TEXT NOT NULL REFERENCES districts(code),
    -- JSON object: service item code → price in fen (market only; '{}' = free).
    price_list TEXT NOT NULL DEFAULT '{}',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    CHECK (kind = 'public_welfare' OR credit_code IS NOT NULL)
);
CREATE INDEX providers_by_district_type ON providers (district_code, provider_type, active);

-- A provider's worker: the log-in (role provider) acts for this provider.
CREATE TABLE provider_users (
    username TEXT PRIMARY KEY REFERENCES users(username),
    provider_id INTEGER NOT NULL REFERENCES providers(id)
);

CREATE TABLE dispatches (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'arrived', 'completed', 'cancelled')),
    offered_at TEXT NOT NULL,
    accepted_at TEXT,
    declined_at TEXT,
    decline_reason TEXT,
    arrived_at TEXT,
    completed_at TEXT,
    price_fen INTEGER NOT NULL DEFAULT 0 CHECK (price_fen >= 0),
    note TEXT NOT NULL DEFAULT ''
);
-- One live dispatch per case.
CREATE UNIQUE INDEX dispatches_one_live ON dispatches (case_id) WHERE status IN ('offered', 'accepted', 'arrived');
CREATE INDEX dispatches_by_provider ON dispatches (provider_id, id);
CREATE INDEX dispatches_by_community ON dispatches (community_code, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('resident', 'provider', 'staff')),
    -- A phone number, `provider:<id>` or `community:<code>`.
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'app')),
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX outbox_by_community ON outbox (community_code, id);
CREATE INDEX outbox_by_recipient ON outbox (recipient, id);
