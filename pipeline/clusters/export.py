"""The firm–cluster–customer network of every roster year, written as GraphML and JSON into
data/curated/network/ for the report and for analysts' graph tools.

Firm nodes carry the internal firm_id (the files sit beside census.duckdb, not in the research
database); a year whose roster was withdrawn loses its files, so the folder always matches the
cluster_member table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline.clusters.network import CUSTOMER_SLOTS, build_network, write_network
from pipeline.names import NameRules

NETWORK_DIR = "network"
NETWORK_FILE = "cluster_network_{year}{suffix}"
SUFFIXES = (".graphml", ".json")
CUSTOMER_COLUMNS = ["record_id", "census_year", "firm_name",
                    *[f"customer_{s}_{what}" for s in CUSTOMER_SLOTS for what in ("name", "share_pct")]]


def network_dir(curated_dir: Path) -> Path:
    return Path(curated_dir) / NETWORK_DIR


def write_year_networks(members: pd.DataFrame, firms: pd.DataFrame, folder: Path, rules: NameRules) -> dict[int, dict]:
    """{year: {graphml, json, nodes, edges}} for every census year of the roster rows; `firms` is
    firm_year (CUSTOMER_COLUMNS) with firm_id. Files of years no longer in the rosters are removed."""
    folder = Path(folder)
    years = sorted(int(y) for y in members["census_year"].dropna().unique()) if len(members) else []
    written: dict[int, dict] = {}
    for year in years:
        graph = build_network(members, firms, year, rules, key="firm_id")
        paths = {s.lstrip("."): write_network(graph, folder / NETWORK_FILE.format(year=year, suffix=s)) for s in SUFFIXES}
        written[year] = {**{k: str(p) for k, p in paths.items()}, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if folder.is_dir():
        pattern = re.compile(r"cluster_network_(\d{4})\.(graphml|json)$")
        for path in folder.iterdir():
            match = pattern.match(path.name)
            if match and int(match.group(1)) not in written:
                path.unlink()
    return written
