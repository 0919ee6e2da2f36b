"""Dates in the research database are generalised as the table registry says (a column's
`research:` attribute): the exact founding date alone made 71 % of firm-years unique."""

from __future__ import annotations

import pandas as pd

from pipeline.tables.spec import ColumnSpec


def generalised_name(column: ColumnSpec) -> str:
    """founded_date -> founded_year (year) or founded_month (year_month)."""
    base = column.name[: -len("_date")] if column.name.endswith("_date") else column.name
    return f"{base}_{'month' if transform(column) == 'year_month' else 'year'}"


def transform(column: ColumnSpec) -> str | None:
    """The column's research transform; a date without one is generalised to its year."""
    if column.research is None and column.type == "date":
        return "year"
    return column.research


def generalise_date(series: pd.Series, how: str) -> pd.Series:
    """A date column as its year (Int64) or month ('YYYY-MM' text)."""
    dates = pd.to_datetime(series, errors="coerce")
    if how == "year_month":
        return dates.dt.strftime("%Y-%m").astype("object").where(dates.notna(), None)
    return dates.dt.year.astype("Int64")


def comment(column: ColumnSpec) -> tuple[str, str]:
    """The ko/en description of the generalised column."""
    if transform(column) == "year_month":
        return f"{column.label_ko} (연월로 일반화)", f"{column.label_en}, generalised to year and month"
    return f"{column.label_ko} (연도로 일반화)", f"{column.label_en}, generalised to the year"
