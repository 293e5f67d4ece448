-- District-wide registry pages (district departments) page by id within a district.
CREATE INDEX residents_by_district_id ON residents (district_code, id);
