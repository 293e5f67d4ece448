-- Community finance: the ledger engine's source data (chart is the standard
-- one in code; accounts, transactions with their postings, period closings),
-- and reimbursement claims (报账) with their approvals and vouchers.
-- Nothing here is ever updated or deleted except a claim's status columns;
-- corrections are reversals (a new transaction pointing at the original).
CREATE TABLE fin_accounts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    chart TEXT NOT NULL,
    kind TEXT NOT NULL,
    fund TEXT NOT NULL,
    fund_ref TEXT NOT NULL DEFAULT '',
    community_code TEXT,
    district_code TEXT NOT NULL,
    opened_at TEXT NOT NULL
);

-- The id is the ledger's TxId (dense, from 1), assigned by the engine.
CREATE TABLE fin_transactions (
    id INTEGER PRIMARY KEY,
    idem_key TEXT NOT NULL UNIQUE,
    tx_date TEXT NOT NULL,
    memo TEXT NOT NULL,
    reference TEXT,
    reverses INTEGER REFERENCES fin_transactions(id),
    community_code TEXT,
    district_code TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE fin_postings (
    id INTEGER PRIMARY KEY,
    tx_id INTEGER NOT NULL REFERENCES fin_transactions(id),
    line INTEGER NOT NULL,
    account_code TEXT NOT NULL REFERENCES fin_accounts(code),
    amount_fen INTEGER NOT NULL CHECK (amount_fen <> 0),
    fund TEXT NOT NULL,
    fund_ref TEXT NOT NULL DEFAULT '',
    tx_date TEXT NOT NULL,
    community_code TEXT,
    district_code TEXT NOT NULL,
    UNIQUE (tx_id, line)
);
CREATE INDEX fin_postings_community ON fin_postings (district_code, community_code, tx_date);

CREATE TABLE fin_closings (
    id INTEGER PRIMARY KEY,
    community_code TEXT,
    district_code TEXT NOT NULL,
    period TEXT NOT NULL,
    through TEXT NOT NULL,
    after_tx INTEGER NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE fin_claims (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    payee TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    purpose TEXT NOT NULL,
    fund TEXT NOT NULL,
    fund_ref TEXT NOT NULL DEFAULT '',
    budget_line_id INTEGER REFERENCES budget_lines(id),
    status TEXT NOT NULL,
    needs_district INTEGER NOT NULL,
    filed_by INTEGER NOT NULL,
    filed_by_name TEXT NOT NULL,
    head_by INTEGER,
    head_at TEXT,
    district_by INTEGER,
    district_at TEXT,
    rejected_by INTEGER,
    rejected_at TEXT,
    reject_reason TEXT NOT NULL DEFAULT '',
    tx_id INTEGER REFERENCES fin_transactions(id),
    paid_on TEXT,
    idem_key TEXT UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX fin_claims_community ON fin_claims (community_code, status);

CREATE TABLE fin_vouchers (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES fin_claims(id),
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Claims above this amount need the district's approval after the community head's.
CREATE TABLE fin_settings (
    district_code TEXT PRIMARY KEY,
    second_approval_fen INTEGER NOT NULL CHECK (second_approval_fen >= 0)
);
