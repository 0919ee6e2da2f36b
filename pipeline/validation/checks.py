"""Rules that GX does not express well, vectorised over the whole frame: identifier checksums,
the 법인 cross-field rule, KSIC revision, tolerances, sums across columns and cross-row duplicates.

Each check returns a failures frame (pipeline.validation.rules) for the rules named in
config/validation.yaml, so they are reported exactly like the suite's expectations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline import identifiers as ids
from pipeline.layouts import normalise_header
from pipeline.names import NameRules, normalise_name
from pipeline.validation.rules import ValidationConfig, empty_failures, failures

SHARE_COLUMNS = ["customer_1_share_pct", "customer_2_share_pct", "customer_3_share_pct"]
# Every column the custom checks read (the frame contract guarantees them; checked up front so a
# broken contract stops the load with their names, not a KeyError).
COLUMNS = ["source_row", "record_id", "firm_name", "address", "brn", "crn", "ksic_code", "employees_male",
           "employees_female", "employees_total", *SHARE_COLUMNS]


@dataclass(frozen=True)
class KsicCodes:
    """The KSIC codes validation needs: every code of each revision (all levels), and
    counterpart(code, from_revision, to_revision) -> the codes it becomes (the official 연계표)."""

    codes: dict[int, frozenset[str]]
    counterpart: Callable[[str, int, int], tuple[str, ...]] = field(default=lambda code, frm, to: ())

    def any_revision(self) -> frozenset[str]:
        return frozenset().union(*self.codes.values()) if self.codes else frozenset()


def identifier_failures(frame: pd.DataFrame, config: ValidationConfig) -> pd.DataFrame:
    rules = config.rules
    brn_digits = ids.normalise_number(frame["brn"])
    brn = ids.brn_status_codes(brn_digits)
    crn = ids.crn_status_codes(ids.normalise_number(frame["crn"]))
    code = ids.CODE

    def fail(rule: str, column: str, mask: np.ndarray, params=None) -> pd.DataFrame:
        pos = np.flatnonzero(mask)
        return failures(rules[rule], pos, frame[column].iloc[pos], params)

    # A 법인 (it has a 법인등록번호) should carry a corporate type code in BRN digits 4-5. Only
    # judged when both numbers are readable, so a typo is not reported twice.
    type_code = ids.brn_type_code(brn_digits, normalised=True)
    readable_brn = ((brn == code[ids.VALID]) | (brn == code[ids.CHECKSUM]) | (brn == code[ids.MASKED])) & type_code.notna().to_numpy()
    readable_crn = (crn == code[ids.VALID]) | (crn == code[ids.CHECKSUM]) | (crn == code[ids.MASKED])
    candidates = readable_brn & readable_crn
    wrong = candidates.copy()
    wrong[candidates] = ~type_code[candidates].isin(config.corporate_brn_type_codes).to_numpy()
    return _concat([
        fail("brn_malformed", "brn", brn == code[ids.MALFORMED]),
        fail("brn_component", "brn", brn == code[ids.COMPONENT]),
        fail("brn_checksum", "brn", brn == code[ids.CHECKSUM]),
        fail("brn_masked", "brn", brn == code[ids.MASKED]),
        fail("crn_malformed", "crn", crn == code[ids.MALFORMED]),
        fail("crn_checksum", "crn", crn == code[ids.CHECKSUM]),
        fail("crn_masked", "crn", crn == code[ids.MASKED]),
        fail("crn_brn_type", "brn", wrong, pd.DataFrame({"type_code": type_code[wrong].to_numpy()})),
    ])


def row_revisions(frame: pd.DataFrame, revision: int) -> pd.Series:
    """The revision each row's code is stated in: its own ksic_revision_reported (a register's
    대표업종차수), else the year's `revision`."""
    if "ksic_revision_reported" not in frame:
        return pd.Series(revision, index=frame.index, dtype="Int64")
    reported = pd.to_numeric(frame["ksic_revision_reported"], errors="coerce").round().astype("Int64")
    return reported.fillna(revision)


def unsupported_revision(frame: pd.DataFrame, ksic: KsicCodes, revision: int) -> np.ndarray:
    """Rows whose stated revision has no reference tables (8th and older): their codes can be
    checked against nothing, and are never read as another revision's."""
    return ~row_revisions(frame, revision).isin(list(ksic.codes)).to_numpy(dtype=bool)


def revision_failures(frame: pd.DataFrame, ksic: KsicCodes, revision: int, config: ValidationConfig) -> pd.DataFrame:
    """ksic_revision_unsupported: a row states a KSIC revision without reference tables."""
    bad = unsupported_revision(frame, ksic, revision)
    pos = np.flatnonzero(bad)
    stated = row_revisions(frame, revision).iloc[pos].to_numpy()
    return failures(config.rules["ksic_revision_unsupported"], pos, frame["ksic_code"].iloc[pos],
                    pd.DataFrame({"revision": stated}))


def ksic_failures(frame: pd.DataFrame, ksic: KsicCodes, revision: int, config: ValidationConfig) -> pd.DataFrame:
    """A code of another revision than the row's (e.g. a KSIC-10 code in an 11th-revision year) is
    flagged with its counterpart. A code of no revision is the suite's ksic_not_a_code; a row of an
    unsupported revision is ksic_revision_unsupported's."""
    code = frame["ksic_code"]
    stated = row_revisions(frame, revision)
    parts = []
    for rev in sorted(int(r) for r in stated.dropna().unique() if int(r) in ksic.codes):
        mine = (stated == rev).to_numpy(dtype=bool)
        declared = ksic.codes[rev]
        outside = mine & code.notna().to_numpy() & ~code.isin(declared).to_numpy()
        if outside.any():
            parts.append(_other_revision(code, np.flatnonzero(outside), ksic, rev, config))
    return _concat(parts)


def _other_revision(code: pd.Series, pos: np.ndarray, ksic: KsicCodes, revision: int, config: ValidationConfig) -> pd.DataFrame:
    values = code.iloc[pos].to_numpy(dtype=object)
    # The nearest other revision wins when a code exists in more than one.
    others = sorted((r for r in ksic.codes if r != revision), key=lambda r: (abs(r - revision), -r))
    other_rev = np.full(len(pos), -1)
    for r in reversed(others):
        other_rev[np.isin(values, list(ksic.codes[r]))] = r
    found = other_rev >= 0
    pos, values, other_rev = pos[found], values[found], other_rev[found]
    # Distinct (code, revision) pairs only: a delivery repeats the same few hundred codes.
    lookup = {(v, int(r)): ksic.counterpart(v, int(r), revision) or ("?",) for v, r in set(zip(values, other_rev, strict=True))}
    counterpart = [lookup[(v, int(r))] for v, r in zip(values, other_rev, strict=True)]
    params = pd.DataFrame({"revision": revision, "other_revision": other_rev, "counterpart": counterpart})
    return failures(config.rules["ksic_other_revision"], pos, values, params)


def contradiction_failures(frame: pd.DataFrame, ksic: KsicCodes, revision: int, config: ValidationConfig,
                           coder: Callable | None, listed: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """ksic_text_contradicts: the reported code's class differs from the one 업종명 and the product
    text give with at least the autocoder's contradiction_confidence. `coder(reported_ksic11,
    names, products)` is pipeline.ksic.autocode.contradictions bound to the model (None: skipped).
    The reported code is compared in KSIC-11, the autocoder's revision: a code that converts to
    one subclass is compared, a split is not. `listed`: record_id -> every code of a multi-code
    cell (ksic_code holds the first); words that name any of them do not contradict the cell."""
    if coder is None or "industry_name" not in frame:
        return empty_failures()
    names = frame["industry_name"]
    products = frame["main_products"] if "main_products" in frame else None
    has_words = names.notna() | (products.notna() if products is not None else False)
    stated = row_revisions(frame, revision)
    code = frame["ksic_code"]
    rows = pd.DataFrame({"code": code.astype(object), "rev": stated})
    # Each distinct (code, revision) pair is converted once.
    pairs = rows[has_words.to_numpy(dtype=bool) & code.notna().to_numpy() & stated.notna().to_numpy()].drop_duplicates()
    in11 = {}
    for c, r in pairs.itertuples(index=False):
        r = int(r)
        if r == _AUTOCODE_REVISION:
            in11[(c, r)] = c if c in ksic.codes.get(r, ()) else None
        elif r in ksic.codes:
            found = ksic.counterpart(c, r, _AUTOCODE_REVISION)
            in11[(c, r)] = found[0] if len(found) == 1 and found[0] and len(found[0]) == 5 else None
    if in11:
        # A left join keeps the rows' order; it is a second faster than mapping a MultiIndex at 1M rows.
        known = pd.DataFrame([(c, r, v) for (c, r), v in in11.items()], columns=["code", "rev", "in11"])
        keyed = rows.fillna({"rev": -1}).astype({"rev": "int64"}).merge(known, on=["code", "rev"], how="left")
        reported = pd.Series(keyed["in11"].to_numpy(dtype=object), index=frame.index, dtype="string")
    else:
        reported = pd.Series(pd.NA, index=frame.index, dtype="string")
    usable = (reported.notna() & has_words).to_numpy(dtype=bool)
    if not usable.any():
        return empty_failures()
    pos = np.flatnonzero(usable)
    found = coder(reported.iloc[pos].reset_index(drop=True), names.iloc[pos].reset_index(drop=True),
                  None if products is None else products.iloc[pos].reset_index(drop=True))
    hit = found["contradicted"].to_numpy(dtype=bool).copy()
    if listed and hit.any():
        hits = np.flatnonzero(hit)
        ids = frame["record_id"].astype(str).to_numpy()[pos[hits]]
        revs = stated.to_numpy(dtype="int64", na_value=-1)[pos[hits]]
        suggested = found["suggestion"].astype(str).str[:4].to_numpy()[hits]
        decided: dict[tuple, bool] = {}  # (cell, revision, suggested class): a register repeats them

        def names_a_listed_code(record_id: str, rev: int, suggestion: str) -> bool:
            codes = tuple(listed.get(record_id, ()))
            key = (codes, rev, suggestion)
            if key not in decided:
                in11 = (c for code in codes for c in ((code,) if rev == _AUTOCODE_REVISION else ksic.counterpart(code, rev, _AUTOCODE_REVISION)))
                decided[key] = suggestion in {c[:4] for c in in11 if c}
            return decided[key]
        hit[hits] = [not names_a_listed_code(r, int(v), g) for r, v, g in zip(ids, revs, suggested, strict=True)]
    params = pd.DataFrame({"suggestion": found["suggestion"].to_numpy(dtype=object)[hit],
                           "confidence": np.round(found["suggestion_confidence"].to_numpy(dtype="float64")[hit], 2)})
    return failures(config.rules["ksic_text_contradicts"], pos[hit], code.iloc[pos[hit]], params)


# The autocoder codes in KSIC-11 (pipeline.ksic.autocode).
_AUTOCODE_REVISION = 11


def range_failures(frame: pd.DataFrame, config: ValidationConfig) -> pd.DataFrame:
    rules = config.rules
    male = frame["employees_male"].astype("float64").to_numpy()
    female = frame["employees_female"].astype("float64").to_numpy()
    total = frame["employees_total"].astype("float64").to_numpy()
    tolerance = float(config.threshold("employees_sum_tolerance"))
    with np.errstate(invalid="ignore"):
        off = np.abs(male + female - total) > tolerance  # NaN (an item missing) compares False
    pos = np.flatnonzero(off)
    parts = [failures(rules["employees_sex_sum"], pos, total[pos],
                      pd.DataFrame({"male": male[pos], "female": female[pos], "total": total[pos]}))]

    shares = frame[SHARE_COLUMNS].astype("float64")
    share_sum = shares.sum(axis=1, min_count=1).to_numpy()
    limit = 100.0 + float(config.threshold("customer_share_sum_tolerance"))
    with np.errstate(invalid="ignore"):
        over = np.flatnonzero(share_sum > limit)
    parts.append(failures(rules["customer_share_sum"], over, share_sum[over],
                          pd.DataFrame({"total": np.round(share_sum[over], 1)})))
    return _concat(parts)


def duplicate_failures(frame: pd.DataFrame, config: ValidationConfig, names: NameRules) -> pd.DataFrame:
    """One row per firm per year: later rows with the same BRN (else the same normalised name and
    address, for rows whose BRN is missing, masked or malformed) fail; the first row stays.
    `names`: the agency's name rules (legal forms dropped before names are compared)."""
    rules = config.rules
    source_row = frame["source_row"].to_numpy()
    brn = ids.normalise_number(frame["brn"])
    has_brn = brn.str.fullmatch(r"\d{10}").fillna(False).to_numpy(dtype=bool)

    by_brn = pd.Series(brn.to_numpy()[has_brn], index=np.flatnonzero(has_brn))
    dup_brn, first_brn = _later_duplicates(by_brn, source_row)

    no_brn = np.flatnonzero(~has_brn)
    firm_names = frame["firm_name"].iloc[no_brn]
    addresses = frame["address"].iloc[no_brn]
    usable = firm_names.notna().to_numpy() & addresses.notna().to_numpy()
    keys = pd.Series(
        _name_keys(firm_names[usable], names) + "|" + _address_keys(addresses[usable]), index=no_brn[usable], dtype=object
    )
    keys = keys[~keys.str.startswith("|") & ~keys.str.endswith("|")]
    dup_name, first_name = _later_duplicates(keys, source_row)
    return _concat([
        failures(rules["duplicate_brn"], dup_brn, frame["brn"].iloc[dup_brn], pd.DataFrame({"first_row": first_brn})),
        failures(rules["duplicate_name_address"], dup_name, frame["firm_name"].iloc[dup_name],
                 pd.DataFrame({"first_row": first_name})),
    ])


def _later_duplicates(keys: pd.Series, source_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the 2nd, 3rd... row of each key, and the source row of the key's first row."""
    if keys.empty:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    later = keys.duplicated(keep="first").to_numpy()
    if not later.any():
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    positions = pd.Series(keys.index.to_numpy(), index=keys.index)
    first_pos = positions.groupby(keys.to_numpy(), sort=False).transform("first").to_numpy()
    pos = keys.index.to_numpy()[later]
    return pos, source_row[first_pos[later].astype(np.int64)]


def _name_keys(names: pd.Series, rules: NameRules) -> pd.Series:
    # normalise_name is per value; the same names recur, so normalise each distinct one once.
    distinct = {n: normalise_name(n, rules) for n in pd.unique(names.to_numpy())}
    return names.map(distinct).astype(object)


def _address_keys(addresses: pd.Series) -> pd.Series:
    distinct = {a: normalise_header(a) for a in pd.unique(addresses.to_numpy())}
    return addresses.map(distinct).astype(object)


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty_failures()
