-- Each transaction keeps its postings folded into one text (store::finance::pack), written
-- in the same transaction as the postings, so that a start-up reads one column per
-- transaction instead of joining and folding every posting (issue 13, point 7).
-- Fields are separated by chr(31), postings by chr(30); a NULL community is '', a community c is '=c'.
ALTER TABLE fin_transactions ADD COLUMN postings TEXT;
UPDATE fin_transactions SET postings = (
    SELECT string_agg(p.account_code || chr(31) || CAST(p.amount_fen AS TEXT) || chr(31) || p.fund || chr(31) ||
        p.fund_ref || chr(31) || COALESCE('=' || p.community_code, '') || chr(31) || p.district_code, chr(30) ORDER BY p.line)
    FROM fin_postings p WHERE p.tx_id = fin_transactions.id);
