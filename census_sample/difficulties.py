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
    # k distinct categories per respondent, drawn by weight without replacement for all rows at
    # once (Gumbel top-k: the k largest log-weight + Gumbel noise), so a million firms take a second.
    keys = np.log(p)[None, :] + rng.gumbel(size=(n, len(categories)))
    order = np.argsort(-keys, axis=1)
    chosen = np.zeros((n, len(categories)), bool)
    for k in range(int(how_many.max(initial=0))):
        rows = how_many > k
        chosen[np.flatnonzero(rows), order[rows, k]] = True
    chosen[~answered] = False
    # One text per distinct set of ticked categories (a few hundred sets), in taxonomy order.
    pattern = chosen @ (1 << np.arange(len(categories)))
    codes, inverse = np.unique(pattern, return_inverse=True)
    picked = [[categories[j] for j in range(len(categories)) if c >> j & 1] for c in codes]
    cell_of = np.array([labels["separator"].join(labels["labels"][c] for c in x) if x else None for x in picked], dtype=object)
    truth_of = np.array([";".join(x) for x in picked], dtype=object)
    item_cells, item_truth = cell_of[inverse], truth_of[inverse]
    phrases = list(spec["texts"])
    writes = rng.random(n) < spec["text_share"]
    pick = rng.integers(0, len(phrases), n)
    text_cells = np.where(writes, np.array(phrases, dtype=object)[pick], None)
    text_truth = np.where(writes, np.array([spec["texts"][x] for x in phrases], dtype=object)[pick], "")
    return pd.DataFrame({"difficulty_items": item_cells, "difficulty_text": text_cells,
                         "item_categories": item_truth, "text_categories": text_truth})
