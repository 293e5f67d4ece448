-- A community's coverage map draws only the streets inside its buildings' box
-- (store::circle::homes::streets_in): find those nodes by position, not by a scan of the network.
CREATE INDEX circle_nodes_position ON circle_nodes (network_id, lon, lat);

-- Coverage counts each building's residents and households from the registry
-- (store::circle::homes::registry_buildings): with the household in the index that count
-- reads the index alone, not 740,000 rows of the table.
DROP INDEX residents_by_community_building;
CREATE INDEX residents_by_community_building ON residents (community_code, building, household);
