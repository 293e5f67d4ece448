-- Security and personal data (issue 12).

-- 1. ID numbers that cannot be rebuilt: the stored mask kept the first 6 and
-- last 4 characters, which with the birth date beside it is the whole number.
-- It now keeps the first 4 and the check character (rules::gb11643::mask).
UPDATE residents
SET id_masked = substr(id_masked, 1, 4) || '*************' || substr(id_masked, 18, 1)
WHERE length(id_masked) = 18;

-- Counters shared by every server process: searches by a full ID number per
-- user and day, failed log-ins per account and client.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    hits BIGINT NOT NULL,
    blocked_until TEXT
);

-- The audit chain: entries from here on hash every column (version 2);
-- earlier ones keep the version they were written under (1).
ALTER TABLE audit_log ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1;
