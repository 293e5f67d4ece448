-- Issue 17, finished: inspection reminders sent on a schedule, organisations
-- as outbox recipients in their own right, the person in charge's phone.

-- One reminder per inspection and stage (due, overdue), whichever process
-- sends it: the sweep inserts here first (ON CONFLICT DO NOTHING) and queues
-- the notice only when its row went in.
CREATE TABLE org_inspection_reminders (
    inspection_id INTEGER NOT NULL REFERENCES org_inspections(id),
    stage TEXT NOT NULL CHECK (stage IN ('due', 'overdue')),
    sent_on TEXT NOT NULL,
    PRIMARY KEY (inspection_id, stage)
);
INSERT INTO org_inspection_reminders (inspection_id, stage, sent_on)
    SELECT id, 'due', reminded_on FROM org_inspections WHERE reminded_on IS NOT NULL;
INSERT INTO org_inspection_reminders (inspection_id, stage, sent_on)
    SELECT id, 'overdue', overdue_reminded_on FROM org_inspections WHERE overdue_reminded_on IS NOT NULL;

-- The person in charge's phone: the organisation's contact for its notices
-- (shown in full only to those who manage the organisation).
ALTER TABLE orgs ADD COLUMN person_phone TEXT NOT NULL DEFAULT '';

-- outbox.recipient_kind gains 'org' (`org:<id>`): SQLite cannot widen a
-- CHECK, so the table is rebuilt with every column of 0012 and 0025 and its
-- three indexes. Nothing references outbox.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('resident', 'provider', 'staff', 'org')),
    -- A phone number, `provider:<id>`, `org:<id>` or `community:<code>`.
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'app')),
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'delivered', 'undelivered', 'dead', 'skipped')),
    kind TEXT NOT NULL DEFAULT 'notice',
    urgent INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    claim TEXT,
    claimed_until TEXT,
    sent_via TEXT,
    last_error TEXT,
    receipt TEXT,
    receipt_at TEXT
);
INSERT INTO outbox_new (id, community_code, district_code, case_id, recipient_kind, recipient, channel, body_zh,
    body_en, created_at, delivered_at, status, kind, urgent, attempts, next_attempt_at, claim, claimed_until,
    sent_via, last_error, receipt, receipt_at)
SELECT id, community_code, district_code, case_id,
    CASE WHEN recipient_kind = 'provider' AND recipient LIKE 'org:%' THEN 'org' ELSE recipient_kind END,
    recipient, channel, body_zh, body_en, created_at, delivered_at, status, kind, urgent, attempts,
    next_attempt_at, claim, claimed_until, sent_via, last_error, receipt, receipt_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_by_community ON outbox (community_code, id);
CREATE INDEX outbox_by_recipient ON outbox (recipient, id);
CREATE INDEX outbox_by_status ON outbox (status, id);

-- notify_prefs.subject_kind gains 'org' too (an organisation's own channel
-- and consent); rebuilt the same way. Nothing references notify_prefs.
CREATE TABLE notify_prefs_new (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    subject TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('resident', 'provider', 'staff', 'org')),
    opted_out INTEGER NOT NULL DEFAULT 0,
    sms INTEGER NOT NULL DEFAULT 1,
    prefer TEXT CHECK (prefer IN ('sms', 'email', 'webhook')),
    email TEXT,
    phone TEXT,
    consent_at TEXT NOT NULL,
    consent_how TEXT NOT NULL CHECK (consent_how IN ('counter', 'hotline', 'online', 'paper', 'staff')),
    recorded_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO notify_prefs_new (id, community_code, district_code, subject, subject_kind, opted_out, sms, prefer, email,
    phone, consent_at, consent_how, recorded_by, updated_at)
SELECT id, community_code, district_code, subject,
    CASE WHEN subject_kind = 'provider' AND subject LIKE 'org:%' THEN 'org' ELSE subject_kind END,
    opted_out, sms, prefer, email, phone, consent_at, consent_how, recorded_by, updated_at
FROM notify_prefs;
DROP TABLE notify_prefs;
ALTER TABLE notify_prefs_new RENAME TO notify_prefs;
CREATE INDEX notify_prefs_by_community ON notify_prefs (community_code, id);
