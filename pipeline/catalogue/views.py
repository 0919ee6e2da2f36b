"""Label tables and the views for common questions, created in a database (internal or
research) after its tables are in place."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.catalogue.entries import Doc, load_catalogue
from pipeline.classify.themes import read_taxonomy
from pipeline.storage.duckdb_file import existing_relations, run_sql_file

VIEWS_DIR = Path(__file__).parent / "views"
log = logging.getLogger(__name__)


def taxonomy_labels(directory: Path) -> dict[str, tuple[Doc, list[dict]]]:
    """label_<taxonomy key> -> (its description, rows code/label_ko/label_en) from the thematic
    taxonomies of pipeline/classify: the code is the category (exclusive taxonomies, e.g.
    tech_intensity) or the flag column (root_casting), as firm_year and firm_year_theme hold it.
    `directory`: the agency's taxonomies folder (settings.taxonomies_dir)."""
    out = {}
    for file in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        tax = read_taxonomy(file)
        categories = dict(tax.get("categories") or {})
        for region in (tax.get("regions") or {}).values():
            categories.update(region)
        prefix = tax.get("column_prefix", "") if tax.get("kind") == "flags" else ""
        rows = [{"code": f"{prefix}{key}", "label_ko": c["label_ko"], "label_en": c["label_en"]} for key, c in categories.items()]
        if rows:
            out[f"label_{tax['key']}"] = (Doc(f"{tax['label_ko']} 코드표", f"{tax['label_en']}: codes"), rows)
    return out


def create_label_tables(con: duckdb.DuckDBPyConnection, config_dir: Path) -> list[str]:
    """The code tables of the catalogue and of the taxonomies (code, label_ko, label_en), from
    the agency's config folder."""
    tables = {name: spec["rows"] for name, spec in load_catalogue(config_dir).get("code_labels", {}).items()}
    tables.update({name: rows for name, (_, rows) in taxonomy_labels(Path(config_dir) / "taxonomies").items()})
    for name, rows in tables.items():
        frame = pd.DataFrame(rows, columns=["code", "label_ko", "label_en"]).astype(str)
        con.register("_labels", frame)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _labels')
        con.unregister("_labels")
    return list(tables)


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create each view whose source tables and columns exist. A view over what is not built
    yet (tiers before the supply stage, sectors before classification) is left out rather than
    failing the rebuild of a load; it appears with the next rebuild that has its inputs."""
    present = existing_relations(con)
    made = []
    for file in sorted(VIEWS_DIR.glob("*.sql")):
        try:
            if not run_sql_file(con, file, present):
                continue
        except (duckdb.BinderException, duckdb.CatalogException) as e:
            log.info("view %s left out until its columns exist: %s", file.stem, str(e).splitlines()[0])
            continue
        made.append(file.stem.split("_", 1)[1])
    return made
