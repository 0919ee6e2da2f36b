"""The analyst's validation report of one load: a self-contained HTML page (inline CSS, no scripts,
fonts or links) and an Excel workbook of the rejected and flagged rows with reasons in Korean,
sorted for fixing (errors first, then by source row). Written to
data/curated/reports/validation/ on every load; the same summary prints in the terminal.

Personal data (대표자명, 전화번호, 이메일) never appears: rows are named by source row, record id
and firm name, and a raw value of a personal column is blanked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.cell_safety import neutralise
from pipeline.schema import all_columns, columns_with_disclosure
from pipeline.settings import Settings

HTML_ROW_LIMIT = 500  # the page stays light; the workbook lists every row
SEVERITY_KO = {"error": "오류", "warning": "경고"}
ROW_HEADERS = {
    "row_status": "행 상태", "severity": "심각도", "source_row": "원본행번호", "record_id": "레코드ID", "firm_name": "업체명",
    "column": "항목", "rule": "규칙", "raw_value": "원본값", "message_ko": "오류 내용", "message_en": "Problem (en)",
    "column_label": "항목명",
}
# Left empty for the analyst. With 레코드ID and 항목 they are the header of a corrections file
# (data/corrections/<year>.csv, see pipeline/validation/corrections.py HEADER_ALIASES): the sheet
# 고칠 행, saved as CSV with the rows that were not fixed deleted, is applied on the next load.
CORRECTION_HEADERS = ["정정값", "사유", "작성자"]
# Column widths (characters) of the 고칠 행 sheet; Korean text counts double.
ROW_WIDTHS = {"행 상태": 8, "심각도": 7, "원본행번호": 11, "레코드ID": 16, "업체명": 26, "항목": 18, "규칙": 24, "원본값": 20,
              "오류 내용": 56, "Problem (en)": 48, "항목명": 18, "정정값": 14, "사유": 24, "작성자": 10}
FONT_NAME = "맑은 고딕"  # Excel's Korean UI font; LibreOffice substitutes a Korean font where it is missing
ISSUE_HEADERS = {"file_row": "정정파일 행", "record_id": "레코드ID", "column": "항목", "rule": "규칙", "message_ko": "사유", "message_en": "Reason"}


def report_rows(validated) -> pd.DataFrame:
    """Quarantined and flagged entries, one per failure, with the firm name, ready to fix:
    quarantined rows first, then by source row, each row's errors before its warnings."""
    table = pd.concat([validated.quarantine.assign(_q=0), validated.flags.assign(_q=1)], ignore_index=True)
    personal = set(columns_with_disclosure("personal", validated.columns_path))
    labels = all_columns(validated.columns_path)
    table = table.assign(
        firm_name=table["record_id"].map(validated.firm_names),
        raw_value=table["raw_value"].where(~table["column"].isin(personal), None),
        column_label=table["column"].map(lambda c: _label(c, labels)),
        _o=table["severity"].map({"error": 0, "warning": 1}).fillna(2),
        row_status=table["_q"].map({0: "격리", 1: "유지"}),
    )
    table = table.sort_values(["_q", "source_row", "_o", "rule"], kind="stable")
    table["severity"] = table["severity"].map(SEVERITY_KO).fillna(table["severity"])
    return table[list(ROW_HEADERS)].reset_index(drop=True)


def rule_table(validated) -> pd.DataFrame:
    rules = pd.DataFrame(validated.summary["rules"])
    if rules.empty:
        return rules
    rules = rules[rules["failed"] > 0].copy()
    labels = all_columns(validated.columns_path)
    rules["column"] = rules["column"].map(lambda c: _label(c, labels))
    rules["_o"] = rules["severity"].map({"error": 0, "warning": 1})
    return rules.sort_values(["_o", "failed"], ascending=[True, False]).drop(columns="_o").reset_index(drop=True)


def format_summary(validated, reconciliation: dict | None = None) -> str:
    """Plain-text summary (Korean with English) for the terminal and `census validate`."""
    s = validated.summary
    lines = [
        f"{s['census_year']}년 검증 결과 / validation of {s['census_year']} ({s['source_file']}, KSIC {s['ksic_revision']}차)",
        f"  원본 행 raw rows          {s['raw_rows']:>10,}",
        f"  정제 행 curated rows      {s['curated_rows']:>10,}",
        f"  격리 행 quarantined rows  {s['quarantined_rows']:>10,}",
        f"  경고 행 flagged rows      {s['flagged_rows']:>10,}",
        f"  정정 적용 corrections     {s['corrections_applied']:>10,}",
    ]
    if reconciliation is not None:
        state = "일치 / reconciled" if reconciliation["ok"] else f"불일치 / MISMATCH (차이 {reconciliation['difference']})"
        lines.append(f"  원본 = 정제 + 격리         {state}")
    rules = rule_table(validated)
    if len(rules):
        lines.append("  규칙별 실패 행 / failing rows per rule:")
        for r in rules.itertuples():
            lines.append(f"    [{SEVERITY_KO.get(r.severity, r.severity)}] {r.rule:<26} {r.failed:>8,}  {r.message_ko or ''}")
    if len(validated.correction_issues):
        lines.append(f"  정정 파일 문제 / corrections not applied: {len(validated.correction_issues)}")
        for r in validated.correction_issues.itertuples():
            lines.append(f"    {r.corrections_file} {r.file_row}행: {r.message_ko}")
    return "\n".join(lines)


def write_validation_report(validated, settings: Settings, reconciliation: dict | None = None,
                            out_dir: Path | None = None) -> dict[str, Path]:
    """Write validation_<year>.html and validation_<year>.xlsx into `out_dir` (default the
    loads' folder, reports/validation/); returns their paths."""
    out_dir = out_dir or validation_reports_dir(settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = report_rows(validated)
    paths = {"html": out_dir / f"validation_{validated.year}.html", "xlsx": out_dir / f"validation_{validated.year}.xlsx"}
    _write_atomic(paths["html"], lambda p: p.write_text(_html(validated, rows, reconciliation), encoding="utf-8"))
    _write_atomic(paths["xlsx"], lambda p: _workbook(validated, rows).save(p))
    return paths


def validation_reports_dir(settings: Settings) -> Path:
    """Where a load writes the validation report of the year it loads."""
    return settings.reports_dir / "validation"


def unloaded_report_dir(settings: Settings, file: Path) -> Path:
    """Where `census validate --report` writes the report of a file it does not load: a folder
    of its own per file, so the report of the loaded delivery is never replaced by a candidate's."""
    return validation_reports_dir(settings) / "unloaded" / file.stem


def _write_atomic(path: Path, write) -> None:
    # An analyst may have yesterday's report open: never leave a half-written file behind.
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    tmp.replace(path)


def _label(column: object, labels: dict) -> str:
    col = labels.get(str(column))
    return f"{col.label_ko} ({column})" if col else str(column)


def _workbook(validated, rows: pd.DataFrame) -> Workbook:
    wb = Workbook(write_only=True)
    # The default font of every cell (style 0): one Korean font without styling each cell, which
    # would make a large delivery's workbook many times slower to write.
    wb._fonts = IndexedList([Font(name=FONT_NAME, size=10)])
    bold = Font(name=FONT_NAME, size=10, bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    edit_fill = PatternFill("solid", fgColor="FFFFE0")

    def header(ws, names, editable=()):
        cells = []
        for n in names:
            c = WriteOnlyCell(ws, value=n)
            c.font = bold
            c.fill = edit_fill if n in editable else head_fill
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cells.append(c)
        ws.append(cells)

    def sheet(name):
        """A4 landscape, one page wide; set before the first row, because a write-only sheet
        writes its properties with the first row."""
        ws = wb.create_sheet(name)
        ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", Worksheet.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        return ws

    def widths(ws, names, default=14):
        for i, n in enumerate(names, start=1):
            ws.column_dimensions[get_column_letter(i)].width = ROW_WIDTHS.get(n, default)

    summary = sheet("요약")
    for col, w in zip("ABCDE", (14, 30, 24, 10, 60), strict=True):
        summary.column_dimensions[col].width = w
    s = validated.summary
    for label, key in [("조사연도", "census_year"), ("원본파일", "source_file"), ("KSIC 차수", "ksic_revision"),
                       ("원본 행", "raw_rows"), ("정제 행", "curated_rows"), ("격리 행", "quarantined_rows"),
                       ("경고 행", "flagged_rows"), ("정정 적용", "corrections_applied"), ("정정 문제", "correction_issues")]:
        cell = WriteOnlyCell(summary, value=neutralise(s[key]))
        if key.endswith("rows") or key.startswith("correction"):
            cell.number_format = "#,##0"
        summary.append([label, cell])
    summary.append([])
    header(summary, ["심각도", "규칙", "항목", "실패 행", "사유"])
    for r in rule_table(validated).itertuples():
        summary.append([SEVERITY_KO.get(r.severity, r.severity), r.rule, neutralise(r.column), int(r.failed), neutralise(r.message_ko)])
    summary.append([])
    summary.append(["고치는 법", "'고칠 행' 시트의 정정값·사유·작성자를 채우고 고치지 않은 행은 지운 뒤 CSV(UTF-8)로 "
                    f"data/corrections/{validated.year}.csv 에 저장하면 다음 적재 때 적용됩니다. 정정값이 빈 행은 그 항목을 비웁니다."])

    ws = sheet("고칠 행")
    names = list(ROW_HEADERS.values()) + CORRECTION_HEADERS
    widths(ws, names)
    ws.freeze_panes = "E2"  # the header and the row's identity (status .. firm name) stay in view
    last = f"{get_column_letter(len(names))}{len(rows) + 1}"
    ws.auto_filter.ref = f"A1:{last}"
    header(ws, names, editable=CORRECTION_HEADERS)
    # Plain values plus two conditional-format rules: styling each cell would make a workbook
    # of a large delivery take many times longer to write.
    blanks = [None] * len(CORRECTION_HEADERS)
    for values in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        ws.append([neutralise(v) for v in values] + blanks)
    for status, color in (("격리", "F8D7DA"), ("유지", "FFF3CD")):
        ws.conditional_formatting.add(f"A2:{last}", FormulaRule(formula=[f'$A2="{status}"'], fill=PatternFill("solid", bgColor=color)))

    issues = sheet("정정 파일 문제")
    issue_names = list(ISSUE_HEADERS.values())
    for i, w in enumerate((10, 15, 18, 24, 56, 48), start=1):
        issues.column_dimensions[get_column_letter(i)].width = w
    issues.freeze_panes = "A2"
    issues.auto_filter.ref = f"A1:{get_column_letter(len(issue_names))}{len(validated.correction_issues) + 1}"
    header(issues, issue_names)
    for r in validated.correction_issues[list(ISSUE_HEADERS)].itertuples(index=False):
        issues.append([None if v is None or (not isinstance(v, str) and pd.isna(v)) else neutralise(v) for v in r])
    return wb


_PAGE = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>{{ s.census_year }}년 검증 보고서</title>
<style>
body{font-family:"Malgun Gothic","맑은 고딕","NanumGothic",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;font-size:.9em}
th{background:#f0f0f0}
td.n{text-align:right}
th,td:nth-child(-n+4){white-space:nowrap}
tr.error td{background:#f8d7da}
tr.warning td{background:#fff3cd}
.ok{color:#155724}.bad{color:#721c24;font-weight:bold}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;font-size:9pt}tr{break-inside:avoid}h2{break-after:avoid}}
</style></head><body>
<h1>{{ s.census_year }}년 기업실태조사 검증 보고서</h1>
<p>원본파일 {{ s.source_file }} · KSIC {{ s.ksic_revision }}차 · 오류 행은 격리되어 정제 자료(firm_year)에서 빠지고, 경고 행은 정제 자료에 남습니다.</p>
<table>
<tr><th>원본 행</th><td class="n">{{ "{:,}".format(s.raw_rows) }}</td></tr>
<tr><th>정제 행</th><td class="n">{{ "{:,}".format(s.curated_rows) }}</td></tr>
<tr><th>격리 행 (오류)</th><td class="n">{{ "{:,}".format(s.quarantined_rows) }}</td></tr>
<tr><th>경고 행</th><td class="n">{{ "{:,}".format(s.flagged_rows) }}</td></tr>
<tr><th>정정 적용</th><td class="n">{{ "{:,}".format(s.corrections_applied) }}</td></tr>
{% if rec %}<tr><th>원본 = 정제 + 격리</th><td class="{{ 'ok' if rec.ok else 'bad' }}">{{ '일치' if rec.ok else '불일치 (차이 ' ~ rec.difference ~ ')' }}</td></tr>{% endif %}
</table>
<h2>규칙별 실패 행</h2>
{% if rules %}<table><tr><th>심각도</th><th>규칙</th><th>항목</th><th>실패 행</th><th>사유</th></tr>
{% for r in rules %}<tr class="{{ r.severity }}"><td>{{ sev[r.severity] }}</td><td>{{ r.rule }}</td><td>{{ r.column }}</td><td class="n">{{ "{:,}".format(r.failed) }}</td><td>{{ r.message_ko }}</td></tr>
{% endfor %}</table>{% else %}<p>모든 규칙을 통과했습니다.</p>{% endif %}
{% if issues %}<h2>적용되지 않은 정정 ({{ issues|length }})</h2>
<table><tr><th>정정파일 행</th><th>레코드ID</th><th>항목</th><th>사유</th></tr>
{% for i in issues %}<tr class="error"><td class="n">{{ i.file_row }}</td><td>{{ i.record_id or '' }}</td><td>{{ i.column or '' }}</td><td>{{ i.message_ko }}</td></tr>
{% endfor %}</table>{% endif %}
<h2>고칠 행{% if total > limit %} (앞 {{ limit }}건, 전체 {{ "{:,}".format(total) }}건은 엑셀 파일){% endif %}</h2>
{% if rows %}<table><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in rows %}<tr class="{{ r._class }}"><td>{{ r.row_status }}</td><td>{{ r.severity }}</td><td class="n">{{ r.source_row }}</td><td>{{ r.record_id }}</td><td>{{ r.firm_name or '' }}</td><td>{{ r.column_label }}</td><td>{{ r.rule }}</td><td>{{ r.raw_value or '' }}</td><td>{{ r.message_ko }}</td></tr>
{% endfor %}</table>{% else %}<p>격리되거나 경고된 행이 없습니다.</p>{% endif %}
</body></html>
""")


def _html(validated, rows: pd.DataFrame, reconciliation: dict | None) -> str:
    shown = rows.head(HTML_ROW_LIMIT).astype(object).where(rows.head(HTML_ROW_LIMIT).notna(), None)
    records = [{**r, "_class": "error" if r["row_status"] == "격리" else "warning"} for r in shown.to_dict("records")]
    return _PAGE.render(
        s=validated.summary, rec=reconciliation, rules=rule_table(validated).to_dict("records"), sev=SEVERITY_KO,
        issues=validated.correction_issues.to_dict("records"), rows=records, total=len(rows), limit=HTML_ROW_LIMIT,
        headers=[ROW_HEADERS[c] for c in ["row_status", "severity", "source_row", "record_id", "firm_name", "column", "rule", "raw_value", "message_ko"]],
    )
