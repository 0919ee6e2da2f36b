"""Thematic industries (config/taxonomies/*.yaml): technology intensity, knowledge-intensive
services, 뿌리산업, 소부장, regional strategic industries. A taxonomy lists KSIC codes at any level
(a division "29" covers all its subclasses) in one revision; a firm matches on its code converted
to that revision, so KSIC-10 and KSIC-11 years agree."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.config import ConfigError, config_label, read_yaml
from pipeline.config.classification_files import TaxonomyFile
from pipeline.config.files import check
from pipeline.ksic.convert import converter
from pipeline.ksic.reference import KsicReference


class TaxonomyError(ConfigError):
    """A taxonomy file names codes that its KSIC revision does not have, or is malformed."""


def read_taxonomy(path: Path) -> dict:
    """One taxonomy file as written, checked against its model (a typo fails here, naming the
    file and the key)."""
    spec = read_yaml(path)
    try:
        check(TaxonomyFile, spec, config_label(path))
    except ConfigError as e:
        raise TaxonomyError(str(e)) from None
    return spec


@lru_cache(maxsize=4)
def load_taxonomies(directory: Path, region: str | None) -> tuple[dict, ...]:
    """Every taxonomy file, with `categories` resolved for the active region where the file is
    per region (a region the file does not list gets no categories: nothing is guessed)."""
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        spec = read_taxonomy(path)
        if "regions" in spec:
            spec["categories"] = (spec["regions"] or {}).get(region, {})
        for field in ("key", "kind", "ksic_revision", "categories"):
            if field not in spec:
                raise TaxonomyError(f"{path.name}: missing '{field}'")
        if spec["kind"] not in ("exclusive", "flags"):
            raise TaxonomyError(f"{path.name}: kind must be exclusive or flags, not {spec['kind']!r}")
        spec["file"] = path.name
        out.append(spec)
    return tuple(out)


def check_codes(taxonomies: tuple[dict, ...], ref: KsicReference) -> None:
    """Every listed code exists in its revision (a typo would silently match nothing)."""
    known = converter(ref).known
    problems = []
    for spec in taxonomies:
        for cat, body in spec["categories"].items():
            bad = [c for c in body["codes"] if str(c) not in known.get(int(spec["ksic_revision"]), set())]
            if bad:
                problems.append(f"{spec['file']} {cat}: {bad} not in KSIC-{spec['ksic_revision']}")
    if problems:
        raise TaxonomyError("; ".join(problems))


def theme_columns(codes_by_revision: dict[int, pd.Series], taxonomies: tuple[dict, ...]) -> pd.DataFrame:
    """One column per exclusive taxonomy (category key or empty) and one boolean per flag
    category plus its any-column. A firm whose code is only known above the listed level (an
    unresolved split, e.g. class 2012 against subclass 20121) gets <NA>, not False."""
    index = next(iter(codes_by_revision.values())).index
    out: dict[str, pd.Series] = {}
    for spec in taxonomies:
        codes = codes_by_revision.get(int(spec["ksic_revision"]))
        if codes is None:
            raise TaxonomyError(f"{spec['file']}: no codes converted to KSIC-{spec['ksic_revision']}")
        matches = {cat: _match(codes, [str(c) for c in body["codes"]]) for cat, body in spec["categories"].items()}
        if spec["kind"] == "exclusive":
            col = pd.Series(pd.NA, index=index, dtype="str")
            for cat, m in matches.items():
                col[(m == True) & col.isna()] = cat  # noqa: E712 (nullable boolean)
            out[spec["column"]] = col
        else:
            prefix = spec["column_prefix"]
            for cat, m in matches.items():
                out[f"{prefix}{cat}"] = m
            if spec.get("any_column"):
                frame = pd.DataFrame({c: m for c, m in matches.items()}, index=index)
                any_true = frame.eq(True).any(axis=1)
                any_na = frame.isna().any(axis=1)
                out[spec["any_column"]] = pd.array(any_true.astype(object).where(any_true | ~any_na, pd.NA), dtype="boolean")
    return pd.DataFrame(out, index=index)


def _match(codes: pd.Series, listed: list[str]) -> pd.Series:
    """True if the code lies under a listed code, <NA> if a listed code lies under it (not
    determined), False otherwise; <NA> for a missing code."""
    def one(code):
        if not isinstance(code, str):
            return pd.NA
        if any(code.startswith(c) for c in listed):
            return True
        if any(c.startswith(code) for c in listed):
            return pd.NA
        return False
    uniq = {c: one(c) for c in codes.dropna().unique()}
    return pd.Series(pd.array([uniq.get(c, pd.NA) if isinstance(c, str) else pd.NA for c in codes], dtype="boolean"), index=codes.index)
