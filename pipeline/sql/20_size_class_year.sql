-- requires: firm_year
-- Firms by size class (기업규모) and year.
CREATE OR REPLACE VIEW v_size_class_year AS
SELECT census_year,
       coalesce(size_class, '미상') AS size_class,
       count(*) AS n_firms,
       sum(employees_total) AS employees_total,
       sum(revenue_mil_krw) AS revenue_mil_krw
FROM firm_year
GROUP BY ALL
ORDER BY census_year, size_class;
