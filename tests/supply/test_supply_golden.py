"""Golden test: a small supply network with a known answer (tests/supply/golden/).

It covers a cycle with and without a path to an OEM, a firm reaching two chains, aliases of
renamed OEMs (르노삼성, KGM), a fuzzy typo of a registry supplier, an ambiguous fuzzy name and
two census firms sharing a name (both must stay unresolved).
"""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.supply.links import supply_links
from pipeline.supply.registry import load_linkage_config, load_registry, registry_chains
from pipeline.supply.tiers import supplier_tiers

GOLDEN = Path(__file__).parent / "golden"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False).replace("", None)


@pytest.fixture(scope="module")
def network():
    firm_year = pd.read_csv(GOLDEN / "network_input.csv", dtype={"record_id": str})
    links = supply_links(firm_year, load_registry(), load_linkage_config()["supply"])
    tiers = supplier_tiers(firm_year, links, registry_chains())
    return firm_year, links, tiers


def test_links_match_golden(network):
    _, links, _ = network
    expected = _read("network_expected_links.csv")
    got = links[expected.columns].astype(object).where(links[expected.columns].notna(), None)
    got = got.astype(str).replace("None", None).reset_index(drop=True)
    expected["position"] = expected["position"].astype(str)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_tiers_match_golden(network):
    _, _, tiers = network
    expected = _read("network_expected_tiers.csv")
    got = tiers[expected.columns].copy()
    got = got.astype(object).where(got.notna(), None).astype(str).replace("None", None).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_one_link_per_named_customer(network):
    firm_year, links, _ = network
    named = sum(firm_year[f"customer_{i}_name"].notna().sum() for i in (1, 2, 3))
    assert len(links) == named
    assert not links.duplicated(["record_id", "position"]).any()


def test_bad_input_does_not_crash():
    firm_year = pd.DataFrame({
        "record_id": ["2023-000001", "2023-000002"], "census_year": [2023, 2023],
        "firm_name": [None, "(주)"], "customer_1_name": [12345, "   "], "customer_1_share_pct": ["abc", None],
        "self_reported_tier": [None, "모름"],
    })
    links = supply_links(firm_year, load_registry(), load_linkage_config()["supply"])
    tiers = supplier_tiers(firm_year, links, registry_chains())
    assert links.empty
    assert list(tiers["tier_source"]) == ["none", "none"]
