"""The translator round trip and the command line, on a project whose curated firm_year holds the
test rows: terms out, translations in, the memory used by the next build, only new terms next time."""

from __future__ import annotations

import re

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from census_cli.main import app

from .conftest import write_curated_year

runner = CliRunner()


def _rows(path) -> list[dict]:
    ws = load_workbook(path, read_only=True)["terms"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _fill(path, translations: dict[str, str]) -> None:
    wb = load_workbook(path)
    ws = wb["terms"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        term = row[header.index("term_ko")].value
        if term in translations:
            row[header.index("translation")].value = translations[term]
    wb.save(path)


def test_terms_round_trip_fills_the_memory_and_next_export_has_only_new_terms(project, firm_year, tmp_path):
    write_curated_year(project, firm_year)
    workbook = tmp_path / "terms_zh.xlsx"
    result = runner.invoke(app, ["directory", "terms", "--lang", "zh", "--year", "2024", "--out", str(workbook)])
    assert result.exit_code == 0, result.output
    rows = {(r["kind"], r["term_ko"]): r for r in _rows(workbook)}
    connector = rows[("product", "커넥터")]
    # two consenting firms make connectors (the withheld one is not counted), in the PCB subclass
    assert connector["frequency"] == 2 and "경성 인쇄회로기판 제조업" in connector["context"] and connector["english"] == "Connector"
    machine_tools = rows[("sector", "기타 가공 공작기계 제조업")]
    assert machine_tools["english"] == "Manufacture of other forming machinery and machine tools" and "KSIC 29229" in machine_tools["context"]
    assert all(not r["translation"] for r in rows.values())

    _fill(workbook, {"커넥터": "连接器", "서보프레스": "伺服压力机", "기타 가공 공작기계 제조업": "其他成型机械和机床制造业"})
    result = runner.invoke(app, ["directory", "import", str(workbook)])
    assert result.exit_code == 0, result.output
    assert "3 추가 / added" in result.output
    memory = (project.config_dir / "directory" / "memory" / "zh.csv").read_text(encoding="utf-8")
    assert "连接器" in memory and "伺服压力机" in memory

    result = runner.invoke(app, ["directory", "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "20 / 36" in result.output  # firms published of the year's firms
    # coverage per language and source: the 3 imported translations used by 9 strings
    assert re.search(r"zh\s+│\s+memory\s+│\s+9\s+│", result.output), result.output
    assert re.search(r"ko\s+│\s+translated\s+│\s+125 / 125\s+│\s+100\.0", result.output)
    site = project.curated_dir / "directory" / "2024"
    page = (site / "zh" / "firms" / "sewon-press.html").read_text(encoding="utf-8")
    assert '<span class="v src-memory" data-source="memory">伺服压力机</span>' in page
    assert '<span class="v src-memory" data-source="memory">其他成型机械和机床制造业</span>' in page

    again = tmp_path / "terms_zh_next.xlsx"
    assert runner.invoke(app, ["directory", "terms", "--lang", "zh", "--year", "2024", "--out", str(again)]).exit_code == 0
    remaining = {(r["kind"], r["term_ko"]) for r in _rows(again)}
    assert remaining == set(rows) - {("product", "커넥터"), ("product", "서보프레스"), ("sector", "기타 가공 공작기계 제조업")}


def test_command_line_errors_are_messages_not_tracebacks(project, tmp_path):
    result = runner.invoke(app, ["directory", "--year", "2031"])
    assert result.exit_code == 1 and "2031" in result.output and "Traceback" not in result.output
    assert not (project.curated_dir / "directory" / "2031").exists()
    assert runner.invoke(app, ["directory"]).exit_code == 1
    stranger = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.save(stranger)
    result = runner.invoke(app, ["directory", "import", str(stranger)])
    assert result.exit_code == 1 and "not a terms workbook" in result.output
    result = runner.invoke(app, ["directory", "terms", "--lang", "fr", "--year", "2024"])
    assert result.exit_code == 1 and "en, zh or vi" in result.output
