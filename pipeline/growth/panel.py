"""Panel indicators per firm-year: the figures support programmes state their criteria in.

Input: a firm_year frame with one row per firm and census year (a firm key column the caller
names, census_year, revenue_mil_krw, employees_total, export_mil_krw, rnd_mil_krw, and
employees_regular where the survey collected it). The key follows a firm across years: the
pipeline's firm_id, or brn in tests.

Definitions (docs/growth.md), for a firm-year Y and a window of n years (Y-n+1 .. Y):
- *_avg_{n}y: mean over the window's years that have a value (the count is *_years).
- *_cagr_{n}y: (value_Y / value_{Y-n+1}) ** (1 / (n-1)) - 1, the yearly growth rate between the
  window's first and last year, as notices compute "최근 n년 연평균 증가율"; both end years are
  needed and must be above zero.
- export_share_3y, rnd_intensity_3y: the window's total exports (R&D) over its total revenue,
  years with both values ("3년 평균 매출액 대비"); export_share and rnd_intensity: year Y only.
- regular_share: employees_regular / employees_total in year Y.
Each indicator has <name>_years (years of data behind it) and <name>_reason (why it could not
be computed, Korean / English; empty when it was).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MEASURES = ("revenue_mil_krw", "employees_total", "export_mil_krw", "rnd_mil_krw", "employees_regular")
LABELS = {"revenue_mil_krw": ("매출액", "revenue"), "employees_total": ("종업원수", "employees"),
          "export_mil_krw": ("수출액", "exports"), "rnd_mil_krw": ("R&D 투자액", "R&D"),
          "employees_regular": ("정규직 종업원수", "regular employees")}
# name -> (kind, measure, window)
AVERAGES = {"revenue_avg_3y": ("revenue_mil_krw", 3), "revenue_avg_5y": ("revenue_mil_krw", 5),
            "employees_avg_3y": ("employees_total", 3), "employees_avg_5y": ("employees_total", 5)}
GROWTHS = {"revenue_cagr_3y": ("revenue_mil_krw", 3), "revenue_cagr_5y": ("revenue_mil_krw", 5),
           "employment_cagr_3y": ("employees_total", 3), "employment_cagr_5y": ("employees_total", 5)}
RATIOS = {"export_share": ("export_mil_krw", "revenue_mil_krw", 1), "export_share_3y": ("export_mil_krw", "revenue_mil_krw", 3),
          "rnd_intensity": ("rnd_mil_krw", "revenue_mil_krw", 1), "rnd_intensity_3y": ("rnd_mil_krw", "revenue_mil_krw", 3),
          "regular_share": ("employees_regular", "employees_total", 1)}
INDICATORS = (*AVERAGES, *GROWTHS, *RATIOS)


class PanelInputError(ValueError):
    """The firm_year frame lacks a column the indicators need."""


def _why_missing(measure: str, years: list[int]) -> str:
    ko, en = LABELS[measure]
    listed = ", ".join(str(y) for y in years)
    return f"{listed}년 {ko} 없음 / no {en} for {listed}"


def _reasons(case: np.ndarray, years: np.ndarray, text) -> np.ndarray:
    """The reason of each row whose case is not "": text(case, window years) is formatted once
    per distinct (case, window) and laid onto the rows (a million rows, a few dozen texts)."""
    out = np.full(len(case), None, dtype=object)
    rows = np.flatnonzero(case != "")
    if not len(rows):
        return out
    keys = pd.DataFrame({"case": case[rows], "end": years[rows, -1]})
    width = years.shape[1]
    for (c, end), idx in keys.groupby(["case", "end"]).indices.items():
        out[rows[idx]] = text(c, tuple(int(end) - width + 1 + k for k in range(width)))
    return out


def _wide(frame: pd.DataFrame, key: str, measure: str, years: np.ndarray) -> np.ndarray:
    """(firms, years) array of a measure; negative values are not figures and count as missing."""
    if measure not in frame.columns:
        return np.full((frame[key].nunique(), len(years)), np.nan)
    values = pd.to_numeric(frame[measure], errors="coerce").astype(float)
    values = values.where(values >= 0)
    table = pd.DataFrame({key: frame[key], "census_year": frame["census_year"], "v": values})
    wide = table.pivot(index=key, columns="census_year", values="v").reindex(columns=years)
    return wide.to_numpy(dtype=float)


def panel_indicators(firm_year: pd.DataFrame, key: str = "firm_id") -> pd.DataFrame:
    """One row per (key, census_year) of the input: the indicators, their years of data and the
    reason when one could not be computed. Rows with an empty key are left out (no firm to
    follow); a firm-year delivered twice counts once (the first row)."""
    needed = {key, "census_year", "revenue_mil_krw", "employees_total"}
    missing = needed - set(firm_year.columns)
    if missing:
        raise PanelInputError(f"firm_year에 열이 없습니다 / firm_year lacks columns: {', '.join(sorted(missing))}")
    frame = firm_year[firm_year[key].notna()].copy()
    frame["census_year"] = frame["census_year"].astype(int)
    frame = frame.drop_duplicates([key, "census_year"], keep="first")
    all_years = np.arange(frame["census_year"].min(), frame["census_year"].max() + 1) if len(frame) else np.array([], int)
    firms = pd.Index(sorted(frame[key].unique()))
    data = {m: _wide(frame, key, m, all_years) for m in MEASURES}
    present = frame.set_index([key, "census_year"]).index
    out = pd.DataFrame(index=present).reset_index()
    f_pos = firms.get_indexer(out[key])
    y_pos = out["census_year"].to_numpy() - (all_years[0] if len(all_years) else 0)

    def window(measure: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, n) values of the window ending at each row's year, oldest first, and the years."""
        cols = y_pos[:, None] - np.arange(n - 1, -1, -1)[None, :]
        ok = cols >= 0
        vals = np.where(ok, data[measure][f_pos[:, None], np.maximum(cols, 0)], np.nan)
        return vals, out["census_year"].to_numpy()[:, None] - np.arange(n - 1, -1, -1)[None, :]

    for name, (measure, n) in AVERAGES.items():
        vals, yrs = window(measure, n)
        count = (~np.isnan(vals)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            out[name] = np.where(count > 0, np.nansum(vals, axis=1) / np.maximum(count, 1), np.nan)
        out[f"{name}_years"] = count
        case = np.where(count == 0, "none", "")
        out[f"{name}_reason"] = _reasons(case, yrs, lambda c, y, m=measure: _why_missing(m, list(y)))

    for name, (measure, n) in GROWTHS.items():
        vals, yrs = window(measure, n)
        first, last = vals[:, 0], vals[:, -1]
        ok = (first > 0) & (last > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(ok, (last / np.where(ok, first, 1)) ** (1.0 / (n - 1)) - 1, np.nan)
        out[f"{name}_years"] = (~np.isnan(vals)).sum(axis=1)
        ko, en = LABELS[measure]
        case = np.select([np.isnan(first) & np.isnan(last), np.isnan(first), np.isnan(last), ~ok],
                         ["both", "first", "last", "zero"], "")

        def growth_reason(c: str, y: tuple, m: str = measure, ko: str = ko, en: str = en) -> str:
            if c == "zero":
                return f"{y[0]}년 또는 {y[-1]}년 {ko}이 0 / {en} is zero in {y[0]} or {y[-1]}"
            return _why_missing(m, {"both": [y[0], y[-1]], "first": [y[0]], "last": [y[-1]]}[c])
        out[f"{name}_reason"] = _reasons(case, yrs, growth_reason)

    for name, (num, den, n) in RATIOS.items():
        a, yrs = window(num, n)
        b, _ = window(den, n)
        both = ~np.isnan(a) & ~np.isnan(b)
        total = np.where(both, b, 0).sum(axis=1)
        count = both.sum(axis=1)
        ok = (count > 0) & (total > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(ok, np.where(both, a, 0).sum(axis=1) / np.where(ok, total, 1), np.nan)
        out[f"{name}_years"] = count
        num_missing = np.isnan(a).all(axis=1)
        case = np.select([(count == 0) & num_missing, count == 0, total <= 0], ["num", "den", "zero"], "")

        def ratio_reason(c: str, y: tuple, num: str = num, den: str = den) -> str:
            if c == "zero":
                ko, en = LABELS[den]
                return f"{ko}이 0 / {en} is zero"
            return _why_missing(num if c == "num" else den, list(y))
        out[f"{name}_reason"] = _reasons(case, yrs, ratio_reason)
    # The year's own size, which stage rules and programmes also ask for.
    current = frame.set_index([key, "census_year"])
    for col in ("revenue_mil_krw", "employees_total"):
        out[col] = pd.to_numeric(current[col], errors="coerce").where(lambda v: v >= 0).to_numpy(dtype=float)
    return out.sort_values([key, "census_year"], ignore_index=True)
