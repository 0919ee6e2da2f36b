-- requires: firm_year, supplier_tier
-- Suppliers by value chain and final tier, per year. main_chain (a code of label_value_chain)
-- and final_tier are NULL where unknown, as in supplier_tier.
CREATE OR REPLACE VIEW v_tiers_per_chain AS
SELECT t.census_year,
       t.main_chain,
       t.final_tier,
       count(*) AS n_firms,
       CAST(sum(f.employees_total) AS BIGINT) AS employees_total,
       sum(f.revenue_mil_krw) AS revenue_mil_krw
FROM supplier_tier t
JOIN firm_year f USING (record_id)
GROUP BY ALL
ORDER BY t.census_year, main_chain NULLS LAST, final_tier NULLS LAST;
