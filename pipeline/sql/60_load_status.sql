-- requires: load_log
-- One row per census year and file for the load whose tables are in place (the year's last good
-- load), and one more for a failed attempt after it: the year keeps its previous tables, and the
-- failure is what the analyst must act on. Earlier attempts stay in load_log.
CREATE OR REPLACE VIEW load_status AS
WITH good AS (
    SELECT census_year, max(loaded_at) AS good_at
    FROM load_log WHERE status <> 'failed' GROUP BY census_year
), ranked AS (
    SELECT l.*, g.good_at,
           row_number() OVER (PARTITION BY l.census_year, l.status = 'failed'
                              ORDER BY l.loaded_at DESC, l.source_file, l.sha256) AS recency
    FROM load_log l LEFT JOIN good g USING (census_year)
)
SELECT census_year, source_file, status, rows_read, rows_curated, rows_quarantined, rows_flagged, loaded_at, message
FROM ranked
WHERE recency = 1 AND (status <> 'failed' OR good_at IS NULL OR loaded_at > good_at)
ORDER BY census_year, loaded_at;
