"""A richer sample database for the report's contents: the hand-made firms of
tests/outputs/conftest.py, 400 a year, with KSIC codes across manufacturing divisions and
addresses in several 읍면동, classified by the pipeline's own classification (so 소부장, 뿌리,
기술수준, size class and employee band are what the pipeline computes), and supplier tiers with
two value chains."""

from __future__ import annotations

import pandas as pd
import pytest

import tests.outputs.conftest as sample
from pipeline import storage
from pipeline.classify.classify import classification_columns
from pipeline.settings import load_settings
from tests.tables import complete_table

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


# The stage the agency adds to config/growth/stages.yaml and not to the report's order: two firms,
# so it is hidden (with a complement) and listed after the configured stages.
ADDED_STAGE = "선도기업"
PROGRAMMES = ("지역스타기업", "지역혁신 선도기업", "지역강소기업")
CLUSTERS = {"금형 미니클러스터": lambda k: k % 8 == 0 or k == 9, "자동차부품 미니클러스터": lambda k: k % 8 == 1 or k % 40 == 0,
            "전자부품 미니클러스터": lambda k: k % 8 == 2, "뿌리기술 미니클러스터": lambda k: k in (3, 11)}


def _firm_ids(fy: pd.DataFrame) -> pd.Series:
    return fy["brn"].map(lambda b: f"F{int(b) % 100000:05d}")  # as tests/outputs/conftest.make_census_db


def rich_growth(fy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """growth_stage and programme_screening as pipeline/growth writes them: 2024 with stages
    decided, 2023 all 판단불가 (fewer than three census years); one programme with two eligible
    firms (hidden)."""
    i, year, firm = fy["source_row"] - 2, fy["census_year"], _firm_ids(fy)

    def stage(k: int, y: int) -> str:
        if y < 2024:
            return "판단불가"
        if k in (9, 19):
            return ADDED_STAGE
        return {0: "중핵기업", 1: "예비기업", 2: "예비기업", 3: "잠재기업", 4: "잠재기업", 5: "잠재기업", 9: "판단불가"}.get(k % 10, "일반기업")

    stages = pd.DataFrame({"firm_id": firm, "census_year": year, "stage": [stage(k, y) for k, y in zip(i, year, strict=True)],
                           "stage_rule": "fixture", "stage_status": "확정", "stage_undecided": None})

    def result(programme: str, k: int, y: int) -> str:
        if y < 2024:
            return "비대상" if k % 4 == 0 else "판단불가"
        if programme == "지역스타기업":
            return "대상" if k % 10 in (0, 1, 2) else ("판단불가" if k % 10 == 9 else "비대상")
        if programme == "지역혁신 선도기업":
            return "대상" if k % 20 == 0 else ("판단불가" if k % 10 in (1, 9) else "비대상")
        return "대상" if k in (10, 20) else ("판단불가" if k % 10 == 0 else "비대상")

    screened = pd.concat([pd.DataFrame({"firm_id": firm, "census_year": year, "programme": p,
                                        "result": [result(p, k, y) for k, y in zip(i, year, strict=True)],
                                        "failed_criteria": None, "missing_criteria": None, "manual_checks": "소재지"})
                          for p in PROGRAMMES], ignore_index=True)
    return stages, screened


def rich_clusters(fy: pd.DataFrame) -> pd.DataFrame:
    """cluster_member of 2024 (no roster in 2023): four clusters, one with two firms (hidden),
    a firm in two clusters, two members that closed before 2024, and a university."""
    rows = []
    firms = fy[fy["census_year"] == 2023].assign(firm_id=lambda f: _firm_ids(f), k=lambda f: f["source_row"] - 2)
    for cluster, member in CLUSTERS.items():
        for f in firms[firms["k"].map(member)].itertuples():
            rows.append({"census_year": 2024, "source_file": "미니클러스터_2024.xlsx", "source_row": len(rows) + 2,
                         "cluster_name": cluster, "member_name": f.firm_name, "role": "firm", "role_raw": "기업",
                         "brn": f.brn, "joined_year": 2022, "firm_id": f.firm_id, "link_method": "brn", "link_note": None})
        rows.append({"census_year": 2024, "source_file": "미니클러스터_2024.xlsx", "source_row": len(rows) + 2,
                     "cluster_name": cluster, "member_name": "한국공학대학교", "role": "university", "role_raw": "대학",
                     "brn": None, "joined_year": 2022, "firm_id": None, "link_method": "not_a_firm", "link_note": None})
    return pd.DataFrame(rows)


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
    stages, screened = rich_growth(fy)
    for name, frame in {"growth_stage": stages, "programme_screening": screened, "cluster_member": rich_clusters(fy)}.items():
        storage.write_table(settings, name, complete_table(settings, name, frame))
    storage.build_query_database(settings)
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.register("_t", rich_tiers(fy))
        con.execute("DELETE FROM supplier_tier")
        con.execute("INSERT INTO supplier_tier BY NAME SELECT * FROM _t")
    return path


@pytest.fixture(scope="module")
def rich_settings(tmp_path_factory, rich_db_template):
    return sample._sample_settings(tmp_path_factory.mktemp("rich_census"), rich_db_template)
