"""A second agency root (CENSUS_ROOT) whose files differ from the checkout's: each kind of
configuration — validation rules, GX suites, canonical columns, layouts, taxonomies and their
labels, company aliases, reports and disclosure — is read from that root, none from the checkout."""

from __future__ import annotations

import json

import pytest

from pipeline.disclosure.rules import load_rules
from pipeline.load import read_year_file, stage_year_file
from pipeline.reports.config import load_report_config
from pipeline.settings import load_settings, make_project
from pipeline.supply.links import supply_links
from pipeline.supply.setup import supply_setup
from pipeline.tables.registry import table_registry
from pipeline.validation import validate_year
from tests.conftest import SHARED_REFERENCE, SHIPPED_CONFIG, SHIPPED_EXPECTATIONS

# Text that exists only in the agency root's files.
DUPLICATE_MESSAGE = "기관 규칙 - 이미 신고된 사업자번호입니다"
SUITE_RULE = "agency_employees_below_zero"
EXTRA_COLUMN = "member_no"
LAYOUT = "agency_only_layout"
CASTING_LABEL = "주조(기관 분류)"
ALIAS = "시흥모터스"
REPORT_TITLE = "{year}년 기관 기업 현황"
MONTHLY_CRON = "0 7 2 * *"

AGENCY_LAYOUT = f"""
name: {LAYOUT}
description: 이 기관에만 있는 양식 / a layout only this agency has
columns:
  firm_name: {{headers: [상호명]}}
  brn: {{headers: [사업자번호], required: true}}
  employees_total: {{headers: [근로자수]}}
  ksic_code: {{headers: [업종코드]}}
  customer_1_name: {{headers: [주거래처]}}
  {EXTRA_COLUMN}: {{headers: [회원번호]}}
"""


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def agency(tmp_path, monkeypatch):
    """An agency root made from the checkout's files, then changed; CENSUS_ROOT points at it."""
    root = tmp_path / "agency"
    make_project(root, SHARED_REFERENCE)
    config = root / "config"
    _edit(config / "validation.yaml", "message_ko: 같은 연도에 같은 사업자등록번호가 이미 있습니다 (원본 {first_row}행)",
          f"message_ko: {DUPLICATE_MESSAGE}")
    suite = root / "expectations" / "staged_census_rows.json"
    raw = json.loads(suite.read_text(encoding="utf-8"))
    for exp in raw["expectations"]:
        if exp["meta"]["rule"] == "employees_total_negative":
            exp["meta"]["rule"] = SUITE_RULE
    suite.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    _edit(config / "canonical_columns.yaml", "\n# Columns the loader adds",
          f"\n  {EXTRA_COLUMN}: {{type: text, disclosure: public, label_ko: 회원번호, label_en: Member number}}\n"
          "\n# Columns the loader adds")
    (config / "layouts" / f"{LAYOUT}.yaml").write_text(AGENCY_LAYOUT, encoding="utf-8")
    _edit(config / "taxonomies" / "root_industries.yaml", "{label_ko: 주조,", f"{{label_ko: {CASTING_LABEL},")
    _edit(config / "company_aliases.yaml", "  현대자동차: [현대차,", f"  현대자동차: [{ALIAS}, 현대차,")
    _edit(config / "reports.yaml", 'title_ko: "{year}년 기업실태조사 결과"', f'title_ko: "{REPORT_TITLE}"')
    _edit(config / "reports.yaml", 'monthly_cron: "0 6 1 * *"', f'monthly_cron: "{MONTHLY_CRON}"')
    _edit(config / "disclosure.yaml", "min_firms: 3", "min_firms: 5")
    monkeypatch.delenv("CENSUS_SETTINGS", raising=False)
    monkeypatch.setenv("CENSUS_ROOT", str(root))
    return root


def test_the_checkout_does_not_hold_the_agencys_text():
    """Otherwise the test below could pass while reading the checkout."""
    shipped = "".join(p.read_text(encoding="utf-8") for p in [*SHIPPED_CONFIG.rglob("*.yaml"), *SHIPPED_EXPECTATIONS.glob("*.json")])
    for text in (DUPLICATE_MESSAGE, SUITE_RULE, EXTRA_COLUMN, LAYOUT, CASTING_LABEL, ALIAS, "기관 기업 현황", MONTHLY_CRON):
        assert text not in shipped


def _delivery(path):
    rows = ["상호명,사업자번호,근로자수,업종코드,주거래처,회원번호",
            "(주)대성정밀,1348672683,12,29293,시흥모터스,A-001",
            "한빛금속,1348672683,8,24311,,A-002",       # the same BRN again: the duplicate rule
            "미래기계,2208869974,-3,29293,,A-003"]       # negative employees: the suite's rule
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_every_config_file_is_read_from_the_agency_root(agency, tmp_path):
    settings = load_settings()
    assert settings.root == agency.resolve()
    path = _delivery(settings.raw_dir / "2024_agency.csv")

    # Layouts and canonical columns: the agency's layout is chosen and maps its own column.
    assert read_year_file(path, settings).layout.name == LAYOUT
    staged = stage_year_file(path, 2024, settings)
    assert staged.frame[EXTRA_COLUMN].tolist() == ["A-001", "A-002", "A-003"]

    # Validation rules (validation.yaml) and GX suites (expectations/): the agency's message and
    # the agency's rule name reach the quarantine.
    validated = validate_year(staged, settings)
    quarantine = validated.quarantine.set_index("rule")
    assert quarantine.loc["duplicate_brn", "message_ko"] == DUPLICATE_MESSAGE
    assert quarantine.loc[SUITE_RULE, "source_row"] == 4
    assert "employees_total_negative" not in quarantine.index

    # Taxonomies and their labels: the agency's label reaches the label table the registry builds
    # census.duckdb's label_root_industries from.
    rows = {code: ko for code, ko, _ in table_registry(settings).label_tables["label_root_industries"].rows}
    assert rows["root_casting"] == CASTING_LABEL

    # Company aliases: a customer spelled as only the agency's alias table knows resolves.
    setup = supply_setup(settings)
    links = supply_links(validated.frame, setup.registry, setup.linkage["supply"], setup.rules)
    assert links.loc[links["customer_name_raw"] == ALIAS, "target_name"].tolist() == ["현대자동차"]

    # Reports and disclosure.
    assert load_report_config(settings).title_ko == REPORT_TITLE
    assert load_rules(settings).min_firms == 5


def test_the_schedules_follow_the_agency_root(agency):
    from assets.definitions import build_definitions

    defs = build_definitions(load_settings())
    assert defs.get_schedule_def("monthly_reports").cron_schedule == MONTHLY_CRON


def test_the_validation_checks_are_named_by_the_agency_suites(agency):
    from assets.validation import _check_specs

    _edit(agency / "config" / "validation.yaml", "  staged: staged_census_rows", "  staged: agency_rows")
    (agency / "expectations" / "staged_census_rows.json").rename(agency / "expectations" / "agency_rows.json")
    assert _check_specs()[0].name == "agency_rows"

