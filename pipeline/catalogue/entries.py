"""Look up the description and disclosure level of a table or column."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.schema import all_columns
from pipeline.settings import PACKAGE_ROOT

TABLE_CATALOGUE = PACKAGE_ROOT / "config" / "table_catalogue.yaml"
DISCLOSURE_LEVELS = {"public", "identifying", "personal", "key", "registry"}


@dataclass(frozen=True)
class Doc:
    label_ko: str
    label_en: str
    disclosure: str = "public"


@lru_cache(maxsize=2)
def load_catalogue(path: Path = TABLE_CATALOGUE) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def table_doc(name: str, path: Path = TABLE_CATALOGUE) -> Doc | None:
    cat = load_catalogue(path)
    spec = cat.get("tables", {}).get(name) or cat.get("views", {}).get(name) or cat.get("code_labels", {}).get(name)
    if spec:
        return Doc(spec["label_ko"], spec["label_en"])
    from pipeline.catalogue.views import taxonomy_labels  # the taxonomies describe their own code tables

    found = taxonomy_labels().get(name)
    return found[0] if found else None


def _table_columns(table: str, path: Path) -> dict:
    cat = load_catalogue(path)
    spec = cat.get("tables", {}).get(table) or cat.get("views", {}).get(table) or {}
    return spec.get("columns") or {}


def column_doc(table: str, column: str, path: Path = TABLE_CATALOGUE) -> Doc | None:
    """A table's own entry (exact name, then glob) wins; labels it leaves out, and columns it
    does not list, come from the canonical catalogue, then from the shared `columns:` section
    (derived columns used by several views). None when nothing describes the column."""
    view = load_catalogue(path).get("views", {}).get(table)
    if view and column not in (view.get("columns") or {}):
        for source in view.get("from", []):
            found = column_doc(source, column, path)
            if found:
                return found
    own = _table_columns(table, path)
    spec = own.get(column)
    if spec is None:
        spec = next((s for pattern, s in own.items() if fnmatch.fnmatchcase(column, pattern)), None)
    canonical = all_columns().get(column)
    shared = load_catalogue(path).get("columns", {}).get(column)
    if spec is None and canonical is None and shared is None:
        return family_doc(column, path) or _previous_doc(table, column, path)
    spec = spec or {}
    base = canonical or (Doc(shared["label_ko"], shared["label_en"], shared.get("disclosure", "public")) if shared else None)
    label_ko = spec.get("label_ko") or (base.label_ko if base else None)
    label_en = spec.get("label_en") or (base.label_en if base else None)
    if not label_ko or not label_en:
        return None
    return Doc(label_ko, label_en, spec.get("disclosure") or (base.disclosure if base else "public"))


def _previous_doc(table: str, column: str, path: Path) -> Doc | None:
    """prev_<column> of a panel view: the column's description, in the previous census year."""
    if not column.startswith("prev_"):
        return None
    base = column_doc(table, column[len("prev_"):], path)
    if base is None:
        return None
    return Doc(f"직전 조사연도 {base.label_ko}", f"{base.label_en}, previous census year", base.disclosure)


def family_doc(column: str, path: Path = TABLE_CATALOGUE) -> Doc | None:
    """Description of a column of a family (ksic11_division_ko, root_casting, ...)."""
    for fam in load_catalogue(path).get("families", []):
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


def research_tables(path: Path = TABLE_CATALOGUE) -> list[str]:
    return [name for name, spec in load_catalogue(path)["tables"].items() if spec.get("research")]
