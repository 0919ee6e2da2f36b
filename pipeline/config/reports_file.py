"""config/reports.yaml: the yearly report's sections, breakdowns, measures, themes, survey
metadata and its automation. The report's own checks (a section naming an unknown measure or
dimension) run here, so a bad file fails at load with one line naming the file and key."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from pipeline.config.base import Strict


class Measure(Strict):
    column: str | None
    label_ko: str
    label_en: str
    unit_ko: str = ""


class Ratio(Strict):
    numerator: str
    denominator: str
    scale: float = 1.0
    decimals: int = 1
    label_ko: str
    label_en: str


class RowFilter(Strict):
    column: str
    equals: str | int | bool


class Dimension(Strict):
    column: str | None = None
    columns: list[str] | None = None
    label_ko: str
    label_en: str
    missing_label: str = "미상"
    order: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)
    filter: RowFilter | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if (self.column is None) == (self.columns is None):
            raise ValueError("give `column` or `columns` (one of them)")
        return self

    @property
    def source_columns(self) -> list[str]:
        return [self.column] if self.column else list(self.columns or [])


class Theme(Strict):
    label_ko: str
    label_en: str
    any: str
    parts: dict[str, str]


class Section(Strict):
    key: str
    kind: Literal["breakdown", "themes", "cross", "map", "trend", "births", "screening", "network", "quality"]
    sheet: str
    title_ko: str | None = None
    title_en: str | None = None
    dimension: str | None = None
    rows: str | None = None
    cols: str | None = None
    themes: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=lambda: ["firms"])
    ratios: list[str] = Field(default_factory=list)
    change: bool = False
    chart: list[str] = Field(default_factory=list)
    chart_sort: Literal["value", "order"] = "value"


class Survey(Strict):
    population_by_year: dict[int, int] = Field(default_factory=dict)
    method_ko: str = ""
    method_en: str = ""


class Columns(Strict):
    year: str


_IDENTIFIER = r"^[a-z_][a-z0-9_]*$"  # table and column names go into SQL: plain names only


class Screening(Strict):
    """The support-programme screening table (pipeline/growth): one row per firm, year and programme."""

    table: str = Field("programme_screening", pattern=_IDENTIFIER)
    programme: str = Field("programme", pattern=_IDENTIFIER)
    result: str = Field("result", pattern=_IDENTIFIER)
    results: list[str] = Field(default_factory=lambda: ["대상", "비대상", "판단불가"])  # column order
    labels: dict[str, str] = Field(default_factory=dict)


class Clusters(Strict):
    """The mini-cluster roster table (pipeline/clusters): one row per roster row, firms linked to firm ids."""

    table: str = Field("cluster_member", pattern=_IDENTIFIER)
    cluster: str = Field("cluster_name", pattern=_IDENTIFIER)
    role: str = Field("role", pattern=_IDENTIFIER)
    firm_role: str = "firm"
    label_ko: str = "미니클러스터"
    label_en: str = "Mini-cluster"


class Schedule(Strict):
    timezone: str = "Asia/Seoul"
    yearly_cron: str = "0 6 1 3 *"
    monthly_cron: str = "0 6 1 * *"
    refresh_after_load: bool = True


class ReportConfig(Strict):
    title_ko: str
    title_en: str
    source_ko: str
    source_en: str
    survey: Survey = Survey()
    columns: Columns
    measures: dict[str, Measure]
    ratios: dict[str, Ratio] = Field(default_factory=dict)
    dimensions: dict[str, Dimension]
    themes: dict[str, Theme] = Field(default_factory=dict)
    sections: list[Section]
    # Tables keyed by firm_id and census_year (growth_stage ...) whose columns breakdowns may
    # name like firm_year's; joined through firm_year_identity when both exist.
    firm_tables: list[str] = Field(default_factory=list)
    screening: Screening = Screening()
    clusters: Clusters = Clusters()
    load_log_columns: list[str] = Field(default_factory=list)
    trend_years: int = Field(5, ge=1)
    excel_font: str = "맑은 고딕"
    font_fallback: str = "NanumGothic"
    schedule: Schedule = Schedule()

    @model_validator(mode="after")
    def _references(self):
        """Every name a section or ratio uses is defined (else the report would fail late)."""
        for name, r in self.ratios.items():
            for m in (r.numerator, r.denominator):
                if m not in self.measures:
                    raise ValueError(f"ratios.{name}: unknown measure '{m}'")
        keys = set()
        for i, s in enumerate(self.sections):
            where = f"sections[{i}] ({s.key})"
            if s.key in keys:
                raise ValueError(f"{where}: key used twice")
            keys.add(s.key)
            for m in s.measures + s.chart:
                if m not in self.measures:
                    raise ValueError(f"{where}: unknown measure '{m}'")
            for r in s.ratios:
                if r not in self.ratios:
                    raise ValueError(f"{where}: unknown ratio '{r}'")
            for d in (s.dimension, s.rows, s.cols):
                if d is not None and d not in self.dimensions:
                    raise ValueError(f"{where}: unknown dimension '{d}'")
            for t in s.themes:
                if t not in self.themes:
                    raise ValueError(f"{where}: unknown theme '{t}'")
            needs = {"breakdown": s.dimension, "map": s.dimension, "births": s.dimension, "network": s.dimension,
                     "cross": s.rows and s.cols, "themes": s.themes}
            if s.kind in needs and not needs[s.kind]:
                raise ValueError(f"{where}: kind {s.kind} needs {'rows and cols' if s.kind == 'cross' else 'dimension' if s.kind != 'themes' else 'themes'}")
        for t in self.firm_tables:
            if not re.match(_IDENTIFIER, t):
                raise ValueError(f"firm_tables: '{t}' is not a table name")
        return self


# The settings root reads reports.yaml with this model.
ReportsFile = ReportConfig
