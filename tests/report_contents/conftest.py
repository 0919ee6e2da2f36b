"""A richer sample database for the report's contents: the hand-made firms of
tests/outputs/conftest.py, 400 a year, with KSIC codes across manufacturing divisions and
addresses in several 읍면동, classified by the pipeline's own classification (so 소부장, 뿌리,
기술수준, size class and employee band are what the pipeline computes), and supplier tiers with
two value chains."""

from __future__ import annotations

import pandas as pd
import pytest

import tests.outputs.conftest as sample
from pipeline.classify.classify import classification_columns
from pipeline.settings import load_settings

# KSIC-11 subclasses spread over manufacturing divisions and themes (casting, moulds, parts ...),
# plus wholesale, transport and professional services.
CODES = ["25911", "29293", "24311", "30399", "26299", "20499", "22299", "28119", "25922", "46510", "49301", "72121"]
# (address, firms out of 400): two areas have one firm each and must be hidden on the map.
AREAS = [("경기도 시흥시 공단1대로 {n}번길 3 (정왕동)", None), ("경기도 시흥시 매화로 {n} (매화동)", 7),
         ("경기도 안산시 단원구 원시로 {n} (원시동)", 5), ("경기도 시흥시 과림로 {n} (과림동)", "one"),
         ("경기도 시흥시 포동로 {n} (포동)", "one")]
# A complex name a spreadsheet would run as a formula: the workbook must show it as text.
FORMULA_NAME = '=HYPERLINK("http://x.example","단지")'


def rich_firm_year() -> pd.DataFrame:
    fy = sample._firm_year(n_firms=400)
    i = fy["source_row"] - 2
    fy["ksic_code"] = [CODES[k % len(CODES)] for k in i]
    address = []
    for k in i:
        if k == 11:
            address.append(AREAS[3][0].format(n=k))
        elif k == 13:
            address.append(AREAS[4][0].format(n=k))
        elif k % 7 == 0:
            address.append(AREAS[1][0].format(n=k))
        elif k % 5 == 0:
            address.append(AREAS[2][0].format(n=k))
        else:
            address.append(AREAS[0][0].format(n=k))
    fy["address"] = address
    classified = classification_columns(fy, load_settings())
    base = fy.drop(columns=[c for c in fy.columns if c in classified.columns])
    out = pd.concat([base, classified], axis=1)
    out.loc[(i % 9 == 4).to_numpy(), "complex_name"] = FORMULA_NAME
    out.loc[i.isin([17, 23]).to_numpy(), "complex_name"] = "매화일반산업단지"  # two firms: hidden, with complements
    return out


def rich_tiers(fy: pd.DataFrame) -> pd.DataFrame:
    i = fy["source_row"] - 2
    chain = i.map(lambda k: "automotive" if k % 3 == 0 else ("electronics" if k % 3 == 1 else None))
    return pd.DataFrame({"record_id": fy["record_id"], "census_year": fy["census_year"], "tier_automotive": 1,
                         "main_chain": chain, "main_chain_share_pct": 60.0, "inferred_tier": 1, "inferred_tier_label": "1차",
                         "self_reported_tier": fy["self_reported_tier"], "final_tier": fy["self_reported_tier"],
                         "tier_source": "reported", "tier_conflict": False})


@pytest.fixture(scope="session")
def rich_db_template(tmp_path_factory):
    settings = sample.template_settings(tmp_path_factory.mktemp("rich"))
    path = settings.duckdb_path
    fy = rich_firm_year()
    original = sample._firm_year
    sample._firm_year = lambda *a, **k: fy.copy()  # make_census_db builds every other table around these rows
    try:
        sample.make_census_db(settings)
    finally:
        sample._firm_year = original
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.register("_t", rich_tiers(fy))
        con.execute("DELETE FROM supplier_tier")
        con.execute("INSERT INTO supplier_tier BY NAME SELECT * FROM _t")
    return path


@pytest.fixture(scope="module")
def rich_settings(tmp_path_factory, rich_db_template):
    return sample._sample_settings(tmp_path_factory.mktemp("rich_census"), rich_db_template)
