"""The yearly report: what a reader of the workbook and the HTML page sees."""

from __future__ import annotations

import base64
import io
import re

import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

from pipeline.disclosure.rules import load_rules
from pipeline.reports.yearly import build_yearly_report
from tests.conftest import SHIPPED_CONFIG

RULES = load_rules(path=SHIPPED_CONFIG / "disclosure.yaml")


@pytest.fixture(scope="module")
def report(shared_census_settings):
    return build_yearly_report(shared_census_settings, 2024)


def _secrets(settings) -> list[str]:
    import duckdb

    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        rows = con.execute("SELECT firm_name, brn, crn, representative_name, phone, email, address FROM firm_year").fetchall()
    return [v for row in rows for v in row if v]


def test_workbook_has_korean_sheets_frozen_headers_formats_and_charts(report):
    wb = load_workbook(report.excel)
    assert {"요약", "업종별", "산업단지별", "규모별", "차수별", "단지x업종", "연도별 추이", "신규·이탈", "데이터 품질", "일러두기"} <= set(wb.sheetnames)
    ws = wb["업종별"]
    assert ws.freeze_panes == "B5"
    assert [c.value for c in ws[4]][:4] == ["구분", "기업 수", "종사자 수", "매출액(백만원)"]
    header = [c.value for c in ws[4]]
    numbers = [c for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, (int, float))]
    assert numbers
    for c in numbers:  # sums are whole numbers in a thousands format, ratios one decimal
        ratio = "(%)" in header[c.column - 1] or "기업당" in header[c.column - 1]
        assert c.number_format == ("#,##0.0" if ratio and "매출액" not in header[c.column - 1] else "#,##0"), header[c.column - 1]
        if not ratio:
            assert isinstance(c.value, int), (header[c.column - 1], c.value)
    assert ws.column_dimensions["A"].width >= 20  # fits "전문, 과학 및 기술 서비스업"
    for name in ("업종별", "산업단지별", "규모별", "차수별", "연도별 추이"):
        # firms, employees and revenue, each charted when at least two categories are published
        rows = [v for k, v in _sheet_rows(wb[name]).items() if k != "계"]
        expected = sum(sum(isinstance(r[i], (int, float)) for r in rows) >= 2 for i in range(3))
        assert len(wb[name]._charts) == expected, name
        assert expected or name == "산업단지별"  # the sample publishes one complex: nothing to compare
    assert "차트자료" in wb.sheetnames and wb["차트자료"].sheet_state == "hidden"


def test_suppressed_cells_are_marked_and_counted(report):
    wb = load_workbook(report.excel)
    marks = 0
    for name in wb.sheetnames:
        if name in ("요약", "데이터 품질", "일러두기"):
            continue
        cells = [c for row in wb[name].iter_rows(min_row=5) for c in row]
        marks += sum(c.value == RULES.symbol for c in cells)
        texts = [c.value for c in cells if isinstance(c.value, str)]
        if any(v == RULES.symbol for v in texts):
            assert any(v.startswith(f"{RULES.symbol}:") for v in texts), f"{name} has X without the note"
    assert marks == report.suppressed_cells > 0
    births = {row[0].value: row[2].value for row in wb["신규·이탈"].iter_rows(min_row=5) if row[0].value}
    assert births["계"] == RULES.symbol  # two closures: fewer than three firms


def test_html_is_self_contained_with_korean_font_and_charts(report):
    html = report.html.read_text(encoding="utf-8")
    assert "2024년 기업실태조사 결과" in html
    assert html.count("<svg") >= 3  # breakdowns and trend; a column with fewer than two published values gets none
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    fonts = re.findall(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", html)
    assert len(fonts) == 2
    cmap = TTFont(io.BytesIO(base64.b64decode(fonts[0]))).getBestCmap()
    hangul = {ch for ch in html if "\uac00" <= ch <= "\ud7a3"}
    assert hangul and all(ord(ch) in cmap for ch in hangul)
    assert len(fonts[0]) < 400_000  # a subset, not the 2 MB font


def test_report_contains_no_personal_or_identifying_values(report, shared_census_settings):
    html = report.html.read_text(encoding="utf-8")
    wb = load_workbook(report.excel)
    cells = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    for secret in _secrets(shared_census_settings):
        assert secret not in html and secret not in cells


def test_published_cross_table_resists_the_totals_attack(report):
    from tests.outputs.test_disclosure import _recover

    ws = load_workbook(report.excel)["단지x업종"]
    rows = []
    for row in ws.iter_rows(min_row=5):
        rows.append([c.value for c in row[1:]])
        if row[0].value == "계":
            break
    published = pd.DataFrame(rows).dropna(axis=1, how="all")
    assert (published == RULES.symbol).to_numpy().sum() >= 2
    assert _recover(published) == {}


def _sheet_rows(ws) -> dict:
    """The table's rows by category, down to the total row (notes and source lines follow it)."""
    out = {}
    for row in ws.iter_rows(min_row=5):
        out[row[0].value] = [c.value for c in row[1:]]
        if row[0].value == "계":
            break
    return out


def test_linked_tables_hide_the_same_margins(report):
    # The sector sheet's firm counts are the complex x sector sheet's column totals (and the
    # complex sheet's are its row totals): a cell hidden in one and shown in the other is read
    # off the other. In the sample 시화 x 전문 (2 firms) forces 시화 x 도매 as its complement, the
    # only firms of 도매, so the 도매 total must be hidden in both sheets.
    wb = load_workbook(report.excel)
    cross = wb["단지x업종"]
    header = [c.value for c in cross[4]][1:]
    bottom = dict(zip(header, _sheet_rows(cross)["계"], strict=False))
    right = {k: v[-1] for k, v in _sheet_rows(cross).items()}
    sectors = {k: v[0] for k, v in _sheet_rows(wb["업종별"]).items()}
    complexes = {k: v[0] for k, v in _sheet_rows(wb["산업단지별"]).items()}
    assert sectors["도매 및 소매업"] == RULES.symbol
    for name, count in sectors.items():
        assert (count == RULES.symbol) == (bottom[name] == RULES.symbol), name
    for name, count in complexes.items():
        assert (count == RULES.symbol) == (right[name] == RULES.symbol), name
