"""The candidate workbook support staff get: candidates only, no personal data, criteria and
sources stated, formula-like text neutralised; and clear refusals."""

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from census_cli.main import app
from census_cli.screen import candidate_table
from pipeline.growth.workbook import write_workbook
from pipeline.schema import columns_with_disclosure

from .conftest import CONFIG


def test_workbook_from_the_sample(staged, tmp_path):
    frame = staged.copy()
    frame.loc[frame.index[0], "firm_name"] = "=HYPERLINK(\"http://x\")"
    preset, table, counts = candidate_table(frame, "지역스타기업", 2024, CONFIG, key="true_firm_id")
    assert set(table["판정"]) == {"대상", "판단불가"} and counts["대상"] == (table["판정"] == "대상").sum()
    path = write_workbook(tmp_path / "s.xlsx", preset, 2024, table)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["후보기업", "선정기준", "사업 정보"]
    rows = list(wb["후보기업"].iter_rows(values_only=True))
    header = rows[0]
    personal = set(columns_with_disclosure("personal", CONFIG / "canonical_columns.yaml"))
    assert not personal & set(header) and "대표자명" not in header and "전화번호" not in header
    values = {v for r in rows[1:] for v in r if isinstance(v, str)}
    emails_and_phones = set(staged["email"].dropna()) | set(staged["phone"].dropna()) | set(staged["representative_name"].dropna())
    assert not values & emails_and_phones
    assert not any(v.startswith("=") for v in values)
    criteria = [r[0] for r in wb["선정기준"].iter_rows(values_only=True)]
    assert any("정규직 비중 70%" in str(c) for c in criteria)
    info = dict(wb["사업 정보"].iter_rows(values_only=True))
    assert "중부매일" in info["출처"]


def test_unknown_programme_and_year_are_refused(staged):
    with pytest.raises(KeyError, match="없습니다"):
        candidate_table(staged, "없는사업", 2024, CONFIG, key="true_firm_id")
    with pytest.raises(KeyError, match="2031"):
        candidate_table(staged, "지역스타기업", 2031, CONFIG, key="true_firm_id")


def test_cli_without_a_loaded_census_says_what_to_do(tmp_path, monkeypatch):
    from pipeline import settings as settings_module

    real = settings_module.load_settings()
    fake = type("S", (), {"duckdb_path": tmp_path / "none.duckdb", "config_dir": real.config_dir, "reports_dir": tmp_path})()
    monkeypatch.setattr(settings_module, "load_settings", lambda *a, **k: fake)
    result = CliRunner().invoke(app, ["screen", "--programme", "지역스타기업", "--year", "2024"])
    assert result.exit_code == 1 and "census run" in result.output and "Traceback" not in result.output


def test_screening_table_never_carries_identities(staged):
    from pipeline.growth import load_programmes, panel_indicators, screen

    ind = panel_indicators(staged, "true_firm_id")
    screened = screen(ind, load_programmes(CONFIG / "growth" / "programmes.yaml"), "true_firm_id")
    hidden = set(columns_with_disclosure("personal", CONFIG / "canonical_columns.yaml") + columns_with_disclosure("identifying", CONFIG / "canonical_columns.yaml"))
    assert not hidden & set(screened.columns) and not hidden & set(ind.columns)
    assert isinstance(screened, pd.DataFrame)
