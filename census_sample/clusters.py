"""Mini-cluster rosters of the synthetic census (config/samplegen/clusters.yaml): which firms
belong to which cluster each year, the universities, institutes and agencies beside them, and
the roster file the cluster office keeps (one a year), with the truth of every roster row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config, render
from census_sample.firms import presence

ROLES = ("firm", "university", "institute", "agency")


def memberships(firms: pd.DataFrame, years: tuple[int, ...], seed: int) -> pd.DataFrame:
    """census_year, cluster, true_firm_id, joined_year: firm members per year. In the first
    year a share of the firms in a cluster's divisions join; each later year some members leave
    (or close) and new firms join."""
    spec = config.load("clusters")
    rng = config.stream(seed, "cluster-members")
    clusters = spec["clusters"]
    n = len(firms)
    division = firms["division"].to_numpy()
    # Each firm could join one cluster: a random one among those of its division.
    home = np.full(n, -1)
    u = rng.random(n)
    for div in np.unique(division):
        options = [k for k, c in enumerate(clusters) if div in c["divisions"]]
        if options:
            sel = division == div
            home[sel] = np.array(options)[(u[sel] * len(options)).astype(int)]
    member = np.zeros(n, bool)
    joined = np.zeros(n, dtype=np.int64)
    out = []
    for t, year in enumerate(years):
        alive = presence(firms, year)
        member &= alive
        r = rng.random(n)
        if t == 0:
            new = alive & (home >= 0) & (r < spec["join_share"])
        else:
            member &= rng.random(n) >= spec["leave_rate"]
            candidates = np.flatnonzero(alive & (home >= 0) & ~member)
            k = min(len(candidates), round(spec["new_share"] * member.sum()))
            new = np.zeros(n, bool)
            new[rng.choice(candidates, k, replace=False)] = True
        joined[new] = year
        member |= new
        ids = np.flatnonzero(member)
        out.append(pd.DataFrame({"census_year": year, "cluster": [clusters[home[i]]["name"] for i in ids],
                                 "true_firm_id": firms["true_firm_id"].to_numpy()[ids], "joined_year": joined[ids]}))
    return pd.concat(out, ignore_index=True)


def ever_members(firms: pd.DataFrame, members: pd.DataFrame) -> np.ndarray:
    return firms["true_firm_id"].isin(members["true_firm_id"]).to_numpy()


def _institutions(seed: int) -> pd.DataFrame:
    """cluster, member_name, role: each cluster's university, institutes and agency (stable
    across years)."""
    spec = config.load("clusters")
    rng = config.stream(seed, "cluster-institutions")
    rows = []
    for c in spec["clusters"]:
        rows.append((c["name"], spec["universities"][rng.integers(len(spec["universities"]))], "university"))
        for name in rng.choice(spec["institutes"], int(rng.integers(1, 3)), replace=False):
            rows.append((c["name"], str(name), "institute"))
        rows.append((c["name"], spec["agencies"][rng.integers(len(spec["agencies"]))], "agency"))
    return pd.DataFrame(rows, columns=["cluster", "member_name", "role"])


def roster(firms: pd.DataFrame, members: pd.DataFrame, year: int, seed: int, first_year: int) -> pd.DataFrame:
    """The year's roster rows as the cluster office writes them: cluster_name, member_name,
    role (as spelled), brn (dashed, blank for some firms), joined_year; with the truth
    true_firm_id (<NA> for non-firm members) and true_role."""
    spec = config.load("clusters")
    rng = config.stream(seed, f"roster-{year}")
    m = members[members["census_year"] == year]
    idx = m["true_firm_id"].to_numpy() - 1
    forms = config.load("vocabulary")["names"]["corporate_forms"]
    keys, p = config.weighted(forms)
    form = np.array(keys, dtype=object)[rng.choice(len(keys), len(idx), p=p)]
    form = np.where(firms["is_corp"].to_numpy()[idx], form, "{n}")
    renamed = (firms["rename_year"].to_numpy()[idx] > 0) & (year >= firms["rename_year"].to_numpy()[idx])
    core = np.where(renamed, firms["renamed_core"].to_numpy()[idx], firms["name_core"].to_numpy()[idx])
    names = [f.replace("{n}", c) for f, c in zip(form, core, strict=True)]
    brn = firms["brn"].to_numpy()[idx]
    dashed = np.array([f"{b[:3]}-{b[3:5]}-{b[5:]}" for b in brn], dtype=object)
    dashed[rng.random(len(idx)) < spec["brn_blank_share"]] = None
    firm_rows = pd.DataFrame({"cluster_name": m["cluster"].to_numpy(), "member_name": names, "true_role": "firm",
                              "brn": dashed, "joined_year": m["joined_year"].to_numpy(),
                              "true_firm_id": pd.array(m["true_firm_id"].to_numpy(), dtype="Int64")})
    inst = _institutions(seed)
    inst_rows = pd.DataFrame({"cluster_name": inst["cluster"], "member_name": inst["member_name"], "true_role": inst["role"],
                              "brn": None, "joined_year": first_year, "true_firm_id": pd.array([pd.NA] * len(inst), dtype="Int64")})
    rows = pd.concat([firm_rows, inst_rows], ignore_index=True)
    order = {c["name"]: k for k, c in enumerate(spec["clusters"])}
    rows = rows.assign(_c=rows["cluster_name"].map(order), _r=rows["true_role"].map({r: k for k, r in enumerate(ROLES)}))
    rows = rows.sort_values(["_c", "_r", "member_name"], kind="stable").drop(columns=["_c", "_r"]).reset_index(drop=True)
    spelled = np.empty(len(rows), dtype=object)
    for role in ROLES:
        sel = (rows["true_role"] == role).to_numpy()
        k, pr = config.weighted(spec["role_spellings"][role])
        spelled[sel] = np.array(k, dtype=object)[rng.choice(len(k), int(sel.sum()), p=pr)]
    rows.insert(2, "role", spelled)
    return rows


def roster_delivery(rows: pd.DataFrame, year: int) -> tuple[render.Delivery, pd.DataFrame]:
    """The roster as an xlsx delivery (title row, one header row) and its record truth:
    census_year, source_row, true_firm_id, true_role."""
    spec = config.load("clusters")
    columns = [c[0] for c in spec["columns"]]
    cells = {"serial": np.arange(1, len(rows) + 1).astype(object)}
    for c in columns[1:]:
        cells[c] = rows[c].to_numpy(dtype=object)
    body = [[None if pd.isna(v) else (int(v) if isinstance(v, (np.integer,)) else v) for v in r]
            for r in zip(*(cells[c] for c in columns), strict=True)]
    first_row = 3
    records = pd.DataFrame({"census_year": year, "source_row": np.arange(len(rows), dtype=np.int64) + first_row,
                            "true_firm_id": rows["true_firm_id"].to_numpy(), "true_role": rows["true_role"].to_numpy()})
    delivery = render.Delivery(year=year, spec={"format": "xlsx", "title": spec["title"], "sheet": spec["sheet"]},
                               header_rows=[[c[1] for c in spec["columns"]]], rows=body, first_row=first_row, records=records)
    return delivery, records


def file_name(year: int) -> str:
    return config.load("clusters")["file_name"].format(year=year)
