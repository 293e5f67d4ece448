-- Issue 17, finished: inspection reminders sent on a schedule, organisations
-- as outbox recipients in their own right, the person in charge's phone.

-- One reminder per inspection and stage (due, overdue), whichever process
-- sends it: the sweep inserts here first (ON CONFLICT DO NOTHING) and queues
-- the notice only when its row went in.
CREATE TABLE org_inspection_reminders (
    inspection_id BIGINT NOT NULL REFERENCES org_inspections(id),
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

-- outbox.recipient_kind and notify_prefs.subject_kind gain 'org' (`org:<id>`).
ALTER TABLE outbox DROP CONSTRAINT outbox_recipient_kind_check;
UPDATE outbox SET recipient_kind = 'org' WHERE recipient_kind = 'provider' AND recipient LIKE 'org:%';
ALTER TABLE outbox ADD CONSTRAINT outbox_recipient_kind_check
    CHECK (recipient_kind IN ('resident', 'provider', 'staff', 'org'));
ALTER TABLE notify_prefs DROP CONSTRAINT notify_prefs_subject_kind_check;
UPDATE notify_prefs SET subject_kind = 'org' WHERE subject_kind = 'provider' AND subject LIKE 'org:%';
ALTER TABLE notify_prefs ADD CONSTRAINT notify_prefs_subject_kind_check
    CHECK (subject_kind IN ('resident', 'provider', 'staff', 'org'));
