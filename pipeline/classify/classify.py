"""classify_firm_years: the curated rows of a census year plus every classification column.
classify_year: the same, with the year's secondary KSIC codes and the autocoder's review list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import parallel
from pipeline.classify.address import address_columns, sido_aliases
from pipeline.classify.complexes import address_rules, check_address_rules, complex_catalogue, complex_columns
from pipeline.classify.distinct import on_distinct
from pipeline.classify.ksic_source import (
    AUTOCODE_REVISION,
    autocoder,
    code_sources,
    confirmations,
    review_path,
    row_revisions,
)
from pipeline.classify.multi_code import listed_codes, representatives
from pipeline.classify.sector import ksic_columns, label_columns
from pipeline.classify.size import average_revenue, load_size_rules, size_columns
from pipeline.classify.themes import check_codes, load_taxonomies, theme_columns
from pipeline.ksic.autocode import autocode, review_list
from pipeline.ksic.convert import converter
from pipeline.ksic.reference import KsicReference, load_reference
from pipeline.settings import Settings

# Where the trained autocoder is cached (derived from the official files: under data/, never in git).
AUTOCODE_CACHE = "ksic_autocode"


@dataclass
class ClassifiedYear:
    firm_year: pd.DataFrame   # the curated rows with every classification column
    secondary: pd.DataFrame   # firm_year_ksic_secondary: the other codes of multi-code cells
    review: pd.DataFrame      # rows the autocoder abstained on (pipeline.ksic.autocode.review columns)
    review_issues: pd.DataFrame  # rows of the analyst's review file that could not be used


def classify_firm_years(frame: pd.DataFrame, settings: Settings, history: pd.DataFrame | None = None,
                        change_log: pd.DataFrame | None = None) -> pd.DataFrame:
    """A new frame: `frame` with the classification columns appended (the KSIC name columns as
    categoricals of text) and, for a cell that listed several codes, ksic_code set to the
    representative one. `history` is an optional multi-year frame (brn, census_year,
    revenue_mil_krw; earlier years' curated rows) for the 3-year average revenue of 중소기업
    size; without it each year's own revenue is used and revenue_basis says 'single_year'.
    `change_log`: the year's change log, where staging kept the whole of multi-code cells."""
    return classify_year(frame, settings, history, change_log).firm_year


def classify_year(frame: pd.DataFrame, settings: Settings, history: pd.DataFrame | None = None,
                  change_log: pd.DataFrame | None = None) -> ClassifiedYear:
    inputs = classification_inputs(settings)
    conv = converter(inputs.ref)
    revisions, _ = row_revisions(frame, conv)
    codes, secondary = representatives(frame, listed_codes(change_log, frame), revisions, conv, settings.ksic.target_revision)
    if "ksic_code" in frame:
        frame = frame.assign(ksic_code=codes)
    added, review, issues = _classification(frame, settings, inputs, history)
    clash = [c for c in added.columns if c in frame.columns]
    return ClassifiedYear(pd.concat([frame, added.drop(columns=clash)], axis=1), secondary, review, issues)


@dataclass(frozen=True)
class ClassificationInputs:
    """The reference files and config tables classification reads (each cached by its loader)."""

    ref: KsicReference
    taxonomies: tuple[dict, ...]
    size_rules: dict
    sido_of: dict[str, str]
    catalogue: pd.DataFrame
    keys: dict[str, set[str]]
    complex_config: dict
    rules_by_address: dict


def classification_inputs(settings: Settings) -> ClassificationInputs:
    ref = load_reference(settings)
    taxonomies = load_taxonomies(settings.taxonomies_dir, settings.agency.region_ko)
    check_codes(taxonomies, ref)
    kicox = settings.classification.kicox_complexes
    catalogue, keys, ccfg = complex_catalogue(settings.reference_dir / kicox.file, kicox.sheet,
                                              settings.config_path("classification/complexes.yaml"))
    rules_by_address = address_rules(settings.config_path("classification/complex_by_address.csv"))
    check_address_rules(rules_by_address, catalogue)
    return ClassificationInputs(
        ref=ref, taxonomies=taxonomies, size_rules=load_size_rules(settings.config_path("classification/firm_size.yaml")),
        sido_of=sido_aliases(settings.config_path("classification/address.yaml")),
        catalogue=catalogue, keys=keys, complex_config=ccfg, rules_by_address=rules_by_address,
    )


def classification_columns(frame: pd.DataFrame, settings: Settings, history: pd.DataFrame | None = None) -> pd.DataFrame:
    return _classification(frame, settings, classification_inputs(settings), history)[0]


def _classification(frame: pd.DataFrame, settings: Settings, inputs: ClassificationInputs,
                    history: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # Sector, themes and size depend on one another; the address and the complex depend only on
    # the address columns. Most of both is Arrow and pandas kernels that release the GIL, so the
    # two chains run side by side on two cores.
    with parallel.pool() as pool:
        location = pool.submit(location_columns, frame, inputs)
        industry, review, issues = industry_columns(frame, settings, inputs, history)
        return pd.concat([industry, location.result()], axis=1), review, issues


def sector_columns(frame: pd.DataFrame, settings: Settings, ref: KsicReference) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The KSIC columns (sector.ksic_columns plus ksic_code_source/_confidence/_alternatives),
    the review list and the review file's issues.

    ksic_issue and the ksic_rep_* hierarchy describe the reported code, read in the row's own
    revision; the target, comparison and ksic_* hierarchy columns describe the code the firm-year is
    classified by: the reported code where it gives a sector, else the analyst's confirmed code,
    else the autocoder's (a KSIC-11 subclass)."""
    target, comparison = settings.ksic.target_revision, settings.ksic.comparison_revision
    conv = converter(ref)
    revisions, unsupported = row_revisions(frame, conv)
    codes = frame["ksic_code"] if "ksic_code" in frame else pd.Series(pd.NA, index=frame.index, dtype="str")
    # An unsupported revision's code is read in no revision (its digits mean another industry in the next).
    reported_inputs = pd.DataFrame({"ksic_code": codes, "ksic_revision": revisions.mask(pd.Series(unsupported, index=frame.index))})

    def columns_of(inputs: pd.DataFrame) -> pd.DataFrame:
        # The names repeat on every row of a code: they come back as categoricals, not copies.
        return on_distinct(inputs, lambda u: ksic_columns(u, ref, target, comparison), categorical=label_columns())

    reported = columns_of(reported_inputs)
    issue = reported["ksic_issue"].astype(object)
    issue[unsupported] = "unsupported_revision"
    reported["ksic_issue"] = pd.array(issue, dtype="str")
    usable = reported["ksic_target_code"].notna().to_numpy(dtype=bool)

    year = _census_year(frame)
    known11 = set(conv.subclasses.get(AUTOCODE_REVISION, ()))
    confirmed, issues = confirmations(review_path(settings.corrections_dir, year), known11) if year else (pd.Series(dtype="string"), pd.DataFrame())
    record_ids = frame["record_id"].astype(str) if "record_id" in frame else pd.Series("", index=frame.index)
    analyst_code = record_ids.map(confirmed).to_numpy(dtype=object, na_value=None) if len(confirmed) else np.full(len(frame), None, dtype=object)
    analyst = np.array([c is not None for c in analyst_code], dtype=bool)

    names = frame["industry_name"] if "industry_name" in frame else pd.Series(None, index=frame.index, dtype=object)
    products = frame["main_products"] if "main_products" in frame else pd.Series(None, index=frame.index, dtype=object)
    # Rows without a usable code, with words to code them from (the model is loaded only for them).
    need = ~usable & ~analyst & (names.notna() | products.notna()).to_numpy(dtype=bool)
    coded = None
    filled = np.zeros(len(frame), dtype=bool)
    review = pd.DataFrame()
    effective_code = codes.astype(object).to_numpy(copy=True)
    effective_rev = reported_inputs["ksic_revision"].astype(object).to_numpy(copy=True)
    if need.any():
        model, config = autocoder(settings.reference_dir, settings.model_cache_dir / AUTOCODE_CACHE,
                                  settings.config_path("classification/autocode.yaml"))
        # Predicted once per distinct (업종명, product text) pair of the rows that need it.
        part = autocode(model, names[need], products[need], config)
        has_words = part["source"].notna().to_numpy(dtype=bool)
        waiting = part[part["abstained"].astype(bool).to_numpy() & has_words]
        review = review_list(record_ids[need][waiting.index], names[need][waiting.index], products[need][waiting.index],
                             waiting) if len(waiting) else pd.DataFrame()
        # A KSIC-10 name split in KSIC-11 (축전지 제조업 -> 28202 | 28209) determines the common
        # parent for certain even when the words cannot choose the subclass: the firm gets its
        # sector down to that level now, and the subclass waits for the analyst.
        parent = part["code"].isna() & part["determined_code"].notna()
        part = part.assign(code=part["code"].fillna(part["determined_code"]),
                           confidence=part["confidence"].where(~parent, config.name_match_confidence))
        # Laid back onto every row by position (rows that did not need it: missing).
        coded = part.set_axis(np.flatnonzero(need)).reindex(range(len(frame))).set_axis(frame.index)
        filled = need & coded["code"].notna().to_numpy(dtype=bool)
        effective_code[filled] = coded["code"].to_numpy(dtype=object)[filled]
        effective_rev[filled] = AUTOCODE_REVISION
    effective_code[analyst] = analyst_code[analyst]
    effective_rev[analyst] = AUTOCODE_REVISION

    changed = filled | analyst
    if changed.any():
        decided = columns_of(pd.DataFrame({"ksic_code": pd.array(effective_code, dtype="str"),
                                           "ksic_revision": pd.array(effective_rev, dtype="Int64")}, index=frame.index))
        keep = ["ksic_issue", *[c for c in reported.columns if c.startswith("ksic_rep_")]]
        out = pd.concat([reported[keep], decided.drop(columns=keep)], axis=1)[list(reported.columns)]
    else:
        out = reported
    sources = code_sources(usable & ~analyst, reported["ksic_target_relation"], reported["ksic_target_candidates"],
                           coded, filled, analyst)
    return pd.concat([out, sources], axis=1), review, issues


def _census_year(frame: pd.DataFrame) -> int | None:
    years = pd.to_numeric(frame.get("census_year", pd.Series(dtype="float64")), errors="coerce").dropna()
    return int(years.mode().iloc[0]) if len(years) else None


def industry_columns(frame: pd.DataFrame, settings: Settings, inputs: ClassificationInputs,
                     history: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """KSIC sector (hierarchy, conversions, where the code comes from), thematic industries and
    firm size; with the autocoder's review list and the review file's issues."""
    target, comparison = settings.ksic.target_revision, settings.ksic.comparison_revision
    sector, review, issues = sector_columns(frame, settings, inputs.ref)

    taxonomies = inputs.taxonomies
    converted = sector[["ksic_target_code", "ksic_comparison_code"]]
    themes = on_distinct(converted, lambda u: theme_columns({target: u["ksic_target_code"], comparison: u["ksic_comparison_code"]}, taxonomies))

    rules = inputs.size_rules
    years = pd.to_numeric(frame.get("census_year", pd.Series(index=frame.index, dtype="float64")), errors="coerce")
    ref_dates = years.map({y: settings.reference_date(int(y)) for y in years.dropna().unique()}).astype(object)
    panel = frame if history is None else pd.concat([history, frame], ignore_index=True)
    sectors = pd.DataFrame({level: sector[f"ksic_{level}"] for level in ("section", "division", "subclass")})
    size = size_columns(frame, sectors, ref_dates, rules, average_revenue(panel))
    return pd.concat([sector, themes, size], axis=1), review, issues


def location_columns(frame: pd.DataFrame, inputs: ClassificationInputs) -> pd.DataFrame:
    """The parsed address and the industrial complex."""
    addresses = address_columns(frame.get("address", pd.Series(index=frame.index, dtype="str")), inputs.sido_of)
    catalogue, keys, ccfg, rules_by_address = inputs.catalogue, inputs.keys, inputs.complex_config, inputs.rules_by_address
    place = pd.DataFrame({"reported": frame.get("complex_name_raw", pd.Series(index=frame.index, dtype="str")),
                          **{c: addresses[c] for c in ("addr_sigungu", "addr_dong", "addr_road")}})
    complexes = on_distinct(place, lambda u: complex_columns(u["reported"], u, catalogue, keys, ccfg, rules_by_address))
    return pd.concat([addresses, complexes], axis=1)
