"""What calamine leaves out of an xlsx sheet: merged ranges and error cells.

A contractor who merges 업종명, 산업단지명 or 협력단계 down a block of firms means that every firm
of the block has that value, but the file stores it only in the top-left cell, and calamine
reads the others as empty (one delivery lost 1,817 industry names that way). The ranges are
listed in <mergeCells> after the sheet's rows, so the sheet part is streamed to its end (ISA-L
inflate, no parsing: about 1.6 s for a million firms' 1.1 GB, run while calamine parses).
The same pass finds cells holding an error (#REF!, #DIV/0!, #N/A: `t="e"`), which calamine
also reads as empty; laid back as their text, they reach the cleaners and the change log
('number:unparseable' with the old value "#REF!") instead of vanishing.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.read.limits import column_number
from pipeline.read.xlsx_split import sheet_part
from pipeline.read.zip_member import InflatedMember, inflatable

BLOCK = 1 << 24
MERGE_CELLS = b"<mergeCells"
MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")
# The opening tag may carry a namespace prefix ("<x:mergeCells"): the search looks for the name.
TAIL = re.compile(rb"<(?:\w+:)?mergeCells\b.*?</(?:\w+:)?mergeCells>", re.S)


ERROR_MARK = b't="e"'
ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*\bt=\"e\"[^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)\s*)?"
                        rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>", re.S)
CELL_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
# Overlap between blocks: a cell element cut in two by a block boundary is still matched whole.
OVERLAP = 1 << 12


@dataclass(frozen=True)
class SheetExtras:
    merged: tuple[MergedRange, ...]
    # (Excel row, column 1-based, the error text such as "#REF!")
    errors: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class MergedRange:
    """1-based Excel rows and columns, inclusive; `ref` as the file writes it ("I5:I9")."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int
    ref: str


def sheet_extras(path: Path, sheet: str) -> SheetExtras:
    """The merged ranges and error cells of the sheet named `sheet` (none for a sheet that
    cannot be found: the reader reports a damaged workbook itself). Memoised per file version:
    the reader and the change log of staging both ask."""
    path = Path(path)
    stat = path.stat()
    return _sheet_extras(str(path.resolve()), sheet, stat.st_mtime_ns, stat.st_size)


def merged_ranges(path: Path, sheet: str) -> list[MergedRange]:
    return list(sheet_extras(path, sheet).merged)


@lru_cache(maxsize=8)
def _sheet_extras(path: str, sheet: str, _mtime_ns: int, _size: int) -> SheetExtras:
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet)
            if part is None or part not in zf.namelist():
                return SheetExtras((), ())
            info = zf.getinfo(part)
            with InflatedMember(path, info) if inflatable(info) else zf.open(part) as src:
                tail, errors = _scan(src)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return SheetExtras((), ())
    ranges = []
    for m in MERGE_CELL.finditer(tail):
        c1, r1, c2, r2 = column_number(m.group(1).decode()), int(m.group(2)), column_number(m.group(3).decode()), int(m.group(4))
        ranges.append(MergedRange(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2), m.group(0).split(b'"')[1].decode()))
    return SheetExtras(tuple(ranges), tuple(sorted(errors.values())))


def _scan(src) -> tuple[bytes, dict]:
    """(the bytes from "<mergeCells" to the end of the part, b"" when the sheet has none; the
    error cells by reference). Blocks overlap so that a tag cut between two is still found."""
    carry = b""
    found = None
    errors: dict[bytes, tuple[int, int, str]] = {}
    while block := src.read(BLOCK):
        data = carry + block
        if ERROR_MARK in data:
            for m in ERROR_CELL.finditer(data):
                ref = CELL_REF.search(m.group(1))
                if ref:
                    errors[ref.group(0)] = (int(ref.group(2)), column_number(ref.group(1).decode()), m.group(2).decode("utf-8", "replace"))
        if found is None:
            at = data.find(b"mergeCells")
            if at >= 0:
                found = data[max(0, at - 8):]
        else:
            found += block
        carry = data[-OVERLAP:]
    if found is None:
        return b"", errors
    m = TAIL.search(found)
    return (m.group(0) if m else found), errors


def fill_errors(grid: pd.DataFrame, errors: tuple[tuple[int, int, str], ...], first_row: int) -> pd.DataFrame:
    """`grid` (row 0 = Excel row `first_row`, column 0 = A; changed in place) with each error
    cell's text laid in, one rebuilt column per column that has any."""
    rows, cols = grid.shape
    by_column: dict[int, list[tuple[int, str]]] = {}
    for row, column, text in errors:
        if 0 <= row - first_row < rows and 0 <= column - 1 < cols:
            by_column.setdefault(column - 1, []).append((row - first_row, text))
    for c, cells in by_column.items():
        values = grid.iloc[:, c].astype(object).to_numpy(copy=True)
        for r, text in cells:
            if pd.isna(values[r]):
                values[r] = text
        grid.isetitem(c, pd.Series(values, index=grid.index, dtype=grid.dtypes.iloc[c]))
    return grid


def fill_merged(grid: pd.DataFrame, ranges: list[MergedRange], first_row: int) -> pd.DataFrame:
    """`grid` (row 0 = Excel row `first_row`, column 0 = column A; changed in place) with the
    value of each range's top-left cell copied into every cell of the range. Only ranges over
    more than one row: a merge within one row is a title or a note laid across columns (the
    sheet's title over the header, "휴업" across a firm's figures), not a value of each column.
    Each column is filled down in one take (a delivery may merge thousands of blocks)."""
    rows, cols = grid.shape
    source_rows: dict[int, np.ndarray] = {}  # column -> the grid row each row takes its value from
    for r in ranges:
        top, left = r.first_row - first_row, r.first_column - 1
        if r.last_row == r.first_row or not (0 <= top < rows and 0 <= left < cols):
            continue
        bottom, right = min(r.last_row - first_row, rows - 1), min(r.last_column - 1, cols - 1)
        for c in range(left, right + 1):
            if c != left:  # a block merged across columns too: its top row takes the top-left value
                grid.iat[top, c] = grid.iat[top, left]
            source_rows.setdefault(c, np.arange(rows))[top + 1: bottom + 1] = top
    for c, take in source_rows.items():
        grid.isetitem(c, grid.iloc[:, c].take(take).set_axis(grid.index))
    return grid
