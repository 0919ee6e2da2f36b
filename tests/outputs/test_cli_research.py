"""`census query`, `census report`: what an analyst types and sees."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import pipeline.settings
from census_cli.main import app
from pipeline.research.build import build_research_database

runner = CliRunner()


@pytest.fixture
def cli_settings(census_settings, monkeypatch):
    monkeypatch.setattr(pipeline.settings, "load_settings", lambda *a, **k: census_settings)
    build_research_database(census_settings)
    return census_settings


def test_query_prints_a_table(cli_settings):
    result = runner.invoke(app, ["query", "SELECT census_year, count(*) AS n FROM firm_year GROUP BY 1 ORDER BY 1"])
    assert result.exit_code == 0, result.output
    assert "census_year" in result.output and "37" in result.output and "38" in result.output


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_query_exports_by_suffix(cli_settings, tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    result = runner.invoke(app, ["query", "SELECT * FROM v_size_class_year", "--out", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        frame = pd.read_csv(out, encoding="utf-8-sig")
    elif suffix == ".parquet":
        frame = pd.read_parquet(out)
    else:
        rows = list(load_workbook(out)["결과"].values)
        frame = pd.DataFrame(rows[1:], columns=rows[0])
    assert set(frame["size_class"]) == {"중기업", "소기업"}


def test_query_cannot_reach_the_internal_database(cli_settings):
    result = runner.invoke(app, ["query", f"ATTACH '{cli_settings.duckdb_path}' AS internal"])
    assert result.exit_code == 1
    result = runner.invoke(app, ["query", "CREATE TABLE x AS SELECT 1"])
    assert result.exit_code == 1
    # read_only alone would allow this: external access must be off.
    leaked = cli_settings.curated_dir / "leak.csv"
    result = runner.invoke(app, ["query", f"COPY (SELECT 1) TO '{leaked}'"])
    assert result.exit_code == 1 and not leaked.exists()


def test_report_command_writes_excel_and_html(cli_settings):
    result = runner.invoke(app, ["report", "--year", "2024"])
    assert result.exit_code == 0, result.output
    folder = cli_settings.reports_dir / "2024"
    # The internal edition and the public one (no quality annex), each as a workbook and a page.
    assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".html", ".xlsx", ".xlsx"]
    assert "공표용 / public" in result.output
    result = runner.invoke(app, ["report", "--year", "2019"])
    assert result.exit_code == 1 and "2019" in result.output


def test_docs_command_writes_the_dictionary_from_the_database(cli_settings, tmp_path):
    out = tmp_path / "dictionary.md"
    result = runner.invoke(app, ["docs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## `firm_year`" in text and "| `representative_name` | VARCHAR | personal | 대표자명 |" in text
