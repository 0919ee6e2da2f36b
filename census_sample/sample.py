"""Writing deliveries to disk, the shipped sample (data/raw/) and its ground truth."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from census_sample import clusters, config, render, writers
from census_sample.population import DEFAULT_YEARS, Population, generate

# The shipped sample in data/raw/: 4,000 firms over 2022-2024 (about 3,600 rows a year).
# Changing either number changes the shipped files; tests/samplegen/test_shipped_sample.py
# regenerates them and compares cell values.
SAMPLE_FIRMS = 4000
SAMPLE_SEED = 20241231


def file_name(year: int) -> str:
    """The delivery's file name; the 4-digit year in it is how the loader finds the year."""
    return config.delivery_spec(year)["file_name"].format(year=year)


def deliveries(pop: Population) -> dict[int, render.Delivery]:
    return {year: render.build(pop.rows[year], year, pop.seed) for year in pop.years}


ROSTER_DIR = "clusters"


def rosters(pop: Population) -> dict[int, tuple[render.Delivery, pd.DataFrame]]:
    """The mini-cluster roster of each year as a delivery, with its record truth."""
    first = pop.years[0]
    return {year: clusters.roster_delivery(clusters.roster(pop.firms, pop.members, year, pop.seed, first), year)
            for year in pop.years}


def write_sample(out_dir: Path, n_firms: int, seed: int, years: tuple[int, ...] = DEFAULT_YEARS) -> dict[int, Path]:
    """One delivery file per year in out_dir, and one mini-cluster roster a year in
    out_dir/clusters/ (a subfolder, so the census loader never takes a roster for a delivery);
    returns {year: delivery path}."""
    pop = generate(n_firms, seed, years)
    for year, (roster, _) in rosters(pop).items():
        writers.write(roster, Path(out_dir) / ROSTER_DIR / clusters.file_name(year))
    return {year: writers.write(d, Path(out_dir) / file_name(year)) for year, d in deliveries(pop).items()}


def write_delivery(path: Path, n_firms: int, seed: int, year: int, years: tuple[int, ...] | None = None) -> Path:
    """One year's delivery (the benchmark's unit of work). The population spans `years`
    (default: the standard years if `year` is one of them, so the file equals the one
    write_sample writes; else that year alone)."""
    if years is None:
        years = DEFAULT_YEARS if year in DEFAULT_YEARS else (year,)
    pop = generate(n_firms, seed, tuple(sorted(set(years) | {year})), rows_for=(year,))
    return writers.write(render.build(pop.rows[year], year, seed), Path(path))


def truth(pop: Population) -> dict[str, pd.DataFrame]:
    """records: census_year, source_row, true_firm_id, defect (NaN or a code of
    census_sample.defects.DEFECTS), one row per firm row of each delivery (title, header,
    blank and 합계 rows are not firm rows); tiers: census_year, true_firm_id, chain, true_tier;
    firms: true_firm_id, birth_year (founding year), closure_year (first year the firm is gone,
    <NA> if open), first_year, last_year (census years it is present)."""
    records = pd.concat([d.records for d in deliveries(pop).values()], ignore_index=True)
    records["defect"] = records["defect"].astype(object).where(records["defect"].notna(), float("nan"))
    spans = pd.concat([r[["census_year", "true_firm_id"]] for r in pop.rows.values()]).groupby("true_firm_id")["census_year"]
    firms = pop.firms[["true_firm_id", "birth_year", "closure_year"]].copy()
    firms["first_year"] = firms["true_firm_id"].map(spans.min()).astype("Int64")
    firms["last_year"] = firms["true_firm_id"].map(spans.max()).astype("Int64")
    return {"records": records, "tiers": pop.tiers.copy(), "firms": firms, **growth_truth(pop)}


def growth_truth(pop: Population) -> dict[str, pd.DataFrame]:
    """Truth for growth stages, mini-clusters, 애로사항 and the directory fields.

    trends: true_firm_id, revenue_growth, employment_growth (the firm's yearly trend; members'
    revenue trend includes config/samplegen/clusters.yaml member_growth_bonus), regular_share,
    cluster_member (a member in any year), publication_consent (Y/N), firm_name_en, directory_contact.
    figures: census_year, true_firm_id, revenue_mil_krw, employees_total, employees_regular,
    export_mil_krw, rnd_mil_krw as generated, before any defect is written in (one row per
    firm-year; the delivered value differs only on defective rows).
    difficulties: census_year, true_firm_id, item_categories, text_categories (';'-joined
    category names of config/samplegen/difficulties.yaml, "" for none), difficulty_text.
    members: census_year, cluster, true_firm_id, joined_year (firm members).
    roster_records: census_year, source_row (sheet row of the roster file), true_firm_id
    (<NA> for universities, institutes, agencies), true_role."""
    trends = pop.firms[["true_firm_id", "revenue_growth", "employment_growth", "regular_share", "cluster_member",
                        "publication_consent", "firm_name_en", "directory_contact"]].copy()
    figures, said = [], []
    for year, rows in pop.rows.items():
        first = rows[rows["defect"].ne("duplicate_row").to_numpy()]
        figures.append(_true_figures(pop, year, first["true_firm_id"].to_numpy()))
        said.append(first[["census_year", "true_firm_id", "item_categories", "text_categories", "difficulty_text"]])
    roster_records = pd.concat([r for _, r in rosters(pop).values()], ignore_index=True)
    return {"trends": trends, "figures": pd.concat(figures, ignore_index=True),
            "difficulties": pd.concat(said, ignore_index=True).sort_values(["census_year", "true_firm_id"], ignore_index=True),
            "members": pop.members.copy(), "roster_records": roster_records}


def _true_figures(pop: Population, year: int, ids) -> pd.DataFrame:
    """The year's figures before defects: regenerated from the same streams without them."""
    from census_sample.population import _year_rows  # the undamaged rows of the year

    clean = _year_rows(pop.firms, pop.customers, year, pop.seed)
    clean = clean.set_index("true_firm_id").loc[sorted(set(ids))].reset_index()
    return clean[["census_year", "true_firm_id", "revenue_mil_krw", "employees_total", "employees_regular",
                  "export_mil_krw", "rnd_mil_krw"]]


@lru_cache(maxsize=1)
def _sample_truth() -> dict[str, pd.DataFrame]:
    return truth(generate(SAMPLE_FIRMS, SAMPLE_SEED, DEFAULT_YEARS))


def sample_truth() -> dict[str, pd.DataFrame]:
    """Ground truth of the shipped sample in data/raw/, regenerated (about a second)."""
    return {k: v.copy() for k, v in _sample_truth().items()}


def sample_command(firms: int, seed: int, out: Path, years: tuple[int, ...] = DEFAULT_YEARS) -> dict[int, Path]:
    """`census sample --firms N --seed S --out DIR`: write a synthetic census, one file a year."""
    if not 1 <= firms <= 5_000_000:
        raise ValueError("--firms must be between 1 and 5,000,000")
    return write_sample(Path(out), firms, seed, years)
