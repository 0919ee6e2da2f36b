-- requires: supplier_tier, firm_year_identity
-- Supplier tiers per firm across years (pipeline.supply): the tier a firm held each year and
-- whether it changed since the previous year present.
CREATE OR REPLACE VIEW firm_tier_panel AS
SELECT i.firm_id, t.census_year, t.record_id, t.main_chain, t.inferred_tier, t.self_reported_tier,
       t.final_tier, t.tier_source, t.tier_conflict,
       lag(t.final_tier) OVER w AS prev_final_tier,
       (lag(t.final_tier) OVER w IS NOT NULL AND t.final_tier IS NOT NULL
            AND lag(t.final_tier) OVER w <> t.final_tier) AS tier_changed
FROM supplier_tier AS t
JOIN firm_year_identity AS i USING (record_id)
-- A row delivered twice in a year is one firm-year (the copy has the higher record_id), as in firm_panel.
WHERE i.link_method <> 'duplicate'
WINDOW w AS (PARTITION BY i.firm_id ORDER BY t.census_year);
