"""config/reports.yaml: the yearly report's breakdowns and measures, and its automation."""

from __future__ import annotations

from pydantic import Field

from pipeline.config.base import Strict


class Dimension(Strict):
    key: str
    column: str
    label_ko: str
    label_en: str
    sheet: str
    missing_label: str | None = None
    order: list[str] | None = None


class Cross(Strict):
    rows: str
    cols: str
    sheet: str


class Measure(Strict):
    key: str
    column: str | None
    label_ko: str
    label_en: str
    unit_ko: str = ""
    number_format: str = "#,##0"


class Schedule(Strict):
    timezone: str = "Asia/Seoul"
    yearly_cron: str = "0 6 1 3 *"
    monthly_cron: str = "0 6 1 * *"
    refresh_after_load: bool = True


class ReportsFile(Strict):
    title_ko: str
    title_en: str
    dimensions: list[Dimension]
    cross: Cross | None = None
    measures: list[Measure]
    load_log_columns: list[str] | None = None
    trend_years: int = Field(default=5, ge=1)
    schedule: Schedule = Field(default_factory=Schedule)
