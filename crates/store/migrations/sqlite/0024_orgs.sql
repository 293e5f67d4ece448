-- Community social organisations, their federation, and government purchase
-- of services (issue 17; rules §5, §6c). Engine: rules::orgs.

-- Local settings per district: §5.15 thresholds for a 社会团体, the annual
-- inspection's due day and how many days before it reminders start.
CREATE TABLE org_settings (
    district_code TEXT PRIMARY KEY,
    sg_individuals INTEGER NOT NULL,
    sg_units INTEGER NOT NULL,
    sg_mixed_total INTEGER NOT NULL,
    inspection_due TEXT NOT NULL,
    reminder_days INTEGER NOT NULL
);

-- The registry in three tiers (§5.11). A filed or small group has no legal form
-- and no credit code (§5.12); a registered one has both (§5.14).
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    name TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('registered', 'filed', 'small')),
    legal_form TEXT CHECK (legal_form IN ('social_group', 'service_org', 'foundation')),
    uscc TEXT UNIQUE,
    is_federation INTEGER NOT NULL DEFAULT 0,
    fields TEXT NOT NULL,
    person_in_charge TEXT NOT NULL,
    founded_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0,
    UNIQUE (community_code, name),
    CHECK ((tier = 'registered') = (uscc IS NOT NULL)),
    CHECK ((tier = 'registered') = (legal_form IS NOT NULL))
);
CREATE INDEX orgs_by_district ON orgs (district_code, community_code);

-- Members: people (a name and a post, nothing more) or organisations.
CREATE TABLE org_members (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    member_org_id INTEGER REFERENCES orgs(id),
    person TEXT,
    post TEXT NOT NULL DEFAULT '',
    joined_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((member_org_id IS NULL) <> (person IS NULL)),
    UNIQUE (org_id, member_org_id)
);
CREATE INDEX org_members_by_org ON org_members (org_id);
CREATE INDEX org_members_by_member ON org_members (member_org_id);

CREATE TABLE org_activities (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    participants INTEGER NOT NULL CHECK (participants >= 0),
    hours INTEGER NOT NULL CHECK (hours >= 0),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX org_activities_by_org ON org_activities (org_id, held_on);

-- An organisation's own log-in (role organisation) acts for this organisation.
CREATE TABLE org_accounts (
    username TEXT PRIMARY KEY REFERENCES users(username),
    org_id INTEGER NOT NULL REFERENCES orgs(id)
);

-- The annual inspection (年检). Overdue is computed from due_on, never stored.
CREATE TABLE org_inspections (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('due', 'submitted', 'passed', 'failed')),
    report TEXT NOT NULL DEFAULT '',
    submitted_by TEXT,
    submitted_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    reminded_on TEXT,
    overdue_reminded_on TEXT,
    UNIQUE (org_id, year)
);
CREATE INDEX org_inspections_by_district ON org_inspections (district_code, status, due_on);

-- The published guiding catalogue (指导性目录) of a district (§5.4).
CREATE TABLE purchase_catalogue (
    id INTEGER PRIMARY KEY,
    district_code TEXT NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    published_on TEXT NOT NULL,
    negative INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0,
    UNIQUE (district_code, code)
);

-- Approved budget lines for purchases, paid from the community's service-purchase fund.
CREATE TABLE purchase_budget_lines (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    approved_ref TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX purchase_budget_lines_by_community ON purchase_budget_lines (community_code, year);

-- A purchase project: catalogue item and budget line (§5.4), buyer (§5.1–5.2),
-- prior assessment and targets (§5.8); then its contract (§5.5–5.7, §5.9, §5.12).
CREATE TABLE purchase_projects (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    title TEXT NOT NULL,
    catalogue_id INTEGER NOT NULL REFERENCES purchase_catalogue(id),
    budget_line_id INTEGER NOT NULL REFERENCES purchase_budget_lines(id),
    buyer_name TEXT NOT NULL,
    buyer_kind TEXT NOT NULL,
    content TEXT NOT NULL,
    prior_assessment TEXT NOT NULL,
    targets TEXT NOT NULL,
    measure TEXT NOT NULL CHECK (measure IN ('visits', 'hours', 'people')),
    target_quantity INTEGER NOT NULL CHECK (target_quantity > 0),
    price_fen INTEGER NOT NULL CHECK (price_fen > 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'contracted')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    provider_org_id INTEGER REFERENCES orgs(id),
    provider_name TEXT,
    provider_kind TEXT,
    individual_reason TEXT NOT NULL DEFAULT '',
    method TEXT,
    quantity_terms TEXT NOT NULL DEFAULT '',
    quality_terms TEXT NOT NULL DEFAULT '',
    settlement TEXT NOT NULL DEFAULT '',
    rights TEXT NOT NULL DEFAULT '',
    liability TEXT NOT NULL DEFAULT '',
    term_from TEXT,
    term_to TEXT,
    justification TEXT NOT NULL DEFAULT '',
    budget_guarantee INTEGER NOT NULL DEFAULT 0,
    published_on TEXT,
    contracted_by TEXT,
    contracted_at TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    from_source INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX purchase_projects_by_community ON purchase_projects (community_code, id);
CREATE INDEX purchase_projects_by_district ON purchase_projects (district_code, id);
CREATE INDEX purchase_projects_by_budget_line ON purchase_projects (budget_line_id);

-- An organisation applies to provide an open project (self-service).
CREATE TABLE purchase_applications (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES purchase_projects(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, org_id)
);

-- Service records: entered by the provider, confirmed (or not) by the community.
CREATE TABLE purchase_records (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES purchase_projects(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    done_on TEXT NOT NULL,
    visits INTEGER NOT NULL CHECK (visits >= 0),
    hours INTEGER NOT NULL CHECK (hours >= 0),
    people INTEGER NOT NULL CHECK (people >= 0),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('reported', 'confirmed', 'rejected')),
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX purchase_records_by_project ON purchase_records (project_id, status);

-- Mid-term and final evaluations by the community and by residents.
CREATE TABLE purchase_evaluations (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES purchase_projects(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('mid', 'final')),
    evaluator TEXT NOT NULL CHECK (evaluator IN ('community', 'residents')),
    score INTEGER NOT NULL CHECK (score >= 0 AND score <= 100),
    passed INTEGER NOT NULL,
    comments TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX purchase_evaluations_by_project ON purchase_evaluations (project_id);

-- Payments, each posted through the ledger in the same transaction (fin_tx_id).
CREATE TABLE purchase_payments (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES purchase_projects(id),
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on TEXT NOT NULL,
    fin_tx_id INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX purchase_payments_by_project ON purchase_payments (project_id);
