-- A department account says which department it is (铜官区财政局): an access
-- application is filed in its name, and only the finance bureau allocates and
-- approves money. Empty for accounts that are not a department's.
ALTER TABLE users ADD COLUMN department TEXT;
