"""Cells that list several KSIC codes ("26410, 26421, 26429"): the representative code and the others.

Staging keeps the first listed code in ksic_code and logs the whole cell in the change log (rule
ksic:multiple_codes). The first is not always the representative one: the Seongnam register sorts
its 업종코드 ascending, and its 업종명 names the representative industry ("유선 통신장비 제조업 외
4 종" = 26410 of "26410, 26421, …", but "컴퓨터 제조업 외 1 종" = 26310 of "26299, 26310"). So the listed code whose KSIC name equals 업종명 is the representative one; without
업종명, or when no name matches, the first is.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.ksic.autocode.normalise import name_key
from pipeline.ksic.convert import Converter

MULTI_CODE_RULE = "ksic:multiple_codes"
SECONDARY_COLUMNS = ["record_id", "position", "code", "revision", "target_code"]
_CODE = re.compile(r"(?<![0-9])[A-Ua-u]?([0-9]{2,5})(?![0-9])")


def listed_codes(change_log: pd.DataFrame | None, frame: pd.DataFrame) -> dict[str, list[str]]:
    """record_id -> the codes its ksic_code cell listed, in the cell's order. A row whose ksic_code
    a correction changed since staging (it no longer equals the first listed code) is left out."""
    if change_log is None or change_log.empty:
        return {}
    logged = change_log[(change_log["rule"] == MULTI_CODE_RULE) & (change_log["column"] == "ksic_code")]
    if logged.empty:
        return {}
    current = dict(zip(frame["record_id"].astype(str), frame["ksic_code"], strict=True))
    out: dict[str, list[str]] = {}
    for record_id, cell in zip(logged["record_id"].astype(str), logged["old_value"], strict=True):
        codes = _CODE.findall(str(cell))
        if len(codes) > 1 and current.get(record_id) == codes[0]:
            out[record_id] = codes
    return out


def representatives(frame: pd.DataFrame, listed: dict[str, list[str]], revisions: pd.Series, conv: Converter,
                    target: int) -> tuple[pd.Series, pd.DataFrame]:
    """(ksic_code with each multi-code row's representative code, the secondary codes: record_id,
    position (1-based place in the cell), code, revision, target_code). Each distinct (cell,
    업종명, revision) is decided once: a register repeats the same few hundred cells."""
    codes = frame["ksic_code"].copy()
    if not listed:
        return codes, empty_secondary()
    record_ids = pd.Series(list(listed), dtype=object)
    at = pd.Index(frame["record_id"].astype(str)).get_indexer(record_ids)
    record_ids, at = record_ids[at >= 0].to_numpy(), at[at >= 0]
    names = frame["industry_name"] if "industry_name" in frame else pd.Series(None, index=frame.index, dtype=object)
    rows = pd.DataFrame({"record_id": record_ids, "cell": ["|".join(listed[r]) for r in record_ids],
                         "name": names.iloc[at].astype(object).where(names.iloc[at].notna(), "").to_numpy(),
                         "rev": revisions.iloc[at].fillna(-1).astype("int64").to_numpy()})
    decided, others = {}, []
    for cell, name, rev in rows[["cell", "name", "rev"]].drop_duplicates().itertuples(index=False):
        cell_codes, revision = cell.split("|"), (None if rev < 0 else int(rev))
        chosen = _by_name(cell_codes, name, revision, conv)
        decided[(cell, name, rev)] = cell_codes[chosen]
        for position, code in enumerate(cell_codes, start=1):
            if position - 1 != chosen:
                converted = conv.convert(revision, code, target).code if revision is not None else None
                others.append((cell, name, rev, position, code, revision, converted))
    codes.iloc[at] = [decided[k] for k in zip(rows["cell"], rows["name"], rows["rev"], strict=True)]
    table = pd.DataFrame(others, columns=["cell", "name", "rev", "position", "code", "revision", "target_code"])
    secondary = rows.merge(table, on=["cell", "name", "rev"], how="inner", sort=False)
    secondary = secondary.sort_values(["record_id", "position"], kind="stable").reset_index(drop=True)
    return codes, _typed(secondary[SECONDARY_COLUMNS])


def _by_name(codes: list[str], industry_name: object, revision: int | None, conv: Converter) -> int:
    key = name_key(industry_name)
    if key and revision is not None:
        for i, code in enumerate(codes):
            label = conv.labels.get((revision, code))
            if label is not None and name_key(label[1]) == key:
                return i
    return 0


def empty_secondary() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=SECONDARY_COLUMNS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "record_id": pd.array(frame["record_id"], dtype="str"),
        "position": pd.array(frame["position"], dtype="Int64"),
        "code": pd.array(frame["code"], dtype="str"),
        "revision": pd.array(np.asarray(frame["revision"], dtype=object), dtype="Int64"),
        "target_code": pd.array(frame["target_code"], dtype="str"),
    })
