"""Supplier tier (협력 차수) per firm-year and chain, inferred from the year's supply network.

Rule (docs/domain.md §5: 1차 supplies the OEM directly, 2차 supplies a 1차, ...):
- tier in a chain = length of the shortest path of resolved customer links to an OEM of that
  chain, where a registry supplier of tier t counts as a node at distance t. Shortest-path
  search visits each node once, so cycles (A supplies B, B supplies A) terminate.
- A firm can reach several chains. Its main chain is the one taking the largest share of its
  sales: the sum of share_pct over its customer links that lead into the chain (a link leads
  into a chain if its target is a registry entry of the chain or a census firm with a tier in
  it). Ties go to the lower tier, then to the chain listed first in config/oem_registry.yaml.
  The inferred tier is the tier in the main chain.
- The share decides the chain, not the tier: a firm selling 10% straight to an OEM is 1차 for
  that OEM whatever else it sells, which is how respondents and the domain define 차수.
- The final tier compares the inferred with the self-reported tier: both agree, conflict (the
  inferred tier wins: it rests on named customers, and the flag lets an analyst look), only
  one known (its value), or none.
"""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx
import pandas as pd

TIER_LABELS = {1: "1차", 2: "2차", 3: "3차"}
NOT_APPLICABLE = "해당없음"
FOURTH_PLUS = "4차 이상"
_ROOT = ("root",)


def tier_label(tier: object) -> object:
    """Census vocabulary for an inferred tier number (4 and deeper are "4차 이상")."""
    if tier is None or pd.isna(tier):
        return float("nan")
    return TIER_LABELS.get(int(tier), FOURTH_PLUS)


def chain_tiers(links: pd.DataFrame, chain: str) -> dict[str, int]:
    """record_id -> tier in `chain` for every census firm with a path to the chain's OEMs,
    over the links of one census year."""
    graph = nx.DiGraph()
    resolved = links[links["target_kind"].isin(["oem", "supplier", "census_firm"])]
    # Plain lists: iterating Arrow-backed columns row by row costs more than the graph itself.
    columns = [resolved[c].astype(object).tolist() for c in ("target_kind", "target_record_id", "record_id",
                                                                "target_chain", "target_name", "target_tier")]
    for kind, target_record_id, record_id, target_chain, target_name, target_tier in zip(*columns, strict=True):
        if kind == "census_firm":
            # Edge customer -> supplier: distances grow from the OEM outward.
            graph.add_edge(("firm", target_record_id), ("firm", record_id), weight=1)
        elif target_chain == chain:
            # The registry node sits at its tier; its suppliers one step further.
            graph.add_edge(_ROOT, ("reg", target_name), weight=int(target_tier))
            graph.add_edge(("reg", target_name), ("firm", record_id), weight=1)
    if _ROOT not in graph:
        return {}
    dist = nx.single_source_dijkstra_path_length(graph, _ROOT, weight="weight")
    return {node[1]: int(d) for node, d in dist.items() if node[0] == "firm"}


def _chain_shares(links: pd.DataFrame, tiers: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Per record_id and chain: share_pct of sales over links leading into the chain."""
    share = links["share_pct"].astype("float64").fillna(0.0).to_numpy()
    position = pd.RangeIndex(len(links))
    registry = links["target_kind"].isin(["oem", "supplier"]).to_numpy()
    parts = []
    for chain, by_firm in tiers.items():
        into = (registry & (links["target_chain"] == chain).to_numpy()) | (
            (links["target_kind"] == "census_firm").to_numpy() & links["target_record_id"].isin(by_firm.keys()).to_numpy())
        parts.append(pd.DataFrame({"link": position[into], "record_id": links["record_id"].to_numpy()[into],
                                   "chain": chain, "share_pct": share[into]}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["link", "record_id", "chain", "share_pct"])
    # Summed in link order, as the shares were listed: the float sums do not depend on chain order.
    frame = frame.sort_values("link", kind="stable")
    return frame.groupby(["record_id", "chain"], as_index=False, sort=True)["share_pct"].sum()


def supplier_tiers(firm_year: pd.DataFrame, links: pd.DataFrame, chains: list[str], tier_values: Collection[str]) -> pd.DataFrame:
    """One row per firm-year of `firm_year`: tier_<chain> (Int64) per chain, main_chain,
    main_chain_share_pct, inferred_tier (Int64), inferred_tier_label, self_reported_tier,
    final_tier, tier_source ('both_agree' | 'conflict' | 'inferred' | 'reported' | 'none'),
    tier_conflict (bool). Each census year is its own network. `tier_values`: the canonical
    self-reported tiers (canonical_columns.yaml tier_values); any other answer counts as not reported."""
    frames = []
    for year, firms in firm_year.groupby("census_year", sort=True):
        year_links = links[links["census_year"] == year]
        tiers = {chain: chain_tiers(year_links, chain) for chain in chains}
        out = pd.DataFrame({"record_id": firms["record_id"].astype(str).to_numpy(), "census_year": year})
        for chain in chains:
            out[f"tier_{chain}"] = out["record_id"].map(tiers[chain]).astype("Int64")
        shares = _chain_shares(year_links, tiers)
        main = _main_chain(out, shares, chains)
        out = out.merge(main, on="record_id", how="left")
        out["self_reported_tier"] = firms["self_reported_tier"].to_numpy() if "self_reported_tier" in firms else float("nan")
        frames.append(out)
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    out["census_year"] = out["census_year"].astype("Int64")
    out["inferred_tier"] = out["inferred_tier"].astype("Int64")
    out["inferred_tier_label"] = out["inferred_tier"].map(tier_label).astype("str").where(out["inferred_tier"].notna())
    return _final(out, set(tier_values))


def _main_chain(out: pd.DataFrame, shares: pd.DataFrame, chains: list[str]) -> pd.DataFrame:
    candidates = pd.concat([pd.DataFrame({"record_id": out["record_id"].to_numpy(), "main_chain": chain, "order": i,
                                          "inferred_tier": out[f"tier_{chain}"].to_numpy()}) for i, chain in enumerate(chains)],
                           ignore_index=True)
    candidates = candidates[candidates["inferred_tier"].notna()]
    candidates = candidates.merge(shares.rename(columns={"chain": "main_chain", "share_pct": "main_chain_share_pct"}),
                                  on=["record_id", "main_chain"], how="left")
    candidates["main_chain_share_pct"] = candidates["main_chain_share_pct"].fillna(0.0).astype("float64")
    # Largest share first, then the lower tier, then the chain listed first.
    best = (candidates.sort_values(["record_id", "main_chain_share_pct", "inferred_tier", "order"],
                                   ascending=[True, False, True, True], kind="stable")
            .drop_duplicates("record_id"))
    main = out[["record_id"]].merge(best[["record_id", "main_chain", "main_chain_share_pct", "inferred_tier"]],
                                    on="record_id", how="left")
    main["main_chain"] = main["main_chain"].astype(object).where(main["main_chain"].notna(), None)
    main["inferred_tier"] = main["inferred_tier"].astype("Int64")
    return main


def _final(out: pd.DataFrame, tier_values: set[str]) -> pd.DataFrame:
    # Only the census vocabulary counts; anything else (e.g. "모름") is treated as not reported.
    reported = out["self_reported_tier"].where(out["self_reported_tier"].isin(tier_values))
    inferred = out["inferred_tier_label"]
    has_inf, has_rep = inferred.notna(), reported.notna()
    agree = has_inf & has_rep & (inferred == reported)
    out["tier_source"] = "none"
    out.loc[has_rep & ~has_inf, "tier_source"] = "reported"
    out.loc[has_inf & ~has_rep, "tier_source"] = "inferred"
    out.loc[agree, "tier_source"] = "both_agree"
    out.loc[has_inf & has_rep & ~agree, "tier_source"] = "conflict"
    out["final_tier"] = inferred.where(has_inf, reported)
    out["tier_conflict"] = (out["tier_source"] == "conflict").astype(bool)
    out["main_chain"] = out["main_chain"].astype("str").where(out["main_chain"].notna())
    out["main_chain_share_pct"] = out["main_chain_share_pct"].astype("float64")
    out["self_reported_tier"] = reported.astype("str").where(has_rep)
    out["final_tier"] = out["final_tier"].astype("str").where(out["final_tier"].notna())
    return out
