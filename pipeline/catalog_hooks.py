"""Functions run on every rebuilt DuckDB file, after the tables and views exist. Each takes
(connection, settings). The documented-schema work registers its COMMENT ON writer here."""


def _document(con, settings) -> None:
    """Label tables, the views for common questions, and COMMENTs from the catalogues."""
    from pipeline.catalogue import apply_comments

    apply_comments(con, settings.config_dir)


HOOKS: list = [_document]
