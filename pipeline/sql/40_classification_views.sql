-- requires: firm_year, ksic
-- Classification views (pipeline.classify). firm_year carries the classification columns; these
-- views make the common questions one SELECT away.

-- Thematic memberships as rows (firm_year_theme) are generated from the taxonomies by
-- pipeline/catalogue/views.py: its columns follow config/taxonomies/, not this file.

-- KSIC codes that a firm-year reported but could not be converted to one subclass (splits).
CREATE OR REPLACE VIEW ksic_unresolved AS
SELECT census_year, record_id, ksic_revision, ksic_code, ksic_target_code, ksic_target_candidates
FROM firm_year
WHERE ksic_target_unresolved;
