-- requires: firm_year, supplier_tier
-- Suppliers by value chain and final tier, per year.
CREATE OR REPLACE VIEW v_tiers_per_chain AS
SELECT t.census_year,
       coalesce(t.main_chain, '미상') AS main_chain,
       coalesce(t.final_tier, '미상') AS final_tier,
       count(*) AS n_firms,
       sum(f.employees_total) AS employees_total,
       sum(f.revenue_mil_krw) AS revenue_mil_krw
FROM supplier_tier t
JOIN firm_year f USING (record_id)
GROUP BY ALL
ORDER BY t.census_year, main_chain, final_tier;
