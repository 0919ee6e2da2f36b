"""Done-when of issue 14: a register that has only 업종명 loads with the default settings through
`census run`, and at least 99 % of its firms get a sector. The register is the real Seongnam one
with its 업종코드 column dropped (layout seongnam_names_only.yaml, tests only)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

from census_cli.running import run_years
from census_cli.validating import validate_file
from pipeline import storage
from pipeline.classify.ksic_source import review_path
from tests.ksic_wiring.conftest import make


def _consoles():
    out, err = io.StringIO(), io.StringIO()
    return out, err, Console(file=out, width=300), Console(file=err, width=300)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, register):
    root = tmp_path_factory.mktemp("names_only")
    settings = make(root / "project", ("seongnam_names_only.yaml",), drop_shipped=True)
    register.drop(columns=["업종코드"]).to_csv(settings.raw_dir / "seongnam_names_2023.csv", index=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CENSUS_SETTINGS", str(settings.source))
        mp.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        (root / "dagster_home").mkdir()
        out, err, console, err_console = _consoles()
        ok = run_years([], console, err_console)
        yield settings, ok, out.getvalue() + err.getvalue(), mp


def test_the_names_only_register_loads_and_99_percent_get_a_sector(loaded):
    settings, ok, printed, _ = loaded
    assert ok, printed
    firm_year = storage.read_table(settings, "firm_year", 2023)
    assert len(firm_year) == 580
    share = firm_year["ksic_section"].notna().mean()
    print(f"names-only register: {share:.2%} of {len(firm_year)} firms with a KSIC section, "
          f"{firm_year['ksic_subclass'].notna().mean():.2%} with a subclass")
    assert share >= 0.99
    assert set(firm_year["ksic_code_source"].dropna()) == {"autocoded_name"}
    assert firm_year["ksic_issue"].eq("missing").all()  # the reported code stays honestly missing


def test_abstentions_go_to_the_review_file_and_confirmed_codes_come_back_as_analyst(loaded):
    settings, _, _, mp = loaded
    path = review_path(settings.corrections_dir, 2023)
    review = pd.read_excel(path, dtype=str)
    assert len(review) > 0 and review["confirmed_code"].isna().all()
    assert {"record_id", "industry_name", "suggested_code", "suggestions"} <= set(review.columns)
    assert not {"phone", "전화번호", "firm_name"} & set(review.columns)
    # An unchanged project is not loaded again because of its own review file.
    out, err, console, err_console = _consoles()
    assert run_years([], console, err_console)
    assert "unchanged" in out.getvalue()
    # The analyst confirms two rows; the next load takes them as source 'analyst'.
    picked = review.head(2).record_id.tolist()
    review.loc[0, "confirmed_code"] = "C21309"
    review.loc[1, "confirmed_code"] = review.loc[1, "suggested_code"]
    review.to_excel(path, index=False)
    out, err, console, err_console = _consoles()
    assert run_years([], console, err_console), err.getvalue()
    firm_year = storage.read_table(settings, "firm_year", 2023).set_index("record_id")
    assert firm_year.loc[picked, "ksic_code_source"].eq("analyst").all()
    assert firm_year.loc[picked[0], "ksic_subclass"] == "21309" and firm_year.loc[picked, "ksic_code_confidence"].eq(1.0).all()
    # The confirmed rows stay in the file (the analyst's work is never overwritten).
    again = pd.read_excel(path, dtype=str)
    assert again.set_index("record_id").loc[picked, "confirmed_code"].notna().all()


def test_a_register_without_codes_or_words_fails_naming_the_check_share_and_threshold(tmp_path, register):
    settings = make(tmp_path / "project", ("seongnam_names_only.yaml",), drop_shipped=True)
    path = settings.raw_dir / "seongnam_names_2023.csv"
    register.drop(columns=["업종코드"]).assign(업종명="", 생산품정보="").to_csv(path, index=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CENSUS_SETTINGS", str(settings.source))
        mp.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
        (tmp_path / "dagster_home").mkdir()
        out, err, console, err_console = _consoles()
        assert not run_years([], console, err_console)
        failed = err.getvalue()
        assert "unclassified_share_below_threshold" in failed and "100.0%" in failed and "5.0%" in failed
        assert "KSIC 대분류 없는 비율" in failed and "share without a KSIC section" in failed
        # census validate runs the same check and fails the same way.
        out, err, console, err_console = _consoles()
        assert validate_file(path, None, console, err_console) == 1
        assert "unclassified_share_below_threshold" in err.getvalue() and "100.0%" in err.getvalue()
        # The names-only register itself passes census validate.
        register.drop(columns=["업종코드"]).to_csv(path, index=False)
        out, err, console, err_console = _consoles()
        assert validate_file(path, None, console, err_console) == 0, err.getvalue()
