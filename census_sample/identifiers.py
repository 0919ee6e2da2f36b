"""Synthetic 사업자등록번호 and 법인등록번호 that pass their check digits (domain.md §1.1, §1.2),
and the ways respondents write them."""

from __future__ import annotations

import numpy as np
import pandas as pd

BRN_WEIGHTS = np.array([1, 3, 7, 1, 3, 7, 1, 3, 5])


def brn_check_digit(first9: np.ndarray) -> np.ndarray:
    """Check digit of (n, 9) integer digit arrays: the weighted sum plus the tens digit of 5*d9,
    then (10 - s mod 10) mod 10 (the outer mod gives check digit 0, a classic validator bug)."""
    s = (first9 * BRN_WEIGHTS).sum(axis=1) + (5 * first9[:, 8]) // 10
    return (10 - s % 10) % 10


def crn_check_digit(first12: np.ndarray) -> np.ndarray:
    """Check digit of (n, 12) digit arrays: weights 1,2,1,2,... summed directly."""
    s = (first12 * np.tile([1, 2], 6)).sum(axis=1)
    return (10 - s % 10) % 10


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) digit array of non-negative integers."""
    powers = 10 ** np.arange(width - 1, -1, -1)
    return (values[:, None] // powers) % 10


def _join(digits: np.ndarray) -> np.ndarray:
    return pd.Series(digits.astype(np.int64) @ (10 ** np.arange(digits.shape[1] - 1, -1, -1))).astype(str).str.zfill(digits.shape[1]).to_numpy()


def make_brns(rng: np.random.Generator, is_corp: np.ndarray, offices: dict, corp_types: dict) -> np.ndarray:
    """Distinct valid 10-digit BRNs: 법인 with type 81/86/87/88, 개인 with 01-79 or 90-99."""
    n = len(is_corp)
    office_keys = np.array([int(k) for k in offices])
    office_p = np.array(list(offices.values()), float)
    type_keys = np.array([int(k) for k in corp_types])
    type_p = np.array(list(corp_types.values()), float)
    office = rng.choice(office_keys, n, p=office_p / office_p.sum())
    corp_type = rng.choice(type_keys, n, p=type_p / type_p.sum())
    personal_type = np.where(rng.random(n) < 0.9, rng.integers(1, 80, n), rng.integers(90, 100, n))
    kind = np.where(is_corp, corp_type, personal_type)
    serial = rng.integers(1, 10000, n)
    first9 = np.hstack([_digits(office, 3), _digits(kind, 2), _digits(serial, 4)])
    # A collision is a different firm with the same number: move the serial until unique. One
    # office and type has only 9,999 serials, so after a few tries (large populations) the
    # number moves to another office code as well.
    key = first9 @ (10 ** np.arange(8, -1, -1))
    for attempt in range(1000):
        dup = pd.Series(key).duplicated().to_numpy()
        if not dup.any():
            break
        k = int(dup.sum())
        first9[dup, 5:9] = _digits(rng.integers(1, 10000, k), 4)
        if attempt >= 3:
            first9[dup, 0:3] = _digits(rng.integers(101, 1000, k), 3)
        key = first9 @ (10 ** np.arange(8, -1, -1))
    else:
        raise ValueError("too many firms for distinct business registration numbers")
    return _join(np.hstack([first9, brn_check_digit(first9)[:, None]]))


def make_crns(rng: np.random.Generator, n: int, offices: list, kinds: dict) -> np.ndarray:
    """Valid 13-digit 법인등록번호 (not guaranteed distinct; the space is 10^6 per office)."""
    office = rng.choice(np.array(offices, dtype=np.int64), n)
    kind_keys = np.array([int(k) for k in kinds])
    kind_p = np.array(list(kinds.values()), float)
    kind = rng.choice(kind_keys, n, p=kind_p / kind_p.sum())
    serial = rng.integers(1, 1_000_000, n)
    first12 = np.hstack([_digits(office, 4), _digits(kind, 2), _digits(serial, 6)])
    return _join(np.hstack([first12, crn_check_digit(first12)[:, None]]))


def break_brn_check_digit(brn: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same numbers with a wrong check digit (a keying slip)."""
    last = np.array([int(b[-1]) for b in brn]) if len(brn) else np.array([], int)
    wrong = (last + rng.integers(1, 10, len(brn))) % 10
    return np.array([b[:-1] + str(w) for b, w in zip(brn, wrong, strict=True)], dtype=object)


def mask_brn(brn: np.ndarray) -> np.ndarray:
    """The masked form contractors use for privacy: 608-12-7****."""
    return np.array([f"{b[:3]}-{b[3:5]}-{b[5]}****" for b in brn], dtype=object)


def format_ids(values: pd.Series, styles: np.ndarray, groups: tuple[int, ...]) -> np.ndarray:
    """Write digit strings in a per-row style: dashed (134-86-72683), spaced (134 86 72683),
    plain (1348672683) or number (an integer cell). Masked or missing values pass through."""
    out = np.array([v if isinstance(v, str) else None for v in values], dtype=object)
    digits = values.fillna("").astype(str)
    ok = digits.str.fullmatch(r"\d+").to_numpy()
    cuts = np.cumsum((0, *groups))
    parts = [digits.str.slice(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
    dashed = parts[0].str.cat(parts[1:], sep="-")
    spaced = parts[0].str.cat(parts[1:], sep=" ")
    for style, text in (("dashed", dashed), ("spaced", spaced), ("plain", digits)):
        m = ok & (styles == style)
        out[m] = text.to_numpy()[m]
    m = ok & (styles == "number")
    out[m] = [int(x) for x in digits.to_numpy()[m]]
    return out
