"""Golden edges of the shipped presets (config/growth/*.yaml): a firm just below, at and just
above each threshold, built from yearly figures the way a census delivers them."""


import pandas as pd
import pytest

from pipeline.growth import assign_stages, load_programmes, load_stage_rules, panel_indicators, screen
from pipeline.settings import PACKAGE_ROOT

CONFIG = PACKAGE_ROOT / "config" / "growth"


@pytest.fixture(scope="module")
def programmes():
    return load_programmes(CONFIG / "programmes.yaml")


def firm(brn: str, revenue: list[float], employees: list[int], export: list[float] | None = None,
         rnd: list[float] | None = None, regular: list[int] | None = None, last_year: int = 2024) -> pd.DataFrame:
    n = len(revenue)
    years = list(range(last_year - n + 1, last_year + 1))
    return pd.DataFrame({"brn": brn, "census_year": years, "revenue_mil_krw": revenue, "employees_total": employees,
                         "export_mil_krw": export or [0.0] * n, "rnd_mil_krw": rnd or [0.0] * n,
                         "employees_regular": regular or employees})


def result(frame: pd.DataFrame, programmes, programme: str, year: int = 2024) -> pd.Series:
    ind = panel_indicators(frame, "brn")
    out = screen(ind[ind["census_year"] == year], programmes, "brn", only=[programme])
    return out.set_index("brn")


# 지역혁신 선도기업: 10+ employees, 3-year average revenue 50억 <= x < 400억, two of four indicators.
# A base firm meets employees and revenue, exports 12 % (one indicator) and no R&D.
def lead(brn, avg=10000.0, employees=(20, 20, 20), export_share=0.12, rnd_share=0.0):
    revenue = [avg] * 3
    return firm(brn, revenue, list(employees), [r * export_share for r in revenue], [r * rnd_share for r in revenue])


@pytest.mark.parametrize("avg, expected", [(4999.0, "비대상"), (5000.0, "대상"), (5001.0, "대상"),
                                           (39999.0, "대상"), (40000.0, "비대상"), (40001.0, "비대상")])
def test_lead_firm_revenue_band_edges(programmes, avg, expected):
    got = result(lead("a", avg=avg, rnd_share=0.05), programmes, "지역혁신 선도기업")
    assert got.loc["a", "result"] == expected
    if expected == "비대상":
        assert "평균 매출액" in got.loc["a", "failed_criteria"]


@pytest.mark.parametrize("employees, expected", [(9, "비대상"), (10, "대상"), (11, "대상")])
def test_lead_firm_employee_edges(programmes, employees, expected):
    # Employment flat: only the current year's count matters.
    got = result(lead("a", employees=(employees,) * 3, rnd_share=0.05), programmes, "지역혁신 선도기업")
    assert got.loc["a", "result"] == expected


@pytest.mark.parametrize("share, expected", [(0.0499, "비대상"), (0.05, "대상"), (0.0501, "대상")])
def test_lead_firm_rnd_share_is_the_second_indicator(programmes, share, expected):
    got = result(lead("a", rnd_share=share), programmes, "지역혁신 선도기업")
    # With three years only the 5-year growth is unknown: a firm that meets one indicator of four
    # might still meet two, so it cannot be told from the census.
    assert got.loc["a", "result"] == (expected if expected == "대상" else "판단불가")


@pytest.mark.parametrize("final, expected", [(24, "대상"), (23, "판단불가")])
def test_lead_firm_employment_growth_edge(programmes, final, expected):
    # 8 % a year over the window's two steps: 20 -> 23.328; 24 is above, 23 below.
    got = result(lead("a", employees=(20, 21, final), export_share=0.12), programmes, "지역혁신 선도기업")
    assert got.loc["a", "result"] == expected


def test_lead_firm_growth_exactly_at_the_threshold_passes(programmes):
    # 10 % a year for four years (5-year window) is exactly the 10 % criterion; exports 12 %.
    revenue = [10000 * 1.1 ** k for k in range(5)]
    frame = firm("a", revenue, [20] * 5, [r * 0.12 for r in revenue])
    assert result(frame, programmes, "지역혁신 선도기업").loc["a", "result"] == "대상"
    below = [10000 * 1.0999 ** k for k in range(5)]
    frame = firm("b", below, [20] * 5, [r * 0.12 for r in below])
    got = result(frame, programmes, "지역혁신 선도기업").loc["b"]
    assert got["result"] == "비대상" and "5년 평균 매출 증가율" in got["failed_criteria"]


@pytest.mark.parametrize("export, expected", [(0.0999, "비대상"), (0.10, "대상"), (0.1001, "대상")])
def test_strong_firm_export_share_edges(programmes, export, expected):
    # 지역강소기업: revenue 100억-1,000억 this year, exports >= 10 %, R&D >= 1 % (3 years).
    revenue = [20000.0] * 3
    frame = firm("a", revenue, [50] * 3, [r * export for r in revenue], [r * 0.01 for r in revenue])
    assert result(frame, programmes, "지역강소기업").loc["a", "result"] == expected


@pytest.mark.parametrize("revenue, expected", [(9999.0, "비대상"), (10000.0, "대상"), (99999.0, "대상"), (100000.0, "비대상")])
def test_strong_firm_revenue_edges(programmes, revenue, expected):
    frame = firm("a", [revenue] * 3, [50] * 3, [revenue * 0.2] * 3, [revenue * 0.02] * 3)
    assert result(frame, programmes, "지역강소기업").loc["a", "result"] == expected


def test_strong_firm_without_rnd_needs_five_years_of_growth(programmes):
    revenue = [20000.0] * 3
    frame = firm("a", revenue, [50] * 3, [r * 0.2 for r in revenue])
    got = result(frame, programmes, "지역강소기업").loc["a"]
    assert got["result"] == "판단불가"
    assert "5년 평균 매출액 증가율" in got["missing_criteria"] and "2020년 매출액 없음" in got["missing_criteria"]


@pytest.mark.parametrize("regular, expected", [(13, "비대상"), (14, "대상"), (15, "대상")])
def test_star_firm_regular_share_edges(programmes, regular, expected):
    # 지역스타기업: the base firm meets R&D 1 % (one index); 정규직 70 % of 20 = 14 is the second.
    revenue = [10000.0] * 3
    frame = firm("a", revenue, [20] * 3, rnd=[100.0] * 3, regular=[regular] * 3)
    got = result(frame, programmes, "지역스타기업").loc["a"]
    # Below 70 %: growth and exports are known and not met, so the firm is not eligible.
    assert got["result"] == expected


def test_a_firm_with_one_year_of_data_cannot_be_told(programmes):
    frame = firm("a", [10000.0], [20], [2000.0], [500.0])
    got = result(frame, programmes, "지역스타기업").loc["a"]
    assert got["result"] == "판단불가"
    assert "자료 1년 (필요 3년)" in got["missing_criteria"]


@pytest.mark.parametrize("avg, expected", [(9999.0, "예비기업"), (10000.0, "중핵기업"), (10001.0, "중핵기업")])
def test_stage_edges_core_against_candidate(avg, expected):
    rules = load_stage_rules(CONFIG / "stages.yaml")
    frame = firm("a", [avg] * 3, [30] * 3, [avg * 0.1] * 3)
    st = assign_stages(panel_indicators(frame, "brn"), rules, "brn").set_index(["brn", "census_year"])
    row = st.loc[("a", 2024)]
    assert row["stage"] == expected and row["stage_status"] == "확정"
    assert row["stage_rule"] == {"중핵기업": "core", "예비기업": "candidate"}[expected]


@pytest.mark.parametrize("employees, expected", [(4, "일반기업"), (5, "잠재기업"), (6, "잠재기업")])
def test_stage_edges_potential(employees, expected):
    rules = load_stage_rules(CONFIG / "stages.yaml")
    revenue = [1000.0, 1100.0, 1210.0]  # exactly 10 % a year
    frame = firm("a", revenue, [employees] * 3)
    st = assign_stages(panel_indicators(frame, "brn"), rules, "brn").set_index(["brn", "census_year"])
    assert st.loc[("a", 2024), "stage"] == expected


def test_stage_of_an_entrant_is_undecided_and_says_why():
    rules = load_stage_rules(CONFIG / "stages.yaml")
    st = assign_stages(panel_indicators(firm("a", [3000.0], [12]), "brn"), rules, "brn").iloc[0]
    assert st["stage"] == "판단불가" and st["stage_rule"] == "undecided"
    assert "중핵기업" in st["stage_undecided"] and "자료 1년" in st["stage_undecided"]
