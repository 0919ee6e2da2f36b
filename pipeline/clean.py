"""Vectorised cleaners from delivered text to canonical types.

Each cleaner takes a column of text (object/str Series, None for empty) and returns the typed
values plus a `Changes` record of the cells whose value it altered and why. Pure formatting
(thousands separators, hyphens in identifiers, date notation) is not a change of value and is
not logged; normalising characters, dropping what cannot be parsed, and rounding are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Korean accounting writes negatives as △123 or ▲123.
NEGATIVE_MARKS = r"^[△▲]"
NUMBER_NOISE = r"[,\s원명개사%]"


@dataclass
class Changes:
    """Cells altered by a cleaner: positions in the column, old and new text, the rule."""

    positions: np.ndarray
    old: np.ndarray
    new: np.ndarray
    rule: str

    @staticmethod
    def where(mask: np.ndarray, old: pd.Series, new: pd.Series, rule: str) -> Changes:
        idx = np.flatnonzero(mask)
        return Changes(idx, old.to_numpy(dtype=object)[idx], new.astype(object).to_numpy(dtype=object)[idx], rule)


def _arrow(values: pd.Series) -> pa.Array:
    return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def normalise_text(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """NFKC (full-width ＡＢＣ１２３ -> ABC123, ㈜ -> (주)), white space collapsed and trimmed.
    Empty text becomes missing. Changes are logged as 'text:nfkc' where characters changed and
    'text:whitespace' where only spacing did."""
    raw = values.astype(object).where(values.notna(), None)
    arr = _arrow(raw)
    nfkc = pc.utf8_normalize(arr, "NFKC")
    out = pc.utf8_trim_whitespace(pc.replace_substring_regex(nfkc, r"\s+", " "))
    out = pc.if_else(pc.equal(out, ""), pa.scalar(None, pa.string()), out)
    cleaned = pd.Series(out.to_pandas(), index=values.index, dtype=object).where(lambda s: s.notna(), None)
    before = pd.Series(raw, dtype=object)
    changed = (before.fillna("\0") != cleaned.fillna("\0")).to_numpy()
    chars_changed = pc.fill_null(pc.not_equal(nfkc, arr), False).to_numpy(zero_copy_only=False)
    changes = []
    if (changed & chars_changed).any():
        changes.append(Changes.where(changed & chars_changed, before, cleaned, "text:nfkc"))
    if (changed & ~chars_changed).any():
        changes.append(Changes.where(changed & ~chars_changed, before, cleaned, "text:whitespace"))
    return cleaned, changes


def parse_number(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Numbers from text: thousands separators, trailing units (명, 원, %), △ negatives, '-' for
    none. Text that is not a number becomes missing and is logged."""
    text, changes = normalise_text(values)
    changes = [c for c in changes if c.rule == "text:nfkc"]
    arr = _arrow(text)
    arr = pc.replace_substring_regex(arr, NEGATIVE_MARKS, "-")
    arr = pc.replace_substring_regex(arr, NUMBER_NOISE, "")
    dash = pc.fill_null(pc.match_substring_regex(arr, r"^-*$"), False)
    arr = pc.if_else(dash, pa.scalar(None, pa.string()), arr)
    numbers = pd.to_numeric(pd.Series(arr.to_pandas(), index=values.index), errors="coerce").astype("float64")
    bad = (text.notna() & numbers.isna() & ~pd.Series(dash.to_numpy(zero_copy_only=False), index=values.index)).to_numpy()
    if bad.any():
        changes.append(Changes.where(bad, text, pd.Series([None] * len(text), index=text.index, dtype=object), "number:unparseable"))
    return numbers, changes


def parse_integer(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    numbers, changes = parse_number(values)
    rounded = numbers.round()
    fractional = (numbers.notna() & (rounded != numbers)).to_numpy()
    if fractional.any():
        changes.append(Changes.where(fractional, numbers, rounded, "integer:rounded"))
    return rounded.astype("Int64"), changes


def scale(values: pd.Series, factor: float) -> pd.Series:
    return values * factor if factor != 1.0 else values


DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y. %m. %d", "%Y년 %m월 %d일", "%Y.%m.%d.")


def parse_date(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Dates from text in the usual Korean notations or from Excel serial numbers."""
    text, changes = normalise_text(values)
    changes = [c for c in changes if c.rule == "text:nfkc"]
    s = pd.Series(text, dtype=object)
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    pending = s.notna()
    # Excel serial day numbers (1900 date system), as calamine renders undated numeric cells.
    serial = pd.to_numeric(s.where(s.str.fullmatch(r"\d{5}(\.0+)?", na=False)), errors="coerce")
    is_serial = serial.between(1, 80000).fillna(False).astype(bool)
    result[is_serial] = EXCEL_EPOCH + pd.to_timedelta(serial[is_serial].astype("int64"), unit="D")
    pending &= ~is_serial
    for fmt in DATE_FORMATS:
        if not pending.any():
            break
        parsed = pd.to_datetime(s[pending], format=fmt, errors="coerce")
        ok = parsed.notna()
        result[ok[ok].index] = parsed[ok]
        pending[ok[ok].index] = False
    if pending.any():
        # "2015-3-2", "2015.3.2", "2015. 3. 2." : separators with unpadded parts.
        parts = s[pending].str.extract(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})")
        parsed = pd.to_datetime(
            dict(year=pd.to_numeric(parts[0]), month=pd.to_numeric(parts[1]), day=pd.to_numeric(parts[2])), errors="coerce"
        ) if len(parts) else pd.Series([], dtype="datetime64[ns]")
        ok = parsed.notna()
        result[ok[ok].index] = parsed[ok]
        pending[ok[ok].index] = False
    if pending.any():
        mask = pending.to_numpy()
        changes.append(Changes.where(mask, s, pd.Series([None] * len(s), index=s.index, dtype=object), "date:unparseable"))
    return result, changes


def parse_identifier(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Digits only, leading zeros kept; '*' of masked numbers (608-12-7****) kept. A value with
    anything else in it (a note, scientific notation from a spreadsheet) is not guessed at."""
    text, changes = normalise_text(values)
    changes = [c for c in changes if c.rule == "text:nfkc"]
    stripped = text.str.replace(r"[\s\-–.]", "", regex=True)
    valid = stripped.str.fullmatch(r"[0-9*]+", na=False)
    bad = (text.notna() & ~valid).to_numpy()
    result = stripped.where(valid, None)
    if bad.any():
        changes.append(Changes.where(bad, text, result, "id:not_digits"))
    return result, changes


def parse_ksic(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """KSIC codes as digit strings. A leading section letter ("C25911") is dropped and logged."""
    text, changes = normalise_text(values)
    changes = [c for c in changes if c.rule == "text:nfkc"]
    upper = text.str.upper().str.replace(r"\s", "", regex=True)
    lettered = upper.str.fullmatch(r"[A-U]\d{2,5}", na=False)
    code = upper.where(~lettered, upper.str[1:])
    code = code.str.replace(r"\.0$", "", regex=True)
    valid = code.str.fullmatch(r"\d{2,5}", na=False)
    if lettered.any():
        changes.append(Changes.where(lettered.to_numpy(), text, code, "ksic:section_letter_removed"))
    bad = (text.notna() & ~valid).to_numpy()
    if bad.any():
        changes.append(Changes.where(bad, text, pd.Series([None] * len(text), index=text.index, dtype=object), "ksic:not_a_code"))
    return code.where(valid, None), changes


def parse_tier(values: pd.Series, spellings: dict[str, str]) -> tuple[pd.Series, list[Changes]]:
    text, changes = normalise_text(values)
    changes = [c for c in changes if c.rule == "text:nfkc"]
    key = text.str.replace(r"\s", "", regex=True).str.lower()
    mapped = key.map(spellings)
    spelled = (mapped.notna() & (mapped != text)).to_numpy()
    if spelled.any():
        changes.append(Changes.where(spelled, text, mapped, "tier:canonical_spelling"))
    unknown = (text.notna() & mapped.isna()).to_numpy()
    if unknown.any():
        changes.append(Changes.where(unknown, text, mapped, "tier:unknown"))
    return mapped.astype(object).where(mapped.notna(), None), changes
