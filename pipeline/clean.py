"""Vectorised cleaners from delivered text to canonical types.

Each cleaner takes a column of text (pandas str or object Series, missing for empty) and returns
the typed values plus `Changes` records of the cells whose value it altered and why. Pure
formatting (thousands separators, hyphens in identifiers, date notation) is not a change of
value and is not logged; normalising characters, dropping what cannot be parsed, and rounding are.
The text work runs in Arrow compute kernels: a million-row column takes milliseconds, and
values never become Python objects.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Lotus 1-2-3 counted 1900 as a leap year and Excel kept it: serial 60 is 1900-02-29, a day that
# never was, and serials 1-59 are one day later than the 1899-12-30 epoch gives.
EXCEL_LEAP_DAY_SERIAL = 60
# Dates are nanosecond timestamps in the curated tables: about 1677-09-22 to 2262-04-11.
DATE_MIN, DATE_MAX = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")
# Integers arrive through float64: above 2**53 they are no longer exact, and above 2**63 Int64
# cannot hold them at all. No census count comes near either.
INTEGER_LIMIT = 2.0**53
NOT_FINITE = r"(?i)^[-+]?(inf|infinity|nan|∞)$"
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


# Characters that show nothing or reorder what follows: C0/C1 controls other than white space
# (an ESC starts a terminal escape sequence), bidirectional overrides and marks (U+202E makes
# "gpj.exe" read "exe.jpg"), zero-width characters and the BOM. Never part of a firm's name.
INVISIBLE = r"[\x00-\x08\x0e-\x1f\x7f-\x9f\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2060}-\x{2069}\x{feff}]"


def _normalised(raw: pa.Array, positions: np.ndarray) -> tuple[pa.Array, list[Changes]]:
    """`raw` normalised, and its changes at `positions` (the row of each value of `raw`)."""
    visible = pc.replace_substring_regex(raw, INVISIBLE, "")
    nfkc = pc.utf8_normalize(visible, "NFKC")
    out = pc.utf8_trim_whitespace(pc.replace_substring_regex(nfkc, r"\s+", " "))
    out = null_where(pc.equal(out, ""), out)
    changed = _mask(pc.not_equal(pc.fill_null(raw, "\0"), pc.fill_null(out, "\0")))
    invisible = _mask(pc.not_equal(visible, raw))
    chars_changed = _mask(pc.not_equal(nfkc, visible)) & ~invisible
    changes = []
    for mask, rule in ((changed & invisible, "text:invisible_removed"), (changed & chars_changed, "text:nfkc"),
                       (changed & ~chars_changed & ~invisible, "text:whitespace")):
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
    return [c for c in changes if c.rule in ("text:nfkc", "text:invisible_removed")]


# Rules of values emptied because they cannot be represented: (Korean, English) messages. Staging
# also lists every such cell as a warning beside the change log (pipeline.stage), so the analyst
# sees why a value the delivery has is missing in the curated table.
UNREPRESENTABLE = {
    "number:not_finite": ("무한대·NaN은 수치로 쓸 수 없어 비웠습니다", "infinity or NaN is not a usable number; the value was emptied"),
    "number:too_large": ("수치가 너무 커서 저장할 수 없어 비웠습니다", "the number is too large to be stored; the value was emptied"),
    "integer:too_large": ("정수가 너무 커서(2^53 초과) 정확히 저장할 수 없어 비웠습니다", "the integer is too large (over 2^53) to be stored exactly; the value was emptied"),
    "date:out_of_range": ("저장할 수 있는 범위(1677-09-22~2262-04-11) 밖의 날짜라 비웠습니다 (9999-12-31 같은 '모름' 표시 포함)",
                          "the date is outside the storable range (1677-09-22 to 2262-04-11), e.g. 9999-12-31 for 'unknown'; the value was emptied"),
    "date:impossible": ("달력에 없는 날짜라 비웠습니다 (예: 2023-02-30, 0000-00-00)", "the date does not exist (e.g. 2023-02-30, 0000-00-00); the value was emptied"),
    "date:excel_1900_leap_day": ("엑셀의 1900-02-29(일련번호 60)는 실제로 없는 날이라 비웠습니다", "Excel's 1900-02-29 (serial 60) never existed; the value was emptied"),
}
NON_ASCII_DIGITS = r"[^\x00-\x7f]"


def ascii_digits(arr: pa.Array) -> tuple[pa.Array, list[Changes]]:
    """Decimal digits of other scripts (Arabic-Indic ٠١٢, Devanagari, ...) as ASCII digits, logged as
    'digits:ascii'. NFKC has already turned full-width digits into ASCII; these it leaves alone, and
    numbers, dates and identifiers must be ASCII to be parsed."""
    idx = np.flatnonzero(_mask(pc.match_substring_regex(arr, NON_ASCII_DIGITS)))  # nearly always none
    if not len(idx):
        return arr, []
    idx = idx[_mask(pc.match_substring_regex(arr.take(pa.array(idx, type=pa.int64())), r"\p{Nd}"))]
    if not len(idx):
        return arr, []
    old = arr.take(pa.array(idx, type=pa.int64())).to_pylist()
    new = ["".join(str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in v) for v in old]
    changed = np.array([a != b for a, b in zip(old, new, strict=True)])
    if not changed.any():
        return arr, []
    out = put_at(arr, idx[changed], pa.array([v for v, c in zip(new, changed, strict=True) if c], type=arr.type))
    return out, [Changes(idx[changed], np.array(old, dtype=object)[changed], np.array(new, dtype=object)[changed], "digits:ascii")]


def _typed_text(values: pd.Series) -> tuple[pa.Array, list[Changes]]:
    """Normalised text of a number, date, identifier or code column, digits in ASCII; only the
    changes of characters are logged."""
    _, text, changes = _normalise(values)
    text, digit_changes = ascii_digits(text)
    return text, _characters_only(changes) + digit_changes


def parse_number(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Numbers from text: thousands separators, trailing units (명, 원, %), △ negatives, '-' for
    none. Text that is not a number becomes missing and is logged."""
    text, changes = _typed_text(values)
    arr = pc.replace_substring_regex(text, NEGATIVE_MARKS, "-")
    arr = pc.replace_substring_regex(arr, NUMBER_NOISE, "")
    dash = pc.fill_null(pc.match_substring_regex(arr, r"^-*$"), False)
    numeric = pc.fill_null(pc.match_substring_regex(arr, NUMBER), False)
    # + 0.0 turns -0 into 0: a negative zero is formatting, not a value.
    numbers = pc.add(pc.cast(null_where(pc.invert(numeric), arr), pa.float64()), 0.0)
    not_finite = _mask(pc.match_substring_regex(arr, NOT_FINITE))
    too_large = _mask(pc.is_inf(numbers))  # "1e309" and longer digit strings than float64 holds
    bad = _mask(pc.and_(pc.is_valid(text), pc.and_(pc.invert(numeric), pc.invert(dash)))) & ~not_finite
    for mask, rule in ((not_finite, "number:not_finite"), (too_large, "number:too_large"), (bad, "number:unparseable")):
        if mask.any():
            changes.append(Changes.where(mask, text, None, rule))
    out = numbers.to_numpy(zero_copy_only=False)
    if too_large.any():
        out = np.where(too_large, np.nan, out)
    return pd.Series(out, index=values.index, dtype="float64"), changes


def parse_integer(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    numbers, changes = parse_number(values)
    too_large = (numbers.abs() > INTEGER_LIMIT).to_numpy()
    if too_large.any():
        changes.append(Changes.where(too_large, numbers, None, "integer:too_large"))
        numbers = numbers.mask(too_large)
    rounded = numbers.round()
    fractional = (numbers.notna() & (rounded != numbers)).to_numpy()
    if fractional.any():
        changes.append(Changes.where(fractional, numbers, rounded, "integer:rounded"))
    return rounded.astype("Int64"), changes


def scale(values: pd.Series, factor: float) -> pd.Series:
    return values * factor if factor != 1.0 else values


DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y. %m. %d", "%Y년 %m월 %d일", "%Y.%m.%d.")


def parse_date(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Dates from text in the usual Korean notations or from Excel serial numbers. A date that
    does not exist (2023-02-30, 0000-00-00, Excel's 1900-02-29) or lies outside what a timestamp
    holds (9999-12-31, the usual "unknown") is emptied under its own rule, never raised."""
    arr, changes = _typed_text(values)
    s = to_str(arr, pd.RangeIndex(len(arr)))
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    pending = s.notna().to_numpy().copy()
    rules = np.full(len(s), None, dtype=object)  # why a pending value was emptied, if not unparseable

    def settle(index: pd.Index, parsed: pd.Series) -> None:
        """Store parsed dates; those a nanosecond timestamp cannot hold are out of range."""
        inside = (parsed >= DATE_MIN) & (parsed <= DATE_MAX)
        result.iloc[index[inside.to_numpy()]] = parsed[inside].astype("datetime64[ns]").to_numpy()
        rules[index[~inside.to_numpy()]] = "date:out_of_range"
        pending[index] = False

    # Excel serial day numbers (1900 date system), as calamine renders undated numeric cells.
    serial_text = _mask(pc.match_substring_regex(arr, r"^\d{5}(\.0+)?$"))
    if serial_text.any():
        serial = pd.to_numeric(s[serial_text], errors="coerce")
        hit = serial[serial.between(1, 80000)].astype("int64")
        leap_day = hit.index[(hit == EXCEL_LEAP_DAY_SERIAL).to_numpy()]
        rules[leap_day] = "date:excel_1900_leap_day"
        pending[leap_day] = False
        hit = hit[hit != EXCEL_LEAP_DAY_SERIAL]
        # Before the phantom leap day the serials run one day ahead of the epoch.
        days = hit.where(hit > EXCEL_LEAP_DAY_SERIAL, hit + 1)
        result.iloc[hit.index] = (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).to_numpy()
        pending[hit.index] = False
    for fmt in DATE_FORMATS:
        if not pending.any():
            break
        parsed = pd.to_datetime(s[pending], format=fmt, errors="coerce")
        ok = parsed.notna()
        settle(parsed.index[ok.to_numpy()], parsed[ok])
    if pending.any():
        # "2015-3-2", "2015.3.2", "2015. 3. 2." : separators with unpadded parts; also what looks
        # like a date but is not one on the calendar.
        parts = s[pending].str.extract(r"^(\d{1,4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})|^(\d{4})(\d{2})(\d{2})$")
        ymd = pd.DataFrame({k: pd.to_numeric(parts[i].fillna(parts[i + 3]), errors="coerce") for i, k in enumerate(("year", "month", "day"))})
        ymd = ymd.dropna()
        for i, (y, m, d) in zip(ymd.index, ymd.itertuples(index=False, name=None), strict=True):
            day = _calendar_day(int(y), int(m), int(d))
            if day is None:
                rules[i] = "date:excel_1900_leap_day" if (y, m, d) == (1900, 2, 29) else "date:impossible"
                pending[i] = False
            elif DATE_MIN.date() <= day <= DATE_MAX.date():
                result.iloc[i] = pd.Timestamp(day)
            else:
                rules[i] = "date:out_of_range"
            pending[i] = False
    emptied = pd.notna(rules)
    for rule in UNREPRESENTABLE:
        mask = rules == rule
        if mask.any():
            changes.append(Changes.where(mask, arr, None, rule))
    if pending.any():
        changes.append(Changes.where(pending & ~emptied, arr, None, "date:unparseable"))
    result.index = values.index
    return result, changes


def _calendar_day(year: int, month: int, day: int) -> dt.date | None:
    """The calendar date, or None for one that does not exist (year 0, month 13, 30 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_identifier(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """Digits only, leading zeros kept; '*' of masked numbers (608-12-7****) kept. A value with
    anything else in it (a note, scientific notation from a spreadsheet) is not guessed at."""
    text, changes = _typed_text(values)
    stripped = pc.replace_substring_regex(text, r"[\s\-–.]", "")
    valid = pc.fill_null(pc.match_substring_regex(stripped, r"^[0-9*]+$"), False)
    result = null_where(pc.invert(valid), stripped)
    bad = _mask(pc.and_(pc.is_valid(text), pc.invert(valid)))
    if bad.any():
        changes.append(Changes.where(bad, text, result, "id:not_digits"))
    return to_str(result, values.index), changes


def parse_ksic(values: pd.Series) -> tuple[pd.Series, list[Changes]]:
    """KSIC codes as digit strings. A leading section letter ("C25911") is dropped and logged.
    A cell listing several codes ("25111, 29133") keeps the first here and is logged whole
    (ksic:multiple_codes): classification picks the representative one and keeps the others."""
    text, changes = _typed_text(values)
    multi = pc.fill_null(pc.match_substring_regex(pc.utf8_upper(text), _MULTI_KSIC), False)
    if _mask(multi).any():
        first = pc.replace_substring_regex(pc.utf8_upper(pc.utf8_trim_whitespace(text)), r"^[A-U]?(\d{2,5}).*$", "\\1")
        changes.append(Changes.where(_mask(multi), text, first, "ksic:multiple_codes"))
        text = pc.if_else(multi, first, text)
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


# Two or more codes separated by commas, semicolons, slashes or spaces, each maybe lettered.
_MULTI_KSIC = r"^\s*[A-U]?\d{2,5}(\s*[,;/·]\s*|\s+)[A-U]?\d{2,5}((\s*[,;/·]\s*|\s+)[A-U]?\d{2,5})*\s*$"


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
