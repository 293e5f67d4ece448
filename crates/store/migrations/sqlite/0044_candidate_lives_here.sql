-- Rule 2.21: members who do not live in the community (hired community workers) are at most
-- a third of the residents' committee. A formal candidate says whether they live here; the
-- seating of an elected committee counts those who do not (store::elections::count::seat).
ALTER TABLE election_candidates ADD COLUMN lives_here INTEGER NOT NULL DEFAULT 1;
