-- requires: cluster_member, firm_year_difficulty
-- 애로사항 by mini-cluster, per year: the member firms (linked to the census) naming each
-- category and their share of the cluster's member firms that answered. A firm in two clusters
-- counts in both.
CREATE OR REPLACE VIEW v_difficulty_by_cluster AS
WITH m AS (SELECT DISTINCT census_year, cluster_name, firm_id FROM cluster_member WHERE firm_id IS NOT NULL),
     d AS (SELECT m.census_year, m.cluster_name, d.firm_id, d.category
           FROM firm_year_difficulty d JOIN m ON d.firm_id = m.firm_id AND d.census_year = m.census_year),
     r AS (SELECT census_year, cluster_name, count(DISTINCT firm_id) AS respondents FROM d GROUP BY ALL)
SELECT d.census_year, d.cluster_name, d.category, count(DISTINCT d.firm_id) AS firms, any_value(r.respondents) AS respondents,
       count(DISTINCT d.firm_id) / any_value(r.respondents) AS share_of_respondents
FROM d JOIN r USING (census_year, cluster_name)
GROUP BY d.census_year, d.cluster_name, d.category
ORDER BY d.census_year, d.cluster_name, firms DESC, d.category;
