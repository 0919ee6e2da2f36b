-- requires: firm_year, firm_year_identity
-- Panel views over firm identities (pipeline.identity). Rebuilt with every DuckDB file.

-- firm_year with its firm_id and how the record was linked.
CREATE OR REPLACE VIEW firm_year_firm AS
SELECT f.*, i.firm_id, i.link_method AS identity_method, i.link_score AS identity_score
FROM firm_year AS f
JOIN firm_year_identity AS i USING (record_id);

-- One row per firm and census year present, with the previous year the firm was present in.
-- entry: first seen after the first loaded census; exit: last seen before the last loaded census.
-- Moves compare the classified complex (pipeline.classify: complex_name), not the respondent's
-- text, which spells one complex many ways (시화공단, 시흥스마트허브, 시화국가산단).
-- Sector changes compare codes converted to KSIC-11 (ksic_target_code, ksic_division, ...): KSIC-10 and -11 reuse 5-digit
-- codes with other meanings (docs/domain.md §0.2), so raw ksic_code cannot be compared across
-- revisions. sector_changed = another KSIC-11 division; subclass_changed = another subclass,
-- unknown (NULL) when either year's code came from a KSIC-10 code that split into several
-- KSIC-11 codes (ksic_target_relation 'split'): the converted subclass is then one candidate of many.
-- Growth is from the previous year present (years_since_prev says how far back that is).
CREATE OR REPLACE VIEW firm_panel AS
WITH bounds AS (
    SELECT min(census_year) AS first_census, max(census_year) AS last_census FROM firm_year
), p AS (
    SELECT *,
        lag(census_year) OVER w AS prev_year,
        lead(census_year) OVER w AS next_year,
        lag(complex_name) OVER w AS prev_complex_name,
        lag(ksic_division) OVER w AS prev_ksic_division,
        lag(ksic_target_code) OVER w AS prev_ksic_target_code,
        lag(ksic_target_relation) OVER w AS prev_ksic_target_relation,
        lag(employees_total) OVER w AS prev_employees_total,
        lag(revenue_mil_krw) OVER w AS prev_revenue_mil_krw,
        count(*) OVER (PARTITION BY firm_id) AS n_years
    FROM (
        -- Casts keep the view valid when a year's column was written all-empty (typed as text):
        -- a failing view would abort the whole DuckDB rebuild.
        SELECT firm_id, CAST(census_year AS INTEGER) AS census_year, record_id,
               CAST(complex_name AS VARCHAR) AS complex_name,
               CAST(ksic_division AS VARCHAR) AS ksic_division,
               CAST(ksic_target_code AS VARCHAR) AS ksic_target_code,
               CAST(ksic_target_relation AS VARCHAR) AS ksic_target_relation,
               TRY_CAST(employees_total AS BIGINT) AS employees_total,
               TRY_CAST(revenue_mil_krw AS DOUBLE) AS revenue_mil_krw
        FROM firm_year_firm
        -- A row delivered twice shares its firm_id (link_method 'duplicate'): one row per firm-year.
        QUALIFY row_number() OVER (PARTITION BY firm_id, census_year ORDER BY record_id) = 1
    )
    WINDOW w AS (PARTITION BY firm_id ORDER BY census_year)
)
SELECT
    p.*,
    p.census_year - p.prev_year AS years_since_prev,
    (p.prev_year IS NULL AND p.census_year > b.first_census) AS is_entry,
    (p.next_year IS NULL AND p.census_year < b.last_census) AS is_exit,
    (p.prev_year IS NOT NULL AND p.census_year - p.prev_year > 1) AS is_reentry,
    CASE WHEN p.prev_year IS NULL OR p.complex_name IS NULL OR p.prev_complex_name IS NULL THEN NULL
         ELSE p.complex_name <> p.prev_complex_name END AS moved_complex,
    CASE WHEN p.prev_year IS NULL OR p.ksic_division IS NULL OR p.prev_ksic_division IS NULL THEN NULL
         ELSE p.ksic_division <> p.prev_ksic_division END AS sector_changed,
    CASE WHEN p.prev_year IS NULL OR p.ksic_target_code IS NULL OR p.prev_ksic_target_code IS NULL THEN NULL
         WHEN 'split' IN (coalesce(p.ksic_target_relation, ''), coalesce(p.prev_ksic_target_relation, '')) THEN NULL
         ELSE p.ksic_target_code <> p.prev_ksic_target_code END AS subclass_changed,
    p.employees_total - p.prev_employees_total AS employees_change,
    CASE WHEN p.prev_employees_total > 0
         THEN round(100.0 * (p.employees_total - p.prev_employees_total) / p.prev_employees_total, 2) END
        AS employees_growth_pct,
    p.revenue_mil_krw - p.prev_revenue_mil_krw AS revenue_change_mil_krw,
    CASE WHEN p.prev_revenue_mil_krw > 0
         THEN round(100.0 * (p.revenue_mil_krw - p.prev_revenue_mil_krw) / p.prev_revenue_mil_krw, 2) END
        AS revenue_growth_pct
FROM p CROSS JOIN bounds AS b;

-- Per firm: the census years it is present in (a row delivered twice in a year counts once).
CREATE OR REPLACE VIEW firm_years AS
SELECT firm_id, min(census_year) AS first_year, max(census_year) AS last_year, count(DISTINCT census_year) AS n_years,
       list(DISTINCT census_year ORDER BY census_year) AS years
FROM firm_year_firm
GROUP BY firm_id;

-- Entries, exits, moves and sector changes per census year.
CREATE OR REPLACE VIEW panel_flows AS
SELECT census_year,
       count(*) AS firms,
       count(*) FILTER (WHERE is_entry) AS entries,
       count(*) FILTER (WHERE is_exit) AS exits_after_this_year,
       count(*) FILTER (WHERE moved_complex) AS moved_complex,
       count(*) FILTER (WHERE sector_changed) AS sector_changed,
       count(*) FILTER (WHERE subclass_changed) AS subclass_changed
FROM firm_panel
GROUP BY census_year
ORDER BY census_year;
