-- Which facts are invented for the demo (issue 14): pages show each as a 示例 badge.
-- communities.illustrative (0001) marks a reconstructed name; these mark the rest.
-- The service center's address, phone and hours and the founding date.
ALTER TABLE communities ADD COLUMN details_illustrative INTEGER NOT NULL DEFAULT 0;
-- A community code not seen in a source (rules §4: only 天井湖 and 映湖 were).
ALTER TABLE communities ADD COLUMN code_illustrative INTEGER NOT NULL DEFAULT 0;
-- A functions-register row's date, receiving department and attribution.
ALTER TABLE functions ADD COLUMN illustrative INTEGER NOT NULL DEFAULT 0;
-- A provider's phone number and credit code.
ALTER TABLE providers ADD COLUMN illustrative INTEGER NOT NULL DEFAULT 0;
