-- A community's coverage map draws only the streets inside its buildings' box
-- (store::circle::homes::streets_in): find those nodes by position, not by a scan of the network.
CREATE INDEX circle_nodes_position ON circle_nodes (network_id, lon, lat);
