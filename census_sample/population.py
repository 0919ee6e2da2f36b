"""`generate`: the whole synthetic census (firms, their yearly rows as reported, the supply
network and the true tiers), deterministic in (n_firms, seed, years)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from census_sample import clusters, config, defects, difficulties, directory, growth, network
from census_sample.firms import build_firms, presence
from pipeline.settings import load_settings

DEFAULT_YEARS = (2022, 2023, 2024)
TIER_LABELS = {1: "1차", 2: "2차", 3: "3차"}


@dataclass(frozen=True)
class Population:
    seed: int
    years: tuple[int, ...]    # the years with rows (all census years unless generate(rows_for=...))
    firms: pd.DataFrame       # one row per firm: static attributes, birth_year, closure_year
    rows: dict[int, pd.DataFrame]  # per year: firm rows as reported, in delivery order, with defects
    customers: pd.DataFrame   # census_year, true_firm_id, slot, kind, target_firm_id, target_name
    tiers: pd.DataFrame       # census_year, true_firm_id, chain, true_tier
    members: pd.DataFrame     # census_year, cluster, true_firm_id, joined_year (mini-cluster firms)


def _spelling(table: dict, year: int, names: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.empty(len(names), dtype=object)
    for canonical in pd.unique(names):
        m = names == canonical
        keys, p = config.weighted(config.for_year(table[canonical]["spellings"], year))
        out[m] = np.array(keys, dtype=object)[rng.choice(len(keys), int(m.sum()), p=p)]
    return out


def _firm_names(firms: pd.DataFrame, year: int) -> np.ndarray:
    """Each firm's own name as written in a year (the spelling changes for renamed firms)."""
    renamed = (firms["rename_year"].to_numpy() > 0) & (year >= firms["rename_year"].to_numpy())
    core = np.where(renamed, firms["renamed_core"], firms["name_core"])
    form = np.where(renamed, firms["renamed_form"], firms["name_form"])
    return np.array([f.replace("{n}", c) for f, c in zip(form, core, strict=True)], dtype=object)


def _customer_names(firms: pd.DataFrame, cust: pd.DataFrame, year: int, rng: np.random.Generator) -> np.ndarray:
    """Customer names the way respondents write them: alias spellings of OEMs and registry
    suppliers, legal-form variants of census firms' names."""
    spec = config.load("customers")
    names = np.empty(len(cust), dtype=object)
    kind = cust["kind"].to_numpy()
    target = cust["target_name"].to_numpy()
    for c in network.CHAINS:
        for k, table in (("oem", spec["oems"][c]), ("registry", spec["registry_suppliers"][c])):
            m = (kind == k) & np.isin(target, list(table))
            names[m] = _spelling(table, year, target[m], rng)
    m = kind == "other"
    names[m] = target[m]
    m = cust["target_firm_id"].notna().to_numpy()
    idx = cust.loc[m, "target_firm_id"].to_numpy(dtype=np.int64) - 1
    renamed = (firms["rename_year"].to_numpy()[idx] > 0) & (year >= firms["rename_year"].to_numpy()[idx])
    core = np.where(renamed, firms["renamed_core"].to_numpy()[idx], firms["name_core"].to_numpy()[idx])
    forms = config.load("vocabulary")["names"]["corporate_forms"]
    keys, p = config.weighted(forms)
    form = np.array(keys, dtype=object)[rng.choice(len(keys), len(idx), p=p)]
    form = np.where(firms["is_corp"].to_numpy()[idx], form, "{n}")
    names[m] = [f.replace("{n}", c) for f, c in zip(form, core, strict=True)]
    return names


def _shares(rng: np.random.Generator, n_customers: np.ndarray) -> np.ndarray:
    """(n, 3) shares of sales in percent, largest first, summing to at most 100; most
    respondents round to 5."""
    n = len(n_customers)
    w = rng.gamma(2.0, 1.0, (n, 4))
    w[:, :3] = -np.sort(-w[:, :3], axis=1)
    w[:, :3][np.arange(3)[None, :] >= n_customers[:, None]] = 0
    share = 100 * w[:, :3] / w.sum(axis=1, keepdims=True)
    rounded = np.where(rng.random((n, 1)) < 0.6, np.floor(share / 5) * 5, np.floor(share))
    rounded = np.where((share > 0) & (rounded < 1), 1, rounded)
    return np.where(np.arange(3)[None, :] < n_customers[:, None], rounded, np.nan)


def _year_rows(firms: pd.DataFrame, cust: pd.DataFrame, year: int, seed: int) -> pd.DataFrame:
    rng = config.stream(seed, f"year-{year}")
    revision = load_settings().ksic_revision_for_year(year)
    present = presence(firms, year)
    f = firms[present]
    n = len(f)
    entries = config.load("ksic_weights")["entries"]
    e = f["ksic_entry"].to_numpy()
    k10 = np.array([x["ksic10"] for x in entries], dtype=object)[e]
    k11 = np.array([x["ksic11"] for x in entries], dtype=object)[e]
    name = np.array([x[f"name{revision}"] for x in entries], dtype=object)[e]
    # Respondents often drop the trailing 제조업/업 of the official name.
    short = rng.random(n) < 0.2
    name = np.where(short, pd.Series(name).str.replace(r"\s*제조업$", "", regex=True), name)

    moved = (f["move_year"].to_numpy() > 0) & (year >= f["move_year"].to_numpy())
    # Employment and revenue scatter around each firm's own trend (census_sample/growth.py).
    spec = config.load("growth")
    base = f["employees_base"].to_numpy()
    total = np.maximum(1, np.round(base * growth.trend_factor(f["employment_growth"].to_numpy(), year)
                                   * rng.lognormal(0, spec["employment_noise_sd"], n))).astype(np.int64)
    female = rng.binomial(total, f["female_share"].to_numpy())
    foreign = rng.binomial(total, f["foreign_share"].to_numpy())
    revenue = np.round(base * f["productivity"].to_numpy() * growth.trend_factor(f["revenue_growth"].to_numpy(), year)
                       * rng.lognormal(0, spec["revenue_noise_sd"], n), 3)
    export = np.round(np.minimum(revenue * f["export_share"].to_numpy() * rng.lognormal(0, 0.2, n), revenue * 0.95), 3)
    rnd = np.round(revenue * f["rnd_share"].to_numpy(), 3)
    assets = np.round(revenue * f["asset_ratio"].to_numpy(), 3)
    rows = pd.DataFrame({
        "census_year": year,
        "true_firm_id": f["true_firm_id"].to_numpy(),
        "defect": None,
        "firm_name": _firm_names(f, year),
        "brn": f["brn"].to_numpy(),
        "crn": f["crn"].to_numpy(),
        "representative_name": f["representative_name"].to_numpy(),
        "founded_date": f["founded_date"].to_numpy(),
        "address": np.where(moved, f["moved_address"], f["address"]),
        "complex_name_raw": np.where(moved, f["moved_complex"], f["complex_name_raw"]),
        "ksic10": k10,
        "ksic11": k11,
        "ksic_code": k10 if revision == 10 else k11,
        "industry_name": name,
        "main_products": f["main_products"].to_numpy(),
        "employees_male": total - female,
        "employees_female": female,
        "employees_foreign": foreign,
        "employees_total": total,
        "revenue_mil_krw": revenue,
        "export_mil_krw": export,
        "rnd_mil_krw": rnd,
        "assets_mil_krw": assets,
        "phone": f["phone"].to_numpy(),
        "email": f["email"].to_numpy(),
        "moved": moved,
        "employees_regular": growth.regular_employees(total, f["regular_share"].to_numpy(), year, seed),
        "publication_consent": directory.consent_cells(f["publication_consent"].to_numpy(), year),
        "firm_name_en": f["firm_name_en"].to_numpy(),
        "directory_contact": f["directory_contact"].to_numpy(),
    })
    said = difficulties.answers(n, year, seed)
    for col in said.columns:
        rows[col] = said[col].to_numpy()
    # Customers, widened to customer_1..3 columns.
    yc = cust[cust["census_year"] == year]
    names = _customer_names(firms, yc, year, rng)
    pos = np.searchsorted(rows["true_firm_id"].to_numpy(), yc["true_firm_id"].to_numpy())
    count = np.bincount(pos, minlength=n)
    shares = _shares(rng, count)
    for slot in network.SLOTS:
        col = np.full(n, None, dtype=object)
        m = yc["slot"].to_numpy() == slot
        col[pos[m]] = names[m]
        rows[f"customer_{slot}_name"] = col
        rows[f"customer_{slot}_share_pct"] = shares[:, slot - 1]
    # Delivery order: the contractor's own order, different every year.
    return rows.iloc[rng.permutation(n)].reset_index(drop=True)


def _self_report(rows: pd.DataFrame, tiers: pd.DataFrame, year: int, seed: int) -> np.ndarray:
    """협력단계 as the respondent reports it: mostly the true tier, sometimes a step off, 4 and
    deeper as '4차 이상', unreachable firms mostly 해당없음."""
    rng = config.stream(seed, f"self-report-{year}")
    spec = config.load("customers")["self_report"]
    best = tiers[tiers["census_year"] == year].groupby("true_firm_id")["true_tier"].min()
    tier = rows["true_firm_id"].map(best).to_numpy(dtype=float)
    n = len(rows)
    r = rng.random(n)
    cuts = np.cumsum([spec["exact"], spec["closer"], spec["further"], spec["none"]])
    reported = np.where(r < cuts[0], tier, np.where(r < cuts[1], np.maximum(1, tier - 1),
                                                     np.where(r < cuts[2], tier + 1, np.nan)))
    label = np.array([TIER_LABELS.get(int(t), "4차 이상") if t == t else None for t in reported], dtype=object)
    label[(r >= cuts[2]) & (r < cuts[3])] = "해당없음"
    unreachable = np.isnan(tier)
    keys, p = config.weighted(spec["unreachable"])
    pick = np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p)]
    label[unreachable] = pick[unreachable]
    label[label == ""] = None
    return label


def generate(n_firms: int, seed: int, years: tuple[int, ...] = DEFAULT_YEARS,
             rows_for: tuple[int, ...] | None = None) -> Population:
    """The synthetic census of `n_firms` firms (all firms ever present in `years`). `rows_for`
    limits the yearly rows (and tiers) to some of the years, for speed: their values are the
    same as in a full generation, since every year draws from its own random streams."""
    years = tuple(sorted(int(y) for y in years))
    rows_for = years if rows_for is None else tuple(sorted(int(y) for y in rows_for))
    if not set(rows_for) <= set(years):
        raise ValueError(f"rows_for {rows_for} must be among years {years}")
    firms = build_firms(n_firms, seed, years)
    growth.add_trends(firms, seed)
    directory.add_fields(firms, seed)
    members = clusters.memberships(firms, years, seed)
    # Members grow faster than comparable firms, so the matched comparison has a known answer.
    firms["cluster_member"] = clusters.ever_members(firms, members)
    firms.loc[firms["cluster_member"], "revenue_growth"] += config.load("clusters")["member_growth_bonus"]
    plan = network.customer_plan(firms, seed)
    # Customers of every year up to the last wanted one: a firm keeps last year's customer.
    customers = network.yearly_customers(firms, plan, tuple(y for y in years if y <= rows_for[-1]))
    customers = customers[customers["census_year"].isin(rows_for)].reset_index(drop=True)
    rows: dict[int, pd.DataFrame] = {}
    nameless = []
    for year in rows_for:
        yr = _year_rows(firms, customers, year, seed)
        named = customers.loc[customers["census_year"] == year, "target_firm_id"].dropna().to_numpy(dtype=np.int64)
        is_customer = np.isin(yr["true_firm_id"].to_numpy(), named)
        yr["defect"] = defects.choose(yr, year, load_settings().ksic_revision_for_year(year), seed, is_customer)
        nameless.append(yr.loc[yr["defect"] == "no_firm_name", ["census_year", "true_firm_id"]])
        rows[year] = yr
    tiers = network.true_tiers(customers, len(firms), pd.concat(nameless, ignore_index=True))
    for year in rows_for:
        rows[year]["self_reported_tier"] = _self_report(rows[year], tiers, year, seed)
        rows[year] = defects.apply(rows[year], year, seed)
    members = members[members["census_year"].isin(rows_for)].reset_index(drop=True)
    return Population(seed=seed, years=rows_for, firms=firms, rows=rows, customers=customers, tiers=tiers, members=members)
