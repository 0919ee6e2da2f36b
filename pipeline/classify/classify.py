"""classify_firm_years: the curated rows of a census year plus every classification column."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline import parallel
from pipeline.classify.address import address_columns, sido_aliases
from pipeline.classify.complexes import address_rules, check_address_rules, complex_catalogue, complex_columns
from pipeline.classify.distinct import on_distinct
from pipeline.classify.sector import ksic_columns, label_columns
from pipeline.classify.size import average_revenue, load_size_rules, size_columns
from pipeline.classify.themes import check_codes, load_taxonomies, theme_columns
from pipeline.ksic.reference import KsicReference, load_reference
from pipeline.settings import Settings


def classify_firm_years(frame: pd.DataFrame, settings: Settings, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """A new frame: `frame` unchanged (same rows, order and index) with the classification
    columns appended (the KSIC name columns as categoricals of text). `history` is an optional multi-year frame (brn, census_year,
    revenue_mil_krw; earlier years' curated rows) for the 3-year average revenue of 중소기업
    size; without it each year's own revenue is used and revenue_basis says 'single_year'."""
    added = classification_columns(frame, settings, history)
    clash = [c for c in added.columns if c in frame.columns]
    return pd.concat([frame, added.drop(columns=clash)], axis=1)


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
    inputs = classification_inputs(settings)
    # Sector, themes and size depend on one another; the address and the complex depend only on
    # the address columns. Most of both is Arrow and pandas kernels that release the GIL, so the
    # two chains run side by side on two cores.
    with parallel.pool() as pool:
        location = pool.submit(location_columns, frame, inputs)
        industry = industry_columns(frame, settings, inputs, history)
        return pd.concat([industry, location.result()], axis=1)


def industry_columns(frame: pd.DataFrame, settings: Settings, inputs: ClassificationInputs, history: pd.DataFrame | None) -> pd.DataFrame:
    """KSIC sector (hierarchy and conversions), thematic industries and firm size."""
    target, comparison = settings.ksic.target_revision, settings.ksic.comparison_revision
    ref = inputs.ref
    code_inputs = pd.DataFrame({c: frame[c] if c in frame else pd.Series(pd.NA, index=frame.index) for c in ("ksic_code", "ksic_revision")})
    # The names repeat on every row of a code: they come back as categoricals, not copies.
    sector = on_distinct(code_inputs, lambda u: ksic_columns(u, ref, target, comparison), categorical=label_columns())

    taxonomies = inputs.taxonomies
    converted = sector[["ksic_target_code", "ksic_comparison_code"]]
    themes = on_distinct(converted, lambda u: theme_columns({target: u["ksic_target_code"], comparison: u["ksic_comparison_code"]}, taxonomies))

    rules = inputs.size_rules
    years = pd.to_numeric(frame.get("census_year", pd.Series(index=frame.index, dtype="float64")), errors="coerce")
    ref_dates = years.map({y: settings.reference_date(int(y)) for y in years.dropna().unique()}).astype(object)
    panel = frame if history is None else pd.concat([history, frame], ignore_index=True)
    sectors = pd.DataFrame({level: sector[f"ksic_{level}"] for level in ("section", "division", "subclass")})
    size = size_columns(frame, sectors, ref_dates, rules, average_revenue(panel))
    return pd.concat([sector, themes, size], axis=1)


def location_columns(frame: pd.DataFrame, inputs: ClassificationInputs) -> pd.DataFrame:
    """The parsed address and the industrial complex."""
    addresses = address_columns(frame.get("address", pd.Series(index=frame.index, dtype="str")), inputs.sido_of)
    catalogue, keys, ccfg, rules_by_address = inputs.catalogue, inputs.keys, inputs.complex_config, inputs.rules_by_address
    place = pd.DataFrame({"reported": frame.get("complex_name_raw", pd.Series(index=frame.index, dtype="str")),
                          **{c: addresses[c] for c in ("addr_sigungu", "addr_dong", "addr_road")}})
    complexes = on_distinct(place, lambda u: complex_columns(u["reported"], u, catalogue, keys, ccfg, rules_by_address))
    return pd.concat([addresses, complexes], axis=1)
