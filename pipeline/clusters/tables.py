"""The registered cluster tables (cluster_member, cluster_year, cluster_comparison) from the
roster deliveries and the census panel: what the clusters step writes.

Rosters are deliveries like the census files: data/raw/clusters/ holds one file a year (xlsx or
csv, the year in the file name). A project without that folder, or with an empty one, has no
clusters and gets empty tables; a roster that cannot be read is left out and named, so one bad
file does not hold back the census tables the same run refreshes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.clusters.comparison import SUMMARY_COLUMNS, matched_comparison, size_band
from pipeline.clusters.indicators import CLUSTER_YEAR_COLUMNS, cluster_year_indicators
from pipeline.clusters.linking import LINK_BRN, LINK_NAME, link_members
from pipeline.clusters.roster import ROSTER_COLUMNS, RosterError, load_roster_layouts, read_roster
from pipeline.growth import panel_indicators
from pipeline.names import NameRules

ROSTER_DIR = "clusters"
ROSTER_SUFFIXES = (".xlsx", ".csv")
UNKNOWN_ROLE = "unknown_role"
MEMBER_COLUMNS = [*ROSTER_COLUMNS, "firm_id", "link_method", "link_note"]
OUTCOMES = ("revenue_cagr_3y", "employment_cagr_3y")
OUTSIDE_COMPLEX = "(산업단지 밖)"
# Stated in every row of cluster_comparison; the limits are in docs/growth.md.
METHOD = ("층화 정확매칭: 같은 조사연도·KSIC 중분류·종사자 규모(1-9/10-49/50-299/300+)·산업단지의 비회원과 비교, "
          "층별 차이를 회원 수로 가중평균(ATT) / exact matching on strata of census year x KSIC division x "
          "employee band x industrial complex; stratum differences weighted by members (ATT); limits in docs/growth.md")
COMPARISON_COLUMNS = [*SUMMARY_COLUMNS, "method"]
# What the panel indicators and the strata need of firm_year.
FIRM_YEAR_COLUMNS = ["record_id", "census_year", "brn", "firm_name", "revenue_mil_krw", "employees_total", "export_mil_krw",
                     "rnd_mil_krw", "employees_regular", "ksic_division", "complex_name"]


@dataclass
class ClusterTables:
    members: pd.DataFrame
    cluster_year: pd.DataFrame
    comparison: pd.DataFrame
    unreadable: dict[str, str] = field(default_factory=dict)  # file name -> why


def roster_files(raw_dir: Path) -> list[Path]:
    """The roster deliveries in raw_dir/clusters/ (none when the folder is missing)."""
    folder = Path(raw_dir) / ROSTER_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ROSTER_SUFFIXES and not p.name.startswith(("~$", ".")))


def read_roster_files(paths: list[Path], layouts_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every readable roster's rows, and {file name: message} of those that are not."""
    if not paths:
        return pd.DataFrame(columns=ROSTER_COLUMNS), {}
    try:
        layouts = load_roster_layouts(layouts_dir)
    except RosterError as e:
        return pd.DataFrame(columns=ROSTER_COLUMNS), {p.name: str(e) for p in paths}
    frames, unreadable = [], {}
    for path in paths:
        try:
            frames.append(read_roster(path, layouts))
        except RosterError as e:
            unreadable[path.name] = str(e)
    frames = [f for f in frames if len(f)]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROSTER_COLUMNS)
    return rows, unreadable


def census_firms(firm_year: pd.DataFrame, identity: pd.DataFrame) -> pd.DataFrame:
    """firm_year rows with their firm_id (every curated record has one)."""
    return firm_year.merge(identity[["record_id", "firm_id"]], on="record_id", how="inner")


def linked_members(rosters: pd.DataFrame, firms: pd.DataFrame, rules: NameRules) -> pd.DataFrame:
    """The roster rows with firm_id, link_method and link_note (MEMBER_COLUMNS). A role word the
    layout does not know is kept and marked unknown_role, not guessed to be a firm."""
    if rosters.empty:
        return pd.DataFrame(columns=MEMBER_COLUMNS)
    linked = link_members(rosters.reset_index(drop=True), firms, rules, key="firm_id")
    unknown = linked["role"].isna()
    linked.loc[unknown, "link_method"] = UNKNOWN_ROLE
    linked.loc[unknown, "link_note"] = "명단의 구분을 양식이 모릅니다 (config/clusters/) / the roster's role word is not in the layout"
    linked["firm_id"] = linked["firm_id"].astype(object).where(linked["firm_id"].notna(), None)
    return linked[MEMBER_COLUMNS].sort_values(["census_year", "source_file", "source_row"], ignore_index=True)


def comparison_firms(firms: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per firm-year with the strata (sector = KSIC division, size band, complex) and the
    outcomes. A firm outside any complex is compared with others outside any complex."""
    strata = firms.drop_duplicates(["firm_id", "census_year"])[["firm_id", "census_year", "ksic_division", "complex_name"]]
    out = indicators.merge(strata, on=["firm_id", "census_year"], how="inner")
    return out.assign(sector=out["ksic_division"], size_band=size_band(out["employees_total"]),
                      complex=out["complex_name"].fillna(OUTSIDE_COMPLEX))


def comparisons(members: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """cluster_comparison: per census year with a roster and census rows, and per outcome, the
    matched comparison of member firms with comparable non-members."""
    years = sorted(set(members["census_year"].astype(int)) & set(firms["census_year"].astype(int))) if len(members) else []
    rows = []
    for year in years:
        linked = members[(members["census_year"] == year) & members["link_method"].isin([LINK_BRN, LINK_NAME])]
        keys = set(linked["firm_id"])
        for outcome in OUTCOMES:
            summary, _ = matched_comparison(firms, keys, year, outcome=outcome)
            rows.append(summary)
    if not rows:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    return pd.concat(rows, ignore_index=True).assign(method=METHOD)[COMPARISON_COLUMNS]


def cluster_tables(rosters: pd.DataFrame, firm_year: pd.DataFrame, identity: pd.DataFrame, rules: NameRules,
                   unreadable: dict[str, str] | None = None) -> ClusterTables:
    """The three tables from the roster rows and the census (firm_year with FIRM_YEAR_COLUMNS,
    firm_year_identity)."""
    firms = census_firms(firm_year, identity)
    members = linked_members(rosters, firms, rules)
    if members.empty:
        return ClusterTables(members, pd.DataFrame(columns=CLUSTER_YEAR_COLUMNS), pd.DataFrame(columns=COMPARISON_COLUMNS),
                             unreadable or {})
    indicators = panel_indicators(firms, "firm_id")
    by_cluster = cluster_year_indicators(members, indicators, "firm_id")
    compared = comparisons(members, comparison_firms(firms, indicators))
    return ClusterTables(members, by_cluster, compared, unreadable or {})
