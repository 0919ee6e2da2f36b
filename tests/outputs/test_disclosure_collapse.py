"""Category collapsing before primary suppression: publish a merged category instead of hiding
a key number as the complement of a tiny one."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.disclosure.collapse import choose_collapse
from pipeline.disclosure.protect import protect
from pipeline.disclosure.rules import DisclosureConfigError, load_rules
from pipeline.disclosure.tabulate import tabulate
from tests.conftest import SHIPPED_CONFIG
from tests.outputs.test_disclosure import _recover

RULES = load_rules(path=SHIPPED_CONFIG / "disclosure.yaml")
SIZE = RULES.collapse["size"]


def _firms(counts: dict[str, int], emp: int = 10) -> pd.DataFrame:
    rows, n = [], 0
    for size, k in counts.items():
        for _ in range(k):
            rows.append({"firm_key": f"f{n}", "size": size, "employees": emp + n % 7})
            n += 1
    return pd.DataFrame(rows)


def _published(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.Series:
    frame = frame.assign(size=frame["size"].map(lambda v: mapping.get(v, v)))
    return protect(tabulate(frame, "size", None, None), RULES).published.iloc[:, 0]


def test_without_collapsing_the_medium_firms_are_hidden_to_protect_two_large_ones():
    frame = _firms({"소기업": 3300, "중기업": 316, "중견기업": 2})
    plain = _published(frame, {})
    assert plain["중견기업"] == RULES.symbol and plain["중기업"] == RULES.symbol  # the complement


def test_collapsing_publishes_every_row():
    frame = _firms({"소기업": 3300, "중기업": 316, "중견기업": 2})
    mapping = choose_collapse(frame, "size", [None, "employees"], RULES, SIZE)
    # 중견·대기업 alone would still hold 2 firms: the next grouping is taken
    assert mapping == {"중견기업": "중기업 이상", "중기업": "중기업 이상"}
    out = _published(frame, mapping)
    assert out["중기업 이상"] == 318 and out["소기업"] == 3300 and not (out == RULES.symbol).any()


def test_the_finest_grouping_that_passes_is_used():
    frame = _firms({"소기업": 300, "중기업": 40, "중견기업": 2, "대기업": 1})
    mapping = choose_collapse(frame, "size", [None, "employees"], RULES, SIZE)
    assert mapping == {"중견기업": "중견·대기업", "대기업": "중견·대기업"}
    out = _published(frame, mapping)
    assert out["중기업"] == 40 and out["중견·대기업"] == 3


def test_nothing_is_merged_when_nothing_is_sensitive():
    assert choose_collapse(_firms({"소기업": 30, "중기업": 5, "중견기업": 3}), "size", [None], RULES, SIZE) == {}


def test_a_dominated_magnitude_also_triggers_the_merge():
    frame = _firms({"소기업": 30, "중기업": 20, "중견기업": 3})
    frame.loc[frame["size"] == "중견기업", "employees"] = [5000, 10, 10]  # one firm dominates its cell
    frame.loc[frame["size"] == "중기업", "employees"] = 500  # ... but not the merged one
    assert choose_collapse(frame, "size", [None], RULES, SIZE) == {}
    assert choose_collapse(frame, "size", [None, "employees"], RULES, SIZE) == {"중견기업": "중기업 이상", "중기업": "중기업 이상"}


def test_small_categories_are_pooled_only_when_the_pool_passes():
    spec = RULES.collapse["area"]
    three = _firms({"정왕동": 50, "과림동": 1, "포동": 1, "무지내동": 1}).rename(columns={"size": "area"})
    assert choose_collapse(three, "area", [None], RULES, spec) == {c: "기타 지역" for c in ("과림동", "포동", "무지내동")}
    two = _firms({"정왕동": 50, "과림동": 1, "포동": 1}).rename(columns={"size": "area"})
    assert choose_collapse(two, "area", [None], RULES, spec) == {}  # a pool of 2 firms would still be hidden


def test_collapsed_cross_table_resists_the_totals_attack():
    frame = _firms({"소기업": 60, "중기업": 20, "중견기업": 2})
    frame["complex"] = ["A" if i % 3 else ("B" if i % 2 else "C") for i in range(len(frame))]
    frame.loc[frame.index[:2], "complex"] = "D"  # a complex with two firms: still suppressed after the merge
    mapping = choose_collapse(frame, "size", [None], RULES, SIZE)
    frame["size"] = frame["size"].map(lambda v: mapping.get(v, v))
    out = protect(tabulate(frame, "complex", "size"), RULES)
    assert (out.published == RULES.symbol).to_numpy().sum() >= 4
    assert _recover(out.published) == {}


def test_a_misspelt_disclosure_key_fails_with_file_and_key(tmp_path):
    path = tmp_path / "disclosure.yaml"
    path.write_text("primary: {min_firms: 3, dominance_n: 2, dominance_k_pct: 85}\n"
                    "marking: {symbol: X, note_ko: a, note_en: b}\n"
                    "collapse: {size: {grups: []}}\n", encoding="utf-8")
    with pytest.raises(DisclosureConfigError, match=r"^disclosure.yaml: collapse.size.grups: "):
        load_rules(path=path)
