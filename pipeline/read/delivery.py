"""One delivered census file -> the rows under its header, mapped to canonical columns, as text."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean import null_where, put_at, text_array, to_str
from pipeline.frames import rows_where
from pipeline.layout_rules import layout_cells
from pipeline.read import excel, text
from pipeline.read.errors import DeliveryError
from pipeline.read.formats import sniff_format
from pipeline.read.header import choose_header
from pipeline.read.limits import DEFAULT_LIMITS, ReadLimits

if TYPE_CHECKING:  # pipeline.layouts imports pipeline.read.errors (a LayoutError is a DeliveryError)
    from pipeline.layouts import Layout, LayoutMatch

__all__ = ["DeliveryError", "Probe", "RawTable", "file_sha256", "likely_header", "probe_delivery", "read_delivery"]


@dataclass
class RawTable:
    path: Path
    format: str
    sheet: str
    sha256: str
    match: LayoutMatch
    headers: list[str]
    header_row_numbers: list[int]
    # Data rows under the header, blank rows removed; columns are canonical names, values text.
    cells: pd.DataFrame
    source_rows: np.ndarray  # 1-based row number of each data row as Excel (or a text editor) shows it
    blank_rows: int
    above_header: list[str]  # text of the title rows, e.g. "2022년 시흥시 기업실태조사"
    # The first non-empty cell of each data row over all columns, mapped or not: a total row
    # often says 합계 in a column no layout maps (연번).
    first_cells: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    encoding: str | None = None
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def layout(self) -> Layout:
        return self.match.layout


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Probe:
    """The first rows of every sheet of a delivery, before any layout is chosen."""

    format: str
    encoding: str | None
    sheets: list[list[list[str | None]]]  # per sheet, the first rows as text (None for empty)
    sheet_names: list[str]
    row_numbers: list[list[int]]  # per sheet, the row number of each probed row as the user sees it
    xlsx: list = field(default_factory=list)  # excel.SheetProbe per sheet (xlsx only)
    grids: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # whole sheets (other formats)


def probe_delivery(path: Path, scan_rows: int = 30, limits: ReadLimits = DEFAULT_LIMITS) -> Probe:
    """The first `scan_rows` rows of each sheet, or a DeliveryError saying why there are none.
    `limits`: the ceilings on inflated size and cells checked before anything is parsed."""
    path = Path(path)
    if not path.is_file():
        raise DeliveryError(path.name, "파일이 없습니다", "file not found")
    fmt = sniff_format(path)
    if fmt == "empty":
        raise DeliveryError(path.name, "빈 파일입니다", "the file is empty")
    if fmt == "encrypted":
        raise DeliveryError(path.name, "암호가 걸린 파일입니다. 암호를 해제해 다시 저장해 주세요", "the workbook is password-protected; save it without a password")
    if fmt == "xlsx":
        probes = excel.probe_xlsx(path, scan_rows, limits)
        probe = Probe(fmt, None, [p.rows for p in probes], [p.name for p in probes], [p.row_numbers for p in probes], xlsx=probes)
    else:
        encoding = None
        if fmt == "xls":
            grids = excel.xls_sheets(path, limits)
        elif fmt == "html":
            grids = [("html", text.html_grid(path, limits))]
        else:
            grid, encoding = text.csv_grid(path, limits)
            grids = [("csv", grid)]
        sheets = [_grid_rows(g.head(scan_rows)) for _, g in grids]
        probe = Probe(fmt, encoding, sheets, [name for name, _ in grids], [list(range(1, len(r) + 1)) for r in sheets], grids=grids)
    if not any(probe.sheets):
        raise DeliveryError(path.name, "읽을 수 있는 시트가 없습니다", "no readable sheet")
    return probe


def read_delivery(path: Path, layouts: list[Layout], scan_rows: int = 30, min_match: float = 0.6,
                  split_min_bytes: int | None = None, while_parsing: Callable[[], None] | None = None,
                  limits: ReadLimits = DEFAULT_LIMITS) -> RawTable:
    """`while_parsing` is called once the sheet's parse in Rust is under way (a core and the GIL
    are free for other work then)."""
    path = Path(path)
    probed = probe_delivery(path, scan_rows, limits)
    fmt, encoding, sheets, probes, grids = probed.format, probed.encoding, probed.sheets, probed.xlsx, probed.grids
    choice = choose_header(sheets, layouts)
    if choice is None or choice.match.score < min_match:
        raise no_layout_error(path, probed, choice)
    match = choice.match
    missing_required = sorted(match.layout.required - set(match.mapping.values()))
    if missing_required:
        raise DeliveryError(path.name, f"필수 열이 없습니다: {', '.join(missing_required)} (양식 '{match.layout.name}')", f"required columns missing: {', '.join(missing_required)} (layout '{match.layout.name}')")

    header_end = choice.first_row + choice.depth  # probe index of the first row after the header
    if fmt == "xlsx":
        probe = probes[choice.sheet]
        sheet_name = probe.name
        grid, first_row_number = excel.load_xlsx_sheet(path, sheet_name, probe, split_min_bytes, while_parsing)
        header_row_numbers = probe.row_numbers[choice.first_row: header_end]
        start = header_row_numbers[-1] + 1 - first_row_number  # grid index of the first data row
        above = [" ".join(v for v in r if v) for r in probe.rows[: choice.first_row]]
    else:
        sheet_name, grid = grids[choice.sheet]
        first_row_number = 1
        header_row_numbers = [i + 1 for i in range(choice.first_row, header_end)]
        start = header_end
        above = [" ".join(v for v in r if v) for r in sheets[choice.sheet][: choice.first_row]]

    body = grid.iloc[start:]
    cells = layout_cells(body, match)
    source_rows = np.arange(start, start + len(body)) + first_row_number
    first = _first_cells(body)
    non_blank = first.is_valid().to_numpy(zero_copy_only=False)
    cells = rows_where(cells, non_blank)
    first_cells = to_str(first.filter(pa.array(non_blank)), pd.RangeIndex(int(non_blank.sum())))
    return RawTable(
        path=path,
        format=fmt,
        sheet=str(sheet_name),
        sha256=file_sha256(path),
        match=match,
        headers=choice.headers,
        header_row_numbers=list(header_row_numbers),
        cells=cells,
        source_rows=source_rows[non_blank],
        blank_rows=int((~non_blank).sum()),
        first_cells=first_cells,
        above_header=[a for a in above if a],
        encoding=encoding,
        ignored_headers=[h for i, h in enumerate(choice.headers) if h and i not in match.mapping],
    )


def no_layout_error(path: Path, probed: Probe, choice) -> DeliveryError:
    """What the analyst needs when no layout fits: the headers the file has (where, in which
    format and encoding) and how to start a layout for them, not the closest layout's names."""
    if choice is not None:
        sheet, row, headers = choice.sheet, choice.first_row, choice.headers
        closest_ko = f" 가장 가까운 양식 '{choice.match.layout.name}'은 {choice.match.score:.0%}만 맞습니다."
        closest_en = f" The closest layout, '{choice.match.layout.name}', matches {choice.match.score:.0%}."
    else:
        sheet, row = likely_header(probed.sheets)
        headers, closest_ko, closest_en = [v or "" for v in probed.sheets[sheet][row]], "", ""
    number = probed.row_numbers[sheet][row]
    one_table = probed.format in ("csv", "html")
    where_ko = f"{number}행" if one_table else f"시트 {probed.sheet_names[sheet]} {number}행"
    where_en = f"row {number}" if one_table else f"sheet {probed.sheet_names[sheet]}, row {number}"
    found = ", ".join(h for h in headers if h) or "-"
    how = f"census layout new {path.name}"
    form = f"{probed.format}{', ' + probed.encoding if probed.encoding else ''}"
    return DeliveryError(
        path.name,
        f"아는 양식(config/layouts)에 맞지 않습니다.{closest_ko} 파일의 머리글 ({form}, {where_ko}): {found}. "
        f"새 양식은 '{how}'로 초안을 만들고 확인해 config/layouts/에 두세요",
        f"no known layout (config/layouts) fits.{closest_en} Headers in the file ({form}, {where_en}): {found}. "
        f"Start a layout with '{how}', check it and keep it in config/layouts/",
    )


def likely_header(sheets: list[list[list[str | None]]]) -> tuple[int, int]:
    """(sheet, row) of the row with the most filled cells among the probed rows: the header of a
    table nearly always is (title rows above it have one cell)."""
    best = (0, 0, -1)
    for s, rows in enumerate(sheets):
        for i, row in enumerate(rows):
            filled = sum(v is not None for v in row)
            if filled > best[2]:
                best = (s, i, filled)
    return best[0], best[1]


def _grid_rows(grid: pd.DataFrame) -> list[list[str | None]]:
    return [[None if (v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()) else str(v) for v in row] for row in grid.itertuples(index=False)]


def _first_cells(body: pd.DataFrame) -> pa.Array:
    """The first cell of each row that holds more than white space, over every column (mapped
    or not); null for a blank row. Nearly every row has its first column filled, so only the
    rows where it is empty or white space are looked up across the other columns: joining
    every column of a million rows into one array took 1.5 s."""
    if body.shape[1] == 0:
        return pa.nulls(len(body), pa.large_string())
    first = text_array(body.iloc[:, 0])
    doubtful = np.flatnonzero(_blank(first).to_numpy(zero_copy_only=False))
    if not len(doubtful):
        return first
    take = pa.array(doubtful, type=pa.int64())
    cells = [first.take(take)] + [pa.array(body.iloc[:, i], from_pandas=True).take(take) for i in range(1, body.shape[1])]
    return put_at(first, doubtful, pc.coalesce(*[null_where(_blank(c), c).cast(first.type) for c in cells]))


def _blank(cells) -> pa.Array:
    """True where a cell is missing or only white space."""
    return pc.fill_null(pc.equal(pc.utf8_trim_whitespace(cells), ""), True)
