"""Delivery layouts as data: one YAML file per known contractor layout in config/layouts/.

A layout maps raw headers (with aliases) to canonical columns and says the unit of each money
column. Onboarding a new contractor's layout means writing one such file; the loader scores
every layout against a file's header and picks the best one (see `choose_layout`).

Layout file format::

    name: contractor_a_2022            # unique; recorded in load_log
    description: 한 줄 설명 / one-line description
    ksic_revision: 10                  # optional: the revision the codes use, if the file says so
    skip_first_cell: [합계, 총계, 소계]  # optional: rows whose first non-empty cell is one of these
    columns:
      firm_name: {headers: [업체명, 기업명]}
      revenue_mil_krw: {headers: ["매출액(천원)"], unit: thousand_krw}
      employees_total: {headers: ["종업원수(명) 계", 상시종업원수]}
      brn: {headers: [사업자등록번호, 사업자번호], required: true}   # the load fails without it

Headers are compared after NFKC normalisation with all white space removed and lower-cased,
so "종업원수 (명)" and "종업원수(명)" match. A multi-row header is joined top to bottom with a
space before comparison ("종업원수(명)" over "남" -> "종업원수(명) 남").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.schema import canonical_columns

# Factor that turns a value in the unit into million KRW (백만원), the canonical money unit.
MONEY_UNITS = {"krw": 1e-6, "thousand_krw": 1e-3, "mil_krw": 1.0, "hundred_mil_krw": 100.0}
DEFAULT_SKIP_FIRST_CELL = ["합계", "총계", "소계", "계", "total"]


class LayoutError(ValueError):
    """A layout file is malformed: names the file and the problem."""


@dataclass(frozen=True)
class ColumnSpec:
    canonical: str
    headers: tuple[str, ...]
    unit: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    source: Path
    ksic_revision: int | None = None
    skip_first_cell: tuple[str, ...] = field(default_factory=lambda: tuple(DEFAULT_SKIP_FIRST_CELL))

    def header_index(self) -> dict[str, str]:
        """Normalised raw header -> canonical column."""
        return {normalise_header(h): c.canonical for c in self.columns for h in c.headers}

    @property
    def required(self) -> set[str]:
        """Columns without which the file cannot be loaded: firm_name always, plus any column the
        layout marks `required: true`."""
        return {"firm_name"} | {c.canonical for c in self.columns if c.required}


def normalise_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(s.split()).lower()


def parse_layout(data: dict, source: Path, known: Collection[str]) -> Layout:
    """`known`: the canonical column names a layout may map to."""
    where = f"layout {source.name}"
    if not isinstance(data, dict) or "name" not in data or "columns" not in data:
        raise LayoutError(f"{where}: needs 'name' and 'columns'")
    specs = []
    for canonical, spec in (data["columns"] or {}).items():
        if canonical not in known:
            raise LayoutError(f"{where}: '{canonical}' is not a canonical column (see config/canonical_columns.yaml)")
        spec = spec or {}
        headers = spec.get("headers")
        if isinstance(headers, str):
            headers = [headers]
        if not headers:
            raise LayoutError(f"{where}: column '{canonical}' lists no headers")
        unit = spec.get("unit")
        if unit is not None and unit not in MONEY_UNITS:
            raise LayoutError(f"{where}: column '{canonical}' has unknown unit '{unit}' (known: {', '.join(MONEY_UNITS)})")
        if canonical.endswith("_mil_krw") and unit is None:
            raise LayoutError(f"{where}: money column '{canonical}' must state its unit")
        specs.append(ColumnSpec(canonical, tuple(str(h) for h in headers), unit, bool(spec.get("required", False))))
    if not any(s.canonical == "firm_name" for s in specs):
        raise LayoutError(f"{where}: must map firm_name")
    skip = data.get("skip_first_cell", DEFAULT_SKIP_FIRST_CELL)
    return Layout(
        name=str(data["name"]),
        description=str(data.get("description", "")),
        columns=tuple(specs),
        source=source,
        ksic_revision=data.get("ksic_revision"),
        skip_first_cell=tuple(str(s) for s in skip),
    )


def load_layouts(directory: Path, columns: Path) -> list[Layout]:
    """Every layout in `directory` (settings.layouts_dir), checked against the canonical
    columns of `columns` (settings.columns_path)."""
    known = set(canonical_columns(columns))
    layouts = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise LayoutError(f"layout {path.name}: not valid YAML: {e}") from None
        layouts.append(parse_layout(data, path, known))
    names = [layout.name for layout in layouts]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise LayoutError(f"layout names must be unique: {', '.join(sorted(dupes))}")
    return layouts


@dataclass(frozen=True)
class LayoutMatch:
    layout: Layout
    score: float  # share of the layout's columns found in the header
    mapping: dict[int, str]  # header position -> canonical column
    missing: tuple[str, ...]  # canonical columns of the layout not found


def match_layout(layout: Layout, headers: list[str]) -> LayoutMatch:
    index = layout.header_index()
    mapping: dict[int, str] = {}
    for pos, header in enumerate(headers):
        canonical = index.get(normalise_header(header))
        if canonical and canonical not in mapping.values():
            mapping[pos] = canonical
    found = set(mapping.values())
    wanted = [c.canonical for c in layout.columns]
    missing = tuple(c for c in wanted if c not in found)
    return LayoutMatch(layout, len(found) / len(wanted), mapping, missing)


def choose_layout(layouts: list[Layout], headers: list[str]) -> LayoutMatch | None:
    """The layout whose headers match best (share of its columns found), ties going to the one
    with more matched columns. Whether the match is good enough is the caller's decision."""
    matches = [match_layout(layout, headers) for layout in layouts]
    if not matches:
        return None
    return max(matches, key=lambda m: (m.score, len(m.mapping)))
