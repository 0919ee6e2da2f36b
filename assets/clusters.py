"""Mini-clusters (산학연관 미니클러스터) over the firm panel: the roster deliveries in
data/raw/clusters/ linked to firm ids, the cluster-year indicators, the matched comparison of
members with comparable non-members (pipeline/clusters/tables.py), and the firm–cluster–customer
network written as GraphML and JSON files."""

import dagster as dg
import pandas as pd

from assets.automation import AFTER_INPUTS
from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.clusters.export import CUSTOMER_COLUMNS, network_dir, write_year_networks
from pipeline.clusters.linking import link_rate
from pipeline.clusters.tables import FIRM_YEAR_COLUMNS, cluster_tables, read_roster_files, roster_files
from pipeline.names import load_name_rules
from pipeline.storage import read_table

ALL_YEARS = dg.AssetDep("firm_year", partition_mapping=dg.AllPartitionMapping())
DEPS = [ALL_YEARS, "firm_year_identity"]


def build() -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("cluster_member", deps=DEPS, automation_condition=AFTER_INPUTS,
                                    description="Every roster row of data/raw/clusters/: cluster, member, role, year, and the census firm a member firm is."),
                       dg.AssetSpec("cluster_year", deps=DEPS, automation_condition=AFTER_INPUTS,
                                    description="Per mini-cluster and year: members by role and the linked member firms' figures."),
                       dg.AssetSpec("cluster_comparison", deps=DEPS, automation_condition=AFTER_INPUTS,
                                    description="Member firms against non-members of the same KSIC division, employee band and complex.")]),
        ins={"firm_year_identity": dg.AssetIn()},
        check_specs=[dg.AssetCheckSpec("rosters_read", asset="cluster_member",
                                       description="Every roster file in data/raw/clusters/ could be read (one that cannot is left out and named)")],
        group_name="clusters", can_subset=False,
    )
    def clusters(context: dg.AssetExecutionContext, census_settings: CensusSettings, firm_year_identity: pd.DataFrame):
        settings = census_settings.load()
        paths = roster_files(settings.raw_dir)
        rosters, unreadable = read_roster_files(paths, settings.config_path("clusters"))
        # The declared dependency on every year of firm_year, read for the columns linking, the
        # indicators and the strata need.
        firm_year = read_table(settings, "firm_year", columns=FIRM_YEAR_COLUMNS) if paths else pd.DataFrame(columns=FIRM_YEAR_COLUMNS)
        rules = load_name_rules(settings.config_path("company_aliases.yaml"))
        out = cluster_tables(rosters, firm_year, firm_year_identity, rules, unreadable)
        members = out.members
        methods = {str(k): int(v) for k, v in members["link_method"].value_counts().items()}
        rate = link_rate(members)
        yield dg.Output(members, output_name="cluster_member", metadata={
            "roster_files": dg.MetadataValue.json([p.name for p in paths]),
            "members_per_year": dg.MetadataValue.json({str(k): int(v) for k, v in members.groupby("census_year").size().items()}),
            "link_methods": dg.MetadataValue.json(methods),
            "firms_linked_share": round(rate, 4) if rate == rate else None})
        yield dg.Output(out.cluster_year, output_name="cluster_year", metadata={"clusters": int(out.cluster_year["cluster_name"].nunique())})
        yield dg.Output(out.comparison, output_name="cluster_comparison", metadata={
            "differences": dg.MetadataValue.json({f"{int(r.census_year)} {r.outcome}": None if pd.isna(r.difference) else round(float(r.difference), 4)
                                                  for r in out.comparison.itertuples()})})
        yield dg.AssetCheckResult(check_name="rosters_read", asset_key="cluster_member", passed=not unreadable,
                                  severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"files": len(paths), "unreadable": dg.MetadataValue.json(unreadable)})

    @dg.asset(ins={"cluster_member": dg.AssetIn()}, deps=DEPS, group_name="clusters", kinds={"graphml", "json"},
              automation_condition=AFTER_INPUTS)
    def cluster_network(context: dg.AssetExecutionContext, census_settings: CensusSettings,
                        cluster_member: pd.DataFrame) -> dg.MaterializeResult:
        """data/curated/network/cluster_network_<year>.graphml and .json: clusters, their members
        and the customers member and other census firms name (firms by their internal firm id)."""
        settings = census_settings.load()
        years = sorted(int(y) for y in cluster_member["census_year"].unique()) if len(cluster_member) else []
        firms = pd.DataFrame(columns=[*CUSTOMER_COLUMNS, "firm_id"])
        if years:
            firm_year = read_table(settings, "firm_year", years, columns=CUSTOMER_COLUMNS)
            identity = read_table(settings, "firm_year_identity", columns=["record_id", "firm_id"])
            firms = firm_year.merge(identity, on="record_id", how="inner")
        rules = load_name_rules(settings.config_path("company_aliases.yaml"))
        written = write_year_networks(cluster_member, firms, network_dir(settings.curated_dir), rules)
        return dg.MaterializeResult(metadata={
            "folder": dg.MetadataValue.path(str(network_dir(settings.curated_dir))),
            "files": dg.MetadataValue.json({str(y): [w["graphml"], w["json"]] for y, w in written.items()}),
            "nodes_edges": dg.MetadataValue.json({str(y): [w["nodes"], w["edges"]] for y, w in written.items()})})

    return [clusters, cluster_network]
