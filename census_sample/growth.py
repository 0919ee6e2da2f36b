"""Each firm's own growth path (config/samplegen/growth.yaml): a yearly revenue trend, an
employment trend that partly follows it, and its share of regular (정규직) employees. The yearly
rows scatter around these trends, so panel indicators (3- and 5-year averages and CAGR) have a
true value to be measured against."""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config


def add_trends(firms: pd.DataFrame, seed: int) -> None:
    """Adds revenue_growth, employment_growth (yearly, 0.03 = 3 %) and regular_share to `firms`.
    Drawn from their own stream, so the firms' other attributes do not change."""
    spec = config.load("growth")
    rng = config.stream(seed, "growth-trends")
    n = len(firms)
    r = spec["revenue_growth"]
    revenue = np.clip(rng.normal(r["mean"], r["sd"], n), r["min"], r["max"])
    e = spec["employment_growth"]
    employment = np.clip(e["follow"] * revenue + rng.normal(0, e["sd"], n), e["min"], e["max"])
    s = spec["regular_share"]
    firms["revenue_growth"] = revenue
    firms["employment_growth"] = employment
    firms["regular_share"] = rng.beta(s["a"], s["b"], n)


def trend_factor(growth: np.ndarray, year: int) -> np.ndarray:
    """(1 + g) ** (year - anchor year): the size of the trend in `year` relative to the anchor."""
    return (1.0 + growth) ** (year - int(config.load("growth")["anchor_year"]))


def regular_employees(total: np.ndarray, share: np.ndarray, year: int, seed: int) -> np.ndarray:
    """상시종업원수(정규직) as reported: binomial out of the total, blank for some respondents."""
    rng = config.stream(seed, f"regular-{year}")
    regular = rng.binomial(np.maximum(total, 0), share).astype(float)
    regular[rng.random(len(total)) < config.load("growth")["regular_blank_share"]] = np.nan
    return regular
