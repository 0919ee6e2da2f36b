"""Panel indicators against hand-computed values and against the sample generator's truth."""

import numpy as np
import pandas as pd
import pytest

from census_sample import generate, growth_truth
from pipeline.growth import PanelInputError, panel_indicators


def test_definitions_on_a_hand_computed_firm():
    frame = pd.DataFrame({"brn": "a", "census_year": [2020, 2021, 2022, 2023, 2024],
                          "revenue_mil_krw": [100.0, 110, 121, 133.1, 146.41], "employees_total": [10, 10, 11, 12, 12],
                          "export_mil_krw": [10.0, 10, 10, 10, 20], "rnd_mil_krw": [1.0, 1, 1, 1, 2],
                          "employees_regular": [8, 8, 8, 9, 6]})
    row = panel_indicators(frame, "brn").set_index("census_year").loc[2024]
    assert row["revenue_avg_3y"] == pytest.approx((121 + 133.1 + 146.41) / 3) and row["revenue_avg_3y_years"] == 3
    assert row["revenue_cagr_3y"] == pytest.approx(0.10) and row["revenue_cagr_5y"] == pytest.approx(0.10)
    assert row["employment_cagr_5y"] == pytest.approx((12 / 10) ** 0.25 - 1)
    assert row["export_share"] == pytest.approx(20 / 146.41)
    assert row["export_share_3y"] == pytest.approx(40 / (121 + 133.1 + 146.41))
    assert row["rnd_intensity_3y"] == pytest.approx(4 / (121 + 133.1 + 146.41))
    assert row["regular_share"] == pytest.approx(0.5)
    assert pd.isna(row["revenue_cagr_5y_reason"])


def test_gaps_and_zeros_give_reasons_not_numbers():
    frame = pd.DataFrame({"brn": ["a", "a", "b", "b", "b"], "census_year": [2022, 2024, 2022, 2023, 2024],
                          "revenue_mil_krw": [100.0, 121, 0, 50, 60], "employees_total": [5, 5, -3, 4, 4],
                          "export_mil_krw": [None, None, 0, 1, 1], "rnd_mil_krw": [0.0, 0, 0, 0, 0]})
    ind = panel_indicators(frame, "brn").set_index(["brn", "census_year"])
    a = ind.loc[("a", 2024)]
    # 2023 missing: the 3-year growth still rests on its two end years; the average on two years.
    assert a["revenue_cagr_3y"] == pytest.approx(0.10) and a["revenue_avg_3y_years"] == 2
    assert np.isnan(a["export_share_3y"]) and "수출액 없음" in a["export_share_3y_reason"]
    assert "정규직" in a["regular_share_reason"]  # the column was not collected
    b = ind.loc[("b", 2024)]
    assert np.isnan(b["revenue_cagr_3y"]) and "0 / revenue is zero" in b["revenue_cagr_3y_reason"]
    # A negative employee count is not a figure.
    assert np.isnan(b["employment_cagr_3y"]) and "2022년 종업원수 없음" in b["employment_cagr_3y_reason"]


def test_missing_key_column_is_a_clear_error():
    with pytest.raises(PanelInputError, match="firm_id"):
        panel_indicators(pd.DataFrame({"brn": ["a"], "census_year": [2024]}))


def test_five_year_growth_recovers_the_generators_trend():
    # Seven census years: the 5-year growth of 2024 measures 2020-2024 around each firm's trend.
    pop = generate(1500, 5, tuple(range(2018, 2025)))
    truth = growth_truth(pop)
    ind = panel_indicators(truth["figures"], "true_firm_id")
    got = ind[ind["census_year"] == 2024].set_index("true_firm_id")["revenue_cagr_5y"].dropna()
    trend = truth["trends"].set_index("true_firm_id").loc[got.index, "revenue_growth"]
    assert len(got) > 700  # firms present in both 2020 and 2024
    # Yearly noise of 6 % on each end year: within 4 points of the trend for most firms.
    assert ((got - trend).abs() < 0.04).mean() > 0.9
    assert np.corrcoef(got, trend)[0, 1] > 0.9
