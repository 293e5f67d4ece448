-- Duplicate candidates are read along the community's cases from the first
-- case of the rule's window (store::cases::nearby::Nearby::refresh). The index
-- on (community, item, time) served only that read, and every intake paid an
-- entry in it: measured in BENCHMARKS.md (issue 13, point 5).
DROP INDEX cases_by_item;
