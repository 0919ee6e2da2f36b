"""A large sheet is parsed in two halves on two cores; the halves must lay together exactly as
the whole sheet reads, or the reader must fall back to the whole read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import pyarrow as pa
import pytest

from census_sample import write_delivery
from pipeline.load import read_year_file
from pipeline.read import xlsx_split

pytestmark = pytest.mark.skipif(xlsx_split.usable_cores() < 2, reason="the halves are read only with two cores")


def whole_read(path: Path) -> pa.Table:
    batch = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string", eager=True)
    return pa.Table.from_batches([batch])


def assert_same_grid(halves: pa.Table | None, whole: pa.Table) -> None:
    assert halves is not None, "the sheet was not cut"
    assert halves.num_rows == whole.num_rows and halves.num_columns == whole.num_columns
    for i in range(whole.num_columns):
        assert halves.column(i).to_pylist() == whole.column(i).to_pylist(), f"column {i} differs"


@pytest.mark.parametrize("share", [0.2, 0.55, 0.9])
def test_a_delivery_cut_anywhere_reads_as_the_whole_sheet(tmp_path, monkeypatch, share):
    path = write_delivery(tmp_path / "2022.xlsx", n_firms=600, seed=3, year=2022)  # title row, two-row header
    monkeypatch.setattr(xlsx_split, "FIRST_SHARE", share)
    sheet = fastexcel.read_excel(str(path)).sheet_names[0]
    assert_same_grid(xlsx_split.read_sheet_in_halves(path, sheet, first_row=1, min_bytes=1), whole_read(path))


def _ragged_workbook(path: Path) -> Path:
    """Data starts at column B in the second half only, the first half ends in empty rows, and
    a row sticks out to the right: every way the halves could lay out differently."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "조사표"
    ws.append([None, None])
    ws.append(["연번", "업체명", "종업원수"])
    for i in range(1, 301):
        ws.append([i, f"업체{i}", i * 2])
    for _ in range(5):
        ws.append([])
    for i in range(301, 601):
        ws.append([None, f"업체{i}", i * 2])
    ws.cell(row=ws.max_row, column=6, value="비고")
    wb.save(path)
    return path


def _share_just_before(path: Path, marker: bytes) -> float:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    return (xml.index(marker) - 1) / len(xml)


def test_halves_keep_columns_and_empty_rows_in_place(tmp_path, monkeypatch):
    path = _ragged_workbook(tmp_path / "ragged.xlsx")
    whole = whole_read(path)
    # Cut in the first block, in the second, and right after the empty rows (rows 303-307).
    for share in (0.3, 0.7, _share_just_before(path, b'<row r="308"')):
        monkeypatch.setattr(xlsx_split, "FIRST_SHARE", share)
        assert_same_grid(xlsx_split.read_sheet_in_halves(path, "조사표", first_row=2, min_bytes=1), whole)


def test_small_sheet_or_sheet_without_numbers_is_read_whole(tmp_path):
    path = write_delivery(tmp_path / "2024.xlsx", n_firms=200, seed=3, year=2024)
    sheet = fastexcel.read_excel(str(path)).sheet_names[0]
    assert xlsx_split.read_sheet_in_halves(path, sheet, first_row=1, min_bytes=10**9) is None
    wb = openpyxl.Workbook()
    for i in range(500):
        wb.active.append([f"텍스트{i}", "값"])
    wb.save(tmp_path / "text.xlsx")
    # No row with a number to start the second half on: no cut is certain, so none is made.
    assert xlsx_split.read_sheet_in_halves(tmp_path / "text.xlsx", "Sheet", first_row=1, min_bytes=1) is None


def test_a_year_loaded_from_halves_equals_the_year_loaded_whole(project, tmp_path, monkeypatch):
    path = write_delivery(tmp_path / "2022_census.xlsx", n_firms=800, seed=5, year=2022)
    whole = read_year_file(path, project.with_section("load", parallel_read_min_mb=0))
    project = project.with_section("load", parallel_read_min_mb=1e-6)  # every sheet is "large"
    # The load falls back to the whole read when no cut is made: make sure one was.
    results = []
    reader = xlsx_split.read_sheet_in_halves
    monkeypatch.setattr(xlsx_split, "read_sheet_in_halves", lambda *a, **k: results.append(reader(*a, **k)) or results[-1])
    halves = read_year_file(path, project)
    assert len(results) == 1 and results[0] is not None
    assert halves.header_row_numbers == whole.header_row_numbers
    assert list(halves.source_rows) == list(whole.source_rows)
    assert halves.blank_rows == whole.blank_rows
    assert halves.cells.equals(whole.cells)
    assert halves.first_cells.equals(whole.first_cells)


def test_halves_are_written_in_memory_only_when_it_has_room(tmp_path):
    # tmp_path stands for the shared-memory folder; its disk has far more than a small sheet needs.
    assert xlsx_split.scratch_dir(10 << 20, memory_dir=tmp_path) == str(tmp_path)
    assert xlsx_split.scratch_dir(1 << 50, memory_dir=tmp_path) is None  # a petabyte sheet: the system's temp folder
    assert xlsx_split.scratch_dir(10 << 20, memory_dir=tmp_path / "absent") is None


def test_halves_written_in_memory_read_as_the_whole_sheet(tmp_path, monkeypatch):
    scratch = tmp_path / "memory"
    scratch.mkdir()
    used = []
    real = xlsx_split.scratch_dir
    monkeypatch.setattr(xlsx_split, "scratch_dir", lambda size: used.append(real(size, scratch)) or used[-1])
    read_from = []
    read_half = xlsx_split._read_half
    monkeypatch.setattr(xlsx_split, "_read_half", lambda half: read_from.append(half.parent.parent) or read_half(half))
    path = write_delivery(tmp_path / "2024.xlsx", n_firms=300, seed=5, year=2024)
    sheet = fastexcel.read_excel(str(path)).sheet_names[0]
    assert_same_grid(xlsx_split.read_sheet_in_halves(path, sheet, first_row=1, min_bytes=1), whole_read(path))
    assert used == [str(scratch)]
    assert read_from == [scratch, scratch]  # both halves were written there and read from there
    assert list(scratch.iterdir()) == []  # the halves are gone once read


def test_a_sheet_whose_bytes_do_not_match_its_crc_is_not_cut(tmp_path):
    path = write_delivery(tmp_path / "2022.xlsx", n_firms=600, seed=3, year=2022)
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("xl/worksheets/"))
        sheet = fastexcel.read_excel(str(path)).sheet_names[0]
    # Change the CRC the central directory records for the sheet part: its bytes no longer match.
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry; then one by one
    while data[entry + 46:entry + 46 + int.from_bytes(data[entry + 28:entry + 30], "little")].decode() != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 16] ^= 0xFF
    path.write_bytes(bytes(data))
    assert xlsx_split.read_sheet_in_halves(path, sheet, first_row=1, min_bytes=1) is None
