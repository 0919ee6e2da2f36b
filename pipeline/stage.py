"""From a delivery's raw rows to typed canonical rows, with every altered value logged and the
rows that cannot be parsed at all quarantined (validation rules come later, in
pipeline.validation)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import clean, parallel
from pipeline.frames import rows_where
from pipeline.layouts import MONEY_UNITS
from pipeline.read import DeliveryError, RawTable, xlsx_extras
from pipeline.schema import canonical_columns, tier_spellings

CHANGE_LOG_COLUMNS = ["census_year", "record_id", "source_row", "column", "old_value", "new_value", "rule"]
QUARANTINE_COLUMNS = [
    "census_year", "source_file", "source_sheet", "source_row", "record_id",
    "column", "rule", "raw_value", "message_ko", "message_en", "severity",
]
PANDAS_DTYPES = {"text": "str", "tier": "str", "id": "str", "code": "str", "integer": "Int64", "number": "float64", "date": "datetime64[ns]"}


@dataclass
class StagedYear:
    year: int
    source_file: str
    source_sheet: str
    sha256: str
    layout: str
    raw_rows: int
    frame: pd.DataFrame
    change_log: pd.DataFrame
    quarantine: pd.DataFrame
    blank_rows: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    format: str = ""

    @property
    def quarantined_rows(self) -> int:
        """Rows that leave the year (errors); warnings about emptied values keep their row."""
        errors = self.quarantine[self.quarantine["severity"] == "error"] if len(self.quarantine) else self.quarantine
        return int(errors["source_row"].nunique()) if len(errors) else 0


def record_ids(year: int, source_rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The id of each source row, year and row number ("2024-0000123"), built by Arrow kernels
    (numpy's char functions held the GIL for 0.7 s at a million rows)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(source_rows, dtype=np.int64)), pa.large_string()), 7, "0")
    ids = pc.binary_join_element_wise(pa.scalar(f"{year}-", pa.large_string()), digits, pa.scalar("", pa.large_string()))
    return clean.to_str(ids, pd.RangeIndex(len(ids))).array


def check_year(raw: RawTable, year: int) -> None:
    """A title such as "2023년 기업실태조사" over the header must agree with the file's year."""
    years = {int(y) for line in raw.above_header for y in re.findall(r"(?<!\d)(20\d\d)\s*년", line)}
    if years and year not in years:
        raise DeliveryError(
            raw.path.name,
            f"파일 이름의 연도({year})와 제목의 연도({', '.join(map(str, sorted(years)))})가 다릅니다",
            f"the file name says {year} but its title says {', '.join(map(str, sorted(years)))}",
        )


def stage(raw: RawTable, year: int, ksic_revision: int, columns: Path) -> StagedYear:
    """`columns`: the canonical column catalogue (settings.columns_path)."""
    check_year(raw, year)
    cells = raw.cells
    n = len(cells)
    rows = raw.source_rows
    ids = record_ids(year, rows)
    catalogue = canonical_columns(columns)
    spellings = tier_spellings(columns)
    units = {c.canonical: c.unit for c in raw.layout.columns}
    typed: dict[str, pd.Series] = {}
    logs: list[pd.DataFrame] = []
    emptied: list[pd.DataFrame] = []  # warnings about values that could not be represented

    def cleaned(name: str):
        if name not in cells.columns:
            return pd.Series([None] * n, dtype=object), []
        return clean.on_distinct_values(cells[name].reset_index(drop=True), cleaner_for(catalogue[name].type, spellings))

    # Columns are independent and the cleaners spend their time in Arrow kernels that release
    # the GIL: two at a time use both cores. Results are taken in catalogue order.
    with parallel.pool() as pool:
        results = dict(zip(catalogue, pool.map(cleaned, catalogue), strict=True))

    for name, col in catalogue.items():
        out, changes = results.pop(name)
        if name not in cells.columns:
            typed[name] = out
            continue
        if col.type == "number":
            factor = MONEY_UNITS.get(units.get(name) or "mil_krw", 1.0) if name.endswith("_mil_krw") else 1.0
            if factor != 1.0:
                out = clean.scale(out, factor)
                # One entry for the whole column: every value was converted the same way.
                logs.append(pd.DataFrame([{
                    "census_year": year, "record_id": None, "source_row": None, "column": name,
                    "old_value": f"{units[name]}", "new_value": "mil_krw", "rule": f"unit:{units[name]}->mil_krw",
                }]))
        typed[name] = out.reset_index(drop=True)
        for ch in changes:
            logs.append(pd.DataFrame({
                "census_year": year, "record_id": ids[ch.positions], "source_row": rows[ch.positions], "column": name,
                "old_value": _texts(ch.old), "new_value": _texts(ch.new), "rule": ch.rule,
            }))
            if ch.rule in clean.UNREPRESENTABLE:
                emptied.append(_value_warnings(raw, year, name, ch, ids, rows))

    frame = pd.DataFrame({
        "record_id": ids, "census_year": np.full(n, year, dtype="int64"), "ksic_revision": np.full(n, ksic_revision, dtype="int64"),
        "source_file": raw.path.name, "source_sheet": raw.sheet, "source_row": rows.astype("int64"),
    })
    for name, col in catalogue.items():
        frame[name] = _as_dtype(typed[name], col.type)

    quarantine = unparseable_rows(frame, raw, year)
    keep = ~frame["record_id"].isin(quarantine["record_id"])
    if emptied:
        quarantine = pd.concat([quarantine, *emptied], ignore_index=True)[QUARANTINE_COLUMNS]
    logs[:0] = merged_cell_changes(raw, year, ids)
    change_log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=CHANGE_LOG_COLUMNS)
    return StagedYear(
        year=year, source_file=raw.path.name, source_sheet=raw.sheet, sha256=raw.sha256, layout=raw.layout.name,
        raw_rows=n, frame=rows_where(frame, keep.to_numpy()), change_log=change_log[CHANGE_LOG_COLUMNS],
        quarantine=quarantine, blank_rows=raw.blank_rows, ignored_headers=raw.ignored_headers, format=raw.format,
    )


def merged_cell_changes(raw: RawTable, year: int, ids) -> list[pd.DataFrame]:
    """Change-log entries ('merged:filled') for the cells of a merged range that the reader
    filled from the range's top-left cell, in data rows and mapped columns: the delivery left
    them empty, the merge says what they hold (pipeline.read.xlsx_extras). The old value names
    the range. One frame per column, however many ranges (deliveries merge thousands)."""
    if raw.format != "xlsx":
        return []
    ranges = [r for r in xlsx_extras.merged_ranges(raw.path, raw.sheet) if r.last_row > r.first_row]  # as the reader fills
    if not ranges:
        return []
    rows = np.asarray(raw.source_rows, dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    filled: dict[str, list[tuple[np.ndarray, str]]] = {}
    for r in ranges:
        lo, hi = np.searchsorted(sorted_rows, [r.first_row, r.last_row + 1])
        positions = order[lo:hi]
        for column in range(r.first_column, r.last_column + 1):
            name = raw.match.mapping.get(column - 1)
            if name is None or name not in raw.cells.columns:
                continue
            # The top-left cell held the value already; only the cells filled from it changed.
            cells = positions[rows[positions] != r.first_row] if column == r.first_column else positions
            if len(cells):
                filled.setdefault(name, []).append((cells, r.ref))
    out = []
    for name, parts in filled.items():
        positions = np.concatenate([p for p, _ in parts])
        refs = np.repeat([ref for _, ref in parts], [len(p) for p, _ in parts])
        values = raw.cells[name].reset_index(drop=True).iloc[positions]
        has_value = values.notna().to_numpy()
        positions, refs = positions[has_value], refs[has_value]
        out.append(pd.DataFrame({
            "census_year": year, "record_id": ids[positions], "source_row": rows[positions], "column": name,
            "old_value": pd.array([f"병합 {ref} / merged {ref}" for ref in refs], dtype=clean.STR),
            "new_value": _texts(values[has_value].to_numpy(dtype=object)), "rule": "merged:filled",
        }).sort_values("source_row", kind="stable"))
    return out


def _value_warnings(raw: RawTable, year: int, column: str, ch: clean.Changes, ids, rows: np.ndarray) -> pd.DataFrame:
    """One warning per cell whose value was emptied because no column type can hold it: the row
    stays (validation passes staging's warnings on as flags), the analyst learns why it is empty."""
    ko, en = clean.UNREPRESENTABLE[ch.rule]
    return pd.DataFrame({
        "census_year": year, "source_file": raw.path.name, "source_sheet": raw.sheet,
        "source_row": rows[ch.positions].astype("int64"), "record_id": ids[ch.positions], "column": column,
        "rule": ch.rule, "raw_value": _texts(ch.old), "message_ko": ko, "message_en": en, "severity": "warning",
    })


def cleaner_for(kind: str, spellings: dict[str, str]):
    cleaners = {"text": clean.normalise_text, "id": clean.parse_identifier, "code": clean.parse_ksic,
                "integer": clean.parse_integer, "number": clean.parse_number, "date": clean.parse_date,
                "tier": lambda values: clean.parse_tier(values, spellings)}
    if kind not in cleaners:  # the catalogue is validated by tests; an unknown type is a programming error
        raise ValueError(f"unknown column type {kind}")
    return cleaners[kind]


def unparseable_rows(frame: pd.DataFrame, raw: RawTable, year: int) -> pd.DataFrame:
    """Rows that are not a firm: a total row (합계) and rows with neither a firm name nor a
    business number."""
    squeezed = pc.replace_substring_regex(clean.text_array(raw.first_cells.reset_index(drop=True)), r"[\s\pZ]+", "")
    skip = pa.array(sorted({"".join(s.split()) for s in raw.layout.skip_first_cell}), type=pa.large_string())
    totals = pc.fill_null(pc.is_in(squeezed, value_set=skip), False).to_numpy(zero_copy_only=False)
    no_id = (frame["firm_name"].isna() & frame["brn"].isna()).to_numpy() & ~totals
    parts = []
    for mask, column, rule, ko, en in (
        (totals, "firm_name", "total_row", "합계·소계 행은 기업이 아닙니다", "a total row is not a firm"),
        (no_id, "firm_name", "no_firm_identifier", "업체명과 사업자등록번호가 모두 없어 기업을 알 수 없습니다", "neither a firm name nor a business registration number"),
    ):
        if mask.any():
            raw_value = raw.first_cells.reset_index(drop=True)[mask] if rule == "total_row" else raw.cells["firm_name"].reset_index(drop=True)[mask]
            parts.append(pd.DataFrame({
                "census_year": year, "source_file": raw.path.name, "source_sheet": raw.sheet,
                "source_row": frame["source_row"].to_numpy()[mask], "record_id": frame["record_id"].to_numpy()[mask],
                "column": column, "rule": rule,
                "raw_value": [_text(v) for v in raw_value],
                "message_ko": ko, "message_en": en, "severity": "error",
            }))
    if not parts:
        return pd.DataFrame(columns=QUARANTINE_COLUMNS).astype({"source_row": "int64", "census_year": "int64"})
    return pd.concat(parts, ignore_index=True)[QUARANTINE_COLUMNS]


def _as_dtype(values: pd.Series, kind: str) -> pd.Series:
    dtype = PANDAS_DTYPES[kind]
    if dtype == "str":
        return values if values.dtype == clean.STR else values.astype(object).where(values.notna(), None).astype("str")
    if dtype == "datetime64[ns]":
        return pd.to_datetime(values, errors="coerce").astype("datetime64[ns]")
    if dtype == "float64":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    return values.astype(dtype) if str(values.dtype) == dtype else pd.to_numeric(values, errors="coerce").round().astype(dtype)


def _texts(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Old or new values of a change as text (most are text already: no per-value work then)."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return pd.array(values, dtype=clean.STR)
    return pd.array([_text(v) for v in values], dtype=clean.STR)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)
