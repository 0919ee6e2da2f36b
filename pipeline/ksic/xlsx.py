"""Reading the official reference workbooks as text cells, exactly as published."""

from __future__ import annotations

import re
from pathlib import Path

import fastexcel
import pandas as pd

# Blank-looking cells in the official files hold NBSP or ideographic spaces (U+3000).
_SPACE = re.compile(r"[\s\u00a0\u3000]+")


def read_sheet(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """All cells of a sheet as strings (NaN for empty), no header row, positional columns 0..n."""
    return clean_cells(load_raw_sheet(path, sheet))


def load_raw_sheet(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """The cells as the file holds them (padding kept), positional columns 0..n."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"참조 파일이 없습니다 / reference file not found: {path}")
    reader = fastexcel.read_excel(str(path))
    if isinstance(sheet, str) and sheet not in reader.sheet_names:
        raise ValueError(f"{Path(path).name}: 시트 '{sheet}' 없음 / sheet not found; sheets: {reader.sheet_names}")
    # dtypes="string" keeps the codes as the text the cell shows; numbers come back without ".0".
    frame = reader.load_sheet(sheet, header_row=None, dtypes="string").to_pandas()
    frame.columns = range(frame.shape[1])
    return frame


def clean_cells(frame: pd.DataFrame) -> pd.DataFrame:
    cleaned = frame.astype(object).map(clean_cell)
    return cleaned.astype(object).where(cleaned.notna(), None)


def clean_cell(value: object) -> object:
    """Trim NBSP/U+3000 padding; a cell holding only spaces is empty."""
    if not isinstance(value, str):
        return value if pd.notna(value) else None
    text = _SPACE.sub(" ", value).strip()
    return text or None


def normalise_code(value: object, width: int = 5) -> str | None:
    """A KSIC digit code as text with its leading zeros, whether the cell held text or a number
    (Excel drops the zeros of numeric cells: 1110 -> '01110')."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if not text.isdigit():
        return None
    return text.zfill(width) if len(text) < width else text
