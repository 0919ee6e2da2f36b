"""Vectorised cleaners from delivered text to canonical types.

Each cleaner takes a column of text (pandas str or object Series, missing for empty) and returns
the typed values plus `Changes` records of the cells whose value it altered and why. Pure
formatting (thousands separators, hyphens in identifiers, date notation) is not a change of
value and is not logged; normalising characters, dropping what cannot be parsed, and rounding are.
The text work runs in Arrow compute kernels: a million-row column takes milliseconds, and
values never become Python objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Korean accounting writes negatives as △123 or ▲123.
NEGATIVE_MARKS = r"^[△▲]"
NUMBER_NOISE = r"[,\s원명개사%]"
NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default str dtype


@dataclass
class Changes:
    """Cells altered by a cleaner: positions in the column, old and new text, the rule."""

    positions: np.ndarray
    old: np.ndarray
    new: np.ndarray
    rule: str

    @staticmethod
    def where(mask: np.ndarray, old, new, rule: str) -> Changes:
        idx = np.flatnonzero(mask)
        return Changes(idx, _take(old, idx), _take(new, idx), rule)


def _take(values, idx: np.ndarray) -> np.ndarray:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return np.array(values.take(pa.array(idx, type=pa.int64())).to_pylist(), dtype=object)
    if isinstance(values, pd.Series):
        return values.iloc[idx].astype(object).to_numpy(dtype=object)
    return np.full(len(idx), values, dtype=object)


def on_distinct_values(values: pd.Series, cleaner: Callable[[pd.Series], tuple[pd.Series, list[Changes]]],
                       max_share: float = 0.5) -> tuple[pd.Series, list[Changes]]:
    """`cleaner` run once per distinct value and laid back onto the rows, when the distinct
    values are at most `max_share` of the rows (a census column of codes, counts, tiers or
    customer names repeats a lot); otherwise run on the column itself. Same result either way."""
    arr = text_array(values)
    if _hardly_repeats(arr):
        return cleaner(values)
    encoded = pc.dictionary_encode(arr)
    if len(encoded.dictionary) > max_share * len(encoded):
        return cleaner(values)
    out, changes = cleaner(to_str(encoded.dictionary, pd.RangeIndex(len(encoded.dictionary))))
    idx = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    rows = pd.Series(pd.api.extensions.take(out.array, idx, allow_fill=True), index=values.index)
    expanded = []
    for c in changes:
        lookup = np.full(len(encoded.dictionary) + 1, -1, dtype=np.int64)  # last slot: missing
        lookup[c.positions] = np.arange(len(c.positions))
        k = lookup[idx]
        positions = np.flatnonzero(k >= 0)
        k = k[positions]
        expanded.append(Changes(positions, c.old[k], c.new[k], c.rule))
    return rows, expanded


def _hardly_repeats(arr: pa.Array, sample: int = 10_000, share: float = 0.95) -> bool:
    """Whether an evenly spread sample of a long column has almost no repeated value (firm
    names, business numbers, e-mail): hashing all of it would only confirm that (0.2-0.3 s per
    million values)."""
    if len(arr) < 10 * sample:
        return False
    spread = arr.take(pa.array(np.linspace(0, len(arr) - 1, sample).astype(np.int64))).drop_null()
    return len(spread) >= sample // 10 and len(pc.unique(spread)) > share * len(spread)


def text_array(values: pd.Series) -> pa.Array:
    """The column as an Arrow string array (zero-copy for pandas' Arrow-backed str)."""
    arr = pa.array(values, from_pandas=True) if not isinstance(values, (pa.Array, pa.ChunkedArray)) else values
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


def to_str(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(arr.to_pandas(types_mapper={pa.large_string(): STR, pa.string(): STR}.get), index=index)


def _mask(arr: pa.Array) -> np.ndarray:
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False)


def put_at(arr: pa.Array, positions: np.ndarray, values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`arr` with values[i] at positions[i] (positions ascending and distinct)."""
    mask = np.zeros(len(arr), dtype=bool)
    mask[positions] = True
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.replace_with_mask(arr, pa.array(mask), values.cast(arr.type))


def null_where(mask: pa.Array, arr: pa.Array) -> pa.Array:
    return pc.if_else(pc.fill_null(mask, False), pa.scalar(None, arr.type), arr)


# Text of printable ASCII and precomposed Hangul only, words one space apart and no space at the
# ends, is what normalising gives back unchanged: each character is NFKC-stable and none of them
# composes with another. Most census text is like that, and one RE2 match over it costs a
# fraction of NFKC plus the two passes over spacing (at a million firms 3 s of the staging).
SETTLED_TEXT = r"^[\x21-\x7e가-힣]+(?: [\x21-\x7e가-힣]+)*$"


def _normalise(values: pd.Series) -> tuple[pa.Array, pa.Array, list[Changes]]:
    """(original, cleaned, changes) as Arrow arrays."""
    raw = text_array(values)
    unsettled = np.flatnonzero(_mask(pc.invert(pc.match_substring_regex(raw, SETTLED_TEXT))))
    if len(unsettled) == len(raw):
        return (raw, *_normalised(raw, np.arange(len(raw))))
    if not len(unsettled):
        return raw, raw, []
    out, changes = _normalised(raw.take(pa.array(unsettled, type=pa.int64())), unsettled)
    return raw, put_at(raw, unsettled, out), changes


def _normalised(raw: pa.Array, positions: np.ndarray) -> tuple[pa.Array, list[Changes]]:
    """`raw` normalised, and its changes at `positions` (the row of each value of `raw`)."""
    nfkc = pc.utf8_normalize(raw, "NFKC")
    out = pc.utf8_trim_whitespace(pc.replace_substring_regex(nfkc, r"\s+", " "))
    out = null_where(pc.equal(out, ""), out)
    changed = _mask(pc.not_equal(pc.fill_null(raw, "\0"), pc.fill_null(out, "\0")))
    chars_changed = _mask(pc.not_equal(nfkc, raw))
    changes = []
    for mask, rule in ((changed & chars_changed, "text:nfkc"), (changed & ~chars_changed, "text:whitespace")):
        if mask.any():
            found = Changes.where(mask, raw, out, rule)
            changes.append(Changes(positions[found.positions], found.old, found.new, rule))
    return out, changes


def normalise_text(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """NFKC (full-width ＡＢＣ１２３ -> ABC123, ㈜ -> (주)), white space collapsed and trimmed.
    Empty text becomes missing. Changes are logged as 'text:nfkc' where characters changed and
    'text:whitespace' where only spacing did."""
    _, out, changes = _normalise(values)
    return to_str(out, values.index), changes


def _characters_only(changes: list[Changes]) -> list[Changes]:
    # Inside a number, an identifier or a code, spacing is formatting; changed characters are not.
    return [c for c in changes if c.rule == "text:nfkc"]


def parse_number(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Numbers from text: thousands separators, trailing units (명, 원, %), △ negatives, '-' for
    none. Text that is not a number becomes missing and is logged."""
    _, text, changes = _normalise(values)
    changes = _characters_only(changes)
    arr = pc.replace_substring_regex(text, NEGATIVE_MARKS, "-")
    arr = pc.replace_substring_regex(arr, NUMBER_NOISE, "")
    dash = pc.fill_null(pc.match_substring_regex(arr, r"^-*$"), False)
    numeric = pc.fill_null(pc.match_substring_regex(arr, NUMBER), False)
    numbers = pc.cast(null_where(pc.invert(numeric), arr), pa.float64())
    bad = _mask(pc.and_(pc.is_valid(text), pc.and_(pc.invert(numeric), pc.invert(dash))))
    if bad.any():
        changes.append(Changes.where(bad, text, None, "number:unparseable"))
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index, dtype="float64"), changes


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
    _, arr, changes = _normalise(values)
    changes = _characters_only(changes)
    s = to_str(arr, pd.RangeIndex(len(arr)))
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    pending = s.notna().to_numpy().copy()
    # Excel serial day numbers (1900 date system), as calamine renders undated numeric cells.
    serial_text = _mask(pc.match_substring_regex(arr, r"^\d{5}(\.0+)?$"))
    if serial_text.any():
        serial = pd.to_numeric(s[serial_text], errors="coerce")
        ok = serial.between(1, 80000)
        hit = serial[ok]
        result.iloc[hit.index] = EXCEL_EPOCH + pd.to_timedelta(hit.astype("int64"), unit="D")
        pending[hit.index] = False
    for fmt in DATE_FORMATS:
        if not pending.any():
            break
        parsed = pd.to_datetime(s[pending], format=fmt, errors="coerce")
        ok = parsed.notna()
        result.iloc[parsed.index[ok]] = parsed[ok]
        pending[parsed.index[ok]] = False
    if pending.any():
        # "2015-3-2", "2015.3.2", "2015. 3. 2." : separators with unpadded parts.
        parts = s[pending].str.extract(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})")
        parsed = pd.to_datetime(dict(year=pd.to_numeric(parts[0]), month=pd.to_numeric(parts[1]), day=pd.to_numeric(parts[2])), errors="coerce")
        ok = parsed.notna()
        result.iloc[parsed.index[ok]] = parsed[ok]
        pending[parsed.index[ok]] = False
    if pending.any():
        changes.append(Changes.where(pending, arr, None, "date:unparseable"))
    result.index = values.index
    return result, changes


def parse_identifier(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Digits only, leading zeros kept; '*' of masked numbers (608-12-7****) kept. A value with
    anything else in it (a note, scientific notation from a spreadsheet) is not guessed at."""
    _, text, changes = _normalise(values)
    changes = _characters_only(changes)
    stripped = pc.replace_substring_regex(text, r"[\s\-–.]", "")
    valid = pc.fill_null(pc.match_substring_regex(stripped, r"^[0-9*]+$"), False)
    result = null_where(pc.invert(valid), stripped)
    bad = _mask(pc.and_(pc.is_valid(text), pc.invert(valid)))
    if bad.any():
        changes.append(Changes.where(bad, text, result, "id:not_digits"))
    return to_str(result, values.index), changes


def parse_ksic(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """KSIC codes as digit strings. A leading section letter ("C25911") is dropped and logged."""
    _, text, changes = _normalise(values)
    changes = _characters_only(changes)
    upper = pc.replace_substring_regex(pc.utf8_upper(text), r"\s", "")
    lettered = pc.fill_null(pc.match_substring_regex(upper, r"^[A-U]\d{2,5}$"), False)
    code = pc.if_else(lettered, pc.utf8_slice_codeunits(upper, 1), upper)
    code = pc.replace_substring_regex(code, r"\.0$", "")
    valid = pc.fill_null(pc.match_substring_regex(code, r"^\d{2,5}$"), False)
    if _mask(lettered).any():
        changes.append(Changes.where(_mask(lettered), text, code, "ksic:section_letter_removed"))
    bad = _mask(pc.and_(pc.is_valid(text), pc.invert(valid)))
    if bad.any():
        changes.append(Changes.where(bad, text, None, "ksic:not_a_code"))
    return to_str(null_where(pc.invert(valid), code), values.index), changes


def parse_tier(values: pd.Series, spellings: dict[str, str]) -> tuple[pd.Series, list[Changes]]:
    _, text, changes = _normalise(values)
    changes = _characters_only(changes)
    key = pc.utf8_lower(pc.replace_substring_regex(text, r"\s", ""))
    known = pa.array(list(spellings), type=pa.large_string())
    canonical = pa.array(list(spellings.values()), type=pa.large_string())
    mapped = pc.take(canonical, pc.index_in(key, value_set=known))
    spelled = _mask(pc.and_(pc.is_valid(mapped), pc.not_equal(mapped, text)))
    if spelled.any():
        changes.append(Changes.where(spelled, text, mapped, "tier:canonical_spelling"))
    unknown = _mask(pc.and_(pc.is_valid(text), pc.is_null(mapped)))
    if unknown.any():
        changes.append(Changes.where(unknown, text, None, "tier:unknown"))
    return to_str(mapped, values.index), changes
