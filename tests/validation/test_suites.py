import json
import shutil

import pytest

from pipeline.validation import SuiteError, ValidationConfigError, load_config, load_suite, validate_year
from pipeline.validation.suites import build_gx_suite
from tests.conftest import SHIPPED_CONFIG, SHIPPED_EXPECTATIONS
from tests.validation.helpers import KSIC, make_staged

SUITE_DIR = SHIPPED_EXPECTATIONS
SUITES = sorted(p.stem for p in SUITE_DIR.glob("*.json"))
CONFIG = SHIPPED_CONFIG / "validation.yaml"


def test_there_is_a_suite_per_validated_table():
    assert set(load_config(CONFIG).suites.values()) <= set(SUITES)
    assert {"staged_census_rows", "firm_year"} <= set(SUITES)


@pytest.mark.parametrize("name", SUITES)
def test_suite_keeps_every_expectation_on_load(name):
    """GX logs and drops an invalid expectation; a suite must come back whole."""
    raw = json.loads((SUITE_DIR / f"{name}.json").read_text(encoding="utf-8"))
    suite = load_suite(name, SUITE_DIR)
    assert len(build_gx_suite(suite).expectations) == len(raw["expectations"])
    for rule in suite.rules:
        assert rule.severity in ("error", "warning")
        assert rule.message_ko and rule.message_en


def test_rule_names_are_unique_across_suite_and_config():
    """A rule name identifies one message in quarantine and the report (firm_year may repeat a
    staged rule: it is the same rule checked again after quarantine)."""
    staged = {r.name: r for r in load_suite("staged_census_rows", SUITE_DIR).rules}
    curated = {r.name: r for r in load_suite("firm_year", SUITE_DIR).rules}
    config = load_config(CONFIG).rules
    assert not set(staged) & set(config)
    for name in set(staged) & set(curated):
        assert (staged[name].message_ko, staged[name].severity) == (curated[name].message_ko, curated[name].severity)


def _suite_dir(tmp_path, mutate):
    d = tmp_path / "expectations"
    shutil.copytree(SUITE_DIR, d)
    path = d / "staged_census_rows.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    mutate(raw)
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return d


def test_expectation_gx_would_drop_stops_the_load(tmp_path, settings):
    def unknown_type(raw):
        raw["expectations"][2]["type"] = "expect_column_values_to_be_wonderful"
    d = _suite_dir(tmp_path, unknown_type)
    with pytest.raises(SuiteError, match=r"suite 'staged_census_rows' expectation 3 \(ksic_missing\)"):
        validate_year(make_staged([{}]), settings, ksic=KSIC, suite_dir=d)


@pytest.mark.parametrize("kwargs", [{"mostly": 5}, {"min_value": None}, {"min_value": "abc"}])
def test_invalid_kwargs_stop_the_load(tmp_path, kwargs):
    def bad_kwargs(raw):
        raw["expectations"][4]["kwargs"].update(kwargs)
    d = _suite_dir(tmp_path, bad_kwargs)
    with pytest.raises(SuiteError, match=r"suite 'staged_census_rows' expectation 5 \(employees_male_negative\)"):
        load_suite("staged_census_rows", d)


def test_unknown_column_stops_the_load_naming_suite_and_expectation(tmp_path, settings):
    def rename(raw):
        raw["expectations"][0]["kwargs"]["column"] = "firm_nmae"
    d = _suite_dir(tmp_path, rename)
    with pytest.raises(SuiteError, match=r"suite 'staged_census_rows' expectation 1 \(firm_name_missing\) names column\(s\) firm_nmae"):
        validate_year(make_staged([{}]), settings, ksic=KSIC, suite_dir=d)


def test_missing_severity_stops_the_load(tmp_path):
    def drop(raw):
        del raw["expectations"][1]["meta"]["severity"]
    with pytest.raises(SuiteError, match=r"brn_missing.*severity"):
        load_suite("staged_census_rows", _suite_dir(tmp_path, drop))


def test_unknown_severity_stops_the_load(tmp_path):
    def odd(raw):
        raw["expectations"][1]["meta"]["severity"] = "critical"
    with pytest.raises(SuiteError, match=r"brn_missing.*severity 'critical'"):
        load_suite("staged_census_rows", _suite_dir(tmp_path, odd))


def test_malformed_json_stops_the_load(tmp_path):
    d = tmp_path / "expectations"
    shutil.copytree(SUITE_DIR, d)
    (d / "firm_year.json").write_text('{"name": "firm_year", "expectations": [', encoding="utf-8")
    with pytest.raises(SuiteError, match=r"suite 'firm_year' \(firm_year.json\): not valid JSON"):
        load_suite("firm_year", d)


def test_frame_without_a_checked_column_stops_the_load(settings):
    staged = make_staged([{}])
    staged.frame = staged.frame.drop(columns=["crn"])
    with pytest.raises(ValidationConfigError, match="crn"):
        validate_year(staged, settings, ksic=KSIC)


def test_repeated_and_missing_record_ids_are_reported_with_the_ids_themselves():
    import datetime

    import pandas as pd

    from pipeline.validation.suites import run_suite

    config = load_config(CONFIG)
    suite = load_suite(config.suites["curated"], SUITE_DIR)
    frame = make_staged([{}] * 6).frame
    frame["record_id"] = pd.array(["2024-a", "2024-b", "2024-a", None, "2024-c", "2024-b"], dtype="str")
    parameters = {"reference_date": datetime.date(2024, 12, 31), "min_founded_date": datetime.date(1900, 1, 1),
                  "ksic_codes_any_revision": {"29293"}}
    outcome = run_suite(suite, frame, parameters)
    found = outcome.failures.sort_values("pos")
    repeated = found[found["rule"] == "record_id_duplicate"]
    assert repeated["pos"].tolist() == [0, 1, 2, 5]
    assert repeated["raw_value"].tolist() == ["2024-a", "2024-b", "2024-a", "2024-b"]
    assert found.loc[found["rule"] == "record_id_missing", "pos"].tolist() == [3]
