"""Firm size from a multi-year panel: the 3-year average revenue decides when the panel has it."""

import pandas as pd
import pytest

from pipeline.classify import classify_firm_years
from pipeline.classify.size import average_revenue


def _year(year, brn, revenue, code="29293"):
    return pd.DataFrame({
        "record_id": [f"{year}-{i:06d}" for i in range(len(brn))], "census_year": pd.array([year] * len(brn), dtype="Int64"),
        "ksic_revision": pd.array([11] * len(brn), dtype="Int64"), "ksic_code": pd.array([code] * len(brn), dtype="str"),
        "brn": pd.array(brn, dtype="str"), "employees_total": pd.array([50] * len(brn), dtype="Int64"),
        "revenue_mil_krw": pd.array(revenue, dtype="float64"),
    })


def test_average_revenue_uses_the_years_the_panel_has():
    panel = pd.concat([_year(2022, ["A", "B"], [90000, 1000]), _year(2023, ["A"], [100000]),
                       _year(2024, ["A", "B", None], [140000, 3000, 5])])
    avg = average_revenue(panel).set_index(["brn", "census_year"])
    assert avg.loc[("A", 2024)].tolist() == [110000.0, 3]
    assert avg.loc[("B", 2024)].tolist() == [2000.0, 2]   # B skipped 2023: the years it has
    assert avg.loc[("A", 2022)].tolist() == [90000.0, 1]
    assert len(avg) == 5                                    # the row without a BRN cannot be linked


def test_three_year_average_keeps_a_firm_sme_after_one_big_year(settings):
    # C29, old table: SME ceiling 1,000억. A's 3-year mean (900, 1,000, 1,400억) is 1,100억: over.
    # B's 2024 revenue 1,050억 is over, but its mean with 900억 and 950억 (966.7억) is under.
    history = pd.concat([_year(2022, ["A", "B"], [90000, 90000]), _year(2023, ["A", "B"], [100000, 95000])])
    year = _year(2024, ["A", "B", "C"], [140000, 105000, 105000])
    out = classify_firm_years(year, settings, history=history).set_index("brn")
    assert out.loc["A", ["revenue_basis", "size_class"]].tolist() == ["3yr_avg", "중견기업"]
    assert out.loc["B", ["revenue_basis", "size_class"]].tolist() == ["3yr_avg", "중기업"]
    assert out.loc["B", "revenue_basis_mil_krw"] == 96666.66666666667
    # C has no earlier years: its own revenue decides, and the basis says so.
    assert out.loc["C", ["revenue_basis", "size_class"]].tolist() == ["single_year", "중견기업"]
    assert out.loc["C", "revenue_mil_krw"] == 105000


def test_without_history_each_year_stands_alone(settings):
    out = classify_firm_years(_year(2024, ["B"], [105000]), settings)
    assert out[["revenue_basis", "size_class"]].values.tolist() == [["single_year", "중견기업"]]


def test_a_typo_in_the_size_table_fails(settings, tmp_path):
    import yaml

    from pipeline.classify.size import SizeRulesError, load_size_rules

    rules = yaml.safe_load((settings.config_dir / "classification/firm_size.yaml").read_text(encoding="utf-8"))
    rules["tables"][1]["ceilings"]["C2x"] = [1000, 120]
    rules["tables"][1]["ceilings"]["C24"] = [140, 1800]  # columns swapped
    path = tmp_path / "firm_size.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SizeRulesError, match=r"C24: expected .*key .C2x."):
        load_size_rules(path)
