"""Bad deliveries, written by code from the first firms of the shipped 2024 sample (no binary is
committed). Each builder writes one file into a folder and returns its path; the corpus test
(test_robust_corpus.py) pairs each with the outcome a user must see."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

import openpyxl
import xlsxwriter
from isal import isal_zlib

REPO = Path(__file__).resolve().parents[2]
SAMPLE_2024 = REPO / "data" / "raw" / "2024_시흥_기업실태조사.xlsx"
FIRMS = 8


@lru_cache(maxsize=1)
def _sample() -> tuple[str, tuple[str, ...], tuple[tuple, ...]]:
    wb = openpyxl.load_workbook(SAMPLE_2024, read_only=True)
    rows = [tuple(r) for r in wb.worksheets[0].iter_rows(max_row=2 + FIRMS, values_only=True)]
    wb.close()
    return rows[0][0], rows[1], tuple(rows[2:])


def title() -> str:
    return _sample()[0]


def header() -> list[str]:
    return list(_sample()[1])


def firms() -> list[list]:
    return [list(r) for r in _sample()[2]]


def col(name: str) -> int:
    return header().index(name)


def with_values(column: str, values: list) -> list[list]:
    """The sample firms with `values` written into `column`, one per firm from the first."""
    rows = firms()
    for row, value in zip(rows, values, strict=False):
        row[col(column)] = value
    return rows


# ---- writers -------------------------------------------------------------------------------

def xlsx(path: Path, rows: list[list] | None = None, *, head: list | None = None, title_rows: int = 1,
         offset: int = 0, edit=None) -> Path:
    """A workbook like the sample: title row(s), header, firms; `offset` empty columns on the left;
    `edit(ws)` changes the sheet before saving."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024 실태조사"
    pad = [None] * offset
    ws.append(pad + [title()])
    for _ in range(title_rows - 1):
        ws.append([])
    ws.append(pad + (head or header()))
    for row in firms() if rows is None else rows:
        ws.append(pad + list(row))
    if edit:
        edit(ws)
    wb.save(path)
    return path


def csv_text(rows: list[list] | None = None, head: list | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(head or header())
    for row in firms() if rows is None else rows:
        w.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def csv_file(path: Path, rows: list[list] | None = None, encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def html_table(rows: list[list] | None = None) -> str:
    body = firms() if rows is None else rows
    cells = "".join("<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in r) + "</tr>" for r in body)
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in header()) + "</tr>"
    return f"<table>{head}{cells}</table>"


# ---- encodings -----------------------------------------------------------------------------

def csv_utf8_bom(d: Path) -> Path:
    return csv_file(d / "2024_bom.csv", encoding="utf-8-sig")


def csv_cp949(d: Path) -> Path:
    return csv_file(d / "2024_cp949.csv", encoding="cp949")


def csv_utf16(d: Path) -> Path:
    return csv_file(d / "2024_utf16.csv", encoding="utf-16")


def csv_mixed_encodings(d: Path) -> Path:
    """UTF-8 file with one firm pasted in from a CP949 file."""
    lines = csv_text().split("\r\n")
    data = "\r\n".join(lines[:3]).encode("utf-8") + b"\r\n" + lines[3].encode("cp949") + b"\r\n" + "\r\n".join(lines[4:]).encode("utf-8")
    (d / "2024_mixed.csv").write_bytes(data)
    return d / "2024_mixed.csv"


def html_euc_kr_as_xls(d: Path) -> Path:
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr"></head><body>{html_table()}</body></html>'
    (d / "2024_web.xls").write_bytes(page.encode("euc-kr", "replace"))
    return d / "2024_web.xls"


def html_cp949_without_charset(d: Path) -> Path:
    (d / "2024_web.html").write_bytes(f"<html><body>{html_table()}</body></html>".encode("cp949", "replace"))
    return d / "2024_web.html"


# ---- formats -------------------------------------------------------------------------------

def legacy_xls(d: Path, dates: list[float] | None = None) -> Path:
    """The sample as a BIFF8 .xls; `dates` replaces the first founding dates with date-formatted
    serial numbers."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("2024")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(0, 0, title())
    for c, h in enumerate(header()):
        sheet.write(1, c, h)
    for r, row in enumerate(firms(), start=2):
        for c, v in enumerate(row):
            if dates and c == col("설립연월일") and r - 2 < len(dates):
                sheet.write(r, c, dates[r - 2], date_style)
            elif v is not None:
                sheet.write(r, c, v)
    name = "2024_legacy_dates.xls" if dates else "2024_legacy.xls"
    book.save(str(d / name))
    return d / name


def password_protected(d: Path) -> Path:
    import msoffcrypto

    plain = xlsx(d / "plain.xlsx")
    out = d / "2024_암호.xlsx"
    with open(plain, "rb") as f, open(out, "wb") as g:
        office = msoffcrypto.OfficeFile(f)
        office.encrypt("1234", g)
    plain.unlink()
    return out


def zero_bytes(d: Path) -> Path:
    (d / "2024_empty.xlsx").write_bytes(b"")
    return d / "2024_empty.xlsx"


def truncated_xlsx(d: Path) -> Path:
    data = xlsx(d / "whole.xlsx").read_bytes()
    (d / "whole.xlsx").unlink()
    (d / "2024_truncated.xlsx").write_bytes(data[: len(data) // 2])
    return d / "2024_truncated.xlsx"


def random_bytes(d: Path) -> Path:
    import random

    rng = random.Random(20)
    (d / "2024_random.xlsx").write_bytes(bytes(rng.getrandbits(8) for _ in range(50_000)))
    return d / "2024_random.xlsx"


def text_named_xlsx(d: Path) -> Path:
    (d / "2024_really_csv.xlsx").write_bytes(csv_text().encode("utf-8"))
    return d / "2024_really_csv.xlsx"


def ods_named_xlsx(d: Path) -> Path:
    """An OpenDocument spreadsheet (a zip, but no xl/ parts) saved with an .xlsx name."""
    path = d / "2024_calc.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def xlsb_workbook(d: Path) -> Path:
    """The parts of a binary workbook (.xlsb): a zip with xl/workbook.bin."""
    path = d / "2024_binary.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return path


def _bomb_parts(rows_xml: bytes, rows_repeat: int) -> tuple[bytes, int, int]:
    """A deflated sheet part made of one block of rows repeated: (compressed bytes, inflated size,
    CRC-32). A full flush ends each block byte-aligned with an empty dictionary, so the block's
    compressed form is the same every time and is simply repeated: gigabytes in, megabytes out,
    without deflating gigabytes."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    tail = b"</sheetData></worksheet>"
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(rows_xml) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(rows_xml) + co.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "deflate did not restart cleanly after a full flush"
    last = co.compress(tail) + co.flush()
    crc = isal_zlib.crc32(head)
    for _ in range(rows_repeat):
        crc = isal_zlib.crc32(rows_xml, crc)
    crc = isal_zlib.crc32(tail, crc)
    return first + block * rows_repeat + last, len(head) + len(rows_xml) * rows_repeat + len(tail), crc


def zip_bomb(d: Path, inflated_mb: int = 2200, stated_size: int | None = None) -> Path:
    """A valid small workbook whose one sheet inflates to `inflated_mb` MB of rows (the sheet
    part's real CRC and size in the zip directory, unless `stated_size` lies about the size)."""
    template = xlsx(d / "template.xlsx", rows=[])
    row = b"".join(b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c><c><v>1</v></c></row>" for _ in range(4096))
    block = row * max(1, (1 << 20) // len(row))
    data, size, crc = _bomb_parts(block, inflated_mb * (1 << 20) // len(block))
    path = d / "2024_bomb.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, src.read(info.filename))
        member = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 1, 1, 0, 0, 0))
        member.compress_type = zipfile.ZIP_DEFLATED
        member.file_size, member.compress_size, member.CRC = stated_size or size, len(data), crc
        # zipfile cannot take bytes already deflated: the member is laid down by hand, then
        # listed in the central directory that close() writes.
        member.header_offset = out.fp.tell()
        out.fp.write(member.FileHeader())
        out.fp.write(data)
        out.filelist.append(member)
        out.NameToInfo[member.filename] = member
        out.start_dir = out.fp.tell()
    template.unlink()
    return path


def lying_zip_bomb(d: Path) -> Path:
    """The sheet part says it inflates to 1 MB; it inflates to 300 MB."""
    path = zip_bomb(d, inflated_mb=300, stated_size=1 << 20)
    return path.rename(d / "2024_lying_bomb.xlsx")


def many_zip_members(d: Path, members: int = 20_000) -> Path:
    """A zip of tens of thousands of empty entries named .xlsx: listing it is the attack."""
    path = d / "2024_many_parts.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(members):
            zf.writestr(f"x/{i}", b"")
    return path


def cells_declared_past_limit(d: Path) -> Path:
    """A small sheet whose <dimension> claims every cell of a worksheet (A1:XFD1048576)."""
    path = xlsx(d / "2024_dimension.xlsx")
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    parts["xl/worksheets/sheet1.xml"] = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


# ---- structure -----------------------------------------------------------------------------

def no_header(d: Path) -> Path:
    wb = openpyxl.Workbook()
    for row in firms():
        wb.active.append(row)
    wb.save(d / "2024_no_header.xlsx")
    return d / "2024_no_header.xlsx"


def header_on_row(d: Path, row: int) -> Path:
    return xlsx(d / f"2024_header_row_{row}.xlsx", title_rows=row - 1)


def duplicated_headers(d: Path) -> Path:
    """사업체명 twice: the second column holds the 대표자명 (a contractor's copy-paste slip)."""
    head = header()
    head[col("대표자명")] = "사업체명"
    return xlsx(d / "2024_dup_header.xlsx", head=head)


def hidden_sheet_first(d: Path) -> Path:
    def edit(ws):
        decoy = ws.parent.create_sheet("숨김", 0)
        decoy.append(header())
        decoy.append(["숨은기업"] * len(header()))
        decoy.sheet_state = "hidden"
    return xlsx(d / "2024_hidden_sheet.xlsx", edit=edit)


def data_on_second_sheet(d: Path) -> Path:
    def edit(ws):
        notes = ws.parent.create_sheet("작성요령", 0)
        notes.append(["작성 요령: 금액은 백만원 단위"])
    return xlsx(d / "2024_second_sheet.xlsx", edit=edit)


def hidden_rows(d: Path) -> Path:
    def edit(ws):
        for r in (4, 5):
            ws.row_dimensions[r].hidden = True
    return xlsx(d / "2024_hidden_rows.xlsx", edit=edit)


# A value each merged block holds, as contractors write them.
MERGED_COLUMNS = {"업종명": "금속 열처리업", "산업단지명": "시화국가산업단지", "협력단계": "2차 협력"}


def merged_down(d: Path) -> Path:
    """업종명, 산업단지명 and 협력단계 each merged over firms 2-5 (sheet rows 4-7)."""
    rows = firms()
    for name, value in MERGED_COLUMNS.items():
        for r in rows[2:5]:
            r[col(name)] = None
        rows[1][col(name)] = value

    def edit(ws):
        for name in MERGED_COLUMNS:
            letter = openpyxl.utils.get_column_letter(col(name) + 1)
            ws.merge_cells(f"{letter}4:{letter}7")
    return xlsx(d / "2024_merged.xlsx", rows=rows, edit=edit)


def shifted_right(d: Path) -> Path:
    """The table starts at column C (two empty columns on the left)."""
    return xlsx(d / "2024_shifted.xlsx", offset=2)


def formulas(d: Path, cached: bool) -> Path:
    """종사자수_계 as =남+여 formulas, with the cached results Excel saves (xlsxwriter) or without
    (as a script writes them)."""
    path = d / f"2024_formulas_{'cached' if cached else 'uncached'}.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("2024 실태조사")
    ws.write_row(0, 0, [title()])
    ws.write_row(1, 0, header())
    total, male, female = col("종사자수_계"), col("종사자수_남"), col("종사자수_여")
    for r, row in enumerate(firms(), start=2):
        ws.write_row(r, 0, ["" if v is None else v for v in row])
        formula = f"={xlsxwriter.utility.xl_rowcol_to_cell(r, male)}+{xlsxwriter.utility.xl_rowcol_to_cell(r, female)}"
        ws.write_formula(r, total, formula, None, (row[male] or 0) + (row[female] or 0) if cached else "")
    wb.close()
    return path


def error_cells(d: Path) -> Path:
    """#REF!, #DIV/0! and #N/A as cached formula results in money columns."""
    path = d / "2024_errors.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("2024 실태조사")
    ws.write_row(0, 0, [title()])
    ws.write_row(1, 0, header())
    revenue = col("매출액(백만원)")
    for r, row in enumerate(firms(), start=2):
        ws.write_row(r, 0, ["" if v is None else v for v in row])
    for r, err in zip((2, 3, 4), ("#REF!", "#DIV/0!", "#N/A"), strict=True):
        ws.write_formula(r, revenue, "=1/0", None, err)
    wb.close()
    return path


def total_and_nameless_rows(d: Path) -> Path:
    rows = firms()
    nameless = [None] * len(header())
    nameless[col("주요제품")] = "이름 없는 행"
    total = [None] * len(header())
    total[0] = "합계"
    total[col("매출액(백만원)")] = 99999
    return xlsx(d / "2024_totals.xlsx", rows=rows + [nameless, total])


# ---- values --------------------------------------------------------------------------------

def values_csv(d: Path, name: str, column: str, values: list) -> Path:
    return csv_file(d / f"2024_{name}.csv", with_values(column, values))


def values_xlsx(d: Path, name: str, column: str, values: list) -> Path:
    return xlsx(d / f"2024_{name}.xlsx", with_values(column, values))


def long_cell(d: Path) -> Path:
    return values_xlsx(d, "long_cell", "주요제품", ["가" * 32_767])


# ---- names ---------------------------------------------------------------------------------

def named(d: Path, name: str) -> Path:
    return csv_file(d / name)
