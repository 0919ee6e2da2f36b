"""Merged cells of an xlsx sheet.

A contractor who merges 업종명, 산업단지명 or 협력단계 down a block of firms means that every firm
of the block has that value, but the file stores it only in the top-left cell, and calamine
reads the others as empty (one delivery lost 1,817 industry names that way). The ranges are
listed in <mergeCells> after the sheet's rows, so the sheet part is streamed to its end (ISA-L
inflate, no parsing: about 1.6 s for a million firms' 1.1 GB, run while calamine parses).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.read.limits import column_number
from pipeline.read.xlsx_split import sheet_part
from pipeline.read.zip_member import InflatedMember, inflatable

BLOCK = 1 << 24
MERGE_CELLS = b"<mergeCells"
MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")
# The opening tag may carry a namespace prefix ("<x:mergeCells"): the search looks for the name.
TAIL = re.compile(rb"<(?:\w+:)?mergeCells\b.*?</(?:\w+:)?mergeCells>", re.S)


@dataclass(frozen=True)
class MergedRange:
    """1-based Excel rows and columns, inclusive; `ref` as the file writes it ("I5:I9")."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int
    ref: str


def merged_ranges(path: Path, sheet: str) -> list[MergedRange]:
    """The merged ranges of the sheet named `sheet` (none for a sheet that cannot be found: the
    reader reports a damaged workbook itself). Memoised per file version: the reader and the
    change log of staging both ask."""
    path = Path(path)
    stat = path.stat()
    return list(_merged_ranges(str(path.resolve()), sheet, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _merged_ranges(path: str, sheet: str, _mtime_ns: int, _size: int) -> tuple[MergedRange, ...]:
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet)
            if part is None or part not in zf.namelist():
                return ()
            info = zf.getinfo(part)
            with InflatedMember(path, info) if inflatable(info) else zf.open(part) as src:
                tail = _merge_section(src)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ()
    ranges = []
    for m in MERGE_CELL.finditer(tail):
        c1, r1, c2, r2 = column_number(m.group(1).decode()), int(m.group(2)), column_number(m.group(3).decode()), int(m.group(4))
        ranges.append(MergedRange(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2), m.group(0).split(b'"')[1].decode()))
    return tuple(ranges)


def _merge_section(src) -> bytes:
    """The bytes from "<mergeCells" to the end of the part (b"" when the sheet has none). Blocks
    overlap by the tag's length so a tag cut between two blocks is still found."""
    carry = b""
    found = None
    while block := src.read(BLOCK):
        data = carry + block
        if found is None:
            at = data.find(b"mergeCells")
            if at >= 0:
                found = data[max(0, at - 8):]
            else:
                carry = data[-len(MERGE_CELLS):]
        else:
            found += block
    if found is None:
        return b""
    m = TAIL.search(found)
    return m.group(0) if m else found


def fill_merged(grid: pd.DataFrame, ranges: list[MergedRange], first_row: int) -> pd.DataFrame:
    """`grid` (row 0 = Excel row `first_row`, column 0 = column A) with the value of each range's
    top-left cell copied into every cell of the range."""
    if not ranges:
        return grid
    grid = grid.copy()
    rows, cols = grid.shape
    for r in ranges:
        top, left = r.first_row - first_row, r.first_column - 1
        if not (0 <= top < rows and 0 <= left < cols):
            continue
        value = grid.iat[top, left]
        bottom, right = min(r.last_row - first_row, rows - 1), min(r.last_column - 1, cols - 1)
        for c in range(left, right + 1):
            grid.iloc[top: bottom + 1, c] = value
    return grid
