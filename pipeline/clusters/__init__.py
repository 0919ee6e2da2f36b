"""Mini-clusters (산학연관 미니클러스터, issue 19): rosters read with layouts from config/clusters/,
members linked to census firms, cluster-year indicators, a matched comparison of members with
comparable non-members, and the firm–cluster–customer network."""

from pipeline.clusters.comparison import matched_comparison, size_band
from pipeline.clusters.indicators import CLUSTER_YEAR_COLUMNS, cluster_year_indicators
from pipeline.clusters.linking import link_members, link_rate
from pipeline.clusters.network import build_network, write_network
from pipeline.clusters.roster import RosterError, load_roster_layouts, read_roster, read_rosters

__all__ = ["CLUSTER_YEAR_COLUMNS", "RosterError", "build_network", "cluster_year_indicators", "link_members", "link_rate",
           "load_roster_layouts", "matched_comparison", "read_roster", "read_rosters", "size_band", "write_network"]
