-- requires: firm_year, firm_year_identity
-- Year-over-year panel: each firm's year next to its previous census year, with the change.
CREATE OR REPLACE VIEW v_panel_changes AS
WITH panel AS (
    SELECT i.firm_id, f.census_year, f.employees_total, f.revenue_mil_krw, f.ksic11_section,
           lag(f.census_year) OVER w AS prev_year,
           lag(f.employees_total) OVER w AS prev_employees_total,
           lag(f.revenue_mil_krw) OVER w AS prev_revenue_mil_krw,
           lag(f.ksic11_section) OVER w AS prev_ksic11_section
    FROM firm_year f
    JOIN firm_year_identity i USING (record_id)
    WINDOW w AS (PARTITION BY i.firm_id ORDER BY f.census_year)
)
SELECT firm_id, census_year, prev_year,
       CASE WHEN prev_year IS NULL THEN 'new'
            WHEN prev_year = census_year - 1 THEN 'continuing'
            ELSE 'returning' END AS panel_status,
       employees_total, prev_employees_total,
       employees_total - prev_employees_total AS employees_change,
       revenue_mil_krw, prev_revenue_mil_krw,
       revenue_mil_krw - prev_revenue_mil_krw AS revenue_change_mil_krw,
       coalesce(ksic11_section IS DISTINCT FROM prev_ksic11_section AND prev_year IS NOT NULL, false) AS sector_changed
FROM panel
ORDER BY firm_id, census_year;
