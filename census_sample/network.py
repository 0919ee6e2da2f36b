"""The supply network: each firm's main customers (up to three) per census year, and the true
tier of every firm = its shortest customer distance to an OEM of a chain.

A chain firm of level L sells to a census firm of level L-1 (level 1 sells to an OEM; level 2
sometimes to a registry supplier outside the census), and its other customers are never
closer to the OEM, so the generated level is usually the true tier. The truth is still computed
from the customers actually reported, never assumed from the levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config
from census_sample.firms import presence

CHAINS = ("automotive", "electronics")
SLOTS = (1, 2, 3)
# Chance that a firm names a 2nd customer, and a 3rd given a 2nd.
SECOND_CUSTOMER = 0.62
THIRD_CUSTOMER = 0.55
# Firms outside both chains leave the customer item blank this often.
NO_CUSTOMER = 0.12


def _named(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    keys, p = config.weighted({k: v["weight"] for k, v in table.items()})
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p)]


def customer_plan(firms: pd.DataFrame, seed: int) -> pd.DataFrame:
    """What kind of customer each firm has in each slot, drawn once per firm (firms keep their
    customers across years). kind: oem | registry | census (a census firm one level closer, slot
    1) | census_peer (a census firm at least as far from the OEM, slots 2-3) | census_any (firms
    outside the chains) | other (a customer outside the census and the chains) | none."""
    rng = config.stream(seed, "customer-plan")
    cust = config.load("customers")
    n = len(firms)
    chain = firms["chain"].to_numpy()
    level = firms["level"].to_numpy()
    outside = config.load("vocabulary")["outside_customers"]
    frames = []
    has_slot = np.ones(n, bool)
    for slot in SLOTS:
        kind = np.full(n, "none", dtype=object)
        if slot == 1:
            kind[chain == ""] = np.where(rng.random(n) < 0.7, "other", "census_any")[chain == ""]
            kind[(chain == "") & (rng.random(n) < NO_CUSTOMER)] = "none"
            kind[level == 1] = "oem"
            to_registry = rng.random(n) < cust["registry_share_at_level_2"]
            kind[level == 2] = np.where(to_registry, "registry", "census")[level == 2]
            kind[level >= 3] = "census"
        else:
            has_slot &= rng.random(n) < (SECOND_CUSTOMER if slot == 2 else THIRD_CUSTOMER)
            r = rng.random(n)
            kind[(level == 1)] = np.where(r < 0.55, "oem", np.where(r < 0.75, "registry", "other"))[level == 1]
            kind[level >= 2] = np.where(r < 0.55, "census_peer", "other")[level >= 2]
            kind[chain == ""] = np.where(r < 0.65, "other", "census_any")[chain == ""]
            kind[~has_slot] = "none"
        target = np.full(n, None, dtype=object)
        for c in CHAINS:
            m = (chain == c) & (kind == "oem")
            target[m] = _named(rng, cust["oems"][c], int(m.sum()))
            m = (chain == c) & (kind == "registry")
            target[m] = _named(rng, cust["registry_suppliers"][c], int(m.sum()))
        m = kind == "other"
        target[m] = np.array(outside, dtype=object)[rng.integers(0, len(outside), int(m.sum()))]
        frames.append(pd.DataFrame({"true_firm_id": firms["true_firm_id"].to_numpy(), "slot": slot,
                                    "kind": kind, "target_name": target, "u": rng.random(n)}))
    return pd.concat(frames, ignore_index=True)


def _pool_pick(pool: np.ndarray, u: np.ndarray) -> np.ndarray:
    return pool[np.minimum((u * len(pool)).astype(np.int64), len(pool) - 1)]


def yearly_customers(firms: pd.DataFrame, plan: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """Customers per (census_year, firm, slot). A census customer is drawn from the firms present
    that year, kept in later years while it exists, and redrawn when it closes. Returns
    census_year, true_firm_id, slot, kind, target_firm_id (census customers) and target_name
    (OEM / registry / outside customers, canonical name)."""
    n = len(firms)
    chain = firms["chain"].to_numpy()
    level = firms["level"].to_numpy()
    # Homonyms are never chosen as customers: a name shared by two census firms cannot tell the
    # pipeline which of them is meant, and the truth should be recoverable.
    eligible = ~firms["homonym"].to_numpy()
    registry = config.load("customers")["registry_suppliers"]
    fallback = {c: max(registry[c], key=lambda k: registry[c][k]["weight"]) for c in CHAINS}
    out = []
    previous: dict[int, np.ndarray] = {}
    for year in years:
        present = presence(firms, year)
        ids = np.flatnonzero(present & eligible)
        rows = []
        for slot in SLOTS:
            p = plan[plan["slot"] == slot]
            kind = p["kind"].to_numpy().copy()
            name = p["target_name"].to_numpy().copy()
            u = p["u"].to_numpy()
            target = np.full(n, -1, dtype=np.int64)
            for c in CHAINS:
                for lv in range(2, int(level.max(initial=0)) + 1):
                    m = (kind == "census") & (chain == c) & (level == lv)
                    pool = ids[(chain[ids] == c) & (level[ids] == lv - 1)]
                    if len(pool):
                        target[m] = _pool_pick(pool, u[m])
                    else:
                        kind[m], name[m] = "registry", fallback[c]
                    m = (kind == "census_peer") & (chain == c) & (level == lv)
                    pool = ids[(chain[ids] == c) & (level[ids] >= lv - 1)]
                    if len(pool):
                        target[m] = _pool_pick(pool, u[m])
                    else:
                        kind[m] = "none"
            m = kind == "census_any"
            if len(ids):
                target[m] = _pool_pick(ids, u[m])
            else:
                kind[m] = "none"
            census = np.isin(kind, ["census", "census_peer", "census_any"])
            prev = previous.get(slot)
            if prev is not None:
                keep = census & (prev >= 0) & present[np.maximum(prev, 0)] & eligible[np.maximum(prev, 0)]
                target[keep] = prev[keep]
            # Nobody names itself.
            self_pick = census & (target == np.arange(n))
            kind[self_pick] = "none"
            target[~census | self_pick] = -1
            previous[slot] = target.copy()
            rows.append(pd.DataFrame({"true_firm_id": firms["true_firm_id"].to_numpy(), "slot": slot,
                                      "kind": kind, "target_index": target, "target_name": name}))
        year_rows = pd.concat(rows, ignore_index=True)
        year_rows = year_rows[present[year_rows["true_firm_id"].to_numpy() - 1] & (year_rows["kind"] != "none")]
        # A customer named twice by the same firm is named once.
        key = np.where(year_rows["target_index"] >= 0, year_rows["target_index"].astype(str), year_rows["target_name"].astype(str))
        twice = pd.DataFrame({"f": year_rows["true_firm_id"].to_numpy(), "k": key}).duplicated().to_numpy()
        year_rows = year_rows[~twice]
        year_rows.insert(0, "census_year", year)
        out.append(year_rows)
    customers = pd.concat(out, ignore_index=True)
    customers["target_firm_id"] = pd.array(np.where(customers["target_index"] >= 0, customers["target_index"] + 1, pd.NA), dtype="Int64")
    customers.loc[customers["target_index"] >= 0, "target_name"] = None
    # Slots close up after dropped customers: customer 1, 2, 3 in order.
    customers = customers.sort_values(["census_year", "true_firm_id", "slot"], kind="stable")
    customers["slot"] = customers.groupby(["census_year", "true_firm_id"]).cumcount() + 1
    return customers.drop(columns="target_index").reset_index(drop=True)


def true_tiers(customers: pd.DataFrame, n_firms: int, excluded: pd.DataFrame | None = None) -> pd.DataFrame:
    """Shortest customer distance to an OEM per (year, firm, chain): an OEM customer gives 1, a
    registry supplier of tier t gives t+1, a census customer of tier t gives t+1. `excluded`
    (census_year, true_firm_id) are firm-years whose row names no firm: their customers are
    not reported, so they add no edges. Firms that reach no OEM are left out."""
    cust = config.load("customers")
    oem_chain = {name: c for c in CHAINS for name in cust["oems"][c]}
    registry_tier = {(name, c): spec["tier"] for c in CHAINS for name, spec in cust["registry_suppliers"][c].items()}
    frames = []
    if excluded is not None and len(excluded):
        drop = customers.set_index(["census_year", "true_firm_id"]).index.isin(
            excluded.set_index(["census_year", "true_firm_id"]).index)
        customers = customers[~drop]
    for year, rows in customers.groupby("census_year", sort=True):
        src = rows["true_firm_id"].to_numpy() - 1
        kind = rows["kind"].to_numpy()
        name = rows["target_name"].to_numpy()
        census = rows["target_firm_id"].notna().to_numpy()
        dst = rows["target_firm_id"].to_numpy(dtype=float, na_value=0).astype(np.int64) - 1
        for c in CHAINS:
            dist = np.full(n_firms, np.inf)
            direct = np.full(len(rows), np.inf)
            is_oem = (kind == "oem") & np.array([oem_chain.get(x) == c for x in name])
            direct[is_oem] = 1
            is_reg = kind == "registry"
            direct[is_reg] = [registry_tier.get((x, c), np.inf) + 1 for x in name[is_reg]]
            np.minimum.at(dist, src, direct)
            es, ed = src[census], dst[census]
            while True:
                cand = dist[ed] + 1
                before = dist.copy()
                np.minimum.at(dist, es, cand)
                if np.array_equal(before, dist):
                    break
            reached = np.flatnonzero(np.isfinite(dist))
            frames.append(pd.DataFrame({"census_year": year, "true_firm_id": reached + 1, "chain": c,
                                        "true_tier": dist[reached].astype(np.int64)}))
    if not frames:
        return pd.DataFrame(columns=["census_year", "true_firm_id", "chain", "true_tier"])
    return pd.concat(frames, ignore_index=True).sort_values(["census_year", "true_firm_id", "chain"]).reset_index(drop=True)
