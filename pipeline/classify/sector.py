"""KSIC columns of a firm-year: reported code checked, converted codes, and the sector hierarchy."""

from __future__ import annotations

import pandas as pd

from pipeline.ksic.convert import clean_code, conversions, convert_frame, converter
from pipeline.ksic.reference import LEVELS, KsicReference


def ksic_columns(frame: pd.DataFrame, ref: KsicReference, target: int, comparison: int) -> pd.DataFrame:
    """ksic_issue; the target revision (ksic_target_revision) and the code converted to it
    (ksic_target_code/_relation/_candidates/_unresolved), the same for the comparison revision
    (ksic_comparison_*); the hierarchy (code, _ko, _en per level) of the target-revision code,
    prefixed ksic_ (ksic_section ... ksic_subclass), and of the reported code, prefixed ksic_rep_.
    Names do not carry the revision, so making KSIC-12 the target renames no column: the
    revision is data."""
    codes = frame["ksic_code"] if "ksic_code" in frame else pd.Series(None, index=frame.index, dtype="str")
    revisions = frame["ksic_revision"] if "ksic_revision" in frame else pd.Series(pd.NA, index=frame.index)
    to_target = conversions(ref, codes, revisions, target)
    out = pd.DataFrame({"ksic_issue": pd.array([r.issue for r in to_target], dtype="str")}, index=frame.index)
    out["ksic_target_revision"] = pd.array([target] * len(frame), dtype="Int64")
    out["ksic_comparison_revision"] = pd.array([comparison] * len(frame), dtype="Int64")
    parts = [out, convert_frame(ref, codes, revisions, target, "ksic_target", to_target),
             convert_frame(ref, codes, revisions, comparison, "ksic_comparison")]
    parts.append(hierarchy(ref, parts[1]["ksic_target_code"], pd.Series(target, index=frame.index), "ksic"))
    # Looked up in the reported revision only: a code that is not in it gets no reported hierarchy.
    reported = pd.Series([clean_code(c) for c in codes], index=frame.index, dtype="str")
    parts.append(hierarchy(ref, reported, revisions, "ksic_rep"))
    return pd.concat(parts, axis=1)


def label_columns() -> list[str]:
    """The Korean and English name columns of the hierarchies ksic_columns adds."""
    return [f"{prefix}_{level}{suffix}" for prefix in ("ksic", "ksic_rep") for level in LEVELS for suffix in ("_ko", "_en")]


def hierarchy(ref: KsicReference, codes: pd.Series, revisions: pd.Series, prefix: str) -> pd.DataFrame:
    """For each level (section … subclass): {prefix}_{level}, _{level}_ko, _{level}_en. A code at a
    higher level (a split resolved only to its class) fills the levels down to its own."""
    conv = converter(ref)
    label_of = conv.labels
    cache: dict[tuple, dict[str, tuple]] = {}
    rows = []
    for code, rev in zip(codes, revisions, strict=True):
        key = (None if pd.isna(rev) else int(rev), None if pd.isna(code) else code)
        if key not in cache:
            found: dict[str, tuple] = {}
            if key[0] is not None and key[1] is not None and (key[0], key[1]) in label_of:
                for c in conv.ancestors(key[0], key[1]):
                    level, ko, en = label_of[(key[0], c)]
                    found[level] = (c, ko, en)
            cache[key] = found
        rows.append(cache[key])
    out = {}
    for level in LEVELS:
        for i, suffix in enumerate(("", "_ko", "_en")):
            out[f"{prefix}_{level}{suffix}"] = pd.array([r[level][i] if level in r else None for r in rows], dtype="str")
    return pd.DataFrame(out, index=codes.index)
