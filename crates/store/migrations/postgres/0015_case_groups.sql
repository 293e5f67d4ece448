-- Duplicate candidates are now read per (community, service item) group by
-- the intake writer and kept in its memory (see store::cases::nearby): one
-- index on the group and time replaces the two per building and per place,
-- and each new case updates one index fewer.
DROP INDEX cases_dup_building;
DROP INDEX cases_dup_place;
CREATE INDEX cases_by_item ON cases (community_code, item_code, created_at);
