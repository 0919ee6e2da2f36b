"""Roster firms linked to census firms: by 사업자등록번호 first, else by the normalised company
name (pipeline.names.canonical_key) when exactly one census firm of that year has it.
Universities, institutes and agencies are members too but never census firms."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.names import NameRules, canonical_key

LINK_BRN, LINK_NAME, LINK_NONE, NOT_A_FIRM = "brn", "name", "none", "not_a_firm"


def link_members(roster: pd.DataFrame, firms: pd.DataFrame, rules: NameRules, key: str = "firm_id") -> pd.DataFrame:
    """The roster with `key` (the census firm, <NA> if none), link_method (brn / name / none /
    not_a_firm) and link_note (why a firm row was not linked).

    `firms`: one row per census firm-year with key, census_year, brn (10 digits) and firm_name.
    A BRN is looked up in the roster's year first, then in any year (a member that skipped the
    census that year keeps its firm); a name only in the roster's year, and only when unique
    (two census firms called 세진정밀 in different dongs cannot be told apart by name)."""
    out = roster.copy()
    out["link_method"] = np.where(out["role"] == "firm", LINK_NONE, NOT_A_FIRM)
    out["link_note"] = None
    # The key may itself be the BRN (tests): the lookups work on their own copy of it.
    f = pd.DataFrame({"_key": firms[key].to_numpy(), "census_year": firms["census_year"].astype(int).to_numpy(),
                      "brn": firms["brn"].to_numpy(), "firm_name": firms["firm_name"].to_numpy()})
    by_brn_year = f.dropna(subset=["brn"]).drop_duplicates(["brn", "census_year"]).set_index(["brn", "census_year"])["_key"]
    by_brn = f.dropna(subset=["brn"]).sort_values("census_year").drop_duplicates("brn", keep="last").set_index("brn")["_key"]
    f["name_key"] = f["firm_name"].map(lambda n: canonical_key(n, rules))
    named = f[f["name_key"] != ""].drop_duplicates(["name_key", "census_year", "_key"])
    counts = named.groupby(["name_key", "census_year"])["_key"].transform("size")
    by_name = named[counts == 1].set_index(["name_key", "census_year"])["_key"]
    homonyms = set(map(tuple, named.loc[counts > 1, ["name_key", "census_year"]].to_numpy()))

    is_firm = (out["role"] == "firm").to_numpy()
    keys = np.full(len(out), None, dtype=object)
    method = np.array(out["link_method"], dtype=object)
    note = np.array(out["link_note"], dtype=object)
    for i in np.flatnonzero(is_firm):
        brn, year = out.at[i, "brn"], int(out.at[i, "census_year"])
        if isinstance(brn, str) and (brn, year) in by_brn_year.index:
            keys[i], method[i] = by_brn_year[(brn, year)], LINK_BRN
            continue
        if isinstance(brn, str) and brn in by_brn.index:
            keys[i], method[i] = by_brn[brn], LINK_BRN
            continue
        name = canonical_key(out.at[i, "member_name"], rules)
        if (name, year) in by_name.index:
            keys[i], method[i] = by_name[(name, year)], LINK_NAME
        elif (name, year) in homonyms:
            note[i] = "같은 이름의 기업이 여럿 / several census firms have this name"
        elif isinstance(brn, str):
            note[i] = "사업자등록번호·이름이 조사 명부에 없음 / BRN and name not in the census"
        else:
            note[i] = "사업자등록번호 없고 이름이 조사 명부에 없음 / no BRN, name not in the census"
    # Integer keys (firm_id) stay integers, with <NA> for members not linked.
    integer = len(firms) and pd.api.types.is_integer_dtype(firms[key].dtype)
    out[key] = pd.array(keys, dtype="Int64") if integer else pd.Series(keys, index=out.index, dtype=object)
    out["link_method"] = method
    out["link_note"] = note
    return out


def link_rate(linked: pd.DataFrame) -> float:
    """Share of firm rows linked to a census firm."""
    firms = linked[linked["role"] == "firm"]
    return float((firms["link_method"].isin([LINK_BRN, LINK_NAME])).mean()) if len(firms) else float("nan")
