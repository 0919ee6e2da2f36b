"""Firm size: 중소기업 (소기업/중기업) by 중소기업기본법 시행령 별표1·별표3, 중견/대, 소상공인, 소공인,
and employee size bands. Rules and ceilings are data (config/classification/firm_size.yaml)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.classify.distinct import on_distinct
from pipeline.clean import text_array, to_str
from pipeline.config import ConfigError, config_label, read_yaml
from pipeline.config.classification_files import FirmSizeFile
from pipeline.config.files import check

MIL_KRW_PER_EOK = 100  # 1억원 = 100 백만원
# Section letter, optionally with a division (C29) or a subclass (C30393).
_KEY = re.compile(r"^[A-U](?:\d{2}|\d{5})?$")


class SizeRulesError(ConfigError):
    """firm_size.yaml has a key or a ceiling that cannot be right (a typo would silently match nothing)."""


@lru_cache(maxsize=4)
def load_size_rules(path: Path) -> dict:
    rules = read_yaml(path)
    try:
        check(FirmSizeFile, rules, config_label(path))
    except ConfigError as e:
        raise SizeRulesError(str(e)) from None
    problems = []
    for table in rules["tables"]:
        table["effective_from"] = date.fromisoformat(str(table["effective_from"]))
        for key, ceilings in table["ceilings"].items():
            if not _KEY.match(str(key)):
                problems.append(f"{table['name']}: key {key!r} is not a section, section+division or section+subclass")
            elif not (isinstance(ceilings, list) and len(ceilings) == 2 and 0 < ceilings[1] <= ceilings[0]):
                problems.append(f"{table['name']} {key}: expected [SME ceiling, 소기업 ceiling] with 0 < 소기업 <= SME, got {ceilings}")
    if problems:
        raise SizeRulesError("firm_size.yaml: " + "; ".join(problems))
    return rules


def table_in_force(rules: dict, reference_date: date) -> dict | None:
    """The 별표 in force on the census reference date (latest effective_from on or before it)."""
    in_force = [t for t in rules["tables"] if t["effective_from"] <= reference_date]
    return max(in_force, key=lambda t: t["effective_from"]) if in_force else None


def ceiling_for(table: dict, section: str | None, division: str | None, subclass: str | None) -> tuple[str, float, float] | None:
    """(key, SME ceiling 억, 소기업 ceiling 억) of the most specific matching key, or None."""
    if not isinstance(section, str):
        return None
    keys = []
    if isinstance(subclass, str):
        keys.append(section + subclass)
    if isinstance(division, str):
        keys.append(section + division)
        if section + division in table.get("exclude", []):
            return None
    keys.append(section)
    for key in keys:
        if key in table["ceilings"]:
            sme, small = table["ceilings"][key]
            return key, float(sme), float(small)
    return None


def average_revenue(panel: pd.DataFrame, id_col: str = "brn", years: int = 3) -> pd.DataFrame:
    """평균매출액등 per firm and census year from a multi-year frame: the mean of the firm's reported
    revenue over the `years` census years ending with that year (fewer when the panel has fewer:
    시행령 averages the years that exist). Rows without an id cannot be linked and are left out.
    Returns id_col, census_year, revenue_avg_mil_krw, revenue_years."""
    cols = [id_col, "census_year", "revenue_mil_krw"]
    if panel is None or not set(cols) <= set(panel.columns):
        return pd.DataFrame(columns=cols[:2] + ["revenue_avg_mil_krw", "revenue_years"])
    data = panel[cols].dropna()
    # Each firm-year's revenue counts towards its own year and the next years-1 years, among the
    # years the firm reported. Keys are integers (firm code x 10000 + year) so that a million
    # firm-years take a few hash passes, not string merges.
    firm, firms = pd.factorize(data[id_col])
    key = firm.astype(np.int64) * 10_000 + data.census_year.to_numpy(np.int64)
    last = ~pd.Series(key).duplicated(keep="last").to_numpy()  # a firm reported twice in a year: its last row
    key = key[last]
    target = np.concatenate([key + k for k in range(years)])
    revenue = np.tile(data.revenue_mil_krw.to_numpy(np.float64)[last], years)
    reported = pd.Series(target).isin(key).to_numpy()
    grouped = pd.Series(revenue[reported]).groupby(target[reported]).agg(["mean", "count"])
    keys = grouped.index.to_numpy(np.int64)
    out = pd.DataFrame({id_col: firms.take(keys // 10_000).to_numpy(), "census_year": keys % 10_000,
                        "revenue_avg_mil_krw": grouped["mean"].to_numpy(), "revenue_years": grouped["count"].to_numpy()})
    return out.astype({"census_year": "Int64", "revenue_years": "Int64"})


def employee_band(employees: pd.Series, bands: list[dict]) -> pd.Series:
    out = pd.Series(pd.NA, index=employees.index, dtype="str")
    values = pd.to_numeric(employees, errors="coerce")
    for band in bands:
        upper = band["max"] if band["max"] is not None else float("inf")
        out[(values >= band["min"]) & (values <= upper)] = band["label"]
    return out


def size_columns(frame: pd.DataFrame, sectors: pd.DataFrame, reference_dates: pd.Series, rules: dict,
                 averages: pd.DataFrame | None = None, id_col: str = "brn") -> pd.DataFrame:
    """Size columns for each row of `frame`.

    sectors: section, division, subclass per row (the target-revision hierarchy).
    reference_dates: the census reference date per row (chooses the 별표 in force).
    averages: output of average_revenue for these firms; without it, or for a firm it does not
    cover, the year's own revenue is used and revenue_basis says so.
    """
    idx = frame.index
    revenue = pd.to_numeric(frame.get("revenue_mil_krw", pd.Series(index=idx, dtype="float64")), errors="coerce")
    assets = pd.to_numeric(frame.get("assets_mil_krw", pd.Series(index=idx, dtype="float64")), errors="coerce")
    employees = pd.to_numeric(frame.get("employees_total", pd.Series(index=idx, dtype="float64")), errors="coerce")
    basis_value, basis = revenue.astype("float64"), pd.Series("single_year", index=idx, dtype="str")
    if averages is not None and len(averages) and id_col in frame:
        average, counted = _averages_of_rows(frame, averages, id_col)
        use = ~np.isnan(average) & (counted > 1)
        basis_value = basis_value.where(~use, average)
        years = pd.Series(counted, index=idx).astype("Int64")
        basis = basis.where(~use, years.astype("str") + "yr_avg")
    basis = basis.where(basis_value.notna(), "missing")

    out = _decide_all(rules, sectors, reference_dates, basis_value, assets)
    out.insert(0, "revenue_basis", basis)
    out.insert(0, "revenue_basis_mil_krw", basis_value)
    out["is_sme"] = out.size_class.isin(["소기업", "중기업"]).astype("boolean").where(out.size_class.notna(), pd.NA)
    out["is_small_business"], out["is_micro_manufacturer"] = _small_business(out.size_class, sectors["section"], employees, rules)
    out["employee_band"] = employee_band(employees, rules["employee_bands"])
    return out


def _averages_of_rows(frame: pd.DataFrame, averages: pd.DataFrame, id_col: str) -> tuple[np.ndarray, np.ndarray]:
    """The average revenue and its number of years for each row of `frame` (NaN and 0 where
    `averages` has none), matched on integer (firm code x 10000 + year) keys as average_revenue
    builds them: a string MultiIndex took seconds at a million rows."""
    ids = pd.concat([averages[id_col].astype("str"), frame[id_col].astype("str")], ignore_index=True)
    codes = pd.factorize(ids)[0].astype(np.int64)
    n = len(averages)
    own = codes[:n] * 10_000 + pd.to_numeric(averages["census_year"]).to_numpy(np.int64)
    year = pd.to_numeric(frame["census_year"], errors="coerce").to_numpy(np.float64)
    known = (codes[n:] >= 0) & ~np.isnan(year)
    wanted = np.where(known, codes[n:] * 10_000 + np.nan_to_num(year).astype(np.int64), -1)
    pos = pd.Index(own).get_indexer(wanted)
    found = (pos >= 0) & known
    average = np.where(found, averages["revenue_avg_mil_krw"].to_numpy(np.float64)[pos], np.nan)
    counted = np.where(found, pd.to_numeric(averages["revenue_years"]).to_numpy(np.float64)[pos], 0)
    return average, counted.astype(np.int64)


DECISION = ["size_class", "size_rule", "size_table", "size_ceiling_key"]


def _before_revenue(rules, section, division, subclass, ref_date, assets) -> tuple:
    """What the table, the assets and the sector decide on their own: (class, rule, table, key,
    SME ceiling, 소기업 ceiling, class if over the SME ceiling). Rule None means the revenue decides."""
    table = table_in_force(rules, ref_date) if ref_date is not None and not pd.isna(ref_date) else None
    if table is None:
        return (None, "no_table_in_force", None, None, np.nan, np.nan, None)
    name = table["name"]
    if pd.notna(assets) and assets >= rules["large_firm_assets_mil_krw"]:
        return ("대기업", "assets_ge_large_firm_threshold", name, None, np.nan, np.nan, None)
    not_sme = _not_sme(rules, section)
    if pd.notna(assets) and assets >= rules["asset_cap_mil_krw"]:
        return (not_sme, "assets_ge_sme_cap", name, None, np.nan, np.nan, None)
    if not isinstance(section, str):
        return (None, "no_sector", name, None, np.nan, np.nan, None)
    ceiling = ceiling_for(table, section, division, subclass)
    if ceiling is None:
        return (None, "no_table_entry", name, None, np.nan, np.nan, None)
    key, sme_eok, small_eok = ceiling
    return (None, None, name, key, sme_eok * MIL_KRW_PER_EOK, small_eok * MIL_KRW_PER_EOK, not_sme)


def _decide_all(rules, sectors: pd.DataFrame, reference_dates: pd.Series, revenue: pd.Series, assets: pd.Series) -> pd.DataFrame:
    """The size decision of every row: the part that does not depend on revenue once per distinct
    (sector, reference date, assets), then the revenue against the ceilings, vectorised."""
    # Assets matter only against the two thresholds: each is replaced by the threshold it reaches.
    cap, large = float(rules["asset_cap_mil_krw"]), float(rules["large_firm_assets_mil_krw"])
    a = assets.to_numpy(dtype="float64")
    assets_band = np.where(np.isnan(a), np.nan, np.where(a >= large, large, np.where(a >= cap, cap, 0.0)))
    inputs = pd.DataFrame({"section": sectors["section"], "division": sectors["division"], "subclass": sectors["subclass"],
                           "ref_date": reference_dates, "assets": assets_band}, index=revenue.index)
    columns = [*DECISION, "sme_ceiling", "small_ceiling", "not_sme"]
    pre = on_distinct(inputs, lambda u: pd.DataFrame(
        [_before_revenue(rules, *row) for row in u.itertuples(index=False)], columns=columns, index=u.index))
    rev = revenue.to_numpy(dtype="float64")
    open_ = pre["size_rule"].isna().to_numpy()
    missing = open_ & np.isnan(rev)
    over = open_ & ~missing & (rev > pre["sme_ceiling"].to_numpy(dtype="float64"))
    small = open_ & ~missing & ~over & (rev <= pre["small_ceiling"].to_numpy(dtype="float64"))
    middle = open_ & ~missing & ~over & ~small
    # The revenue's verdict over what the sector and assets decided, in Arrow kernels: as
    # Python objects, a million rows took a second to turn back into text.
    size_class = _where(small, "소기업", _where(middle, "중기업", _where(over, text_array(pre["not_sme"]), text_array(pre["size_class"]))))
    rule = text_array(pre["size_rule"])
    for mask, verdict in ((missing, "revenue_missing"), (over, "revenue_over_sme_ceiling"),
                          (small, "revenue_within_small_ceiling"), (middle, "revenue_within_sme_ceiling")):
        rule = _where(mask, verdict, rule)
    idx = revenue.index
    return pd.DataFrame({"size_class": to_str(size_class, idx), "size_rule": to_str(rule, idx),
                         "size_table": to_str(text_array(pre["size_table"]), idx),
                         "size_ceiling_key": to_str(text_array(pre["size_ceiling_key"]), idx)}, index=idx)


def _where(mask: np.ndarray, value, otherwise: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), value if isinstance(value, pa.Array) else pa.scalar(value, pa.large_string()), otherwise)


def _not_sme(rules: dict, section) -> str:
    # Group membership (상출집단, 30% ownership) is not in the census: a non-SME is taken as 중견기업
    # unless its sector cannot be 중견 (금융·보험).
    return "대기업" if section in rules["financial_sections"] else "중견기업"


def _small_business(size_class: pd.Series, section: pd.Series, employees: pd.Series, rules: dict):
    sb = rules["small_business"]
    limit = pd.to_numeric(section.astype(object).map(sb["employee_limit_by_section"]), errors="coerce").fillna(sb["employee_limit_default"])
    # A 중기업 or larger is not 소상공인 whatever its headcount; a 소기업 needs the headcount.
    known = size_class.notna() & ((size_class != "소기업") | employees.notna())
    small = (size_class == "소기업") & (employees < limit)
    mm = rules["micro_manufacturer"]
    micro = small & section.isin(mm["sections"]) & (employees < mm["employee_limit"])
    return small.astype("boolean").where(known, pd.NA), micro.astype("boolean").where(known, pd.NA)
