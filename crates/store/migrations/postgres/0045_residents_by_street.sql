-- Open311 requests located by an address only (triage::place): a resident's street and
-- number is their address up to and including its first 号 ("北京路229号"). Indexed as that
-- expression, so placing an address is a lookup of the street-and-number spans the text
-- holds instead of a scan of the registry. The expression must match triage::place's.
CREATE INDEX residents_by_street ON residents ((substr(address, 1, strpos(address, '号'))));
