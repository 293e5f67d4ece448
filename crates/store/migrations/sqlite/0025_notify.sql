-- Delivering the outbox (issue 19): each message's state, attempts, lease and
-- receipt; residents' and staff's channel preferences with their consent
-- (PIPL, rules §6); the city's templates per kind of message.

-- queued: waiting (next_attempt_at, NULL = now); sent: a gateway took it
-- (delivered_at); delivered/undelivered: the gateway's receipt said so;
-- dead: every attempt failed (last_error), retried only by hand;
-- skipped: never to be sent (opted out, no address: last_error says why).
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sent', 'delivered', 'undelivered', 'dead', 'skipped'));
-- The template kind (notify::template::KINDS) and whether quiet hours hold it.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice';
ALTER TABLE outbox ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
-- The worker's lease on a message: a random token and until when it holds;
-- a worker killed while sending leaves the lease to run out, and the message
-- is sent again with the same idempotency key.
ALTER TABLE outbox ADD COLUMN claim TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
-- The channel it went by: sms | email | webhook.
ALTER TABLE outbox ADD COLUMN sent_via TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN receipt TEXT;
ALTER TABLE outbox ADD COLUMN receipt_at TEXT;
CREATE INDEX outbox_by_status ON outbox (status, id);
-- Notices written before delivery existed are not sent late.
UPDATE outbox SET status = 'skipped', last_error = '在通知投递上线之前写入，未发送 / queued before delivery existed; not sent';

-- A recipient's channels and consent. subject is what outbox.recipient holds:
-- a resident's phone number, provider:<id>, community:<code>, supervisor:<queue>.
CREATE TABLE notify_prefs (
    id INTEGER PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    subject TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('resident', 'provider', 'staff')),
    opted_out INTEGER NOT NULL DEFAULT 0,
    sms INTEGER NOT NULL DEFAULT 1,
    prefer TEXT CHECK (prefer IN ('sms', 'email', 'webhook')),
    email TEXT,
    phone TEXT,
    -- When and how the consent (or the opt-out) was given, and who wrote it down.
    consent_at TEXT NOT NULL,
    consent_how TEXT NOT NULL CHECK (consent_how IN ('counter', 'hotline', 'online', 'paper', 'staff')),
    recorded_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notify_prefs_by_community ON notify_prefs (community_code, id);

-- The city's text per kind of message; a kind without a row uses {body}.
CREATE TABLE notify_templates (
    kind TEXT PRIMARY KEY,
    zh TEXT NOT NULL,
    en TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
