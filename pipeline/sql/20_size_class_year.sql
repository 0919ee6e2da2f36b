-- requires: firm_year
-- Firms by size class (기업규모) and year; size_class is NULL where it could not be decided.
CREATE OR REPLACE VIEW v_size_class_year AS
SELECT census_year,
       size_class,
       count(*) AS n_firms,
       CAST(sum(employees_total) AS BIGINT) AS employees_total,
       sum(revenue_mil_krw) AS revenue_mil_krw
FROM firm_year
GROUP BY ALL
ORDER BY census_year, size_class NULLS LAST;
