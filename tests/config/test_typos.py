"""A typo in any config file stops the run at load with one line naming the file and the key,
never a traceback or a silently ignored setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.config import ConfigError
from pipeline.settings import load_settings, make_project
from tests.conftest import REPO, SHARED_REFERENCE

UNKNOWN = "알 수 없는 항목입니다 / unknown key"

# (file of the config folder, text as shipped, the same text with a typo, the key named)
TYPOS = [
    ("settings.yaml", "header_scan_rows:", "header_scan_row:", "load.header_scan_row"),
    ("validation.yaml", "blocking_error_share:", "blocking_eror_share:", "thresholds.blocking_eror_share"),
    ("validation.yaml", "    column: brn\n    severity: error\n    message_ko: 사업자등록번호가 10자리",
     "    colum: brn\n    severity: error\n    message_ko: 사업자등록번호가 10자리", "rules.brn_malformed.colum"),
    ("reports.yaml", "trend_years:", "trend_year:", "trend_year"),
    ("reports.yaml", "monthly_cron:", "montly_cron:", "schedule.montly_cron"),
    ("disclosure.yaml", "  dominance_k_pct:", "  dominance_kpct:", "primary.dominance_kpct"),
    ("linkage.yaml", "  fuzzy_threshold:", "  fuzy_threshold:", "supply.fuzy_threshold"),
    ("oem_registry.yaml", "      - {name: 현대모비스, tier: 1,", "      - {nam: 현대모비스, tier: 1,", "chains.automotive.suppliers.0.nam"),
    ("company_aliases.yaml", "  latin:", "  latn:", "legal_forms.latn"),
    ("canonical_columns.yaml", "provenance:", "provenence:", "provenence"),
    ("taxonomies/root_industries.yaml", "any_column:", "any_colum:", "any_colum"),
    ("classification/firm_size.yaml", "  employee_limit_default:", "  employee_limit_defualt:",
     "small_business.employee_limit_defualt"),
    ("classification/address.yaml", "sido:", "sidos:", "sidos"),
    ("classification/complexes.yaml", "not_in_complex:", "not_in_complexes:", "not_in_complexes"),
]


@pytest.fixture
def agency(tmp_path):
    return make_project(tmp_path / "agency", SHARED_REFERENCE)


@pytest.mark.parametrize(("name", "shipped", "typo", "key"), TYPOS, ids=[f"{t[0]}:{t[3]}" for t in TYPOS])
def test_a_typo_names_the_file_and_the_key(agency, name, shipped, typo, key):
    path = agency.parent / name
    text = path.read_text(encoding="utf-8")
    assert shipped in text, f"{name} no longer holds {shipped!r}: update the test"
    path.write_text(text.replace(shipped, typo, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(agency)
    message = str(caught.value)
    assert message.startswith(f"config/{name}: {key}: {UNKNOWN}")
    assert "\n" not in message


def test_a_wrong_value_is_named_too(agency):
    path = agency.parent / "disclosure.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min_firms: 3", "min_firms: three"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^config/disclosure.yaml: primary.min_firms: 값이 올바르지 않습니다 / invalid value"):
        load_settings(agency)


def test_yaml_that_does_not_parse_is_one_line(agency):
    path = agency.parent / "linkage.yaml"
    path.write_text("supply: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(agency)
    assert str(caught.value).startswith("config/linkage.yaml: YAML 형식이 아닙니다 / not valid YAML")
    assert "\n" not in str(caught.value)


def test_the_command_line_prints_one_line_and_no_traceback(agency):
    path = agency.parent / "validation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("blocking_error_share:", "blocking_eror_share:"), encoding="utf-8")
    env = {**os.environ, "CENSUS_SETTINGS": str(agency), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", "from census_cli.main import app; app()", "validate", "x_2024.csv"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == ("✗ 설정 오류 / configuration error: config/validation.yaml: "
                                   f"thresholds.blocking_eror_share: {UNKNOWN}")
