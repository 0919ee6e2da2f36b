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
from openpyxl.styles import Font, PatternFill

from pipeline.schema import all_columns, columns_with_disclosure
from pipeline.settings import Settings

HTML_ROW_LIMIT = 500  # the page stays light; the workbook lists every row
SEVERITY_KO = {"error": "오류", "warning": "경고"}
ROW_HEADERS = {
    "row_status": "행 상태", "severity": "심각도", "source_row": "원본행번호", "record_id": "레코드ID", "firm_name": "업체명",
    "column": "항목", "rule": "규칙", "raw_value": "원본값", "message_ko": "사유", "message_en": "Reason",
}
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
        column=table["column"].map(lambda c: _label(c, labels)),
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


def write_validation_report(validated, settings: Settings, reconciliation: dict | None = None) -> dict[str, Path]:
    """Write validation_<year>.html and validation_<year>.xlsx; returns their paths."""
    out_dir = settings.reports_dir / "validation"
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = report_rows(validated)
    paths = {"html": out_dir / f"validation_{validated.year}.html", "xlsx": out_dir / f"validation_{validated.year}.xlsx"}
    _write_atomic(paths["html"], lambda p: p.write_text(_html(validated, rows, reconciliation), encoding="utf-8"))
    _write_atomic(paths["xlsx"], lambda p: _workbook(validated, rows).save(p))
    return paths


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
    bold = Font(bold=True)

    def header(ws, names):
        cells = []
        for n in names:
            c = WriteOnlyCell(ws, value=n)
            c.font = bold
            cells.append(c)
        ws.append(cells)

    summary = wb.create_sheet("요약")
    s = validated.summary
    for label, key in [("조사연도", "census_year"), ("원본파일", "source_file"), ("KSIC 차수", "ksic_revision"),
                       ("원본 행", "raw_rows"), ("정제 행", "curated_rows"), ("격리 행", "quarantined_rows"),
                       ("경고 행", "flagged_rows"), ("정정 적용", "corrections_applied"), ("정정 문제", "correction_issues")]:
        summary.append([label, s[key]])
    summary.append([])
    header(summary, ["심각도", "규칙", "항목", "실패 행", "사유"])
    for r in rule_table(validated).itertuples():
        summary.append([SEVERITY_KO.get(r.severity, r.severity), r.rule, r.column, int(r.failed), r.message_ko])

    ws = wb.create_sheet("고칠 행")
    ws.freeze_panes = "A2"
    header(ws, list(ROW_HEADERS.values()))
    # Plain values plus two conditional-format rules: styling each cell would make a workbook
    # of a large delivery take many times longer to write.
    for values in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        ws.append(list(values))
    last = f"{chr(ord('A') + len(ROW_HEADERS) - 1)}{len(rows) + 1}"
    for status, color in (("격리", "F8D7DA"), ("유지", "FFF3CD")):
        ws.conditional_formatting.add(f"A2:{last}", FormulaRule(formula=[f'$A2="{status}"'], fill=PatternFill("solid", bgColor=color)))

    issues = wb.create_sheet("정정 파일 문제")
    header(issues, list(ISSUE_HEADERS.values()))
    for r in validated.correction_issues[list(ISSUE_HEADERS)].itertuples(index=False):
        issues.append([None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in r])
    return wb


_PAGE = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>{{ s.census_year }}년 검증 보고서</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;font-size:.9em}
th{background:#f0f0f0}
td.n{text-align:right}
tr.error td{background:#f8d7da}
tr.warning td{background:#fff3cd}
.ok{color:#155724}.bad{color:#721c24;font-weight:bold}
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
{% for r in rows %}<tr class="{{ r._class }}"><td>{{ r.row_status }}</td><td>{{ r.severity }}</td><td class="n">{{ r.source_row }}</td><td>{{ r.record_id }}</td><td>{{ r.firm_name or '' }}</td><td>{{ r.column }}</td><td>{{ r.rule }}</td><td>{{ r.raw_value or '' }}</td><td>{{ r.message_ko }}</td></tr>
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
