"""The theme view lists every flag taxonomy's columns: a new taxonomy file must not silently
drop out of firm_year_theme."""

import re

import yaml

from pipeline.settings import PACKAGE_ROOT


def test_theme_view_covers_every_flag_taxonomy():
    sql = (PACKAGE_ROOT / "pipeline/sql/40_classification_views.sql").read_text(encoding="utf-8")
    patterns = set(re.findall(r"COLUMNS\('\^\(([^)]*)\)'\)", sql))
    assert len(patterns) == 1, "the view's two COLUMNS() patterns must agree"
    in_view = set(patterns.pop().split("|"))
    prefixes = set()
    for path in (PACKAGE_ROOT / "config/taxonomies").glob("*.yaml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if spec.get("kind") == "flags":
            prefixes.add(spec["column_prefix"])
    assert prefixes and prefixes == in_view
