-- requires: firm_year, firm_year_difficulty
-- 애로사항 by complex, sector (KSIC division) and size class, per year: the firms naming each
-- category and their share of the group's respondents (firm-years with any answer). A firm-year
-- naming several categories counts once in each; 없음 and 미분류 are categories like the others.
-- The group is NULL where firm_year's is (outside any complex, sector or size unknown).
CREATE OR REPLACE VIEW v_difficulty_by_complex AS
WITH d AS (SELECT d.census_year, f.complex_name, d.record_id, d.category
           FROM firm_year_difficulty d JOIN firm_year f USING (record_id)),
     r AS (SELECT census_year, complex_name, count(DISTINCT record_id) AS respondents FROM d GROUP BY ALL)
SELECT d.census_year, d.complex_name, d.category, count(DISTINCT d.record_id) AS firms, any_value(r.respondents) AS respondents,
       count(DISTINCT d.record_id) / any_value(r.respondents) AS share_of_respondents
FROM d JOIN r ON d.census_year = r.census_year AND d.complex_name IS NOT DISTINCT FROM r.complex_name
GROUP BY d.census_year, d.complex_name, d.category
ORDER BY d.census_year, d.complex_name NULLS LAST, firms DESC, d.category;

CREATE OR REPLACE VIEW v_difficulty_by_sector AS
WITH d AS (SELECT d.census_year, f.ksic_division, d.record_id, d.category
           FROM firm_year_difficulty d JOIN firm_year f USING (record_id)),
     r AS (SELECT census_year, ksic_division, count(DISTINCT record_id) AS respondents FROM d GROUP BY ALL)
SELECT d.census_year, d.ksic_division, d.category, count(DISTINCT d.record_id) AS firms, any_value(r.respondents) AS respondents,
       count(DISTINCT d.record_id) / any_value(r.respondents) AS share_of_respondents
FROM d JOIN r ON d.census_year = r.census_year AND d.ksic_division IS NOT DISTINCT FROM r.ksic_division
GROUP BY d.census_year, d.ksic_division, d.category
ORDER BY d.census_year, d.ksic_division NULLS LAST, firms DESC, d.category;

CREATE OR REPLACE VIEW v_difficulty_by_size AS
WITH d AS (SELECT d.census_year, f.size_class, d.record_id, d.category
           FROM firm_year_difficulty d JOIN firm_year f USING (record_id)),
     r AS (SELECT census_year, size_class, count(DISTINCT record_id) AS respondents FROM d GROUP BY ALL)
SELECT d.census_year, d.size_class, d.category, count(DISTINCT d.record_id) AS firms, any_value(r.respondents) AS respondents,
       count(DISTINCT d.record_id) / any_value(r.respondents) AS share_of_respondents
FROM d JOIN r ON d.census_year = r.census_year AND d.size_class IS NOT DISTINCT FROM r.size_class
GROUP BY d.census_year, d.size_class, d.category
ORDER BY d.census_year, d.size_class NULLS LAST, firms DESC, d.category;
