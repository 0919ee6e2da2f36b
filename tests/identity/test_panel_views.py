"""The panel views of pipeline/sql/50_panel_views.sql on the golden identity records."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline import storage
from pipeline.classify.address import sido_aliases
from pipeline.identity.firms import firm_identity
from pipeline.names import load_name_rules
from pipeline.supply.registry import load_linkage_config
from tests.conftest import SHIPPED_CONFIG
from tests.tables import complete_table

GOLDEN = Path(__file__).parent / "golden"
NO_REVIEWS = pd.DataFrame(columns=["record_id_a", "record_id_b", "decision", "analyst", "note"])
IDENTITY = load_linkage_config(SHIPPED_CONFIG / "linkage.yaml")["identity"]
NAMES = load_name_rules(SHIPPED_CONFIG / "company_aliases.yaml")
SIDO = sido_aliases(SHIPPED_CONFIG / "classification" / "address.yaml")


@pytest.fixture
def panel(project):
    records = pd.read_csv(GOLDEN / "records.csv", dtype={"brn": str, "ksic_code": str})
    records = records.merge(pd.read_csv(GOLDEN / "panel_extra.csv"), on="record_id").drop(columns=["true_firm"])
    records["employees_total"] = records["employees_total"].astype("Int64")
    records["founded_date"] = pd.to_datetime(records["founded_date"])
    for year, df in records.groupby("census_year"):
        storage.write_year(project, int(year), {"firm_year": complete_table(project, "firm_year", df)})
    out = firm_identity(records, IDENTITY, NO_REVIEWS, NAMES, SIDO)
    storage.write_table(project, "firm", out["firm"])
    storage.write_table(project, "firm_year_identity", out["firm_year_identity"])
    storage.build_query_database(project)
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        yield con.execute("SELECT * FROM firm_panel").df().set_index("record_id"), con


def test_panel_events(panel):
    p, _ = panel
    assert p.loc["2024-000003", "moved_complex"] and not p.loc["2023-000003", "moved_complex"]
    # Respondents spell 시화 three ways (시화공단, 시흥스마트허브, 시화국가산단): not a move.
    assert not p.loc["2023-000001", "moved_complex"] and not p.loc["2024-000001", "moved_complex"]
    assert p.loc["2024-000004", "sector_changed"] and p.loc["2024-000004", "subclass_changed"]
    assert not p.loc["2023-000004", "sector_changed"] and pd.isna(p.loc["2022-000004", "sector_changed"])
    # 2023-000005's code was converted from a KSIC-10 code that split: its subclass is a guess.
    assert not p.loc["2024-000005", "sector_changed"] and pd.isna(p.loc["2024-000005", "subclass_changed"])
    assert p.loc["2023-000007", "is_entry"] and p.loc["2023-000007", "is_exit"]
    assert not p.loc["2022-000001", "is_entry"] and not p.loc["2024-000001", "is_exit"]
    assert p.loc["2024-000006", "years_since_prev"] == 2 and p.loc["2024-000006", "is_reentry"]
    assert p.loc["2023-000001", "employees_growth_pct"] == 25.0
    assert p.loc["2024-000001", "revenue_growth_pct"] == -20.0
    assert pd.isna(p.loc["2024-000002", "revenue_growth_pct"])


def test_every_firm_year_has_one_firm_id(panel):
    _, con = panel
    n, ids, missing = con.execute(
        "SELECT count(*), count(DISTINCT firm_id), count(*) FILTER (WHERE firm_id IS NULL) FROM firm_year_firm").fetchone()
    assert (n, ids, missing) == (21, 10, 0)
    flows = con.execute("SELECT census_year, firms, entries FROM panel_flows ORDER BY 1").fetchall()
    assert flows == [(2022, 6, 0), (2023, 7, 3), (2024, 7, 1)]


def test_a_row_delivered_twice_is_one_firm_year(panel):
    _, con = panel
    # 2024-000010 is a copy of 2024-000006 (same firm, same year): the firm was present in 2022 and 2024.
    n_years, years = con.execute(
        "SELECT n_years, years FROM firm_years JOIN firm_year_firm USING (firm_id) WHERE record_id = '2024-000006'").fetchone()
    assert (n_years, list(years)) == (2, [2022, 2024])
