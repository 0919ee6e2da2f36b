"""A staged census year through validation, classification and storage: the steps the Dagster
assets run one by one, as one function (the "function path" the benchmark holds the Dagster path
against). It reads the same declared input (firm_revenue of the two previous years), writes the
same validation report for the analyst and the same curated tables, then builds the query
database once."""

from __future__ import annotations

import time

from pipeline.classify import classify_year
from pipeline.curate import curated_tables, reconcile_counts
from pipeline.settings import Settings
from pipeline.stage import StagedYear
from pipeline.storage import build_query_database, read_table, write_year
from pipeline.validation import reconcile, validate_year
from pipeline.validation.report import write_validation_report


def revenue_history(settings: Settings, year: int):
    """The two previous years' revenue per business number (firm_revenue, as the classification
    step declares it), for the 3-year average of 평균매출액."""
    past = read_table(settings, "firm_revenue", [year - 2, year - 1])
    return past[["census_year", "brn", "revenue_mil_krw"]] if len(past) else None


def curate_year(staged: StagedYear, settings: Settings, timings: dict | None = None) -> dict:
    """Validate, classify and write a staged year. The staged rows are let go once validated
    (as between the Dagster steps): a caller that hands them over without keeping a reference
    frees their memory for classification and storage."""
    timings = timings if timings is not None else {}
    year, raw_rows = staged.year, staged.raw_rows
    t = time.perf_counter()
    validated = validate_year(staged, settings)
    rec = reconcile(staged, validated)
    del staged
    timings["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    write_validation_report(validated, settings, rec)
    timings["validation report"] = time.perf_counter() - t
    t = time.perf_counter()
    year_classified = classify_year(validated.frame, settings, history=revenue_history(settings, year), change_log=validated.change_log)
    classified = year_classified.firm_year
    timings["classify"] = time.perf_counter() - t
    t = time.perf_counter()
    tables = curated_tables(classified, validated.quarantine, validated.flags, validated.change_log)
    tables["firm_year_ksic_secondary"] = year_classified.secondary.assign(census_year=year)
    counts = reconcile_counts(raw_rows, tables)
    tables["firm_revenue"] = validated.frame[["census_year", "brn", "revenue_mil_krw"]].dropna(subset=["brn"])
    write_year(settings, year, tables)
    timings["write"] = time.perf_counter() - t
    t = time.perf_counter()
    build_query_database(settings)
    timings["database"] = time.perf_counter() - t
    return counts
