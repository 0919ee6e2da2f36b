"""What the delivered files look like: the per-year quirks a reader has to cope with."""

import re
from datetime import datetime

import openpyxl
import pytest

from census_sample import sample_command, write_delivery

from .conftest import read_cells


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return sample_command(800, 21, tmp_path_factory.mktemp("sample"))


def test_cli_hook_writes_one_file_per_year_named_by_year(files):
    assert {y: p.name for y, p in files.items()} == {
        2022: "2022_시흥_기업실태조사.xlsx", 2023: "2023_시흥_기업실태조사.csv", 2024: "2024_시흥_기업실태조사.xlsx"}
    with pytest.raises(ValueError):
        sample_command(0, 1, files[2022].parent)


def test_single_year_delivery_equals_the_same_year_of_the_sample(files, tmp_path):
    path = write_delivery(tmp_path / "one_2024.xlsx", 800, 21, 2024)
    assert read_cells(path) == read_cells(files[2024])


def test_2022_has_title_two_row_merged_header_and_thousand_won(files):
    wb = openpyxl.load_workbook(files[2022])
    ws = wb.worksheets[0]
    assert ws["A1"].value == "2022년 시흥시 기업실태조사 결과"
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 종업원수(명) over 남/여/외국인/계/정규직 (columns M-Q), 업체명 over two rows.
    assert "M3:Q3" in merged and ws["M3"].value == "종업원수(명)"
    assert [ws.cell(4, c).value for c in range(13, 18)] == ["남", "여", "외국인", "계", "정규직"]
    assert "B3:B4" in merged and ws["B3"].value == "업체명"
    headers = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert "매출액(천원)" in headers
    # 애로사항 over 해당 항목 / 기타 의견; the directory columns are single cells over two rows.
    col = headers.index("애로사항") + 1
    assert [ws.cell(4, c).value for c in (col, col + 1)] == ["해당 항목", "기타 의견"]
    assert {"영문업체명", "공개동의", "공개 연락처"} <= set(headers)
    dates = [ws.cell(r, headers.index("설립일") + 1).value for r in range(5, ws.max_row)]
    assert any(isinstance(d, datetime) for d in dates) and any(isinstance(d, str) and re.fullmatch(r"\d{4}\.\d\d\.\d\d", d) for d in dates)
    brns = [ws.cell(r, headers.index("사업자등록번호") + 1).value for r in range(5, ws.max_row)]
    assert any(isinstance(b, int) for b in brns) and any(isinstance(b, str) and " " in b for b in brns)
    assert ws.cell(ws.max_row, 1).value == "합계"
    assert any(all(ws.cell(r, c).value is None for c in range(1, 5)) for r in range(5, ws.max_row))  # blank rows


def test_2023_csv_is_cp949_with_text_numbers_and_mixed_dates(files):
    raw = files[2023].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    cells = read_cells(files[2023])
    header = cells[0]
    assert "상시종업원수" in header and "매출액(백만원)" in header
    col = header.index("설립일자")
    dates = [r[col] for r in cells[1:-1] if r and r[col]]
    assert any(re.fullmatch(r"\d{4}\.\d\d\.\d\d", d) for d in dates)
    assert any(re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", d) for d in dates)
    assert any(re.fullmatch(r"\d{8}", d) for d in dates)
    revenue = [r[header.index("매출액(백만원)")] for r in cells[1:-1] if r and r[1]]
    assert any("," in v for v in revenue if v)
    text = raw.decode("cp949")
    assert re.search("[\uff10-\uff19]", text) and re.search("[\uff21-\uff3a]|（", text)  # full-width


def test_2024_uses_ksic11_serial_dates_and_new_columns(files):
    cells = read_cells(files[2024])
    header = cells[1]
    assert {"이메일", "비고", "자산총액(백만원)"} <= set(header) and "법인등록번호" not in header
    col = header.index("설립연월일")
    serials = [r[col] for r in cells[2:-1] if r and isinstance(r[col], int | float)]
    assert serials and 10000 < min(serials) and max(serials) < 50000
    codes = [str(r[header.index("표준산업분류코드(11차)")]) for r in cells[2:-1] if r]
    # 금형 under its 11th-revision code; 29294 only in the rare rows that kept the old code.
    assert codes.count("29293") > 10 * codes.count("29294")
