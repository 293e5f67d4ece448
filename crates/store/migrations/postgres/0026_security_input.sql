-- Issue 12. A period of the books reopened by the city, with its reason
-- (store::finance::reopen_period; the ledger replays it as L-REOPEN).
ALTER TABLE fin_closings ADD COLUMN reopened BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_closings ADD COLUMN reason TEXT NOT NULL DEFAULT '';
-- Residents under 14 (rules §6.5): the guardian's consent, recorded with the
-- registration (web::privacy decides who sees it).
ALTER TABLE residents ADD COLUMN guardian_name TEXT;
ALTER TABLE residents ADD COLUMN guardian_relation TEXT;
ALTER TABLE residents ADD COLUMN guardian_consent_on TEXT;
-- Imports read as a stream (store::residents_import): the first rejected rows
-- stay in rejected_json, every one is counted here, by reason.
ALTER TABLE import_runs ADD COLUMN rejected_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN rejected_counts TEXT NOT NULL DEFAULT '[]';
