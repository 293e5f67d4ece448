-- Issue 14: a steward's issue the front desk forwards becomes a service case, linked both ways:
-- the issue keeps its case's number, and the case page finds its issue through this column.
ALTER TABLE steward_issues ADD COLUMN case_id INTEGER REFERENCES cases(id);
CREATE INDEX steward_issues_by_case ON steward_issues (case_id);
