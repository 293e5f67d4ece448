-- District-wide search by name or building (district departments see all their communities).
CREATE INDEX residents_by_district_name ON residents (district_code, name, id);
CREATE INDEX residents_by_district_building ON residents (district_code, building, id);
