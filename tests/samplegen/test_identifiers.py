import numpy as np
import pandas as pd

from census_sample import config, identifiers


def brn_ok(number: str) -> bool:
    # Written out from domain.md §1.1, independently of the module under test.
    d = [int(c) for c in number]
    s = sum(w * x for w, x in zip((1, 3, 7, 1, 3, 7, 1, 3, 5), d[:9], strict=True)) + (5 * d[8]) // 10
    return (10 - s % 10) % 10 == d[9]


def crn_ok(number: str) -> bool:
    d = [int(c) for c in number]
    s = sum(x * (1 if i % 2 == 0 else 2) for i, x in enumerate(d[:12]))
    return (10 - s % 10) % 10 == d[12]


def test_check_digits_match_published_examples():
    known = np.array([[int(c) for c in n[:9]] for n in ("1348672683", "1234567891", "1168200276", "1348123455")])
    assert identifiers.brn_check_digit(known).tolist() == [3, 1, 6, 5]
    assert identifiers.crn_check_digit(np.array([[int(c) for c in "110111006243"]])).tolist() == [2]


def test_generated_brns_are_valid_distinct_and_typed_by_legal_form():
    rng = np.random.default_rng(1)
    is_corp = rng.random(20000) < 0.6
    ids = config.load("vocabulary")["identifiers"]
    brns = identifiers.make_brns(rng, is_corp, ids["brn_offices"], ids["brn_corporate_types"])
    assert len(set(brns)) == len(brns)
    assert all(brn_ok(b) for b in brns)
    kinds = np.array([int(b[3:5]) for b in brns])
    assert set(kinds[is_corp]) <= {81, 86, 87, 88}
    personal = kinds[~is_corp]
    assert (((personal >= 1) & (personal <= 79)) | (personal >= 90)).all()
    # Check digit 0 happens (a classic validator bug rejects it), so the sample exercises it.
    assert any(b[-1] == "0" for b in brns)


def test_generated_crns_and_broken_check_digits():
    rng = np.random.default_rng(2)
    crns = identifiers.make_crns(rng, 5000, [1345, 1101], {"11": 1})
    assert all(len(c) == 13 and crn_ok(c) for c in crns)
    brns = identifiers.make_brns(rng, np.ones(500, bool), {134: 1}, {81: 1})
    assert not any(brn_ok(b) for b in identifiers.break_brn_check_digit(brns, rng))
    assert identifiers.mask_brn(np.array(["6081234567"]))[0] == "608-12-3****"


def test_formats_as_respondents_write_them():
    values = pd.Series(["1348672683", "1348672683", "1348672683", "1348672683", None, "608-12-3****"])
    styles = np.array(["dashed", "spaced", "plain", "number", "dashed", "dashed"])
    out = identifiers.format_ids(values, styles, (3, 2, 5)).tolist()
    assert out[:4] == ["134-86-72683", "134 86 72683", "1348672683", 1348672683]
    assert out[4] is None and out[5] == "608-12-3****"
