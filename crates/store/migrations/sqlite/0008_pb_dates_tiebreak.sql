-- A call's calendar (proposals and voting close on these dates) and the
-- tie-break its rule uses: pabutools' default (smaller project id as text)
-- or the one some cities use (lower cost, then more votes).
ALTER TABLE pb_calls ADD COLUMN proposals_until TEXT;
ALTER TABLE pb_calls ADD COLUMN voting_until TEXT;
ALTER TABLE pb_calls ADD COLUMN tie_break TEXT NOT NULL DEFAULT 'id';
