"""Normalising text: the values and the change log are what NFKC and the spacing rules give,
whether or not a value could be passed over as already normal."""

import unicodedata

import numpy as np
import pandas as pd

from pipeline.clean import normalise_text


def by_the_rules(value):
    """The rule as an analyst reads it: NFKC, runs of spacing to one space, trimmed, empty is missing."""
    if value is None:
        return None, None
    nfkc = unicodedata.normalize("NFKC", value)
    out = " ".join(nfkc.replace("\t", " ").replace("\n", " ").replace("\r", " ").replace("\f", " ").split(" "))
    out = " ".join(w for w in out.split(" ") if w) if out.strip() else ""
    out = out.strip() or None
    if out == value:
        return out, None
    return out, "text:nfkc" if nfkc != value else "text:whitespace"


SAMPLES = [
    "한빛금속", "(주)한빛금속", "㈜한빛금속", "ＡＢＣ１２３", "경기도 시흥시 공단1대로 204", "경기도  시흥시", " 앞 공백",
    "뒤 공백 ", "탭\t구분", "줄\n바꿈", "전각\u3000공백", "NBSP\u00a0공백", "가운뎃점·표기", "조합형 한글 \u1112\u1161\u11ab",
    "e\u0301", "Ⅲ형 부품", "", "   ", None, "2208869974", "1,234", "Mold&Die Co., Ltd.", "A-1 (B)", "~!@#$%^&*_+=|{}[]:;'<>?/",
]


def test_every_kind_of_text_is_normalised_and_logged_by_the_rules():
    rng = np.random.default_rng(11)
    values = pd.Series(pd.array([SAMPLES[i] for i in rng.integers(0, len(SAMPLES), 3_000)], dtype="str"))
    out, changes = normalise_text(values)
    expected = [by_the_rules(None if pd.isna(v) else v) for v in values]
    assert [None if pd.isna(v) else v for v in out] == [e[0] for e in expected]
    logged = {int(p): (c.rule, o, n) for c in changes for p, o, n in zip(c.positions, c.old, c.new, strict=True)}
    assert {p: r for p, (r, _, _) in logged.items()} == {i: e[1] for i, e in enumerate(expected) if e[1]}
    assert all(o == values[p] and (n == expected[p][0] or (n is None and expected[p][0] is None)) for p, (_, o, n) in logged.items())


def test_text_already_normal_is_returned_without_changes():
    values = pd.Series(pd.array(["한빛금속", "경기도 시흥시 공단1대로 204", None, "Mold&Die Co., Ltd."], dtype="str"))
    out, changes = normalise_text(values)
    assert changes == []
    assert out.tolist()[:2] == values.tolist()[:2] and pd.isna(out[2])


def _same(a: pd.Series, b: pd.Series) -> bool:
    return a.index.equals(b.index) and a.fillna("(없음)").tolist() == b.fillna("(없음)").tolist()


def test_cleaning_distinct_values_once_gives_what_cleaning_every_value_gives():
    from pipeline.clean import on_distinct_values, parse_identifier

    rng = np.random.default_rng(5)
    n = 120_000
    repeating = pd.Series(pd.array([SAMPLES[i] for i in rng.integers(0, len(SAMPLES), n)], dtype="str"))
    # Unique values (the sampled look-ahead passes them straight to the cleaner), a few missing.
    unique = pd.Series(pd.array([None if i % 997 == 0 else f"{i:03d}-{i % 97:02d}-{i:05d}" for i in range(n)], dtype="str"),
                       index=pd.RangeIndex(7, 7 + n))
    for values, cleaner in ((repeating, normalise_text), (unique, parse_identifier), (unique, normalise_text)):
        once, once_changes = on_distinct_values(values, cleaner)
        every, every_changes = cleaner(values)
        assert _same(once, every)
        assert [(c.rule, c.positions.tolist()) for c in once_changes] == [(c.rule, c.positions.tolist()) for c in every_changes]
