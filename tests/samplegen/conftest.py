"""Shared readers of the shipped deliveries: plain openpyxl / csv, independent of pipeline.read."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from census_sample import DEFAULT_YEARS, file_name
from pipeline.settings import PACKAGE_ROOT

RAW = PACKAGE_ROOT / "data" / "raw"


def read_cells(path: Path) -> list[list]:
    """Every row of the delivery as Excel shows it (index 0 = row 1), trailing empty cells cut."""
    if path.suffix == ".csv":
        with open(path, encoding="cp949", newline="") as f:
            rows = [list(r) for r in csv.reader(f)]
        return [[c if c != "" else None for c in r] for r in rows]
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    out = []
    for r in rows:
        while r and r[-1] is None:
            r.pop()
        out.append(r)
    return out


@pytest.fixture(scope="session")
def shipped() -> dict[int, list[list]]:
    return {year: read_cells(RAW / file_name(year)) for year in DEFAULT_YEARS}
