"""Mini-clusters and 애로사항 through the Dagster assets, as `census run` makes them: a small
synthetic project (census files and roster deliveries in data/raw/clusters/) is loaded and the
all-years job run; the tables, the views, both databases and the network files are read back as
a user would, and measured against the generator's truth. A project without rosters, and one
with nothing at all, give empty tables, not a failed run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import networkx as nx
import pandas as pd
import pytest

from assets.definitions import build_definitions
from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB
from census_sample import ROSTER_DIR, write_sample
from census_sample.population import generate
from census_sample.sample import truth as sample_truth_of
from pipeline.research.build import research_path
from pipeline.settings import load_settings, make_project
from pipeline.storage import read_table
from pipeline.tables.registry import table_registry
from tests.conftest import SHARED_REFERENCE

YEARS = (2022, 2023, 2024)
FIRMS, SEED = 150, 7
CLUSTER_TABLES = ["cluster_member", "cluster_year", "cluster_comparison"]
DIFFICULTY_TABLES = ["firm_year_difficulty", "difficulty_review"]


def _all_years(settings, instance) -> dg.ExecuteInProcessResult:
    result = build_definitions(settings).resolve_job_def(ALL_YEARS_JOB).execute_in_process(instance=instance, raise_on_error=False)
    assert result.success
    return result


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, monkeypatch_module):
    raw = tmp_path_factory.mktemp("raw")
    write_sample(raw, FIRMS, SEED, YEARS)
    settings = load_settings(make_project(tmp_path_factory.mktemp("project"), SHARED_REFERENCE))
    shutil.copytree(raw, settings.raw_dir, dirs_exist_ok=True)
    instance = dg.DagsterInstance.ephemeral()
    defs = build_definitions(settings)
    for year in YEARS:
        assert defs.resolve_job_def(CENSUS_LOAD_JOB).execute_in_process(partition_key=str(year), instance=instance).success
    result = _all_years(settings, instance)
    return settings, instance, result


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("CENSUS_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def truth():
    return sample_truth_of(generate(FIRMS, SEED, YEARS))


@pytest.fixture(scope="module")
def true_firm(loaded, truth) -> pd.DataFrame:
    """firm_id -> the generator's firm, through the record's sheet row."""
    settings = loaded[0]
    fy = read_table(settings, "firm_year", columns=["record_id", "census_year", "source_row"])
    ident = read_table(settings, "firm_year_identity", columns=["record_id", "firm_id"])
    rec = truth["records"][["census_year", "source_row", "true_firm_id"]]
    return fy.merge(ident, on="record_id").merge(rec, on=["census_year", "source_row"])


def _materialized(result, key: str):
    return next(e.event_specific_data.materialization for e in result.get_asset_materialization_events()
                if e.event_specific_data.materialization.asset_key.to_user_string() == key)


def test_every_roster_row_is_a_member_row_linked_to_its_census_firm(loaded, truth, true_firm):
    settings = loaded[0]
    members = read_table(settings, "cluster_member")
    rec = truth["roster_records"]
    got = members.merge(rec, on=["census_year", "source_row"], how="outer", indicator=True)
    assert (got["_merge"] == "both").all() and len(members) == len(rec)
    assert (got["role"] == got["true_role"]).all()
    firms = got[got["true_role"] == "firm"]
    linked = firms[firms["link_method"].isin(["brn", "name"])]
    assert len(linked) / len(firms) > 0.95
    # The firm id a member got is the census firm the roster meant.
    one_per_firm = true_firm.drop_duplicates("firm_id").set_index("firm_id")["true_firm_id"]
    assert (linked["firm_id"].map(one_per_firm) == linked["true_firm_id"]).all()
    others = got[got["true_role"] != "firm"]
    assert (others["link_method"] == "not_a_firm").all() and others["firm_id"].isna().all()


def test_cluster_year_counts_the_rosters_firms(loaded, truth):
    table = read_table(loaded[0], "cluster_year").set_index(["cluster_name", "census_year"])
    members = truth["members"].groupby(["cluster", "census_year"]).size()
    members.index.names = ["cluster_name", "census_year"]
    # A cluster whose firms all left that year lists its organisations only.
    expected = members.reindex(table.index, fill_value=0)
    assert set(members.index) <= set(table.index) and (table["firms"] == expected).all()
    assert (table["firms_linked"] <= table["firms"]).all()
    assert (table["members"] == table[["firms", "universities", "institutes", "agencies"]].sum(axis=1)).all()


def test_the_comparison_states_its_method_and_adds_up(loaded):
    comparison = read_table(loaded[0], "cluster_comparison")
    assert set(zip(comparison["census_year"], comparison["outcome"], strict=True)) == \
        {(y, o) for y in YEARS for o in ("revenue_cagr_3y", "employment_cagr_3y")}
    assert comparison["method"].str.contains("KSIC division x employee band x industrial complex").all()
    last = comparison[(comparison["census_year"] == 2024) & (comparison["outcome"] == "revenue_cagr_3y")].iloc[0]
    # Three years of data exist in 2024 only: members are matched and the interval holds the difference.
    assert last["members_matched"] > 0 and last["ci_low"] <= last["difference"] <= last["ci_high"]
    assert last["members_matched"] + last["members_unmatched"] == last["members_with_outcome"] <= last["members"]
    assert comparison.loc[comparison["census_year"] == 2022, "members_matched"].eq(0).all()


def test_difficulties_per_firm_year_match_the_ticked_items(loaded, truth, true_firm):
    settings = loaded[0]
    table = read_table(settings, "firm_year_difficulty")
    assert set(table["source"]) <= {"item", "keyword", "item_keyword", "unclassified"}
    ticked = table[table["source"].isin(["item", "item_keyword"])].merge(true_firm[["record_id", "true_firm_id"]], on="record_id")
    got = ticked.groupby(["census_year", "true_firm_id"])["category"].agg(lambda c: ";".join(sorted(c))).rename("got").reset_index()
    said = truth["difficulties"][["census_year", "true_firm_id", "item_categories"]]
    said = said[said["item_categories"].fillna("") != ""]
    said = said.assign(item_categories=said["item_categories"].map(lambda s: ";".join(sorted(s.split(";")))))
    # Every census firm-year that ticked items (a quarantined row is not one) has exactly those
    # categories from items, and no other firm-year has any.
    present = true_firm[["census_year", "true_firm_id"]].drop_duplicates()
    said = said.merge(present, on=["census_year", "true_firm_id"])
    both = got.merge(said, on=["census_year", "true_firm_id"], how="outer")
    assert len(both) > 100 and (both["got"] == both["item_categories"]).all()
    # Unclassified answers are listed for review, with their text; the per-firm table has none.
    review = read_table(settings, "difficulty_review")
    assert len(review) and set(review["kind"]) <= {"text", "item"}
    assert (table["category"] == "미분류").sum() == review["answers"].sum()


def test_the_views_count_respondents_and_free_text_never_reaches_research(loaded):
    settings = loaded[0]
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        firms, respondents = con.execute("SELECT sum(firms) FILTER (WHERE category = '인력'), "
                                         "sum(DISTINCT respondents) FROM v_difficulty_by_size WHERE census_year = 2024 "
                                         "AND size_class = '소기업'").fetchone()
        direct = con.execute("SELECT count(*) FILTER (WHERE category = '인력'), count(DISTINCT record_id) "
                             "FROM firm_year_difficulty d JOIN firm_year f USING (record_id) "
                             "WHERE d.census_year = 2024 AND f.size_class = '소기업'").fetchone()
        assert (firms, respondents) == direct and firms > 0
        by_cluster = con.execute("SELECT count(*), sum(firms) FROM v_difficulty_by_cluster").fetchone()
        assert by_cluster[0] > 0
        texts = [r[0] for r in con.execute("SELECT text FROM difficulty_review").fetchall()]
        written = [r[0] for r in con.execute("SELECT DISTINCT difficulty_text FROM firm_year WHERE difficulty_text IS NOT NULL").fetchall()]
    with duckdb.connect(str(research_path(settings)), read_only=True) as con:
        relations = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"cluster_member", "cluster_year", "cluster_comparison", "firm_year_difficulty", "v_difficulty_by_cluster"} <= relations
        assert "difficulty_review" not in relations
        member_columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                                    "WHERE table_name = 'cluster_member'").fetchall()}
        assert {"member_name", "brn", "source_row"}.isdisjoint(member_columns) and "firm_id" in member_columns
        # Member firms are pseudonymous, and join the other research tables by the same pseudonym.
        joined = con.execute("SELECT count(*) FROM cluster_member m JOIN firm_year_identity i USING (firm_id, census_year)").fetchone()[0]
        assert joined > 0
        # A researcher reads every code of the new code columns in words.
        registry = table_registry(settings)
        for relation in ("cluster_member", "firm_year_difficulty"):
            for column in registry.tables[relation].columns:
                if column.labels:
                    unknown = con.execute(f'SELECT DISTINCT "{column.name}" FROM "{relation}" WHERE "{column.name}" IS NOT NULL '
                                          f'AND "{column.name}" NOT IN (SELECT code FROM "{column.labels}")').fetchall()
                    assert unknown == [], f"{relation}.{column.name}"
        cells = []
        for relation in relations:
            columns = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                                 "AND data_type = 'VARCHAR'", [relation]).fetchall()]
            for column in columns:
                cells += [r[0] for r in con.execute(f'SELECT DISTINCT "{column}" FROM "{relation}" WHERE "{column}" IS NOT NULL').fetchall()]
    blob = "\n".join(map(str, cells))
    assert texts and not [t for t in {*texts, *written} if len(t) > 8 and t in blob]


def test_the_network_files_hold_every_roster_year(loaded):
    settings, _, result = loaded
    meta = _materialized(result, "cluster_network").metadata
    files = meta["files"].value
    assert sorted(files) == [str(y) for y in YEARS]
    graphml, js = (Path(p) for p in files["2024"])
    assert graphml.parent == settings.curated_dir / "network"
    g = nx.read_graphml(graphml)
    kinds = nx.get_node_attributes(g, "kind")
    clusters = set(read_table(settings, "cluster_member").query("census_year == 2024")["cluster_name"])
    assert {n for n, k in kinds.items() if k == "cluster"} == {f"cluster:{c}" for c in clusters}
    assert {"firm", "customer", "university"} <= set(kinds.values())
    data = json.loads(js.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()


def test_without_rosters_the_cluster_tables_are_empty_and_a_bad_roster_is_named(loaded):
    """Runs last in this module: it changes the project's rosters."""
    settings, instance, _ = loaded
    folder = settings.raw_dir / ROSTER_DIR
    keep = folder.with_name("rosters_aside")
    folder.rename(keep)
    _all_years(settings, instance)
    for name in CLUSTER_TABLES:
        assert read_table(settings, name).empty, name
    assert not list((settings.curated_dir / "network").glob("cluster_network_*"))
    assert not read_table(settings, "firm_year_difficulty").empty  # 애로사항 need no roster
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM cluster_member").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM v_difficulty_by_cluster").fetchone()[0] == 0
    # A roster that cannot be read is left out and named; the others are read.
    keep.rename(folder)
    (folder / "2024_회원명단_수정본.csv").write_text("이름,전화\n홍길동,010-1234-5678\n", encoding="utf-8")
    result = _all_years(settings, instance)
    check = next(c for c in result.get_asset_check_evaluations() if c.check_name == "rosters_read")
    assert not check.passed and "2024_회원명단_수정본.csv" in check.metadata["unreadable"].value
    assert set(read_table(settings, "cluster_member")["census_year"]) == set(YEARS)


def test_an_empty_project_gives_empty_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("CENSUS_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    settings = load_settings(make_project(tmp_path / "empty", SHARED_REFERENCE))
    _all_years(settings, dg.DagsterInstance.ephemeral())
    for name in [*CLUSTER_TABLES, *DIFFICULTY_TABLES]:
        assert read_table(settings, name).empty, name
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        for name in [*CLUSTER_TABLES, *DIFFICULTY_TABLES]:
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0
