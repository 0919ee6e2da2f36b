"""Functions run on every rebuilt DuckDB file, after the tables and views exist. Each takes
(connection, settings). The documented-schema work registers its COMMENT ON writer here."""

HOOKS: list = []
