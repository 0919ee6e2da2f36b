"""Genuinely bad rows a delivery contains, recorded in the truth by a short code. Each defective
row has exactly one defect; the counts scale with the year's rows (at least one each)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config, identifiers

# code: (share of the year's rows, what is wrong)
DEFECTS: dict[str, tuple[float, str]] = {
    "bad_brn_checksum": (0.003, "사업자등록번호 check digit is wrong"),
    "brn_missing": (0.004, "사업자등록번호 left blank"),
    "brn_masked": (0.003, "사업자등록번호 masked for privacy (608-12-7****)"),
    "negative_employees": (0.001, "종업원수 계 is negative"),
    "employee_sum_mismatch": (0.002, "남 + 여 differs from 계"),
    "unknown_ksic": (0.001, "주업종코드 exists in neither KSIC revision"),
    "old_revision_ksic": (0.002, "a 10th-revision code in an 11th-revision year"),
    "duplicate_row": (0.001, "the firm's row is delivered twice (this is the second copy)"),
    "export_exceeds_revenue": (0.002, "수출액 greater than 매출액"),
    "shares_over_100": (0.002, "납품비중 1-3 sum to more than 100"),
    "future_founded_date": (0.001, "설립일 after the census reference date"),
    "no_firm_name": (0.001, "업체명 blank: the row identifies no firm"),
}


def choose(fy: pd.DataFrame, year: int, revision: int, seed: int, is_customer: np.ndarray) -> np.ndarray:
    """Defect code (or None) per row of a year's firm rows. `is_customer` marks firms other
    firms name as a customer this year: a nameless row is only made of firms nobody names, so
    no other firm's supply path runs through a row the pipeline cannot read."""
    rng = config.stream(seed, f"defects-{year}")
    n = len(fy)
    code = np.full(n, None, dtype=object)
    n_customers = fy[["customer_1_name", "customer_2_name", "customer_3_name"]].notna().sum(axis=1).to_numpy()
    eligible = {
        "old_revision_ksic": (fy["ksic10"] != fy["ksic11"]).to_numpy() if revision == 11 else np.zeros(n, bool),
        "no_firm_name": ~is_customer,
        "shares_over_100": n_customers >= 2,
        "bad_brn_checksum": np.ones(n, bool),
    }
    order = rng.permutation(n)
    for name, (rate, _) in DEFECTS.items():
        ok = eligible.get(name, np.ones(n, bool))[order] & (code[order] == None)  # noqa: E711
        candidates = order[ok]
        if name == "old_revision_ksic" and revision != 11:
            continue
        k = min(len(candidates), max(1, round(rate * n)))
        code[candidates[:k]] = name
    return code


def apply(fy: pd.DataFrame, year: int, seed: int) -> pd.DataFrame:
    """The year's rows as delivered: defect values written in, duplicated rows appended right
    after their original."""
    rng = config.stream(seed, f"defect-values-{year}")
    fy = fy.copy()
    d = fy["defect"].to_numpy()

    m = d == "bad_brn_checksum"
    fy.loc[m, "brn"] = identifiers.break_brn_check_digit(fy.loc[m, "brn"].to_numpy(), rng)
    fy.loc[d == "brn_missing", "brn"] = None
    m = d == "brn_masked"
    fy.loc[m, "brn"] = identifiers.mask_brn(fy.loc[m, "brn"].to_numpy())
    m = d == "negative_employees"
    fy.loc[m, "employees_total"] = -fy.loc[m, "employees_total"]
    m = d == "employee_sum_mismatch"
    fy.loc[m, "employees_male"] = fy.loc[m, "employees_male"] + rng.integers(1, 6, int(m.sum()))
    m = d == "unknown_ksic"
    unknown = config.load("ksic_weights")["unknown_codes"]
    fy.loc[m, "ksic_code"] = np.array(unknown, dtype=object)[rng.integers(0, len(unknown), int(m.sum()))]
    m = d == "old_revision_ksic"
    fy.loc[m, "ksic_code"] = fy.loc[m, "ksic10"]
    m = d == "export_exceeds_revenue"
    fy.loc[m, "export_mil_krw"] = np.round(fy.loc[m, "revenue_mil_krw"].to_numpy() * rng.uniform(1.3, 3.0, int(m.sum())), 3)
    m = d == "shares_over_100"
    k = int(m.sum())
    first = rng.integers(60, 91, k)
    fy.loc[m, "customer_1_share_pct"] = first
    fy.loc[m, "customer_2_share_pct"] = 100 - first + rng.integers(10, 41, k)
    m = d == "future_founded_date"
    fy.loc[m, "founded_date"] = pd.Timestamp(f"{year + 1}-01-01") + pd.to_timedelta(rng.integers(30, 700, int(m.sum())), unit="D")
    fy.loc[d == "no_firm_name", "firm_name"] = None

    m = d == "duplicate_row"
    copies = fy[m].copy()
    fy.loc[m, "defect"] = None
    fy["_order"] = np.arange(len(fy), dtype=float)
    copies["_order"] = fy.loc[m, "_order"].to_numpy() + 0.5
    return pd.concat([fy, copies]).sort_values("_order").drop(columns="_order").reset_index(drop=True)
