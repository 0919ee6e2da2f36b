"""Reading deliveries as contractors send them: title rows, two-row headers, CP949 CSV,
HTML saved as .xls, legacy .xls, and files that cannot be read."""

from __future__ import annotations

import io
import struct
import zipfile

import msoffcrypto
import pandas as pd
import pytest
import xlwt

from census_sample import write_delivery
from pipeline.load import read_year_file, stage_year_file
from pipeline.read import DeliveryError
from tests.load.fixtures import TEST_LAYOUT, write_csv, write_titled_xlsx


@pytest.fixture
def settings(project):
    (project.config_dir / "layouts" / "test_contractor.yaml").write_text(TEST_LAYOUT, encoding="utf-8")
    return project


def test_titled_two_row_header_is_found_and_rows_keep_their_excel_numbers(settings, tmp_path):
    raw = read_year_file(write_titled_xlsx(tmp_path / "2022_census.xlsx"), settings)
    assert raw.layout.name == "test_contractor"
    assert raw.header_row_numbers == [3, 4]
    assert "종업원수(명) 여" in raw.headers
    # Firms on rows 5, 6 and (after a blank row) 8; the total row on 9.
    assert list(raw.source_rows) == [5, 6, 8, 9]
    assert raw.blank_rows == 1
    assert raw.above_header == ["2022년 시흥시 기업실태조사 결과"]


def test_staging_types_units_and_change_log(settings, tmp_path):
    staged = stage_year_file(write_titled_xlsx(tmp_path / "2022_census.xlsx"), 2022, settings)
    f = staged.frame.set_index("source_row")
    assert f.loc[5, "brn"] == "1348672683"
    assert f.loc[6, "brn"] == "1208200052"
    assert f.loc[8, "brn"] == "2208869974"
    assert f.loc[6, "firm_name"] == "ABC 테크"  # full-width letters and stray spaces
    assert f.loc[6, "employees_male"] == 12  # full-width digits
    assert f.loc[8, "employees_male"] == -1  # △1 is how Korean accounts write -1
    assert f.loc[5, "revenue_mil_krw"] == pytest.approx(1234.5)  # 1,234,500 천원
    assert pd.isna(f.loc[8, "revenue_mil_krw"])  # "-" means none
    assert f.loc[5, "founded_date"] == pd.Timestamp("2015-03-02")
    assert f.loc[6, "founded_date"] == pd.Timestamp("2015-02-26")  # Excel serial 42061
    assert f.loc[8, "founded_date"] == pd.Timestamp("2001-01-05")
    assert list(f["self_reported_tier"]) == ["2차", "3차", "해당없음"]
    log = staged.change_log
    assert ((log["source_row"] == 6) & (log["column"] == "firm_name") & (log["rule"] == "text:nfkc")).any()
    assert ((log["column"] == "revenue_mil_krw") & (log["rule"] == "unit:thousand_krw->mil_krw")).sum() == 1
    # Every raw row is accounted for: the total row is quarantined with its reason.
    assert staged.raw_rows == 4 and len(staged.frame) == 3
    assert staged.quarantine[["source_row", "rule"]].values.tolist() == [[9, "total_row"]]


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig", "utf-8"])
def test_csv_in_each_encoding_reads_the_same(settings, tmp_path, encoding):
    staged = stage_year_file(write_csv(tmp_path / "2023_census.csv", encoding), 2023, settings)
    assert staged.frame["firm_name"].tolist() == ["(주)대한정밀", "한빛금속"]
    assert staged.frame["source_row"].tolist() == [2, 3]
    assert staged.frame["revenue_mil_krw"].tolist() == [1234.5, 0.0]
    assert staged.frame["founded_date"].tolist() == [pd.Timestamp("2015-03-02"), pd.Timestamp("2001-01-05")]


def test_html_table_saved_as_xls(settings, tmp_path):
    html = """<html><head><meta charset="utf-8"></head><body><table>
    <tr><td colspan="3">2024년 기업실태조사</td></tr>
    <tr><th rowspan="2">업체명</th><th rowspan="2">사업자등록번호</th><th colspan="3">종업원수(명)</th><th rowspan="2">매출액(천원)</th></tr>
    <tr><th>남</th><th>여</th><th>계</th></tr>
    <tr><td>(주)대한정밀</td><td>134-86-72683</td><td>3</td><td>4</td><td>7</td><td>1,000</td></tr>
    </table></body></html>"""
    path = tmp_path / "2024_census.xls"
    path.write_text(html, encoding="utf-8")
    staged = stage_year_file(path, 2024, settings)
    assert staged.format == "html"
    row = staged.frame.iloc[0]
    assert (row["firm_name"], row["employees_female"], row["employees_total"], row["revenue_mil_krw"]) == ("(주)대한정밀", 4, 7, 1.0)
    assert row["source_row"] == 4


def test_legacy_xls(settings, tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("data")
    for c, h in enumerate(["업체명", "사업자등록번호", "상시종업원수", "매출액(천원)", "설립일", "협력단계"]):
        sheet.write(0, c, h)
    for c, v in enumerate(["한빛금속", "2208869974", 12, 3000, "2001-01-05", "1차"]):
        sheet.write(1, c, v)
    path = tmp_path / "2021_census.xls"
    book.save(str(path))
    staged = stage_year_file(path, 2021, settings)
    assert staged.format == "xls"
    assert staged.frame[["firm_name", "brn", "employees_total", "revenue_mil_krw"]].values.tolist() == [["한빛금속", "2208869974", 12, 3.0]]


def _expect_failure(settings, path, *words):
    with pytest.raises(DeliveryError) as info:
        stage_year_file(path, 2022, settings)
    message = str(info.value)
    assert path.name in message
    for word in words:
        assert word in message
    return message


def test_corrupt_workbook_fails_with_a_clear_message(settings, tmp_path):
    path = tmp_path / "2022_census.xlsx"
    write_titled_xlsx(path)
    path.write_bytes(path.read_bytes()[:3000])  # a truncated download
    _expect_failure(settings, path, "손상")


@pytest.mark.parametrize("halves_from_mb", [0, 1e-6])
def test_workbook_damaged_below_its_header_fails_with_a_clear_message(settings, tmp_path, halves_from_mb):
    """The header reads fine (the probe streams only the first rows); the data further down does not."""
    path = write_delivery(tmp_path / "2022_census.xlsx", n_firms=3000, seed=3, year=2022)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    middle = info.header_offset + 30 + name_len + extra_len + info.compress_size * 2 // 3
    data[middle: middle + 200] = bytes(200)
    path.write_bytes(bytes(data))
    settings = settings.with_section("load", parallel_read_min_mb=halves_from_mb)
    _expect_failure(settings, path, "손상", "damaged")


def test_password_protected_workbook(settings, tmp_path):
    plain = write_titled_xlsx(tmp_path / "plain.xlsx")
    path = tmp_path / "2022_census.xlsx"
    encrypted = io.BytesIO()
    with open(plain, "rb") as f:
        office = msoffcrypto.OfficeFile(f)
        office.encrypt("secret", encrypted)
    path.write_bytes(encrypted.getvalue())
    _expect_failure(settings, path, "암호", "password")


def test_sheet_without_a_known_header(settings, tmp_path):
    path = tmp_path / "2022_census.csv"
    path.write_text("이름,주소\n홍길동,서울\n", encoding="utf-8")
    _expect_failure(settings, path, "layout")


def test_required_column_missing(settings, tmp_path):
    path = tmp_path / "2022_census.csv"
    path.write_text("업체명,상시종업원수,설립일,매출액(천원),협력단계,주업종코드\n대한,3,2015-01-01,10,1차,25911\n", encoding="utf-8")
    _expect_failure(settings, path, "brn", "필수")


def test_title_naming_another_year(settings, tmp_path):
    path = write_titled_xlsx(tmp_path / "2023_census.xlsx", title="2022년 시흥시 기업실태조사 결과")
    with pytest.raises(DeliveryError, match="2023.*2022"):
        stage_year_file(path, 2023, settings)


def test_not_a_zip_named_xlsx_is_read_by_content(settings, tmp_path):
    path = write_csv(tmp_path / "2023_census.xlsx", "cp949")
    assert zipfile.is_zipfile(path) is False
    assert stage_year_file(path, 2023, settings).format == "csv"


def test_rows_of_white_space_are_blank_but_a_late_value_is_not(settings, tmp_path):
    path = tmp_path / "2023_census.csv"
    lines = ["업체명,사업자등록번호,상시종업원수,설립일,매출액(천원),협력단계", "  ,  , ,,,", " , , ,,,1차", "한빛금속,2208869974,1,2001-1-5,0,1차"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staged = stage_year_file(path, 2023, settings)
    assert staged.blank_rows == 1
    # Line 3 has a value in its last column only: a row the analyst must see (quarantined, no firm).
    assert staged.raw_rows == 2
    assert staged.quarantine[["source_row", "rule"]].values.tolist() == [[3, "no_firm_identifier"]]


def test_a_total_row_whose_first_cell_is_white_space_is_still_a_total(settings, tmp_path):
    path = tmp_path / "2023_census.csv"
    lines = ["업체명,사업자등록번호,상시종업원수,설립일,매출액(천원),협력단계", "한빛금속,2208869974,1,2001-1-5,0,1차", "  ,합계,1,,0,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staged = stage_year_file(path, 2023, settings)
    assert staged.quarantine[["source_row", "rule", "raw_value"]].values.tolist() == [[3, "total_row", "합계"]]
    assert staged.frame["firm_name"].tolist() == ["한빛금속"]


def test_the_first_cell_of_a_row_is_its_first_cell_with_more_than_white_space():
    from pipeline.read.delivery import _first_cells

    body = pd.DataFrame({
        0: pd.array(["1", None, "  ", None, "\u3000", "2"], dtype="str"),
        1: pd.array(["한빛금속", "합계", None, None, "소계", None], dtype="str"),
        2: pd.array(["x", "y", "z", None, None, None], dtype="str"),
    })
    assert _first_cells(body).to_pylist() == ["1", "합계", "z", None, "소계", "2"]
