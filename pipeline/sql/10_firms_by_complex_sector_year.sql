-- requires: firm_year
-- Firms and employment by industrial complex x KSIC section x year (the most asked question).
-- complex_name is NULL for firms outside any complex, as in firm_year (docs/research_access.md).
-- Sums are BIGINT: DuckDB sums integers as HUGEINT, which most clients print as floats.
CREATE OR REPLACE VIEW v_firms_by_complex_sector_year AS
SELECT census_year,
       complex_name,
       ksic_section,
       any_value(ksic_section_ko) AS ksic_section_ko,
       any_value(ksic_section_en) AS ksic_section_en,
       count(*) AS n_firms,
       CAST(sum(employees_total) AS BIGINT) AS employees_total,
       sum(revenue_mil_krw) AS revenue_mil_krw
FROM firm_year
GROUP BY ALL
ORDER BY census_year, complex_name NULLS LAST, ksic_section;
