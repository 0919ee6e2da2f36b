"""The de-identified research database (data/curated/research.duckdb)."""
