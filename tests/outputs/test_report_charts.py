"""The report's charts as a reader sees them in the HTML page: bars largest first, a hidden
category drawn without a bar but with its mark, Korean text as text in the page's font, and no
label running past the chart's edge."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd

from pipeline.reports.charts import chart_svg, text_width
from pipeline.reports.tables import PublishedTable

NS = "{http://www.w3.org/2000/svg}"


def _table(sort: str = "value", kind: str = "bar") -> PublishedTable:
    frame = pd.DataFrame({"기업 수": [12, 340, "X", 57, 409], "종사자 수": [150, 5210, "X", 800, 6160]},
                         index=["도매 및 소매업", "제조업", "운수 및 창고업", "전문, 과학 및 기술 서비스업", "계"], dtype=object)
    return PublishedTable(key="sector", title_ko="업종(대분류)별 기업 수·종사자 수", title_en="Firms by section", sheet="업종별",
                          frame=frame, number_formats={}, chart_columns=["기업 수", "종사자 수"], chart_sort=sort, chart_kind=kind)


def _texts(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{NS}text"))


def test_bars_are_sorted_by_value_with_the_hidden_category_last_and_empty():
    svg = chart_svg(_table())
    root = ET.fromstring(svg)
    labels = [t.text for t in _texts(svg) if t.get("text-anchor") == "end"]
    assert labels[:4] == ["제조업", "전문, 과학 및 기술 서비스업", "도매 및 소매업", "운수 및 창고업"]  # first panel
    values = [t.text for t in _texts(svg) if t.get("text-anchor") == "start"]
    assert values[:4] == ["340", "57", "12", "X"]  # the mark where the hidden value would be
    assert len(list(root.iter(f"{NS}rect"))) == 6  # three bars per panel: none for the hidden category
    assert "계" not in labels  # the total is not a category
    assert "ReportKorean" in root.get("font-family")  # the font the page embeds, subset from the page's text


def test_labels_stay_inside_the_chart():
    svg = chart_svg(_table())
    width = float(ET.fromstring(svg).get("width"))
    for t in _texts(svg):
        x, w = float(t.get("x")), text_width(t.text, float(t.get("font-size")))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        assert 0 <= left and left + w <= width, t.text


def test_ordinal_chart_keeps_the_table_order_and_a_trend_is_a_line():
    bars = chart_svg(_table(sort="order"))
    assert [t.text for t in _texts(bars) if t.get("text-anchor") == "end"][:4] == [
        "도매 및 소매업", "제조업", "운수 및 창고업", "전문, 과학 및 기술 서비스업"]
    line = chart_svg(_table(sort="order", kind="line"))
    assert len(re.findall("<polyline", line)) == 2 and "<rect" not in line


def test_no_chart_when_fewer_than_two_values_are_published():
    table = _table()
    table.frame["기업 수"] = ["X", 340, "X", "X", 409]
    table.frame["종사자 수"] = ["X", "X", "X", "X", 6160]
    assert chart_svg(table) is None


def test_the_report_modules_load_without_the_drawing_and_font_libraries():
    """The code location imports the report modules: matplotlib (no longer drawn with), fontTools'
    subsetter and jinja2 are loaded when a report is written, not when Dagster starts."""
    import subprocess
    import sys

    probe = ("import sys, pipeline.reports.yearly; "
             "print(sorted(m for m in ('matplotlib', 'fontTools.subset', 'jinja2') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
