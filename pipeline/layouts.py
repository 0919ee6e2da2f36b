"""Delivery layouts as data: one YAML file per known contractor layout in config/layouts/.

A layout maps raw headers (with aliases) to canonical columns and says the unit of each money
column. Onboarding a new contractor's layout means writing one such file (`census layout new
FILE` writes a starter); the loader scores every layout against a file's header and picks the
best one (see `choose_layout`).

Layout file format::

    name: contractor_a_2022            # unique; recorded in load_log
    description: 한 줄 설명 / one-line description
    ksic_revision: 10                  # optional: the revision the codes use, if the file says so
    skip_first_cell: [합계, 총계, 소계]  # optional: rows whose first non-empty cell is one of these
    columns:
      firm_name: {headers: [업체명, 기업명]}          # spellings of one column; the first found is read
      revenue_mil_krw: {headers: ["매출액(천원)"], unit: thousand_krw}
      brn: {headers: [사업자등록번호, 사업자번호], required: true}   # the load fails without it
      # The first non-empty value of several columns, row by row (도로명 empty -> 지번):
      address: {headers: [도로명주소], fallback: [지번주소]}
      # The sum of several columns (a row where all are empty stays empty):
      employees_total: {sum_of: [남, 여, 외국인 남, 외국인 여]}
      # Source-specific codes mapped to the values the census uses (others are kept as written):
      size_class_reported: {headers: [공장규모구분명], values: {"1": 소기업, "2": 중기업}}
      # The same value on every row:
      ksic_revision_reported: {constant: 10}

Headers are compared after NFKC normalisation with all white space removed and lower-cased,
so "종업원수 (명)" and "종업원수(명)" match. A multi-row header is joined top to bottom with a
space before comparison ("종업원수(명)" over "남" -> "종업원수(명) 남"). A file is checked when it
is loaded: a typo stops the load with one line naming the file and the key.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.layout_schema import ColumnFile, LayoutFile, first_problem
from pipeline.read.errors import DeliveryError
from pipeline.schema import canonical_columns

# Factor that turns a value in the unit into million KRW (백만원), the canonical money unit.
MONEY_UNITS = {"krw": 1e-6, "thousand_krw": 1e-3, "mil_krw": 1.0, "hundred_mil_krw": 100.0}
DEFAULT_SKIP_FIRST_CELL = ["합계", "총계", "소계", "계", "total"]


class LayoutError(DeliveryError):
    """A layout file is malformed: names the file and the key, in Korean and English. A
    DeliveryError, so the CLI and the Dagster assets report it as one line like a bad file."""

    def __init__(self, file: str, message_ko: str, message_en: str):
        super().__init__(file, message_ko, message_en)


@dataclass(frozen=True)
class ColumnSpec:
    canonical: str
    headers: tuple[str, ...]  # spellings of one column; the first found in the file is read
    unit: str | None = None
    required: bool = False
    fallback: tuple[str, ...] = ()  # further columns, read in order where the earlier are empty
    sum_of: tuple[str, ...] = ()  # columns summed into this one
    constant: str | None = None  # the value of every row
    values: tuple[tuple[str, str], ...] = ()  # source code -> census value

    @property
    def kind(self) -> str:
        return "constant" if self.constant is not None else "sum" if self.sum_of else "column"

    def all_headers(self) -> tuple[str, ...]:
        return self.headers + self.fallback + self.sum_of


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    source: Path
    ksic_revision: int | None = None
    skip_first_cell: tuple[str, ...] = field(default_factory=lambda: tuple(DEFAULT_SKIP_FIRST_CELL))

    @property
    def required(self) -> set[str]:
        """Columns without which the file cannot be loaded: firm_name always, plus any column the
        layout marks `required: true`."""
        return {"firm_name"} | {c.canonical for c in self.columns if c.required}


def normalise_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(s.split()).lower()


def parse_layout(data: object, source: Path, known: dict) -> Layout:
    """A Layout from a layout file's YAML, or LayoutError naming the file and the key. `known`:
    the canonical columns a layout may map to (name -> column, from settings.columns_path)."""
    file = f"config/layouts/{source.name}"
    try:
        parsed = LayoutFile.model_validate(data)
    except ValidationError as e:
        key, ko, en = first_problem(e)
        raise LayoutError(file, f"{key}: {ko}", f"{key}: {en}") from None
    specs = []
    for canonical, spec in parsed.columns.items():
        _check_column(file, canonical, spec, known)
        specs.append(ColumnSpec(
            canonical, tuple(spec.headers or ()), spec.unit, spec.required, tuple(spec.fallback or ()),
            tuple(spec.sum_of or ()), spec.constant, tuple((spec.values or {}).items()),
        ))
    if not any(s.canonical == "firm_name" and s.kind == "column" for s in specs):
        raise LayoutError(file, "columns.firm_name: 업체명 열(headers)이 있어야 합니다", "columns.firm_name: must map the firm name column (headers)")
    skip = parsed.skip_first_cell if parsed.skip_first_cell is not None else DEFAULT_SKIP_FIRST_CELL
    return Layout(
        name=parsed.name, description=parsed.description, columns=tuple(specs), source=source,
        ksic_revision=parsed.ksic_revision, skip_first_cell=tuple(skip),
    )


def _check_column(file: str, canonical: str, spec: ColumnFile, known: dict) -> None:
    key = f"columns.{canonical}"
    if canonical not in known:
        raise LayoutError(file, f"{key}: 표준 열 이름이 아닙니다 (config/canonical_columns.yaml 참조)",
                          f"{key}: not a canonical column (see config/canonical_columns.yaml)")
    kind = known[canonical].type
    if canonical.endswith("_mil_krw") and spec.unit is None and spec.constant is None:
        raise LayoutError(file, f"{key}.unit: 금액 열은 단위를 적어야 합니다 (krw, thousand_krw, mil_krw, hundred_mil_krw)",
                          f"{key}.unit: a money column must state its unit (krw, thousand_krw, mil_krw, hundred_mil_krw)")
    if spec.unit is not None and not canonical.endswith("_mil_krw"):
        raise LayoutError(file, f"{key}.unit: 금액 열에만 단위를 씁니다", f"{key}.unit: only money columns take a unit")
    if spec.sum_of and kind not in ("integer", "number"):
        raise LayoutError(file, f"{key}.sum_of: 숫자 열만 더할 수 있습니다 ({kind})", f"{key}.sum_of: only numeric columns can be sums ({kind})")


def load_layouts(directory: Path, columns: Path) -> list[Layout]:
    """Every layout in `directory` (settings.layouts_dir), checked against the canonical
    columns of `columns` (settings.columns_path)."""
    known = canonical_columns(columns)
    layouts = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.safe_load(f)
        except yaml.YAMLError as e:
            where = getattr(e, "problem_mark", None)
            line = f" ({where.line + 1}행 / line {where.line + 1})" if where else ""
            raise LayoutError(f"config/layouts/{path.name}", f"YAML 형식 오류{line}", f"not valid YAML{line}: {getattr(e, 'problem', e)}") from None
        layouts.append(parse_layout(data, path, known))
    names = [layout.name for layout in layouts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise LayoutError("config/layouts", f"양식 이름(name)이 겹칩니다: {', '.join(dupes)}", f"layout names must be unique: {', '.join(dupes)}")
    return layouts


@dataclass(frozen=True)
class LayoutMatch:
    layout: Layout
    score: float  # share of the layout's columns found in the header (constants not counted)
    mapping: dict[int, str]  # header position -> canonical column (each position used, once)
    missing: tuple[str, ...]  # canonical columns of the layout not found
    # canonical column -> the header positions it is read from, in order: the column and its
    # fallbacks, or the summed columns. A position may serve two (남 is employees_male and part
    # of employees_total).
    sources: dict[str, tuple[int, ...]] = field(default_factory=dict)


def match_layout(layout: Layout, headers: list[str]) -> LayoutMatch:
    positions: dict[str, list[int]] = {}
    for pos, header in enumerate(headers):
        positions.setdefault(normalise_header(header), []).append(pos)

    def first(names: tuple[str, ...]) -> int | None:
        found = [p for n in names for p in positions.get(normalise_header(n), [])]
        return min(found) if found else None

    sources: dict[str, tuple[int, ...]] = {}
    missing: list[str] = []
    wanted = 0
    for spec in layout.columns:
        if spec.kind == "constant":
            sources[spec.canonical] = ()
            continue
        wanted += 1
        if spec.kind == "sum":
            found = [first((h,)) for h in spec.sum_of]
            if all(p is not None for p in found):
                sources[spec.canonical] = tuple(found)
            else:
                missing.append(spec.canonical)
            continue
        found = [p for p in [first(spec.headers), *(first((h,)) for h in spec.fallback)] if p is not None]
        if found:
            sources[spec.canonical] = tuple(dict.fromkeys(found))
        else:
            missing.append(spec.canonical)
    mapping: dict[int, str] = {}
    for canonical, used in sources.items():
        for p in used:
            mapping.setdefault(p, canonical)
    found_count = sum(1 for c, used in sources.items() if used)
    return LayoutMatch(layout, found_count / wanted if wanted else 0.0, dict(sorted(mapping.items())), tuple(missing), sources)


def choose_layout(layouts: list[Layout], headers: list[str]) -> LayoutMatch | None:
    """The layout whose headers match best (share of its columns found), ties going to the one
    with more matched columns. Whether the match is good enough is the caller's decision."""
    matches = [match_layout(layout, headers) for layout in layouts]
    if not matches:
        return None
    return max(matches, key=lambda m: (m.score, len(m.mapping)))
