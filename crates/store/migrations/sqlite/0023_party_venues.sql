-- A venue a resident unit opens to residents under a co-building agreement,
-- placed on the map (a facility type of the living circle's catalogue and a
-- WGS 84 position): while its agreement is in force it counts among the
-- facilities of the 15-minute living circle (store::circle::facilities).
ALTER TABLE party_commitments ADD COLUMN venue_type TEXT;
ALTER TABLE party_commitments ADD COLUMN venue_lon REAL;
ALTER TABLE party_commitments ADD COLUMN venue_lat REAL;
