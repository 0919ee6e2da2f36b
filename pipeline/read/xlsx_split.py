"""Reading one large xlsx sheet on two cores.

calamine parses a worksheet's XML on one core, and that parse is most of a large load's first
step (about 20 s for a million firms). The sheet part is cut in two at a row boundary into two
small uncompressed workbooks (in shared memory when it has room), and each half is parsed by
fastexcel in its own thread (the parse releases the GIL). The halves are then laid together
exactly as one whole-sheet read lays them out: rows from the sheet's first non-empty row,
columns from its leftmost non-empty column.

Only a cut that keeps that layout certain is made: the second half starts at a row that has an
`r` number and a numeric cell (so calamine starts that half at exactly that row), and the
column positions come from fastexcel's absolute column indices. Anything unexpected (no
`<sheetData>`, no such row near the middle, a reader error) returns None and the caller reads
the sheet whole, as before.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import fastexcel
import pyarrow as pa

from pipeline import parallel
from pipeline.read.zip_member import InflatedMember, inflatable

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 1 << 24
# The first half is a little longer: it starts parsing while the second half is still being cut.
FIRST_SHARE = 0.52
# How far past the middle a row that can start the second half is looked for.
SEARCH_BYTES = 8 << 20
ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*>(.*?)</(?:\w+:)?row>", re.S)
# A cell without a type attribute (or t="n") holding a value is a number: calamine always keeps it.
NUMERIC_CELL = re.compile(rb"<(?:\w+:)?c\b(?![^>]*\bt=\"(?!n\")[^\"]*\")[^>]*>\s*(?:<(?:\w+:)?f\b[^>]*(?:/>|>.*?</(?:\w+:)?f>)\s*)?<(?:\w+:)?v>[^<]+<", re.S)
SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
ROOT = re.compile(rb"<((?:\w+:)?worksheet)\b")
SHARED_MEMORY = Path("/dev/shm")
FIRST_COLUMN_KEY = b"census:first_column"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def scratch_dir(sheet_bytes: int, memory_dir: Path = SHARED_MEMORY) -> str | None:
    """Where the halves are written: the shared-memory folder when it holds twice the sheet
    with room to spare, else the system's temporary folder (None). On disk, writing a million
    firms' halves (1.1 GB) took 2 to 3 s longer than in memory, and the reads wait for it."""
    try:
        free = shutil.disk_usage(memory_dir).free
    except OSError:
        return None
    return str(memory_dir) if free >= 2 * sheet_bytes + (256 << 20) and os.access(memory_dir, os.W_OK) else None


def sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member that holds the sheet named `sheet`, from workbook.xml and its rels."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{NS_PKG}Relationship")}
    for s in book.iter(f"{NS_MAIN}sheet"):
        if s.get("name") == sheet:
            target = targets.get(s.get(f"{NS_REL}id"))
            if not target:
                return None
            return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return None


def read_sheet_in_halves(path: Path, sheet: str, first_row: int, min_bytes: int,
                         while_parsing: Callable[[], None] = lambda: None) -> pa.Table | None:
    """The sheet as a table of strings laid out as fastexcel reads it whole, or None when the
    sheet is smaller than `min_bytes` uncompressed, only one core is usable, or no safe cut
    is found. `first_row` is the Excel number of the sheet's first non-empty row.
    `while_parsing` is called once both halves are cut and parsing."""
    if usable_cores() < 2:
        return None
    try:
        return _read_in_halves(path, sheet, first_row, min_bytes, while_parsing)
    except Exception:  # noqa: BLE001 - a damaged workbook: the whole-sheet read reports the real problem
        return None


def _read_in_halves(path: Path, sheet: str, first_row: int, min_bytes: int, while_parsing: Callable[[], None]) -> pa.Table | None:
    with zipfile.ZipFile(path) as zf:
        part = sheet_part(zf, sheet)
        if part is None or part not in zf.namelist():
            return None
        size = zf.getinfo(part).file_size
        if size < min_bytes:
            return None
        with tempfile.TemporaryDirectory(prefix="census-read-", dir=scratch_dir(size)) as tmp, parallel.pool() as pool:
            halves = _cut(zf, part, size, Path(tmp), pool)
            if halves is None:
                return None
            first, second_path, cut_row = halves
            second = pool.submit(_read_half, second_path)
            while_parsing()
            second = second.result()
            first = first.result()
    # calamine drops the empty rows at the end of the first half; the whole read keeps them.
    missing = cut_row - first_row - first[1].num_rows
    if missing < 0:
        return None
    return _lay_together(first, second, pad_first=missing)


def _cut(zf: zipfile.ZipFile, part: str, size: int, tmp: Path, pool: ThreadPoolExecutor):
    """Writes the first half and starts its read, then writes the second half. Returns
    (future of the first half's read, path of the second half, first row number of the second
    half) or None."""
    others = [(info, zf.read(info.filename)) for info in zf.infolist() if info.filename != part]
    info = zf.getinfo(part)
    with InflatedMember(zf.filename, info) if inflatable(info) else zf.open(part) as src:
        opening = _read_opening(src)
        if opening is None:
            return None
        head, rest, closing = opening
        first_path, second_path = tmp / "first.xlsx", tmp / "second.xlsx"
        with _HalfWorkbook(first_path, part, others) as out:
            out.write(head)
            found = _copy_to_cut(src, out, rest, int(size * FIRST_SHARE) - len(head))
            if found is None:
                return None
            pending, cut = found
            out.write(pending[:cut])
            out.write(closing)
        future = pool.submit(_read_half, first_path)
        with _HalfWorkbook(second_path, part, others) as out:
            out.write(head)
            out.write(pending[cut:])
            while block := src.read(CHUNK):
                out.write(block)
    return future, second_path, int(ROW.match(pending, cut).group(1))


def _read_opening(src) -> tuple[bytes, bytes, bytes] | None:
    """(everything up to and including the <sheetData> tag, what was read after it, the tags
    that close a half), or None for a sheet without rows or without that structure."""
    data = b""
    while len(data) < SEARCH_BYTES:
        block = src.read(1 << 16)
        if not block:
            return None
        data += block
        sheet_data = SHEET_DATA.search(data)
        if sheet_data:
            root = ROOT.search(data, 0, sheet_data.start())
            if sheet_data.group(2) or root is None:  # <sheetData/>: an empty sheet
                return None
            closing = b"</" + (sheet_data.group(1) or b"") + b"sheetData></" + root.group(1) + b">"
            return data[: sheet_data.end()], data[sheet_data.end():], closing
    return None


def _copy_to_cut(src, out, pending: bytes, target: int) -> tuple[bytes, int] | None:
    """Copies the sheet from `src` to `out` up to about `target` bytes, then reads on to the
    first row that can begin the second half. Returns (the bytes read but not yet written, the
    offset of that row in them), or None when there is no such row."""
    while len(pending) < target:
        block = src.read(CHUNK)
        if not block:
            return None  # smaller than it said: not worth cutting
        out.write(pending)
        target -= len(pending)
        pending = block
    while (cut := _cut_point(pending, max(0, target))) is None:
        block = src.read(CHUNK)
        if not block or len(pending) > SEARCH_BYTES + CHUNK:
            return None
        pending += block
    return pending, cut


def _cut_point(buf: bytes, start: int) -> int | None:
    """Offset of the first row at or after `start` that can begin the second half."""
    for m in ROW.finditer(buf, start):
        if NUMERIC_CELL.search(m.group(2)):
            return m.start()
    return None


class _HalfWorkbook:
    """A workbook with the original parts (stored, not compressed: the point is speed) and the
    sheet part written as it comes."""

    def __init__(self, path: Path, part: str, others: list[tuple[zipfile.ZipInfo, bytes]]):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
        for info, data in others:
            self.zip.writestr(info.filename, data)
        self.sheet = self.zip.open(zipfile.ZipInfo(part), "w", force_zip64=True)

    def __enter__(self):
        return self.sheet

    def __exit__(self, *exc):
        self.sheet.close()
        self.zip.close()
        return False


def _read_half(path: Path) -> tuple[list[int], pa.RecordBatch]:
    columns: list[int] = []

    def keep(column) -> bool:
        columns.append(column.absolute_index)
        return True

    batch = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string", eager=True, use_columns=keep)
    return columns, batch


def _lay_together(first: tuple[list[int], pa.RecordBatch], second: tuple[list[int], pa.RecordBatch], pad_first: int) -> pa.Table:
    """Stack the halves, each column at its absolute position from the leftmost one, with
    `pad_first` empty rows after the first half."""
    lo = min(min(cols) for cols, _ in (first, second) if cols)
    hi = max(max(cols) for cols, _ in (first, second) if cols)
    names = [f"c{i}" for i in range(hi - lo + 1)]

    def laid_out(cols: list[int], columns: list[pa.Array], rows: int) -> pa.Table:
        by_position = dict(zip(cols, columns, strict=True))
        arrays = [by_position.get(lo + i, pa.nulls(rows, pa.string())).cast(pa.string()) for i in range(len(names))]
        return pa.Table.from_arrays(arrays, names=names)

    (first_cols, first_batch), (second_cols, second_batch) = first, second
    table = pa.concat_tables([laid_out(first_cols, first_batch.columns, first_batch.num_rows), laid_out([], [], pad_first),
                              laid_out(second_cols, second_batch.columns, second_batch.num_rows)])
    # Which sheet column the first grid column is (0 = A): the caller lays the grid out from A.
    return table.replace_schema_metadata({FIRST_COLUMN_KEY: str(lo)})
