"""Each rule with rows that must pass and rows that must fail, in one validation run per scenario
table (a GX run costs a fraction of a second; one table keeps the suite under a minute)."""

import dataclasses

import pandas as pd
import pytest

from pipeline.validation import reconcile, validate_year
from tests.validation.helpers import KSIC, make_staged, settings_for

# (label, changes to the good row, rules the row must fail (rule -> severity); {} = must pass)
SCENARIOS = [
    ("good", {}, {}),
    ("good, other good brn", {"brn": "220 88 69974"}, {}),
    ("no firm name", {"firm_name": None, "brn": "1208200052"}, {"firm_name_missing": "error"}),
    ("no brn", {"brn": None, "crn": None, "firm_name": "무번호상사"}, {"brn_missing": "warning"}),
    ("brn malformed", {"brn": "12345", "crn": None}, {"brn_malformed": "error"}),
    ("brn component", {"brn": "606-81-00001"}, {"brn_component": "error"}),
    ("brn checksum", {"brn": "116-82-00278"}, {"brn_checksum": "warning"}),
    ("brn check digit 0 is valid", {"brn": "134-81-12040"}, {}),
    ("brn masked", {"brn": "608127****", "crn": None, "firm_name": "마스크상사"}, {"brn_masked": "warning"}),
    ("crn malformed", {"brn": "2118608983", "crn": "110111-006243"}, {"crn_malformed": "error"}),
    ("crn checksum", {"brn": "3178111175", "crn": "110111-0062433"}, {"crn_checksum": "warning"}),
    ("법인 with a 개인 type code", {"brn": "123-45-67891", "crn": "1345110123452"}, {"crn_brn_type": "warning"}),
    ("개인 (type 05) without crn", {"brn": "137-05-10014", "crn": None, "firm_name": "개인상회"}, {}),
    ("ksic missing", {"brn": "1168200276", "ksic_code": None}, {"ksic_missing": "warning"}),
    ("ksic of no revision", {"brn": "1348123455", "ksic_code": "99999"}, {"ksic_not_a_code": "error"}),
    ("ksic-10 code in an 11th-revision year", {"brn": "2158700016", "ksic_code": "29294"}, {"ksic_other_revision": "warning"}),
    ("ksic class-level code exists", {"brn": "1348112190", "ksic_code": "2929"}, {}),
    ("negative employees", {"brn": "1348112230", "employees_male": -1, "employees_total": 1}, {"employees_male_negative": "error"}),
    ("male + female != total", {"brn": "2208800015", "employees_total": 11}, {"employees_sex_sum": "warning"}),
    ("negative revenue", {"brn": "1348100016", "revenue_mil_krw": -5.0, "export_mil_krw": None}, {"revenue_negative": "error"}),
    ("export > revenue", {"brn": "1248100998", "export_mil_krw": 1000.5}, {"export_exceeds_revenue": "warning"}),
    ("export = revenue", {"brn": "1370510028", "crn": None, "export_mil_krw": 1000.0}, {}),
    ("same brn as the good row, other format", {"brn": "134 86 72683", "firm_name": "수출전문", "address": "다른 주소"}, {"duplicate_brn": "error"}),
    ("share above 100", {"crn": None, "brn": None, "firm_name": "비중상사", "customer_1_share_pct": 101.0, "customer_2_share_pct": None,
                         "customer_3_share_pct": None}, {"brn_missing": "warning", "customer_1_share_range": "warning", "customer_share_sum": "warning"}),
    ("shares sum to 110", {"crn": None, "brn": None, "firm_name": "합계상사", "customer_3_share_pct": 30.0},
     {"brn_missing": "warning", "customer_share_sum": "warning"}),
    ("founded after the reference date", {"crn": None, "brn": None, "firm_name": "미래상사", "founded_date": pd.Timestamp("2025-01-01")},
     {"brn_missing": "warning", "founded_in_future": "warning"}),
    ("founded on the reference date", {"crn": None, "brn": None, "firm_name": "기준일상사", "founded_date": pd.Timestamp("2024-12-31")},
     {"brn_missing": "warning"}),
    ("founded before 1900", {"crn": None, "brn": None, "firm_name": "고대상사", "founded_date": pd.Timestamp("1899-12-31")},
     {"brn_missing": "warning", "founded_before_min": "warning"}),
    ("same firm, masked brn, other spelling", {"brn": "608127****", "crn": None, "firm_name": "마스크상사 주식회사"},
     {"brn_masked": "warning", "duplicate_name_address": "error"}),
    ("same name, masked brn, other address", {"brn": "608127****", "crn": None, "firm_name": "마스크상사", "address": "부산광역시 중구 1"},
     {"brn_masked": "warning"}),
    ("same name, same address written with other spacing and full-width digits",
     {"brn": "608127****", "crn": None, "firm_name": "(주)마스크상사", "address": "경기도  시흥시 공단１대로 1"},
     {"brn_masked": "warning", "duplicate_name_address": "error"}),
    ("two errors in one row", {"brn": "12345", "crn": None, "firm_name": None, "employees_total": -3},
     {"brn_malformed": "error", "firm_name_missing": "error", "employees_total_negative": "error", "employees_sex_sum": "warning"}),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    staged = make_staged([changes for _, changes, _ in SCENARIOS])
    settings = settings_for(tmp_path_factory.mktemp("rules"))
    return staged, validate_year(staged, settings, ksic=KSIC)


def _row(label):
    return [s[0] for s in SCENARIOS].index(label) + 2  # source rows start at 2


@pytest.mark.parametrize("label, changes, expected", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_rule(run, label, changes, expected):
    _, validated = run
    row = _row(label)
    entries = pd.concat([validated.quarantine, validated.flags])
    got = dict(entries.loc[entries["source_row"] == row, ["rule", "severity"]].itertuples(index=False))
    assert got == expected
    quarantined = "error" in expected.values()
    assert (row in set(validated.frame["source_row"])) != quarantined
    # every failure of a quarantined row is in quarantine, none in the flags
    if quarantined:
        assert set(validated.quarantine.loc[validated.quarantine["source_row"] == row, "rule"]) == set(expected)
        assert row not in set(validated.flags["source_row"])


def test_messages_are_bilingual_and_specific(run):
    _, validated = run
    q = pd.concat([validated.quarantine, validated.flags]).set_index("rule")
    assert q.loc["ksic_other_revision", "message_ko"] == "주업종코드가 11차가 아닌 10차 코드입니다 (11차 대응코드 29293)"
    assert "revision-11 counterpart 29293" in q.loc["ksic_other_revision", "message_en"]
    assert "(원본 2행)" in validated.quarantine.set_index("source_row").loc[_row("same brn as the good row, other format"), "message_ko"]
    flags = validated.flags.set_index("source_row")
    assert flags.loc[_row("male + female != total"), "message_ko"] == "종업원수 남(8) + 여(2)가 계(11)와 다릅니다"
    assert q.loc["founded_in_future", "message_ko"] == "설립일이 조사 기준일(2024-12-31) 이후입니다"
    assert q.loc["crn_brn_type", "message_en"].startswith("Has a corporate registration number but the BRN type code (45)")
    assert not (q["message_ko"].isna() | q["message_en"].isna()).any()


def test_reconciles(run):
    staged, validated = run
    rec = reconcile(staged, validated)
    assert rec["ok"], rec
    errors = sum("error" in e.values() for _, _, e in SCENARIOS)
    assert rec["quarantined_rows"] == errors
    assert rec["curated_rows"] == len(SCENARIOS) - errors


def test_same_code_is_fine_in_its_own_revision(settings):
    staged = make_staged([{"ksic_code": "29294"}], revision=10)
    validated = validate_year(staged, settings, ksic=KSIC)
    assert validated.flags.empty and validated.quarantine.empty


def test_tolerance_is_config(settings):
    config = settings.validation
    lenient = dataclasses.replace(config, thresholds={**config.thresholds, "employees_sum_tolerance": 1})
    staged = make_staged([{"employees_total": 11}, {"brn": "2208869974", "employees_total": 12}])
    validated = validate_year(staged, settings, ksic=KSIC, config=lenient)
    assert validated.flags["source_row"].tolist() == [3]


def test_parse_quarantine_is_kept_and_counted(settings):
    staged = make_staged([{}, {"brn": "2208869974"}])
    staged.raw_rows = 3  # row 4 was a 합계 row that staging quarantined
    staged.quarantine = pd.DataFrame([{
        "census_year": 2024, "source_file": staged.source_file, "source_sheet": "Sheet1", "source_row": 4,
        "record_id": "2024-0000004", "column": "firm_name", "rule": "total_row", "raw_value": "합계",
        "message_ko": "합계·소계 행은 기업이 아닙니다", "message_en": "a total row is not a firm", "severity": "error",
    }])
    validated = validate_year(staged, settings, ksic=KSIC)
    assert validated.quarantine["rule"].tolist() == ["total_row"]
    assert reconcile(staged, validated) == {"raw_rows": 3, "curated_rows": 2, "quarantined_rows": 1, "difference": 0,
                                            "rows_in_both": 0, "ok": True}


def test_reconcile_notices_a_lost_row(settings):
    staged = make_staged([{}, {"brn": "2208869974"}])
    validated = validate_year(staged, settings, ksic=KSIC)
    validated.frame = validated.frame.iloc[:1]
    rec = reconcile(staged, validated)
    assert not rec["ok"] and rec["difference"] == 1


def test_real_ksic_reference(settings):
    """With the official tables (pipeline.ksic): 29294 (KSIC-10 금형) maps to 29293 in KSIC-11."""
    staged = make_staged([{"ksic_code": "29294"}, {"brn": "2208869974", "ksic_code": "29293"}])
    validated = validate_year(staged, settings)
    assert validated.flags["rule"].tolist() == ["ksic_other_revision"]
    assert "29293" in validated.flags["message_ko"].iloc[0]
