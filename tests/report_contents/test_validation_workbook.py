"""The analyst's validation workbook: readable (Korean font, widths, filters, frozen header) and a
corrections file in waiting: fill 정정값/사유/작성자, keep the fixed rows, save as CSV into
data/corrections/<year>.csv, and the next validation applies it."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from pipeline.validation import validate_year
from pipeline.validation.corrections import HEADER_ALIASES, REQUIRED_HEADERS, corrections_path
from pipeline.validation.report import write_validation_report
from tests.validation.helpers import KSIC, make_staged, settings_for

ROWS = [
    {},
    {"brn": "220-88-69974", "employees_total": -1, "employees_male": 0, "employees_female": 0},  # row 3: error
    {"brn": "116-82-00278", "firm_name": "=HYPERLINK(\"http://x.example\",\"상사\")"},  # row 4: warning, formula-like name
]


def _sheet(path):
    ws = load_workbook(path)["고칠 행"]
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows[0], rows[1:]


def test_fix_sheet_is_readable_and_safe(tmp_path):
    settings = settings_for(tmp_path)
    v = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    path = write_validation_report(v, settings)["xlsx"]
    ws, header, body = _sheet(path)
    assert header[-3:] == ("정정값", "사유", "작성자") and all(r[-3:] == (None, None, None) for r in body)
    assert ws.freeze_panes == "E2" and ws.auto_filter.ref == f"A1:N{len(body) + 1}"
    assert ws.column_dimensions["I"].width >= 50  # the Korean message is not cut to a sliver
    assert ws["A2"].font.name == "맑은 고딕" and ws["A1"].font.b
    names = [r[4] for r in body]
    assert "'=HYPERLINK(\"http://x.example\",\"상사\")" in names  # shown as text, never run


def test_filled_sheet_round_trips_as_a_corrections_file(tmp_path):
    settings = settings_for(tmp_path)
    staged = make_staged(ROWS)
    v = validate_year(staged, settings, ksic=KSIC)
    assert v.summary["quarantined_rows"] == 1
    _, header, body = _sheet(write_validation_report(v, settings)["xlsx"])
    # every header the corrections reader needs is in the sheet (Korean aliases)
    read_as = {HEADER_ALIASES.get(str(h).strip().lower(), str(h).strip().lower()) for h in header}
    assert set(REQUIRED_HEADERS) <= read_as and "record_id" in read_as
    fix = next(r for r in body if r[0] == "격리" and r[5] == "employees_total" and r[1] == "오류")
    filled = list(fix[:-3]) + ["12", "전화 확인 2025-03-02", "kim"]
    # what an analyst does in Excel: fill the three cells, delete the other rows, save as CSV UTF-8
    target = corrections_path(settings.corrections_dir, 2024)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerow(["" if c is None else c for c in filled])
    again = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    assert again.correction_issues.empty, again.correction_issues[["rule", "message_en"]].to_dict("records")
    assert len(again.corrections_applied) == 1 and again.summary["quarantined_rows"] == 0
