"""The self-contained HTML report: inline SVG charts, the Korean font subset and embedded as
base64 @font-face, no external resources."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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


_FONT_SLOT, _BOLD_SLOT = "REPORT_FONT_REGULAR_SLOT", "REPORT_FONT_BOLD_SLOT"  # base64 never holds "_"


@lru_cache(maxsize=1)
def _template():
    """The page template (a jinja2.Template), compiled once per process (every report and
    edition uses it); jinja2 is imported here, not when the code location loads."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.filters["cell"] = format_cell
    return env.get_template("report.html.j2")


def chart_svgs(report: YearlyReport) -> dict[str, str | None]:
    """Each table's chart by table key, drawn once: both editions show the same charts."""
    return {t.key: chart_svg(t) for t in report.tables}


def render_pages(reports: list[YearlyReport], charts: dict[str, str | None] | None = None) -> list[str]:
    """The pages of `reports` (the editions of one report), each embedding a font subset of its
    own characters: the publication edition's font holds no trace of the internal annex (not
    even which characters it uses). `charts`: from chart_svgs(), drawn once for the editions
    (they have the same tables)."""
    template = _template()
    out = []
    for report in reports:
        drawn = charts if charts is not None else chart_svgs(report)
        page = template.render(report=report, tables=[{"table": t, "svg": drawn[t.key]} for t in report.tables],
                               quality_titles=QUALITY_TITLES, quality_headers=QUALITY_HEADERS,
                               font_regular=_FONT_SLOT, font_bold=_BOLD_SLOT)
        # Rendered once: the page holds every character its font subset needs (the slots are
        # ASCII, which every subset holds), then the subsets take the slots' place.
        out.append(page.replace(_FONT_SLOT, subset_font_base64(page)).replace(_BOLD_SLOT, subset_font_base64(page, "Bold")))
    return out


def render_html(report: YearlyReport, charts: dict[str, str | None] | None = None) -> str:
    return render_pages([report], charts)[0]


def write_page(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.html")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def write_html(report: YearlyReport, path: Path, charts: dict[str, str | None] | None = None) -> Path:
    return write_page(render_html(report, charts), path)
