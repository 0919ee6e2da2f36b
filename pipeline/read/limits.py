"""Ceilings on what a delivery may unpack to, checked before anything is parsed.

An xlsx is a zip: a 12 MB workbook whose sheet inflates to 2.5 GB once drove a validation past
7 GB of memory. The zip's central directory states every member's inflated size, and a sheet's
<dimension> element (its first bytes) states its cell range, so both are known before a byte of
the sheet is parsed. Legacy .xls, CSV and HTML are not compressed: their size on disk is what
they unpack to. The defaults leave room for a million firms (that sheet is about 1.1 GB of XML
and 30 million cells); settings.yaml `load:` sets them per agency.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.read.errors import DeliveryError

MB = 1 << 20
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
# The <dimension> element comes right after the root element: a few hundred bytes in.
DIMENSION_SEARCH_BYTES = 1 << 14
# A workbook has a few dozen parts (a few hundred with many images); a directory of millions of
# tiny entries costs seconds and hundreds of MB just to list, before any size is known.
MAX_ZIP_MEMBERS = 10_000
END_OF_DIRECTORY = b"PK\x05\x06"


class ReadLimits(BaseModel):
    """settings.yaml `load.max_inflated_mb` and `load.max_sheet_cells`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Everything a workbook inflates to (all zip members together), or a text file's size.
    max_inflated_mb: int = Field(default=2048, gt=0)
    # Rows x columns of one sheet, as its <dimension> (xlsx) or the reader (xls, CSV) states it.
    max_sheet_cells: int = Field(default=80_000_000, gt=0)

    @classmethod
    def from_load_section(cls, load: Mapping[str, Any], settings_file: str = "config/settings.yaml") -> ReadLimits:
        """The limits named in a settings `load:` section (other keys of the section are left to
        the settings model); a bad value fails with one line naming the file and the key."""
        mine = {k: load[k] for k in cls.model_fields if k in load and load[k] is not None}
        try:
            return cls(**mine)
        except ValidationError as e:
            first = e.errors()[0]
            key = ".".join(str(p) for p in ("load", *first["loc"]))
            raise ValueError(f"{settings_file}: {key}: 양의 정수여야 합니다 / must be a positive integer ({first['msg']})") from None


DEFAULT_LIMITS = ReadLimits()


def _refuse_size(file: str, inflated: int, limits: ReadLimits, what_ko: str, what_en: str) -> DeliveryError:
    return DeliveryError(
        file,
        f"{what_ko} 크기({inflated / MB:,.0f} MB)가 한도 {limits.max_inflated_mb:,} MB를 넘어 읽지 않습니다 "
        f"(압축 폭탄이거나 지나치게 큰 파일; 한도는 config/settings.yaml load.max_inflated_mb)",
        f"{what_en} ({inflated / MB:,.0f} MB) exceeds the limit of {limits.max_inflated_mb:,} MB and is not read "
        f"(a zip bomb or an oversized file; the limit is load.max_inflated_mb in config/settings.yaml)",
    )


def refuse_cells(file: str, sheet: str, cells: int, limits: ReadLimits) -> DeliveryError:
    return DeliveryError(
        file,
        f"시트 '{sheet}'의 셀 수({cells:,})가 한도 {limits.max_sheet_cells:,}를 넘어 읽지 않습니다 "
        f"(한도는 config/settings.yaml load.max_sheet_cells)",
        f"sheet '{sheet}' has {cells:,} cells, over the limit of {limits.max_sheet_cells:,}; it is not read "
        f"(the limit is load.max_sheet_cells in config/settings.yaml)",
    )


def check_file_size(path: Path, limits: ReadLimits) -> None:
    """An uncompressed delivery (xls, CSV, HTML): its size on disk is what it unpacks to."""
    size = path.stat().st_size
    if size > limits.max_inflated_mb * MB:
        raise _refuse_size(path.name, size, limits, "파일", "the file")


def check_sheet_cells(file: str, sheet: str, rows: int, columns: int, limits: ReadLimits) -> None:
    if rows * columns > limits.max_sheet_cells:
        raise refuse_cells(file, sheet, rows * columns, limits)


def check_zip(path: Path, limits: ReadLimits) -> None:
    """Refuses a workbook whose members inflate past the ceiling, or whose worksheet declares
    more cells than allowed, reading only the central directory and each sheet's first bytes.
    A file that is not a valid zip is left to the reader, which says so."""
    members = stated_member_count(path)
    if members is not None and members > MAX_ZIP_MEMBERS:
        raise DeliveryError(path.name, f"압축 안의 파일 수({members:,})가 {MAX_ZIP_MEMBERS:,}개를 넘어 읽지 않습니다 (통합문서가 아니거나 압축 폭탄)",
                            f"the zip lists {members:,} parts, over {MAX_ZIP_MEMBERS:,}: not a workbook, or a zip bomb; it is not read")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with zf:
        members = zf.infolist()
        inflated = sum(m.file_size for m in members)
        if inflated > limits.max_inflated_mb * MB:
            largest = max(members, key=lambda m: m.file_size)
            raise _refuse_size(path.name, inflated, limits, f"압축을 푼 통합문서(가장 큰 부분 {largest.filename})",
                               f"the unpacked workbook (largest part {largest.filename})")
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                cells = declared_cells(zf, member)
                if cells is not None and cells > limits.max_sheet_cells:
                    raise refuse_cells(path.name, member.filename, cells, limits)


def stated_member_count(path: Path) -> int | None:
    """The entry count in the zip's end-of-directory record (the last 64 KiB of the file), read
    before the directory itself; None when there is no such record or it defers to ZIP64."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - (1 << 16) - 22))
        tail = f.read()
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or at + 22 > len(tail):
        return None
    total = int.from_bytes(tail[at + 10: at + 12], "little")
    return None if total == 0xFFFF else total


def declared_cells(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> int | None:
    """Rows x columns of the sheet's <dimension ref="A1:AE1000003">, or None when it has none
    (then the size ceiling bounds it) or the member cannot be read (the reader reports that)."""
    try:
        with zf.open(member) as f:
            head = f.read(DIMENSION_SEARCH_BYTES)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return None
    m = DIMENSION.search(head)
    if not m or not m.group(3):
        return None
    first_col, first_row, last_col, last_row = m.group(1).decode(), int(m.group(2)), m.group(3).decode(), int(m.group(4))
    return (abs(last_row - first_row) + 1) * (abs(column_number(last_col) - column_number(first_col)) + 1)


def column_number(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
