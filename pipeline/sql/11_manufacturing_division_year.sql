-- requires: firm_year
-- Manufacturing (KSIC section C) by division (중분류) x year: nine in ten firms of an industrial
-- city sit in section C, so the section alone says little. ksic_division is NULL for a
-- manufacturer whose code names no division, as in firm_year.
CREATE OR REPLACE VIEW v_manufacturing_division_year AS
SELECT census_year,
       ksic_division,
       any_value(ksic_division_ko) AS ksic_division_ko,
       any_value(ksic_division_en) AS ksic_division_en,
       count(*) AS n_firms,
       CAST(sum(employees_total) AS BIGINT) AS employees_total,
       sum(revenue_mil_krw) AS revenue_mil_krw,
       sum(export_mil_krw) AS export_mil_krw,
       sum(rnd_mil_krw) AS rnd_mil_krw
FROM firm_year
WHERE ksic_section = 'C'
GROUP BY ALL
ORDER BY census_year, ksic_division NULLS LAST;
