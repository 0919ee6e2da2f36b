"""The self-contained HTML report: inline SVG charts, the Korean font subset and embedded as
base64 @font-face, no external resources."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pandas as pd

from pipeline.reports.charts import chart_svg
from pipeline.reports.excel import QUALITY_HEADERS
from pipeline.reports.fonts import subset_font_base64
from pipeline.reports.tables import QUALITY_TITLES, YearlyReport


def format_cell(value: object, number_format: str = "#,##0") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if number_format.endswith(".0") or (number_format.endswith(".#") and value != int(value)):
        return f"{value:,.1f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.filters["cell"] = format_cell
    return env


def chart_svgs(report: YearlyReport) -> dict[str, str | None]:
    """Each table's chart by table key, drawn once: both editions show the same charts."""
    return {t.key: chart_svg(t) for t in report.tables}


def render_html(report: YearlyReport, charts: dict[str, str | None] | None = None) -> str:
    """`charts`: from chart_svgs(), to reuse charts already drawn for the other edition."""
    template = _environment().get_template("report.html.j2")
    charts = charts if charts is not None else chart_svgs(report)
    tables = [{"table": t, "svg": charts[t.key]} for t in report.tables]
    context = {"report": report, "tables": tables, "quality_titles": QUALITY_TITLES, "quality_headers": QUALITY_HEADERS, "font_regular": "", "font_bold": ""}
    # Render once to learn every character on the page, then embed a font subset holding them.
    text = template.render(**context)
    context["font_regular"] = subset_font_base64(text)
    context["font_bold"] = subset_font_base64(text, "Bold")
    return template.render(**context)


def write_html(report: YearlyReport, path: Path, charts: dict[str, str | None] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.html")
    tmp.write_text(render_html(report, charts), encoding="utf-8")
    tmp.replace(path)
    return path
