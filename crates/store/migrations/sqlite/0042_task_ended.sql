-- Issue 14: when a task stops being in force, so the burden can be counted as work in force per
-- month. Set in the transaction that ends it (the community's refusal) or, for an approval with
-- an expiry, at approval: the last second of its last day (UTC). NULL: in force, with no end.
ALTER TABLE community_tasks ADD COLUMN ended_at TEXT;

-- Back-fill: approvals' expiry first, then refusals where they came earlier.
UPDATE community_tasks SET ended_at = expires_on || 'T23:59:59Z' WHERE expires_on IS NOT NULL;
UPDATE community_tasks SET ended_at = (SELECT r.created_at FROM task_refusals r WHERE r.task_id = community_tasks.id)
WHERE status = 'refused'
  AND EXISTS (SELECT 1 FROM task_refusals r WHERE r.task_id = community_tasks.id)
  AND (ended_at IS NULL OR ended_at > (SELECT r.created_at FROM task_refusals r WHERE r.task_id = community_tasks.id));
