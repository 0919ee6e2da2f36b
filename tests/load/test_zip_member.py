"""A sheet part inflated for cutting is exactly what zipfile reads, and damage is not passed on."""

import zipfile

import numpy as np
import pytest

from pipeline.read.zip_member import InflatedMember


def _workbook_like(path, data: bytes) -> zipfile.ZipInfo:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", data)
    with zipfile.ZipFile(path) as zf:
        return zf.getinfo("xl/worksheets/sheet1.xml")


def _sheet_bytes(n: int) -> bytes:
    rng = np.random.default_rng(2)
    rows = (f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>업체{rng.integers(1e6)}</t></is></c></row>' for i in range(1, n))
    return ("<worksheet><sheetData>" + "".join(rows) + "</sheetData></worksheet>").encode()


def _read_all(member: InflatedMember, size: int) -> bytes:
    parts = []
    while block := member.read(size):
        assert len(block) <= size
        parts.append(block)
    return b"".join(parts)


@pytest.mark.parametrize("size", [1 << 10, 1 << 16, 1 << 24])
def test_the_member_reads_as_zipfile_reads_it(tmp_path, size):
    data = _sheet_bytes(60_000)
    info = _workbook_like(tmp_path / "book.xlsx", data)
    with InflatedMember(str(tmp_path / "book.xlsx"), info) as member:
        assert _read_all(member, size) == data


def test_a_damaged_member_raises_instead_of_giving_wrong_bytes(tmp_path):
    path = tmp_path / "book.xlsx"
    info = _workbook_like(path, _sheet_bytes(20_000))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(info.filename)
    info.CRC ^= 1  # the bytes inflate, but they are not the ones the workbook was saved with
    with InflatedMember(str(path), info) as member, pytest.raises(zipfile.BadZipFile, match="CRC"):
        _read_all(member, 1 << 16)


def test_a_truncated_member_raises(tmp_path):
    path = tmp_path / "book.xlsx"
    info = _workbook_like(path, _sheet_bytes(20_000))
    data = path.read_bytes()
    start = info.header_offset + 30 + len(info.filename)
    path.write_bytes(data[: start + info.compress_size // 2])
    with InflatedMember(str(path), info) as member, pytest.raises(zipfile.BadZipFile):
        _read_all(member, 1 << 16)
