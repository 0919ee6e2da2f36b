"""Korean business identifiers, checked vectorised over whole columns.

사업자등록번호 (BRN, 10 digits) and 법인등록번호 (CRN, 13 digits): format, component ranges and check
digit (docs: /work/shared/docs/domain.md §1). A column of a million numbers is checked with numpy
over an (n, width) digit array, not a Python loop, so validation stays within seconds.

python-stdnum is not used: its `kr.brn` does not verify the check digit.

Every function returns a status per row, one of:
  missing    - empty
  masked     - the contractor hid some or all digits ("608127****", "****", "xxx-xx-xxxxx",
               "○○○○○○-○○○○○○○"); not checkable, not an error (a warning rule reports it)
  malformed  - wrong length or characters after removing separators
  component  - BRN only: a component is out of range (office < 101, type 00, serial 0000)
  checksum   - the check digit does not match
  valid
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

BRN_WEIGHTS = np.array([1, 3, 7, 1, 3, 7, 1, 3, 5])
# 1,2,1,2,... over the first 12 digits; the products are summed directly (no Luhn digit sum).
CRN_WEIGHTS = np.tile([1, 2], 6)

MISSING, MASKED, MALFORMED, COMPONENT, CHECKSUM, VALID = (
    "missing", "masked", "malformed", "component", "checksum", "valid",
)
# Separators seen in deliveries: "134-86-72683", "220 88 69974", "134.86.72683", full-width hyphen.
_SEPARATORS_OR_FLOAT = r"\.0$|[\s\-‐‑–—－.·]"
# Characters contractors hide digits with (full-width forms included: NFKC is not run here).
# Registers published as open data mask the whole number ("****") or its tail ("608127****").
MASK_CHARACTERS = "*＊xXｘＸ#＃○◯"
_MASK_CHARS = "[" + re.escape(MASK_CHARACTERS) + "]"


def normalise_number(values: pd.Series) -> pd.Series:
    """Digits (and mask characters as '*') with separators removed; missing stays missing.

    Excel turns a BRN into a float ("1208200052.0"); the trailing ".0" is dropped before the
    separators so that it does not become two extra digits.
    """
    s = values.astype("string")
    # Staged numbers are digits already; regex replacement costs ~1 s per million values, so
    # only the rows with anything else are rewritten.
    odd = ~s.str.fullmatch(r"[0-9]+").fillna(True).to_numpy(dtype=bool)
    if odd.any():
        t = s[odd].str.replace(_SEPARATORS_OR_FLOAT, "", regex=True).str.replace(_MASK_CHARS, "*", regex=True)
        s = s.copy()
        s[odd] = t
    return s.mask(s == "")


def _digit_matrix(s: pd.Series, width: int) -> np.ndarray:
    """(n, width) int array of the digits of strings already known to be `width` ASCII digits."""
    raw = s.to_numpy(dtype=f"S{width}") if len(s) else np.empty(0, dtype=f"S{width}")
    return np.frombuffer(raw.tobytes(), dtype=np.uint8).reshape(-1, width).astype(np.int16) - 48


# Statuses as small integers inside (comparing int8 arrays is ~20x faster than object strings).
STATUSES = np.array([MISSING, MASKED, MALFORMED, COMPONENT, CHECKSUM, VALID], dtype=object)
CODE = {name: np.int8(i) for i, name in enumerate(STATUSES)}


def _shape_codes(s: pd.Series, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Status codes with missing/masked/malformed filled in, and the mask of all-digit rows."""
    codes = np.full(len(s), CODE[MALFORMED], dtype=np.int8)
    missing = s.isna().to_numpy()
    digits = s.str.fullmatch(rf"[0-9]{{{width}}}").fillna(False).to_numpy(dtype=bool)
    # Masked: only digits and '*' with at least one '*', and fewer digits shown than the number
    # has. Nothing shown at all ("****", any count of stars) is masked too: the contractor hid
    # the number, which is not a typo. The count of stars is not checked, as contractors write
    # any number of them ("608-12-***").
    masked = ~digits & ~missing
    if masked.any():
        sub = s[masked]
        shown = sub.str.count(r"[0-9]").fillna(0).to_numpy()
        masked[masked] = (
            sub.str.fullmatch(r"[0-9*]+").fillna(False).to_numpy(dtype=bool)
            & sub.str.contains("*", regex=False).fillna(False).to_numpy(dtype=bool)
            & (shown < width)
        )
    codes[missing] = CODE[MISSING]
    codes[masked] = CODE[MASKED]
    return codes, digits


def brn_status_codes(normalised: pd.Series) -> np.ndarray:
    """int8 status codes (index into STATUSES) of numbers already through normalise_number."""
    codes, ok = _shape_codes(normalised, 10)
    if ok.any():
        d = _digit_matrix(normalised[ok], 10)
        office = d[:, 0] * 100 + d[:, 1] * 10 + d[:, 2]
        kind = d[:, 3] * 10 + d[:, 4]
        serial = d[:, 5] * 1000 + d[:, 6] * 100 + d[:, 7] * 10 + d[:, 8]
        total = (d[:, :9] * BRN_WEIGHTS).sum(axis=1) + (5 * d[:, 8]) // 10
        # The outer mod 10 makes a remainder of 0 give check digit 0 (not 10).
        check_ok = (10 - total % 10) % 10 == d[:, 9]
        component_ok = (office >= 101) & (kind != 0) & (serial != 0)
        codes[ok] = np.where(~component_ok, CODE[COMPONENT], np.where(check_ok, CODE[VALID], CODE[CHECKSUM]))
    return codes


def crn_status_codes(normalised: pd.Series) -> np.ndarray:
    codes, ok = _shape_codes(normalised, 13)
    if ok.any():
        d = _digit_matrix(normalised[ok], 13)
        total = (d[:, :12] * CRN_WEIGHTS).sum(axis=1)
        check_ok = (10 - total % 10) % 10 == d[:, 12]
        codes[ok] = np.where(check_ok, CODE[VALID], CODE[CHECKSUM])
    return codes


def brn_status(values: pd.Series) -> pd.Series:
    """Status of each 사업자등록번호 (see module doc), index aligned with `values`."""
    return pd.Series(STATUSES[brn_status_codes(normalise_number(values))], index=values.index, dtype=object)


def crn_status(values: pd.Series) -> pd.Series:
    """Status of each 법인등록번호 (see module doc; no component rule), index aligned with `values`."""
    return pd.Series(STATUSES[crn_status_codes(normalise_number(values))], index=values.index, dtype=object)


def brn_type_code(values: pd.Series, normalised: bool = False) -> pd.Series:
    """Digits 4-5 of each BRN (the 개인/법인 type code) where they are shown, else missing."""
    s = values if normalised else normalise_number(values)
    code = s.str.slice(3, 5)
    return code.where(code.str.fullmatch(r"[0-9][0-9]").fillna(False).astype(bool))


def is_valid_brn(number: str) -> bool:
    """One number, for the CLI and tests; same rule as `brn_status`."""
    return brn_status(pd.Series([number])).iloc[0] == VALID


def is_valid_crn(number: str) -> bool:
    return crn_status(pd.Series([number])).iloc[0] == VALID
