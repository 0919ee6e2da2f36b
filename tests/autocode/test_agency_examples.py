"""The agency's own coded firms, declared in autocode.yaml, teach the autocoder its respondents'
words; the file is a declared input (never whichever years happen to be loaded), and only codes
the agency can trust become examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.classify import ksic_source
from pipeline.classify.ksic_source import autocoder
from pipeline.ksic.autocode import AutocodeConfigError, autocode
from pipeline.ksic.autocode.agency import examples_from_firm_years

REPO = Path(__file__).resolve().parents[2]
# Trade jargon no index term contains: only the agency's coded years can teach it.
JARGON_CODE = "27192"
JARGON = ["세브론 KQ-7 키트", "KQ 세브론 키트 병원납품", "세브론 KQ-3 키트 일회용", "세브론키트 KQ", "KQ-5 세브론 키트"]
QUERY = "세브론 KQ-9 키트"


@pytest.fixture
def config_folder(tmp_path):
    folder = tmp_path / "classification"
    folder.mkdir()
    shutil.copy(REPO / "config" / "classification" / "autocode.yaml", folder / "autocode.yaml")
    ksic_source._models.clear()  # the process memo would hide a retraining
    return folder


def declare(folder: Path, examples: pd.DataFrame | None, name: str = "agency_examples.csv") -> Path:
    path = folder / "autocode.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["agency_examples"] = [name]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    if examples is not None:
        examples.to_csv(folder / name, index=False, encoding="utf-8-sig")
    return path


def text_of(value) -> str:
    return "" if pd.isna(value) else str(value)


def coded(model, config, text: str) -> pd.Series:
    return autocode(model, pd.Series([None]), pd.Series([text]), config).iloc[0]


def test_declared_examples_code_the_agencys_own_words(small_reference, config_folder, tmp_path):
    config_path = config_folder / "autocode.yaml"
    before_model, config = autocoder(small_reference, tmp_path / "cache", config_path)
    before = coded(before_model, config, QUERY)
    assert text_of(before.code) != JARGON_CODE and not text_of(before.alternatives).startswith(JARGON_CODE)

    declare(config_folder, pd.DataFrame({"text": JARGON, "code": [f"C{JARGON_CODE}"] * len(JARGON)}))
    model, config = autocoder(small_reference, tmp_path / "cache", config_path)
    after = coded(model, config, QUERY)
    assert after.code == JARGON_CODE and after.source == "autocoded_text"
    assert model.training_summary["agency_examples"] == len(JARGON) and model.key != before_model.key


def test_editing_the_examples_file_retrains(small_reference, config_folder, tmp_path):
    config_path = declare(config_folder, pd.DataFrame({"text": JARGON, "code": [JARGON_CODE] * len(JARGON)}))
    first, _ = autocoder(small_reference, tmp_path / "cache", config_path)
    pd.DataFrame({"text": JARGON[:2], "code": [JARGON_CODE] * 2}).to_csv(config_folder / "agency_examples.csv", index=False)
    second, _ = autocoder(small_reference, tmp_path / "cache", config_path)
    assert second.key != first.key and second.training_summary["agency_examples"] == 2


def test_a_declared_file_that_is_missing_or_lacks_columns_is_named_in_one_line(small_reference, config_folder, tmp_path):
    config_path = declare(config_folder, None, "nowhere.csv")
    with pytest.raises(AutocodeConfigError) as missing:
        autocoder(small_reference, tmp_path / "cache", config_path)
    assert "nowhere.csv" in str(missing.value) and "file not found" in str(missing.value) and "\n" not in str(missing.value)

    config_path = declare(config_folder, pd.DataFrame({"제품": JARGON, "코드": [JARGON_CODE] * len(JARGON)}))
    with pytest.raises(AutocodeConfigError) as columns:
        autocoder(small_reference, tmp_path / "cache", config_path)
    assert "missing columns" in str(columns.value) and "agency_examples.csv" in str(columns.value)


def test_only_codes_the_agency_trusts_become_examples():
    firm_year = pd.DataFrame({
        "census_year": [2023, 2024, 2024, 2024, 2024, 2023],
        "ksic_code_source": ["reported", "reported", "converted", "autocoded_text", "analyst", "converted"],
        "ksic_code_confidence": [1.0, 1.0, 0.5, 0.82, 1.0, 1.0],
        "ksic_subclass": ["29223", "29223", "29222", "25913", "26224", None],
        "main_products": ["사출금형", "사출금형", "자동화기계", "프레스 부품", "PCB 어셈블리", "볼트"],
        "industry_name": [None, None, None, None, None, None],
    })
    examples = examples_from_firm_years(firm_year, target_revision=11)
    # The split conversion (0.5), the autocoder's own guess and the row without a subclass are
    # left out; the same words and code twice are one example, from the latest year.
    assert examples[["text", "code", "census_year"]].values.tolist() == [
        ["PCB 어셈블리", "26224", 2024], ["사출금형", "29223", 2024]]
    with pytest.raises(ValueError, match="target revision 11"):
        examples_from_firm_years(firm_year, target_revision=10)


def test_census_autocode_examples_writes_the_trusted_codes_of_loaded_years(project, monkeypatch):
    from typer.testing import CliRunner

    from census_cli.main import app
    from pipeline.storage.parquet import write_year
    from pipeline.tables.registry import table_registry

    spec = table_registry(project).table("firm_year")
    rows = {"record_id": ["r1", "r2", "r3"], "ksic_code_source": ["reported", "autocoded_text", "analyst"],
            "ksic_code_confidence": [1.0, 0.93, 1.0], "ksic_subclass": ["29223", "25913", "26224"],
            "ksic_target_revision": [11, 11, 11], "main_products": ["사출금형", "프레스 부품", "PCB 어셈블리"]}
    frame = pd.DataFrame({c.name: rows.get(c.name, [None] * 3) for c in spec.columns if c.name != "census_year"})
    write_year(project, 2023, {"firm_year": frame})
    monkeypatch.setenv("COLUMNS", "200")

    missing = CliRunner().invoke(app, ["autocode", "examples", "2022"])
    assert missing.exit_code == 1 and "years not loaded: [2022]" in " ".join(missing.output.split())

    done = CliRunner().invoke(app, ["autocode", "examples", "2023"])
    assert done.exit_code == 0, done.output
    written = pd.read_csv(project.config_path("classification/agency_examples.csv"), dtype=str, encoding="utf-8-sig")
    # The autocoder's own guess is no example; reported and confirmed codes are.
    assert sorted(zip(written.text, written.code, strict=True)) == [("PCB 어셈블리", "26224"), ("사출금형", "29223")]
    assert "agency_examples: [agency_examples.csv]" in " ".join(done.output.split())
