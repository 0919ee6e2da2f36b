"""The registered 애로사항 tables: firm_year_difficulty (one row per firm-year and category it
reported, with where the category came from) and difficulty_review (the texts no rule placed, for
staff to read and to extend config/difficulties.yaml from).

The free text itself stays in difficulty_review, which is internal: it can name people and
firms. firm_year_difficulty holds categories only."""

from __future__ import annotations

import pandas as pd

from pipeline.difficulties.classify import NONE, classify_answers, classify_text
from pipeline.difficulties.taxonomy import Taxonomy, fold

UNCLASSIFIED = "미분류"
# source: how the category was found
ITEM, KEYWORD, ITEM_KEYWORD, NOT_PLACED = "item", "keyword", "item_keyword", "unclassified"
DIFFICULTY_COLUMNS = ["record_id", "census_year", "firm_id", "category", "source"]
REVIEW_COLUMNS = ["census_year", "kind", "text", "answers"]
ANSWER_COLUMNS = ["record_id", "census_year", "difficulty_items", "difficulty_text"]


def _listed(column: pd.Series, flag: str) -> pd.DataFrame:
    long = column.str.split(";").explode()
    long = long[long.fillna("") != ""]
    return pd.DataFrame({"row": long.index, "category": long.to_numpy(), flag: True})


def _unplaced_items(classified: pd.DataFrame, tax: Taxonomy) -> pd.Series:
    """Item text the taxonomy does not know and no keyword places (one per row, else None)."""
    cache: dict[str, bool] = {}

    def unplaced(v):
        if not isinstance(v, str) or not v:
            return False
        if v not in cache:
            cache[v] = not [c for c in classify_text(v, tax) if c != NONE]
        return cache[v]

    return classified["unknown_items"].map(unplaced).astype(bool)


def difficulty_tables(answers: pd.DataFrame, identity: pd.DataFrame, tax: Taxonomy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(firm_year_difficulty, difficulty_review) from firm_year's answers (ANSWER_COLUMNS) and
    firm_year_identity. A firm-year that answered nothing has no row; one whose text says there
    is no difficulty has the category 없음; text or item labels no rule places give 미분류."""
    frame = answers.merge(identity[["record_id", "firm_id"]], on="record_id", how="inner").reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=DIFFICULTY_COLUMNS), pd.DataFrame(columns=REVIEW_COLUMNS)
    classified = classify_answers(frame, tax, "record_id")
    found = pd.concat([_listed(classified["item_categories"], "item"), _listed(classified["text_categories"], "text")])
    unplaced = (classified["text_status"] == "unclassified") | _unplaced_items(classified, tax)
    rows = found.groupby(["row", "category"], sort=False).agg(item=("item", "any"), text=("text", "any")).reset_index()
    rows["item"] = rows["item"].fillna(False).astype(bool)
    rows["text"] = rows["text"].fillna(False).astype(bool)
    rows["source"] = [ITEM_KEYWORD if i and t else ITEM if i else KEYWORD for i, t in zip(rows["item"], rows["text"], strict=True)]
    rest = pd.DataFrame({"row": classified.index[unplaced.to_numpy()], "category": UNCLASSIFIED, "source": NOT_PLACED})
    rows = pd.concat([rows[["row", "category", "source"]], rest], ignore_index=True)
    order = {c: k for k, c in enumerate([*tax.categories, NONE, UNCLASSIFIED])}
    rows["_order"] = rows["category"].map(order)
    rows = rows.sort_values(["row", "_order"])
    out = pd.DataFrame({"record_id": frame["record_id"].to_numpy()[rows["row"]],
                        "census_year": frame["census_year"].to_numpy()[rows["row"]].astype(int),
                        "firm_id": frame["firm_id"].to_numpy()[rows["row"]],
                        "category": rows["category"].to_numpy(), "source": rows["source"].to_numpy()})
    out = out.sort_values(["census_year", "record_id"], kind="stable", ignore_index=True)
    return out[DIFFICULTY_COLUMNS], review_list(frame, classified, unplaced)


def review_list(frame: pd.DataFrame, classified: pd.DataFrame, unplaced: pd.Series) -> pd.DataFrame:
    """Per census year, the distinct texts no rule placed (kind text: the free answer; kind item:
    a ticked-items cell's words the taxonomy does not know) and how many firm-years wrote each."""
    text_rows = (classified["text_status"] == "unclassified").to_numpy()
    item_rows = (unplaced & classified["unknown_items"].notna()).to_numpy()
    parts = [pd.DataFrame({"census_year": frame.loc[text_rows, "census_year"].astype(int).to_numpy(), "kind": "text",
                           "text": frame.loc[text_rows, "difficulty_text"].map(lambda v: " ".join(str(v).split())).to_numpy()}),
             pd.DataFrame({"census_year": frame.loc[item_rows, "census_year"].astype(int).to_numpy(), "kind": "item",
                           "text": classified.loc[item_rows, "unknown_items"].to_numpy()})]
    listed = pd.concat(parts, ignore_index=True)
    listed = listed[listed["text"].map(fold) != ""]
    if listed.empty:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    counts = listed.groupby(["census_year", "kind", "text"]).size().rename("answers").reset_index()
    return counts.sort_values(["census_year", "answers", "kind", "text"], ascending=[True, False, True, True],
                              ignore_index=True)[REVIEW_COLUMNS]
