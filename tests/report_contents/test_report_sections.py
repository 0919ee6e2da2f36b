"""The yearly report's contents, on a sample classified by the pipeline: every configured
section is published with numbers, small categories are merged rather than hidden, small areas
never reach the map, sums stay integers, and both editions print on A4."""

from __future__ import annotations

import html as html_module
import re
import zipfile

import pytest
from openpyxl import load_workbook

from pipeline.disclosure.rules import load_rules
from pipeline.reports.config import ReportConfigError, load_report_config, parse_report_config
from pipeline.reports.yearly import build_yearly_report
from pipeline.settings import PACKAGE_ROOT
from tests.conftest import SHIPPED_CONFIG
from tests.outputs.test_disclosure import _recover
from tests.report_contents.conftest import ADDED_STAGE, CLUSTERS, FORMULA_NAME, PROGRAMMES

RULES = load_rules(path=SHIPPED_CONFIG / "disclosure.yaml")
CONFIG = load_report_config(PACKAGE_ROOT / "config" / "reports.yaml")


@pytest.fixture(scope="module")
def report(rich_settings):
    return build_yearly_report(rich_settings, 2024)


def _table(ws) -> dict:
    """{category: [cells]} from the header row (4) down to the total row."""
    out = {}
    for row in ws.iter_rows(min_row=5):
        out[row[0].value] = [c.value for c in row[1:]]
        if row[0].value == "계":
            break
    return out


def _numbers(rows: dict) -> list:
    return [v for k, vals in rows.items() if k != "계" for v in vals if isinstance(v, (int, float))]


def test_each_configured_section_appears_with_data(report):
    wb = load_workbook(report.excel)
    html = report.html.read_text(encoding="utf-8")
    assert report.skipped_sections == ()
    for section in CONFIG.sections:
        if section.kind == "quality":
            assert section.sheet in wb.sheetnames and "데이터 품질 (내부용)" in html
            continue
        assert section.sheet in wb.sheetnames, section.key
        assert _numbers(_table(wb[section.sheet])), f"{section.key}: no published number"
        assert f'id="{section.key}"' in html, section.key


def test_growth_section_shows_stages_and_programmes_under_disclosure_control(report):
    wb = load_workbook(report.excel)
    stages = _table(wb["성장단계"])
    # the configured stages in their order, the one the agency added after them, then 계
    assert list(stages) == ["중핵기업", "예비기업", "잠재기업", "일반기업", "판단불가", ADDED_STAGE, "계"]
    assert stages[ADDED_STAGE][0] == RULES.symbol  # two firms
    assert stages["판단불가"][0] == RULES.symbol  # its complement: 계 less the others would give the two
    assert stages["예비기업"][0] == 79 and stages["잠재기업"][0] == 120 and stages["계"][0] == 398
    programmes = {k: v for k, v in list(_table(wb["지원사업 후보"]).items())[:len(PROGRAMMES)]}
    assert [c.value for c in wb["지원사업 후보"][4]] == ["구분", "대상", "비대상", "판단불가", "계"]
    assert list(programmes) == sorted(PROGRAMMES)  # no 계 row: each programme splits the same firms
    assert programmes["지역스타기업"] == [118, 240, 40, 398]
    # two eligible firms: hidden with a complement in the same programme's row
    assert programmes["지역강소기업"][0] == RULES.symbol and programmes["지역강소기업"][2] == RULES.symbol
    html = report.html.read_text(encoding="utf-8")
    assert "성장단계 및 지원사업 후보" in html
    ids = {c.value for ws in (wb["성장단계"], wb["지원사업 후보"]) for row in ws.iter_rows() for c in row}
    assert not any(isinstance(v, str) and re.fullmatch(r"F\d{5}", v) for v in ids)  # no firm id


def _network_figure(html: str) -> str:
    section = html[html.index('id="network"'):html.index('id="map"')]
    return re.findall(r"<svg.*?</svg>", section, re.S)[0]


def test_network_picture_draws_clusters_and_chains_and_no_firm(report, rich_settings):
    html = report.html.read_text(encoding="utf-8")
    svg = _network_figure(html)
    assert all(name in svg for name in CLUSTERS) and "자동차" in svg and "전자" in svg
    assert svg.count("<circle") == len(CLUSTERS) + 3  # four clusters, three chains (자동차, 전자, 미상)
    assert "stroke-dasharray" in svg  # a hidden link is drawn dashed, marked X
    import duckdb

    with duckdb.connect(str(rich_settings.duckdb_path), read_only=True) as con:
        names = {r[0] for r in con.execute("SELECT firm_name FROM firm_year UNION SELECT member_name FROM cluster_member "
                                           "WHERE role = 'firm' UNION SELECT firm_id FROM cluster_member").fetchall() if r[0]}
        customers = {r[0] for r in con.execute("SELECT customer_1_name FROM firm_year").fetchall() if r[0]}
    texts = [html_module.unescape(t) for t in re.findall(r">([^<>]+)</text>", svg)]
    for text in texts:
        assert not any(name in text for name in names | customers), text
    caption = html[html.index("</svg>", html.index('id="network"')):][:2000]
    assert "개별 기업과 거래처는 그리지 않으며" in caption and "자료: 시흥산업진흥원" in caption
    sheet = load_workbook(report.excel)["클러스터 네트워크"]
    assert len(sheet._images) == 1
    cells = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert not any(name in cell for cell in cells for name in names)


def test_sections_without_growth_or_cluster_tables_are_left_out(tmp_path, rich_db_template):
    import duckdb

    import tests.outputs.conftest as sample

    settings = sample._sample_settings(tmp_path / "empty", rich_db_template)
    with duckdb.connect(str(settings.duckdb_path)) as con:
        for table in ("growth_stage", "programme_screening", "cluster_member"):
            con.execute(f"DELETE FROM {table}")
    empty = build_yearly_report(settings, 2024, tmp_path / "empty_out")
    assert set(empty.skipped_sections) == {"growth_stage", "programmes", "network"}
    settings = sample._sample_settings(tmp_path / "none", rich_db_template)
    with duckdb.connect(str(settings.duckdb_path)) as con:
        for table in ("growth_stage", "programme_screening", "cluster_member"):
            kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?", [table]).fetchone()[0]
            con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {table}")
    none = build_yearly_report(settings, 2024, tmp_path / "none_out")
    assert set(none.skipped_sections) == {"growth_stage", "programmes", "network"}
    assert "성장단계" not in load_workbook(none.excel).sheetnames


def test_size_table_publishes_the_medium_firms_merged_with_the_single_large_one(report, rich_settings):
    rows = _table(load_workbook(report.excel)["규모별"])
    # one 중견기업 in 2024: hidden alone it would force 중기업 (51 firms) as its complement
    assert "중견기업" not in rows and rows["중기업 이상"][0] == 52
    assert rows["소기업"][0] == 346 and rows["계"][0] == 398
    assert not any(v == RULES.symbol for vals in rows.values() for v in vals[:3])
    notes = [c.value for c in load_workbook(report.excel)["일러두기"]["A"] if c.value]
    assert any("중견기업 → 중기업 이상" in n for n in notes)


def test_themes_split_materials_parts_equipment_and_root_technologies(report):
    rows = {k.strip(): v for k, v in _table(load_workbook(report.excel)["소부장·뿌리·전략"]).items() if k}
    assert rows["소재·부품·장비(소부장) 계"][0] == 299
    parts = [rows[f"소재·부품·장비: {p}"][0] for p in ("소재", "부품", "장비")]
    assert all(isinstance(p, int) and p > 0 for p in parts)
    assert rows["뿌리산업: 금형"][0] > 0 and rows["뿌리산업: 주조"][0] > 0
    assert rows["지역전략산업: 바이오"][0] == RULES.empty_symbol  # no firm: the empty mark, not 0


def test_map_shows_no_area_under_the_threshold(report):
    wb = load_workbook(report.excel)
    rows = _table(wb["읍면동 지도"])
    assert rows["시흥시 과림동"][:2] == [RULES.symbol, RULES.symbol] and rows["시흥시 포동"][:2] == [RULES.symbol, RULES.symbol]
    assert rows["시흥시 정왕동"][0] == 271
    assert len(wb["읍면동 지도"]._images) == 1  # the cartogram as a picture
    html = report.html.read_text(encoding="utf-8")
    section = html[html.index('id="map"'):html.index('id="trend"')]
    assert section.count("<svg") == 1 and "도식 지도" in section


def test_sums_are_integers_and_ratios_one_decimal(report):
    wb = load_workbook(report.excel)
    for name in ("업종별", "규모별", "수출·연구개발", "성별·외국인", "제조업 중분류"):
        ws = wb[name]
        header = [c.value for c in ws[4]]
        for row in ws.iter_rows(min_row=5, max_row=4 + len(_table(ws))):
            for c in row[1:]:
                if isinstance(c.value, float):
                    assert "(%)" in header[c.column - 1] or "기업당" in header[c.column - 1], (name, header[c.column - 1], c.value)
    html = report.html.read_text(encoding="utf-8")
    assert not re.search(r">\d{1,3}(,\d{3})+\.0<", html)  # no "1,004.0" sums


def test_every_table_and_chart_has_a_source_line_and_the_page_prints_on_a4(report):
    html = report.html.read_text(encoding="utf-8")
    source = "자료: 시흥산업진흥원, 「2024년 기업실태조사」(조사 기준일 2024-12-31)"
    n_tables, n_figures = html.count("<table>"), html.count("<figure")
    assert html.count(source) >= n_tables + n_figures - 4  # the quality annex's four tables carry none
    assert re.search(r"@page\s*{\s*size:\s*A4", html) and "break-inside: avoid" in html
    wb = load_workbook(report.excel)
    ws = wb["업종별"]
    assert any(c.value == source for c in ws["A"])
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.freeze_panes == "B5" and ws.auto_filter.ref.startswith("A4:")


def test_workbook_uses_the_korean_font_and_neutralises_text(report):
    wb = load_workbook(report.excel)
    fonts = {c.font.name for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {CONFIG.excel_font}
    complexes = _table(wb["산업단지별"])
    assert "'" + FORMULA_NAME in complexes and FORMULA_NAME not in complexes
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for ws in wb for row in ws.iter_rows() for c in row)


def test_summary_reports_survey_metadata_and_what_was_hidden(report):
    rows = {r[0].value: r[1].value for r in load_workbook(report.excel)["요약"].iter_rows(min_row=5) if r[0].value}
    assert rows["조사 기준일"] == "2024-12-31" and rows["집계 기업 수"] == 398
    assert re.fullmatch(r"\d+ / \d{1,3}(,\d{3})*", rows["비공개(X) 셀 수"])
    assert rows["비공개(X) 셀 수"].split(" / ")[0] == str(report.suppressed_cells)
    assert rows["비공개 값이 있는 범주의 기업 비중"] == f"{report.hidden_firm_share * 100:.1f}%"
    annex = [r for r in load_workbook(report.excel)["데이터 품질"].iter_rows(values_only=True)]
    by_table = {r[1]: r for r in annex if r and r[1] and str(r[1]).startswith("기업규모별")}
    assert len(by_table) == 1 and "중견기업→중기업 이상" in next(iter(by_table.values()))[6]


def test_publication_edition_leaves_out_the_quality_annex(report):
    public = load_workbook(report.public_excel)
    assert "데이터 품질" not in public.sheetnames and "데이터 품질" in load_workbook(report.excel).sheetnames
    html = report.public_html.read_text(encoding="utf-8")
    assert "데이터 품질" not in html and "공표용" in html
    assert "phone_format" not in html  # a rule name of the quarantine
    # The publication workbook is the internal one saved again without the annex: nothing of
    # the annex (titles, load-log headings, rule names) is left anywhere in the file.
    with zipfile.ZipFile(report.public_excel) as z:
        text = html_module.unescape("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))
    with zipfile.ZipFile(report.excel) as z:
        internal = html_module.unescape("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))
    for annex_text in ("데이터 품질", "적재 이력", "격리(오류)", "phone_format"):
        assert annex_text in internal and annex_text not in text, annex_text


def test_published_two_way_tables_resist_the_totals_attack(report):
    wb = load_workbook(report.excel)
    assert RULES.symbol in str(_table(wb["단지x업종"]))  # the attack has something to aim at
    for name in ("단지x업종", "차수x가치사슬", "클러스터 네트워크"):
        rows = list(_table(wb[name]).values())
        import pandas as pd

        published = pd.DataFrame(rows).dropna(axis=1, how="all")
        if (published == RULES.symbol).to_numpy().any():
            assert _recover(published) == {}, name


def test_a_misspelt_key_fails_with_the_file_and_key():
    raw = CONFIG.model_dump()
    raw["sections"][0]["chrat"] = ["firms"]
    with pytest.raises(ReportConfigError, match=r"^reports.yaml: sections.0.chrat: "):
        parse_report_config(raw)
    raw = CONFIG.model_dump()
    raw["sections"][0]["measures"] = ["firms", "employes"]
    with pytest.raises(ReportConfigError, match="unknown measure 'employes'"):
        parse_report_config(raw)


def test_last_years_counts_are_hidden_as_last_years_report_hid_them(tmp_path):
    # In the small sample 업종 is protected together with 산업단지 × 업종, and 도매 및 소매업's
    # count is hidden only because of that link: hidden in the 2023 report, it must not come
    # back as "전년 기업 수" in the 2024 one.
    import tests.outputs.conftest as small

    built = small.template_settings(tmp_path / "small")
    small.make_census_db(built)
    settings = small._sample_settings(tmp_path / "project", built.duckdb_path)
    previous = build_yearly_report(settings, 2023, tmp_path / "2023")
    current = build_yearly_report(settings, 2024, tmp_path / "2024")
    last_year = {k: v[0] for k, v in _table(load_workbook(previous.excel)["업종별"]).items()}
    assert last_year["도매 및 소매업"] == RULES.symbol
    ws = load_workbook(current.excel)["업종별"]
    col = [c.value for c in ws[4]].index("전년 기업 수") - 1
    shown = {k: v[col] for k, v in _table(ws).items()}
    for category, value in last_year.items():
        assert shown.get(category, RULES.empty_symbol) == value, category
