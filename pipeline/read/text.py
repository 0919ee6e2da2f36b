"""Text deliveries: CSV (UTF-8, UTF-8 with BOM, CP949/EUC-KR, or whatever charset-normalizer
recognises) and HTML tables saved with an .xls name."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes
from lxml import html as lxml_html

from pipeline.read.errors import DeliveryError
from pipeline.read.limits import DEFAULT_LIMITS, ReadLimits, check_file_size, check_sheet_cells, refuse_cells

ENCODINGS = ("utf-8-sig", "cp949")


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The text and the encoding it was decoded with."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise _undecodable(data, file)
    return str(best), best.encoding


def _undecodable(data: bytes, file: str) -> DeliveryError:
    """Why the bytes are not text: binary content, or encodings mixed from one line on."""
    head = data[:4096]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\0" in head or controls > len(head) // 20:
        return DeliveryError(file, "엑셀 파일도 텍스트(CSV) 파일도 아닙니다 (이진 데이터이거나 손상된 파일)",
                             "neither a workbook nor a text (CSV) file: binary or damaged content")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        if line > 1:
            return DeliveryError(file, f"{line}번째 줄부터 문자 인코딩이 다릅니다 (UTF-8과 CP949가 섞임). 한 인코딩(UTF-8)으로 다시 저장해 주세요",
                                 f"the character encoding changes at line {line} (UTF-8 and CP949 mixed); save the file again in one encoding (UTF-8)")
    return DeliveryError(file, "문자 인코딩을 알 수 없습니다. UTF-8로 저장해 주세요", "cannot tell the character encoding; save the file as UTF-8")


def csv_grid(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[pd.DataFrame, str]:
    """All cells as text, one grid row per line, blank lines kept so that grid row i is line i+1."""
    check_file_size(path, limits)
    text, encoding = decode(path.read_bytes(), path.name)
    sample = text[:20000]
    delimiter = max([",", "\t", ";", "|"], key=sample.count)
    # Over-estimating the width is harmless (empty trailing columns are dropped); under-estimating
    # would make pandas fail on the widest line.
    lines = text.splitlines()
    width = max((line.count(delimiter) for line in lines), default=0) + 1
    check_sheet_cells(path.name, "csv", len(lines), width, limits)
    try:
        grid = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, names=list(range(width)), dtype=str,
            keep_default_na=False, na_values=[], skip_blank_lines=False, engine="c",
        )
    except (pd.errors.ParserError, ValueError) as e:
        raise DeliveryError(path.name, f"CSV 형식을 읽을 수 없습니다 ({e})", f"malformed CSV ({e})") from None
    return _drop_empty_columns(grid.replace("", None)), encoding


def html_grid(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """The largest <table> of an HTML file, with colspan/rowspan expanded."""
    check_file_size(path, limits)
    data = path.read_bytes()
    try:
        doc = lxml_html.document_fromstring(data)
    except (ValueError, lxml_html.etree.ParserError) as e:
        raise DeliveryError(path.name, f"HTML 표를 읽을 수 없습니다 ({e})", f"cannot parse the HTML table ({e})") from None
    if not _has_charset_meta(data):
        # Without a declared charset lxml assumes Latin-1; Korean exports are UTF-8 or CP949.
        doc = lxml_html.document_fromstring(decode(data, path.name)[0])
    tables = doc.xpath("//table")
    if not tables:
        raise DeliveryError(path.name, "파일에 표가 없습니다", "the file holds no table")
    table = max(tables, key=lambda t: len(t.xpath(".//tr")))
    trs = table.xpath(".//tr")
    _check_spanned_cells(path.name, trs, limits)
    rows: list[list[str | None]] = []
    pending: dict[tuple[int, int], str | None] = {}  # (row, col) filled by a rowspan above
    for r, tr in enumerate(trs):
        row: list[str | None] = []
        col = 0
        for cell in tr.xpath("./td|./th"):
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            value = " ".join(cell.text_content().split()) or None
            colspan = _span(cell.get("colspan"), MAX_COLSPAN)
            rowspan = min(_span(cell.get("rowspan"), MAX_ROWSPAN), len(trs) - r)  # never past the last row
            for c in range(colspan):
                row.append(value if c == 0 else None)
                for below in range(1, rowspan):
                    pending[(r + below, col + c)] = None
            col += colspan
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return _drop_empty_columns(grid)


# The HTML standard's own ceilings: a colspan="1000000000" must not build a billion cells.
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534


def _check_spanned_cells(file: str, trs: list, limits: ReadLimits) -> None:
    """Refuses a table whose spans would expand past the cell ceiling (each span is bounded by
    the standard's ceiling and the rows left, but thousands of them still multiply)."""
    cells = 0
    for r, tr in enumerate(trs):
        for cell in tr.xpath("./td|./th"):
            cells += _span(cell.get("colspan"), MAX_COLSPAN) * min(_span(cell.get("rowspan"), MAX_ROWSPAN), len(trs) - r)
        if cells > limits.max_sheet_cells:
            raise refuse_cells(file, "html", cells, limits)


def _span(value: str | None, ceiling: int) -> int:
    try:
        return min(ceiling, max(1, int(value or 1)))
    except ValueError:
        return 1


def _has_charset_meta(data: bytes) -> bool:
    head = data[:4096].lower()
    return b"charset" in head


def _drop_empty_columns(grid: pd.DataFrame) -> pd.DataFrame:
    grid = grid.loc[:, grid.notna().any(axis=0)]
    grid.columns = range(grid.shape[1])
    return grid
