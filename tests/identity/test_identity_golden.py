"""Golden test: firm identities across three census years (tests/identity/golden/records.csv).

The file's true_firm column is the answer. It covers a BRN mistyped in one year (checksum fails),
missing in one year, masked in one year and missing after a move; two firms named 삼우산업 in
different dongs; a rename under the same BRN; two same-name firms with different BRNs; a row
delivered twice in one year (2024-000010 copies 2024-000006).
"""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.classify.address import sido_aliases
from pipeline.identity.firms import firm_identity
from pipeline.identity.reviews import load_reviews
from pipeline.names import load_name_rules
from pipeline.supply.registry import load_linkage_config
from tests.conftest import SHIPPED_CONFIG

GOLDEN = Path(__file__).parent / "golden"
NO_REVIEWS = pd.DataFrame(columns=["record_id_a", "record_id_b", "decision", "analyst", "note"])
IDENTITY = load_linkage_config(SHIPPED_CONFIG / "linkage.yaml")["identity"]
NAMES = load_name_rules(SHIPPED_CONFIG / "company_aliases.yaml")
SIDO = sido_aliases(SHIPPED_CONFIG / "classification" / "address.yaml")


def _records() -> pd.DataFrame:
    df = pd.read_csv(GOLDEN / "records.csv", dtype={"brn": str, "ksic_code": str, "record_id": str})
    df["founded_date"] = pd.to_datetime(df["founded_date"])
    return df


def _partition(df: pd.DataFrame, label: str) -> set[frozenset[str]]:
    return {frozenset(g["record_id"]) for _, g in df.groupby(label)}


@pytest.fixture(scope="module")
def result():
    return firm_identity(_records(), IDENTITY, NO_REVIEWS, NAMES, SIDO)


def test_firm_ids_reproduce_true_firms(result):
    got = _records().merge(result["firm_year_identity"], on="record_id")
    assert _partition(got, "firm_id") == _partition(got, "true_firm")


def test_missing_brn_year_is_linked_probabilistically(result):
    ident = result["firm_year_identity"].set_index("record_id")
    assert ident.loc["2023-000002", "firm_id"] == ident.loc["2022-000002", "firm_id"]
    assert ident.loc["2023-000002", "link_method"].startswith("probabilistic")
    assert ident.loc["2024-000002", "link_method"] == "brn"


def test_same_name_in_different_dongs_kept_apart(result):
    ident = result["firm_year_identity"].set_index("record_id")
    assert ident.loc["2024-000004", "firm_id"] != ident.loc["2024-000005", "firm_id"]
    assert ident.loc["2023-000005", "firm_id"] == ident.loc["2024-000005", "firm_id"]


def test_row_delivered_twice_is_the_same_firm(result):
    ident = result["firm_year_identity"].set_index("record_id")
    assert ident.loc["2024-000010", "firm_id"] == ident.loc["2024-000006", "firm_id"]
    assert (ident.loc["2024-000010", "link_method"], ident.loc["2024-000010", "linked_to"]) == ("duplicate", "2024-000006")


def test_firm_table_and_ids(result):
    firm = result["firm"].set_index("firm_id")
    assert len(firm) == _records()["true_firm"].nunique()
    assert all(f.startswith("F") and len(f) == 11 for f in firm.index)
    brns = set(_records()["brn"].dropna())
    assert not any(f[1:] in brns for f in firm.index)
    dongyang = firm[firm["brn"] == "3178100019"].iloc[0]
    assert (dongyang["years"], dongyang["firm_name"]) == ("2022,2024", "동양일렉트로닉스")


def test_ids_stable_when_a_year_is_added(result):
    without_2024 = _records().query("census_year < 2024")
    earlier = firm_identity(without_2024, IDENTITY, NO_REVIEWS, NAMES, SIDO)["firm_year_identity"]
    full = result["firm_year_identity"].set_index("record_id")["firm_id"]
    assert (earlier.set_index("record_id")["firm_id"] == full.loc[earlier["record_id"]]).all()


def test_analyst_split_and_confirm(tmp_path):
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(
        "record_id_a,record_id_b,decision,analyst,note\n"
        "2023-000002,2022-000002,split,kim,different plant\n"
        "2023-000002,2024-000002,split,kim,\n"
        "2023-000007,2024-000009,confirm,kim,renamed\n"
        "2022-000008,2023-000008,confirm,kim,\n"
        "2022-000001,2023-000001,maybe,kim,ignored\n",
        encoding="utf-8",
    )
    out = firm_identity(_records(), IDENTITY, load_reviews(reviews), NAMES, SIDO)
    ident = out["firm_year_identity"].set_index("record_id")
    assert ident.loc["2023-000002", "firm_id"] not in {ident.loc["2022-000002", "firm_id"], ident.loc["2024-000002", "firm_id"]}
    assert ident.loc["2023-000007", "firm_id"] == ident.loc["2024-000009", "firm_id"]
    assert ident.loc["2024-000009", "link_method"] == "analyst"
    # A confirm never overrides a BRN conflict: 2023-000008 has another valid BRN.
    assert ident.loc["2022-000008", "firm_id"] != ident.loc["2023-000008", "firm_id"]


def test_outputs_carry_no_personal_data(result):
    reps = set(_records()["representative_name"])
    for frame in result.values():
        assert not frame.astype(str).isin(reps).any().any()
        assert "representative_name" not in frame.columns


def test_bad_input_does_not_crash():
    df = pd.DataFrame({"record_id": ["2022-000001", "2023-000001"], "census_year": [2022, 2023],
                       "firm_name": [None, 3.5], "brn": ["abc", None], "founded_date": ["not a date", None]})
    out = firm_identity(df, IDENTITY, NO_REVIEWS, NAMES, SIDO)
    assert out["firm_year_identity"]["firm_id"].nunique() == 2
