"""The yearly report shows exactly what it showed before it was made fast: the golden file
golden_report.json was written by the report code before the speed work (commit it names),
and every table cell, suppression mark, section, workbook cell, HTML text and chart must match.

Regenerate only for an intended change of the report: REPORT_SPEED_REGENERATE=1 pytest ..."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from pipeline.disclosure.rules import load_rules
from pipeline.reports.config import load_report_config
from pipeline.reports.yearly import assemble_report, build_yearly_report, build_yearly_reports
from tests.report_speed.snapshot import report_files, report_tables

GOLDEN = Path(__file__).with_name("golden_report.json")
CASES = [("rich", 2024), ("rich", 2023), ("plain", 2024)]


def _snapshot(settings, year: int, out: Path) -> dict:
    config, rules = load_report_config(settings), load_rules(settings)
    agency = settings.section("agency")
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        report, skipped = assemble_report(con, year, config, rules, settings.columns_path, agency.get("name_ko", ""),
                                          agency.get("name_en", ""), settings.reference_date(year))
    files = build_yearly_report(settings, year, out)
    return {"assembled": report_tables(report), "skipped": skipped, "written": report_files(files)}


@pytest.fixture(scope="module")
def speed_snapshots(speed_fixed_stamps, speed_rich_settings, speed_plain_settings, tmp_path_factory):
    settings = {"rich": speed_rich_settings, "plain": speed_plain_settings}
    out = tmp_path_factory.mktemp("speed_out")
    return {f"{name}-{year}": _snapshot(settings[name], year, out / f"{name}-{year}") for name, year in CASES}


def test_reports_of_several_years_in_one_call_match_the_golden_reports(speed_fixed_stamps, speed_rich_settings, tmp_path):
    """The one-step build of every year writes what the per-year builds wrote."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    files = build_yearly_reports(speed_rich_settings, [2023, 2024], {y: tmp_path / str(y) for y in (2023, 2024)})
    for year, f in zip((2023, 2024), files, strict=True):
        new = json.loads(json.dumps(report_files(f), ensure_ascii=False))
        assert new == golden[f"rich-{year}"]["written"], _first_difference(new, golden[f"rich-{year}"]["written"])


def _first_difference(a, b, path="") -> str:
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}/{k}: only in {'golden' if k in b else 'new'}"
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], f"{path}/{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("case", [f"{n}-{y}" for n, y in CASES])
def test_report_matches_the_golden_report(speed_snapshots, case):
    new = json.loads(json.dumps(speed_snapshots[case], ensure_ascii=False))  # tuples as lists, as in the file
    if os.environ.get("REPORT_SPEED_REGENERATE"):
        golden = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
        golden[case] = new
        GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[case]
    assert new == golden, _first_difference(new, golden)


def test_golden_report_hides_cells_and_draws_charts():
    """The golden file is a report worth guarding: cells are hidden, categories merged, charts drawn."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["rich-2024"]
    tables = golden["assembled"]["tables"]
    assert sum(t["n_suppressed"] for t in tables.values()) > 0
    assert any(t["collapsed"] for t in tables.values())
    assert any("X" in row for t in tables.values() for row in t["cells"])
    assert len(golden["written"]["internal_html"]["svg"]) >= 10
    assert golden["written"]["internal_xlsx"]["native_charts"] >= 10 and golden["written"]["internal_xlsx"]["media"]
    assert "데이터 품질" in golden["written"]["internal_xlsx"]["sheets"]
    assert "데이터 품질" not in golden["written"]["public_xlsx"]["sheets"]
