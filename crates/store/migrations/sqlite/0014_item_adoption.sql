-- The city keeps one catalogue of service items; each community adopts the
-- items its service center takes (一站式服务中心的事项清单). Intake refuses an
-- item its community has not adopted. Existing communities adopt every item
-- the catalogue already holds.
CREATE TABLE community_items (
    community_code TEXT NOT NULL REFERENCES communities(code),
    district_code TEXT NOT NULL,
    item_code TEXT NOT NULL REFERENCES service_items(code),
    adopted_at TEXT NOT NULL,
    adopted_by TEXT NOT NULL,
    PRIMARY KEY (community_code, item_code)
);

INSERT INTO community_items (community_code, district_code, item_code, adopted_at, adopted_by)
SELECT c.code, c.district_code, i.code, i.created_at, 'migration' FROM communities c CROSS JOIN service_items i;

-- The escalation level whose notice has gone to the queue's supervisor
-- (the level itself is always computed from the case's history).
ALTER TABLE cases ADD COLUMN escalation_noticed INTEGER NOT NULL DEFAULT 0;
