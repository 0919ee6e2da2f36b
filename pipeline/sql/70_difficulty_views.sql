-- requires: firm_year, firm_year_difficulty
-- 애로사항 by complex, sector (KSIC division) and size class, per year: the firms naming each
-- category and their share of the group's respondents (firm-years with any answer). A firm-year
-- naming several categories counts once in each; 없음 and 미분류 are categories like the others.
-- The group is NULL where firm_year's is (outside any complex, sector or size unknown).
-- One computation for the three breakdowns (grouping = complex | sector | size); the three named
-- views are its slices under their own column names.
CREATE OR REPLACE VIEW v_difficulty_by_group AS
WITH a AS (SELECT d.census_year, d.record_id, d.category, f.complex_name, f.ksic_division, f.size_class
           FROM firm_year_difficulty d JOIN firm_year f USING (record_id)),
     d AS (SELECT census_year, 'complex' AS grouping, complex_name AS group_value, record_id, category FROM a
           UNION ALL SELECT census_year, 'sector', ksic_division, record_id, category FROM a
           UNION ALL SELECT census_year, 'size', size_class, record_id, category FROM a),
     r AS (SELECT census_year, grouping, group_value, count(DISTINCT record_id) AS respondents FROM d GROUP BY ALL)
SELECT d.census_year, d.grouping, d.group_value, d.category, count(DISTINCT d.record_id) AS firms,
       any_value(r.respondents) AS respondents, count(DISTINCT d.record_id) / any_value(r.respondents) AS share_of_respondents
FROM d JOIN r ON d.census_year = r.census_year AND d.grouping = r.grouping AND d.group_value IS NOT DISTINCT FROM r.group_value
GROUP BY d.census_year, d.grouping, d.group_value, d.category
ORDER BY d.census_year, d.grouping, d.group_value NULLS LAST, firms DESC, d.category;

CREATE OR REPLACE VIEW v_difficulty_by_complex AS
SELECT census_year, group_value AS complex_name, category, firms, respondents, share_of_respondents
FROM v_difficulty_by_group WHERE grouping = 'complex'
ORDER BY census_year, complex_name NULLS LAST, firms DESC, category;

CREATE OR REPLACE VIEW v_difficulty_by_sector AS
SELECT census_year, group_value AS ksic_division, category, firms, respondents, share_of_respondents
FROM v_difficulty_by_group WHERE grouping = 'sector'
ORDER BY census_year, ksic_division NULLS LAST, firms DESC, category;

CREATE OR REPLACE VIEW v_difficulty_by_size AS
SELECT census_year, group_value AS size_class, category, firms, respondents, share_of_respondents
FROM v_difficulty_by_group WHERE grouping = 'size'
ORDER BY census_year, size_class NULLS LAST, firms DESC, category;
