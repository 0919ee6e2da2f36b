"""애로사항 answers classified into the taxonomy by rules: ticked items by their labels, free
text by keywords. Every answer keeps its categories, or is marked as saying "no difficulty", or
is left unclassified for a person to review (and to extend the keywords from)."""

from __future__ import annotations

import re

import pandas as pd

from pipeline.difficulties.taxonomy import Taxonomy, fold

NONE = "없음"
# What may stand between ticked items in a cell besides the labels themselves.
_SEPARATORS = re.compile(r"[,/;|·ㆍ\u00b7\u2219\-_&+및()\[\]0-9.]+")


def classify_items(cell: object, tax: Taxonomy) -> tuple[list[str], str]:
    """(categories, leftover): the categories of the labels found in a ticked-items cell, and
    any text that is not a known label (an item the taxonomy does not know yet), which is then
    classified by keywords."""
    text = fold(cell)
    found: list[str] = []
    for label, category in tax.items:
        if label and label in text:
            text = text.replace(label, " ")
            if category not in found:
                found.append(category)
    leftover = _SEPARATORS.sub(" ", text).strip()
    if leftover:
        for c in classify_text(leftover, tax):
            if c not in found and c != NONE:
                found.append(c)
    return [c for c in tax.categories if c in found], leftover


def classify_text(text: object, tax: Taxonomy) -> list[str]:
    """Categories of a free-text answer in taxonomy order; [NONE] when it only says there is no
    difficulty; [] when no rule applies."""
    t = fold(text)
    if not t:
        return []
    if t in tax.none_answers:
        return [NONE]
    hits = {c for k, c in tax.keywords if k and k in t}
    return [c for c in tax.categories if c in hits]


def classify_answers(frame: pd.DataFrame, tax: Taxonomy, key: str = "firm_id") -> pd.DataFrame:
    """One row per input row: key, census_year, item_categories, text_categories, categories
    (';'-joined; categories = both, without 없음), answered (ticked or wrote anything),
    text_status (classified / no_difficulty / unclassified / empty), unknown_items (leftover
    text of the items cell). Each distinct text is classified once."""
    items = frame["difficulty_items"] if "difficulty_items" in frame else pd.Series(None, index=frame.index)
    texts = frame["difficulty_text"] if "difficulty_text" in frame else pd.Series(None, index=frame.index)
    item_cache = {v: classify_items(v, tax) for v in pd.unique(items.dropna())}
    text_cache = {v: classify_text(v, tax) for v in pd.unique(texts.dropna())}
    item_cats = [item_cache[v][0] if isinstance(v, str) and v in item_cache else [] for v in items]
    leftovers = [item_cache[v][1] or None if isinstance(v, str) and v in item_cache else None for v in items]
    text_cats = [text_cache[v] if isinstance(v, str) and v in text_cache else [] for v in texts]
    has_text = [bool(fold(v)) for v in texts]
    status = ["empty" if not h else "no_difficulty" if c == [NONE] else "classified" if c else "unclassified"
              for h, c in zip(has_text, text_cats, strict=True)]
    both = [[c for c in tax.categories if c in set(a) | set(b)] for a, b in zip(item_cats, text_cats, strict=True)]
    return pd.DataFrame({
        key: frame[key].to_numpy(), "census_year": frame["census_year"].to_numpy(),
        "item_categories": [";".join(c) for c in item_cats], "text_categories": [";".join(c) for c in text_cats],
        "categories": [";".join(c) for c in both],
        "answered": [bool(a) or h for a, h in zip(item_cats, has_text, strict=True)],
        "text_status": status, "unknown_items": leftovers,
    })


def classification_rate(classified: pd.DataFrame) -> float:
    """Share of written answers the rules could place (a category, or 'no difficulty')."""
    written = classified["text_status"] != "empty"
    return float(classified.loc[written, "text_status"].isin(["classified", "no_difficulty"]).mean()) if written.any() else float("nan")


def unclassified_texts(classified: pd.DataFrame, texts: pd.Series) -> pd.DataFrame:
    """The distinct free texts no rule placed, with how often each was written (for review;
    free text can name people or firms, so this list stays internal)."""
    mask = (classified["text_status"] == "unclassified").to_numpy()
    counts = texts[mask].map(lambda v: " ".join(str(v).split())).value_counts()
    return counts.rename_axis("difficulty_text").rename("answers").reset_index()
