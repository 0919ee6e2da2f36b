"""애로사항 answers of the synthetic census (config/samplegen/difficulties.yaml): the checkbox
items a respondent ticks, spelled as that year's contractor writes them, and the free text some
respondents add. The categories behind both are kept as truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config


def _year_items(year: int) -> dict:
    """The item labels of a census year: the year's own, else the latest earlier year's."""
    items = config.load("difficulties")["items"]
    known = sorted(int(y) for y in items)
    earlier = [y for y in known if y <= year] or known[:1]
    return items[earlier[-1]]


def answers(n: int, year: int, seed: int) -> pd.DataFrame:
    """n respondents' answers: difficulty_items (the cell as delivered, None if nothing ticked),
    difficulty_text (None if none written), and the truth: item_categories and text_categories
    (';'-joined category names, "" for none)."""
    spec = config.load("difficulties")
    rng = config.stream(seed, f"difficulties-{year}")
    labels = _year_items(year)
    categories, p = config.weighted(spec["category_weights"])
    counts, pc = config.weighted(spec["items_per_answer"])
    answered = rng.random(n) < spec["answer_share"]
    how_many = np.array(counts, dtype=int)[rng.choice(len(counts), n, p=pc)]
    item_cells = np.full(n, None, dtype=object)
    item_truth = np.full(n, "", dtype=object)
    for i in np.flatnonzero(answered):
        picked = rng.choice(len(categories), size=min(how_many[i], len(categories)), replace=False, p=p)
        chosen = [categories[k] for k in sorted(picked)]
        item_cells[i] = labels["separator"].join(labels["labels"][c] for c in chosen)
        item_truth[i] = ";".join(chosen)
    phrases = list(spec["texts"])
    writes = rng.random(n) < spec["text_share"]
    pick = rng.integers(0, len(phrases), n)
    text_cells = np.where(writes, np.array(phrases, dtype=object)[pick], None)
    text_truth = np.where(writes, np.array([spec["texts"][x] for x in phrases], dtype=object)[pick], "")
    return pd.DataFrame({"difficulty_items": item_cells, "difficulty_text": text_cells,
                         "item_categories": item_truth, "text_categories": text_truth})
