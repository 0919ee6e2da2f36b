"""Coding firms from their words: `autocode` for missing or unusable codes, and
`contradictions` for reported codes that the words strongly disagree with.

Each distinct (업종명, product text) pair is coded once, so a census of a million firms with tens
of thousands of distinct texts costs only the distinct texts.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from pipeline.ksic.autocode.config import AutocodeConfig
from pipeline.ksic.autocode.model import AutocodeModel, votes_from_scores
from pipeline.ksic.autocode.normalise import model_text, name_key

# ksic_code_source values of a firm-year (reported and converted are set by the caller's
# conversion step, analyst by read_confirmations; the autocoder sets the two in between).
SOURCES = ("reported", "converted", "autocoded_name", "autocoded_text", "analyst")
AUTOCODE_COLUMNS = ["code", "confidence", "source", "alternatives", "abstained", "determined_code"]


def autocode(model: AutocodeModel, names: pd.Series, products: pd.Series | None, config: AutocodeConfig,
             sections: Collection[str] | None = None) -> pd.DataFrame:
    """One row per input row (same index): code (KSIC-11 subclass, <NA> when abstained), confidence
    (0-1, calibrated), source (autocoded_name | autocoded_text | <NA> when there is no text),
    alternatives ("C29223:0.41;C29229:0.12;…", the top codes with their probabilities, kept when
    abstained so the reviewer sees them) and abstained (confidence below config.abstain_below).

    An industry name that equals a KSIC-11, -10 or -9 subclass name once normalised gives that
    subclass (autocoded_name). Otherwise the text model reads the name and the product text
    together (autocoded_text when there is product text). `sections` (e.g. ["C"] for a factory
    register, where every firm is a manufacturer by law) keeps the model's votes to those sections.
    """
    if names is None and products is None:
        raise ValueError("autocode: names와 products 중 하나는 필요합니다 / give names, products or both")
    if names is not None and products is not None and len(names) != len(products):
        raise ValueError(f"autocode: names {len(names)}행, products {len(products)}행 / names and products differ in length")
    index = names.index if names is not None else products.index
    # Paired by position, not by index label: two columns of one frame, or two series built apart.
    pair = pd.DataFrame({"name": _cells(names, len(index)), "product": _cells(products, len(index))}, index=index)
    codes_idx, uniques = pd.factorize(pair["name"] + "\x1f" + pair["product"])
    first = pair.iloc[pd.Series(range(len(pair))).groupby(codes_idx).first().to_numpy()]
    coded = _code_distinct(model, first["name"].tolist(), first["product"].tolist(), config, sections)
    out = coded.iloc[codes_idx].set_index(index)
    return out[AUTOCODE_COLUMNS]


def _cells(values: pd.Series | None, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, "", dtype=object)
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(values.dtype):
        # Text columns (the staged frames' Arrow strings): no per-cell Python loop.
        return values.fillna("").to_numpy(dtype=object)
    cells = values.to_numpy(dtype=object, na_value=None)
    return np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in cells], dtype=object)


def _code_distinct(model: AutocodeModel, names: list[str], products: list[str], config: AutocodeConfig,
                   sections: Collection[str] | None) -> pd.DataFrame:
    n = len(names)
    name_texts = [model_text(v) for v in names]
    product_texts = [model_text(v) for v in products]
    keys = [name_key(v) for v in names]
    matched = [model.name_codes.get(k, ()) if k else () for k in keys]
    code = np.full(n, None, dtype=object)
    confidence = np.zeros(n)
    source = np.full(n, None, dtype=object)
    alternatives = np.full(n, "", dtype=object)
    determined = np.array([_common_parent(m) for m in matched], dtype=object)

    unique_name = np.array([len(m) == 1 for m in matched], dtype=bool)
    for i in np.flatnonzero(unique_name):
        code[i] = matched[i][0]
        confidence[i] = config.name_match_confidence
        source[i] = "autocoded_name"
        alternatives[i] = f"{code[i]}:{config.name_match_confidence:.2f}"

    rest = np.flatnonzero(~unique_name)
    texts = [" ".join(t for t in (name_texts[i], product_texts[i]) if t) for i in rest]
    has_text = np.array([bool(t) for t in texts], dtype=bool)
    rest, texts = rest[has_text], [t for t, h in zip(texts, has_text, strict=True) if h]
    if len(rest):
        allowed = model.section_mask(sections)
        scores, nearest = model.class_scores(texts, allowed)
        votes = votes_from_scores(scores, nearest, config.alternatives, model.calibration, model.ranking_classes)
        column = {c: j for j, c in enumerate(model.classes)}
        for r, i in enumerate(rest):
            candidates = matched[i]
            if candidates:
                # A name shared by several subclasses (a KSIC-10 name split in KSIC-11): the words
                # choose among them, and the confidence is the vote share among them.
                cols = np.array([column[c] for c in candidates if c in column])
                sub = scores[r, cols]
                order = np.argsort(-sub, kind="stable")
                total = sub.sum()
                shares = sub[order] / total if total > 0 else np.full(len(cols), 1.0 / len(cols))
                picks = [(model.classes[cols[o]], s) for o, s in zip(order, shares, strict=True)][: config.alternatives]
                code[i], confidence[i], source[i] = picks[0][0], float(picks[0][1]) * config.name_match_confidence, "autocoded_name"
            else:
                picks = [(model.classes[c], s) for c, s in zip(votes.top[r], votes.share[r], strict=True) if s > 0]
                if not picks:
                    continue
                code[i], confidence[i] = picks[0][0], float(votes.confidence[r])
                source[i] = "autocoded_text" if product_texts[i] else "autocoded_name"
            alternatives[i] = ";".join(f"{c}:{s:.2f}" for c, s in picks)

    abstained = confidence < config.abstain_below
    frame = pd.DataFrame({
        "code": pd.array(np.where(abstained, None, code), dtype="string"),
        "confidence": np.round(confidence, 4),
        "source": pd.array(source, dtype="string"),
        "alternatives": pd.array(alternatives, dtype="string"),
        "abstained": abstained,
        "determined_code": pd.array(determined, dtype="string"),
    })
    return frame


def _common_parent(codes: tuple[str, ...]) -> str | None:
    """The longest shared prefix of subclass codes that is a KSIC level (5, 4, 3 or 2 digits)."""
    if not codes:
        return None
    for width in (5, 4, 3, 2):
        if len({c[:width] for c in codes}) == 1:
            return codes[0][:width]
    return None


def code_levels(model: AutocodeModel, codes: pd.Series) -> pd.DataFrame:
    """section, division, group and class of each KSIC-11 subclass code (<NA> where there is none)."""
    table = model.subclasses.set_index("code")[["section", "division", "group", "class"]]
    return pd.DataFrame({level: codes.map(table[level]).astype("string") for level in table.columns}, index=codes.index)


def contradictions(model: AutocodeModel, reported: pd.Series, names: pd.Series, products: pd.Series | None,
                   config: AutocodeConfig, sections: Collection[str] | None = None) -> pd.DataFrame:
    """For reported KSIC-11 subclass codes: contradicted (the words give a different class with at
    least config.contradiction_confidence and the reported code is not among the alternatives),
    suggestion and its confidence, for a warning. Rows without a usable code or text are not flagged."""
    coded = autocode(model, names, products, config, sections)
    coded.index = reported.index  # paired by position, as in autocode
    reported = reported.astype("string").str.strip()
    suggested = coded.code
    # Plain object arrays: iterating Arrow-backed strings cell by cell costs seconds at 1M rows.
    listed = [isinstance(r, str) and isinstance(a, str) and f"{r}:" in a
              for r, a in zip(reported.to_numpy(dtype=object, na_value=None),
                              coded.alternatives.to_numpy(dtype=object, na_value=None), strict=True)]
    contradicted = (suggested.notna() & reported.notna() & (coded.confidence >= config.contradiction_confidence)
                    & (suggested.str[:4] != reported.str[:4]) & ~np.array(listed, dtype=bool))
    return pd.DataFrame({"contradicted": contradicted.fillna(False).astype(bool),
                         "suggestion": suggested.where(contradicted.fillna(False)),
                         "suggestion_confidence": coded.confidence.where(contradicted.fillna(False)),
                         "suggestion_source": coded.source.where(contradicted.fillna(False))}, index=reported.index)
