"""Look up the description and disclosure level of a table or column.

Every function takes the agency's config folder (settings.config_dir): the table catalogue
(table_catalogue.yaml), the canonical columns and the taxonomies all come from there."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.config import read_yaml
from pipeline.schema import CATALOGUE_FILE, all_columns

TABLE_CATALOGUE_FILE = "table_catalogue.yaml"  # in the config folder
DISCLOSURE_LEVELS = {"public", "identifying", "personal", "key", "registry"}


@dataclass(frozen=True)
class Doc:
    label_ko: str
    label_en: str
    disclosure: str = "public"


@lru_cache(maxsize=2)
def _read_catalogue(path: Path) -> dict:
    return read_yaml(path)


def load_catalogue(config_dir: Path) -> dict:
    return _read_catalogue(Path(config_dir) / TABLE_CATALOGUE_FILE)


def table_doc(name: str, config_dir: Path) -> Doc | None:
    cat = load_catalogue(config_dir)
    spec = cat.get("tables", {}).get(name) or cat.get("views", {}).get(name) or cat.get("code_labels", {}).get(name)
    if spec:
        return Doc(spec["label_ko"], spec["label_en"])
    from pipeline.catalogue.views import taxonomy_labels  # the taxonomies describe their own code tables

    found = taxonomy_labels(Path(config_dir) / "taxonomies").get(name)
    return found[0] if found else None


def _table_columns(table: str, config_dir: Path) -> dict:
    cat = load_catalogue(config_dir)
    spec = cat.get("tables", {}).get(table) or cat.get("views", {}).get(table) or {}
    return spec.get("columns") or {}


def column_doc(table: str, column: str, config_dir: Path) -> Doc | None:
    """A table's own entry (exact name, then glob) wins; labels it leaves out, and columns it
    does not list, come from the canonical catalogue, then from the shared `columns:` section
    (derived columns used by several views). None when nothing describes the column."""
    view = load_catalogue(config_dir).get("views", {}).get(table)
    if view and column not in (view.get("columns") or {}):
        for source in view.get("from", []):
            found = column_doc(source, column, config_dir)
            if found:
                return found
    own = _table_columns(table, config_dir)
    spec = own.get(column)
    if spec is None:
        spec = next((s for pattern, s in own.items() if fnmatch.fnmatchcase(column, pattern)), None)
    canonical = all_columns(Path(config_dir) / CATALOGUE_FILE).get(column)
    shared = load_catalogue(config_dir).get("columns", {}).get(column)
    if spec is None and canonical is None and shared is None:
        return family_doc(column, config_dir) or _previous_doc(table, column, config_dir)
    spec = spec or {}
    base = canonical or (Doc(shared["label_ko"], shared["label_en"], shared.get("disclosure", "public")) if shared else None)
    label_ko = spec.get("label_ko") or (base.label_ko if base else None)
    label_en = spec.get("label_en") or (base.label_en if base else None)
    if not label_ko or not label_en:
        return None
    return Doc(label_ko, label_en, spec.get("disclosure") or (base.disclosure if base else "public"))


def _previous_doc(table: str, column: str, config_dir: Path) -> Doc | None:
    """prev_<column> of a panel view: the column's description, in the previous census year."""
    if not column.startswith("prev_"):
        return None
    base = column_doc(table, column[len("prev_"):], config_dir)
    if base is None:
        return None
    return Doc(f"직전 조사연도 {base.label_ko}", f"{base.label_en}, previous census year", base.disclosure)


def family_doc(column: str, config_dir: Path) -> Doc | None:
    """Description of a column of a family (ksic11_division_ko, root_casting, ...)."""
    for fam in load_catalogue(config_dir).get("families", []):
        m = re.match(fam["regex"], column)
        if not m:
            continue
        words = {lang: {} for lang in ("ko", "en")}
        for group, text in m.groupdict().items():
            pair = fam.get("values", {}).get(group, {}).get(text or "", [text or "", text or ""])
            words["ko"][group], words["en"][group] = pair
        ko = " ".join(fam["label_ko"].format(**words["ko"]).split())
        en = " ".join(fam["label_en"].format(**words["en"]).split())
        return Doc(ko, en, fam.get("disclosure", "public"))
    return None


def research_tables(config_dir: Path) -> list[str]:
    return [name for name, spec in load_catalogue(config_dir)["tables"].items() if spec.get("research")]
