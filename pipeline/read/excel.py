"""Workbooks. xlsx is probed with openpyxl in read-only mode (cheap: it streams only the first
rows, and it knows the true Excel row numbers) and then read whole with fastexcel, the Rust
calamine reader that goes straight to Arrow (about 18x faster than pandas+openpyxl); a large
sheet in two halves on two cores (pipeline.read.xlsx_split). openpyxl reads the sheet itself
only when calamine cannot. Legacy .xls goes through xlrd."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import fastexcel
import openpyxl
import pandas as pd
import pyarrow as pa
import xlrd

from pipeline.clean import STR
from pipeline.read import xlsx_extras, xlsx_split
from pipeline.read.errors import DeliveryError
from pipeline.read.limits import DEFAULT_LIMITS, ReadLimits, check_file_size, check_sheet_cells, check_zip


@dataclass(frozen=True)
class SheetProbe:
    """The first rows of a sheet, as text, with the Excel row number of each."""

    name: str
    rows: list[list[str | None]]
    row_numbers: list[int]


def cell_text(value: object) -> str | None:
    """A cell as the text the reader would give for it (fastexcel's string rendering)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00:00")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def probe_xlsx(path: Path, max_rows: int, limits: ReadLimits = DEFAULT_LIMITS) -> list[SheetProbe]:
    """The first `max_rows` rows of every visible sheet. A workbook over the size or cell
    ceilings is refused first, from its zip directory, before any sheet is parsed."""
    check_zip(path, limits)
    _refuse_other_zip_formats(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise DeliveryError(path.name, "엑셀 파일이 손상되었습니다 (zip 형식 오류)", "the workbook is corrupt (not a valid zip)") from None
    except Exception as e:  # openpyxl raises many types for malformed parts
        raise DeliveryError(path.name, f"엑셀 파일을 열 수 없습니다 ({type(e).__name__}: {e})", f"cannot open the workbook ({type(e).__name__}: {e})") from None
    probes = []
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            rows, numbers = [], []
            for number, row in enumerate(ws.iter_rows(max_row=max_rows, values_only=True), start=1):
                rows.append([cell_text(v) for v in row])
                numbers.append(number)
            probes.append(SheetProbe(ws.title, rows, numbers))
    finally:
        wb.close()
    return probes


def _refuse_other_zip_formats(path: Path) -> None:
    """OpenDocument (.ods) and binary Excel (.xlsb) are zips too, but neither reader here takes
    them: say which format it is and what to do, rather than that the workbook is broken."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError):
        return  # the reader says the zip is damaged
    if b"opendocument" in mimetype:
        raise DeliveryError(path.name, "OpenDocument(.ods) 파일은 읽지 않습니다. 엑셀(.xlsx)로 저장해 주세요",
                            "OpenDocument (.ods) spreadsheets are not read; save it as .xlsx")
    if "xl/workbook.bin" in names:
        raise DeliveryError(path.name, "엑셀 바이너리(.xlsb) 파일은 읽지 않습니다. 엑셀(.xlsx)로 저장해 주세요",
                            "binary Excel (.xlsb) workbooks are not read; save it as .xlsx")


def load_xlsx_sheet(path: Path, sheet: str, probe: SheetProbe, split_min_bytes: int | None = None,
                    while_parsing: Callable[[], None] | None = None) -> tuple[pd.DataFrame, int]:
    """The whole sheet as text and the Excel row number of its first grid row; grid column 0 is
    column A (as in the probe), and merged ranges are filled from their top-left cell
    (pipeline.read.xlsx_extras). A sheet part of at least `split_min_bytes` (uncompressed) is parsed
    in two halves on two cores. `while_parsing` is called when the parse in Rust begins."""
    while_parsing = while_parsing or (lambda: None)
    # calamine starts a sheet at its first non-empty row; openpyxl's probe tells which row that is.
    first = next((n for n, r in zip(probe.row_numbers, probe.rows, strict=True) if any(v is not None for v in r)), 1)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Merged ranges sit at the end of the sheet part: it is streamed on the other core meanwhile.
        extras = pool.submit(xlsx_extras.sheet_extras, path, sheet)
        table = xlsx_split.read_sheet_in_halves(path, sheet, first, split_min_bytes, while_parsing) if split_min_bytes else None
        if table is not None:
            first_column = int((table.schema.metadata or {}).get(xlsx_split.FIRST_COLUMN_KEY, b"0"))
        else:
            while_parsing()
            try:
                table, first_column = _calamine_sheet(path, sheet)
            except Exception as calamine_error:  # calamine refuses some producer quirks; openpyxl is slower but lenient
                try:
                    table, first, first_column = _openpyxl_sheet(path, sheet), 1, 0
                except Exception:  # noqa: BLE001 - neither reader can: the sheet itself is damaged
                    raise DeliveryError(
                        path.name, f"시트 '{sheet}'의 내용이 손상되어 읽을 수 없습니다 ({calamine_error})",
                        f"the data of sheet '{sheet}' is damaged and cannot be read ({calamine_error})") from None
        found = extras.result()
    frame = table if isinstance(table, pd.DataFrame) else table.to_pandas(types_mapper={pa.string(): STR, pa.large_string(): STR}.get)
    if first_column:  # calamine starts at the leftmost non-empty column; the probe starts at A
        empty = pd.DataFrame({i: pd.Series(pd.NA, index=frame.index, dtype=STR) for i in range(first_column)})
        frame = pd.concat([empty, frame.set_axis(range(first_column, first_column + frame.shape[1]), axis=1)], axis=1)
    frame.columns = range(frame.shape[1])
    frame = xlsx_extras.fill_errors(frame, found.errors, first)
    return xlsx_extras.fill_merged(frame, list(found.merged), first), first


def _calamine_sheet(path: Path, sheet: str) -> tuple[pa.Table | pa.RecordBatch, int]:
    """The sheet read by calamine, and the sheet column (0 = A) of its first grid column."""
    loaded = fastexcel.read_excel(path).load_sheet(sheet, header_row=None, dtypes="string")
    columns = loaded.available_columns()
    return loaded.to_arrow(), min((c.absolute_index for c in columns), default=0)


def _openpyxl_sheet(path: Path, sheet: str) -> pd.DataFrame:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [[cell_text(v) for v in r] for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)


def xls_sheets(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of a legacy .xls as text grids starting at Excel row 1."""
    check_file_size(path, limits)
    try:
        book = xlrd.open_workbook(path)
    except xlrd.biffh.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise DeliveryError(path.name, "암호가 걸린 파일입니다. 암호를 해제해 다시 저장해 주세요", "the workbook is password-protected; save it without a password") from None
        raise DeliveryError(path.name, f"xls 파일을 읽을 수 없습니다 ({e})", f"cannot read the .xls workbook ({e})") from None
    sheets = []
    for sh in book.sheets():
        check_sheet_cells(path.name, sh.name, sh.nrows, sh.ncols, limits)
        rows = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(_xls_date_text(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell_text(cell.value))
            rows.append(row)
        sheets.append((sh.name, pd.DataFrame(rows, dtype=object)))
    return sheets


def _xls_date_text(value: float, datemode: int) -> str | None:
    """A date cell of a legacy workbook as text; a serial no calendar holds (negative, past
    year 9999) stays its number, which the date cleaner then reports instead of a crash here."""
    try:
        return cell_text(xlrd.xldate.xldate_as_datetime(value, datemode))
    except (xlrd.xldate.XLDateError, OverflowError, ValueError):
        return cell_text(value)
