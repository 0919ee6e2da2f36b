"""Mini-cluster rosters from the shipped sample: read, linked to the census, summarised,
compared and drawn, each measured against the generator's truth."""

import json
import shutil

import networkx as nx
import pandas as pd
import pytest

from census_sample import ROSTER_DIR
from pipeline.clusters import (
    CLUSTER_YEAR_COLUMNS,
    RosterError,
    build_network,
    cluster_year_indicators,
    link_members,
    link_rate,
    load_roster_layouts,
    matched_comparison,
    read_roster,
    read_rosters,
    size_band,
    write_network,
)
from pipeline.growth import panel_indicators
from pipeline.names import load_name_rules

from .conftest import CONFIG, RAW

RULES = load_name_rules(CONFIG / "company_aliases.yaml")


@pytest.fixture(scope="module")
def rosters():
    return read_rosters(sorted((RAW / ROSTER_DIR).glob("*.xlsx")), load_roster_layouts(CONFIG / "clusters"))


@pytest.fixture(scope="module")
def linked(rosters, staged):
    return link_members(rosters, staged, RULES, key="true_firm_id")


def test_roster_rows_and_roles_match_the_truth(rosters, truth):
    rec = truth["roster_records"]
    got = rosters.merge(rec, on=["census_year", "source_row"], how="outer", indicator=True)
    assert (got["_merge"] == "both").all(), "every roster row read, nothing else"
    assert (got["role"] == got["true_role"]).all()
    assert set(rosters["role"]) == {"firm", "university", "institute", "agency"}


def test_members_link_to_the_right_firm(linked, truth):
    got = linked.merge(truth["roster_records"], on=["census_year", "source_row"], suffixes=("", "_true"))
    firms = got[got["true_role"] == "firm"]
    done = firms[firms["link_method"].isin(["brn", "name"])]
    assert (done["true_firm_id"] == done["true_firm_id_true"]).all()
    assert link_rate(linked) > 0.98
    # A blank BRN in the roster is linked by name.
    assert (done["link_method"] == "name").sum() > 50
    assert (got.loc[got["true_role"] != "firm", "link_method"] == "not_a_firm").all()


def test_an_ambiguous_name_is_not_linked():
    roster = pd.DataFrame({"census_year": [2024], "source_file": "r.xlsx", "source_row": [3], "cluster_name": ["A"],
                           "member_name": ["(주)세진정밀"], "role": ["firm"], "role_raw": ["기업"], "brn": [None],
                           "joined_year": [2024]})
    firms = pd.DataFrame({"firm_id": [1, 2], "census_year": 2024, "brn": ["1348672683", "2118608983"],
                          "firm_name": ["세진정밀", "세진정밀㈜"]})
    got = link_members(roster, firms, RULES).iloc[0]
    assert got["link_method"] == "none" and pd.isna(got["firm_id"]) and "여럿" in got["link_note"]


def test_cluster_year_indicators_count_members_without_naming_firms(linked, staged, truth):
    ind = panel_indicators(staged, "true_firm_id")
    table = cluster_year_indicators(linked, ind, "true_firm_id")
    assert list(table.columns) == CLUSTER_YEAR_COLUMNS
    members = truth["members"].groupby(["cluster", "census_year"]).size()
    got = table.set_index(["cluster_name", "census_year"])["firms"]
    assert (got.sort_index() == members.rename_axis(["cluster_name", "census_year"]).sort_index()).all()
    assert (table["firms_linked"] <= table["firms"]).all() and (table["universities"] == 1).all()


def test_matched_comparison_finds_the_generators_member_bonus(linked, staged):
    ind = panel_indicators(staged, "true_firm_id")
    firms = ind.merge(staged[["true_firm_id", "census_year", "ksic_code", "complex_name_raw"]], on=["true_firm_id", "census_year"])
    firms = firms.assign(sector=firms["ksic_code"].str.slice(0, 2), size_band=size_band(firms["employees_total"]),
                         complex=firms["complex_name_raw"].fillna(""))
    members = set(linked.loc[(linked["census_year"] == 2024) & linked["link_method"].isin(["brn", "name"]), "true_firm_id"])
    summary, strata = matched_comparison(firms, members, 2024, key="true_firm_id")
    s = summary.iloc[0]
    # Members' revenue trend is 3 points above others' (config/samplegen/clusters.yaml); some
    # controls were members in other years, so the measured gap is a little smaller.
    assert s["ci_low"] > 0 and s["ci_low"] <= 0.03 <= s["ci_high"] + 0.01
    assert s["members_matched"] + s["members_unmatched"] == s["members_with_outcome"]
    assert (strata["members"] >= 1).all() and (strata["controls"] >= 1).all()
    # No stratum with controls only, and the weighted differences give the summary.
    assert abs((strata["difference"] * strata["members"]).sum() / strata["members"].sum() - s["difference"]) < 1e-12


def test_network_round_trips_as_graphml_and_json(linked, staged, tmp_path):
    g = build_network(linked, staged, 2024, RULES, "true_firm_id")
    kinds = nx.get_node_attributes(g, "kind")
    assert {"cluster", "firm", "customer", "university", "institute", "agency"} <= set(kinds.values())
    assert not any("name" in str(n) for n, k in kinds.items() if k == "firm")  # firms by key only
    back = nx.read_graphml(write_network(g, tmp_path / "net.graphml"))
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    data = json.loads(write_network(g, tmp_path / "net.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == g.number_of_nodes()
    # OEM customers appear under a respondent's spelling, linked from many firms.
    top = max((n for n, k in kinds.items() if k == "customer"), key=g.in_degree)
    assert g.in_degree(top) > 20


def test_a_roster_without_its_headers_is_refused(tmp_path):
    path = tmp_path / "2024_명단.csv"
    path.write_text("이름,전화\n홍길동,010-1234-5678\n", encoding="utf-8")
    with pytest.raises(RosterError, match="2024_명단.csv"):
        read_roster(path, load_roster_layouts(CONFIG / "clusters"))


def test_a_roster_layout_typo_names_the_file_and_key(tmp_path):
    shutil.copy(CONFIG / "clusters" / "kicox_minicluster_xlsx.yaml", tmp_path / "x.yaml")
    p = tmp_path / "x.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("member_name:", "membr_name:"), encoding="utf-8")
    with pytest.raises(RosterError, match=r"x.yaml: 'columns\.(membr_name|member_name)'"):
        load_roster_layouts(tmp_path)


def test_csv_roster_in_cp949_reads(tmp_path):
    path = tmp_path / "2023_회원.csv"
    path.write_text("미니클러스터,기업명,구분,사업자번호\n금형 MC,(주)대한정밀,참여기업,134-86-72683\n금형 MC,한국공학대학교,대학,\n",
                    encoding="cp949")
    got = read_roster(path, load_roster_layouts(CONFIG / "clusters"))
    assert list(got["role"]) == ["firm", "university"] and got["brn"].iloc[0] == "1348672683"
    assert (got["census_year"] == 2023).all() and list(got["source_row"]) == [2, 3]
