-- requires: firm_year, ksic
-- Classification views (pipeline.classify). firm_year carries the classification columns; these
-- views make the common questions one SELECT away.

-- Thematic memberships as rows: one row per firm-year and theme it belongs to, so
-- "how many 뿌리 firms per complex" is a GROUP BY. Columns are found by the column_prefix of the
-- flag taxonomies in config/taxonomies/; a new flag taxonomy adds its prefix here
-- (tests/classify/test_theme_view.py fails until it does).
CREATE OR REPLACE VIEW firm_year_theme AS
SELECT census_year, record_id, theme
FROM (UNPIVOT (SELECT census_year, record_id, COLUMNS('^(root_|mpe_|strategic_)')::BOOLEAN FROM firm_year)
      ON COLUMNS('^(root_|mpe_|strategic_)') INTO NAME theme VALUE member)
WHERE member;

-- KSIC codes that a firm-year reported but could not be converted to one subclass (splits).
CREATE OR REPLACE VIEW ksic_unresolved AS
SELECT census_year, record_id, ksic_revision, ksic_code, ksic11_code, ksic11_candidates
FROM firm_year
WHERE ksic11_unresolved;
