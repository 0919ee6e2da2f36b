"""Golden test: a small supply network with a known answer (tests/supply/golden/).

It covers a cycle with and without a path to an OEM, a firm reaching two chains, aliases of
renamed OEMs (르노삼성, KGM), a fuzzy typo of a registry supplier, an ambiguous fuzzy name and
two census firms sharing a name (both must stay unresolved).
"""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.names import load_name_rules
from pipeline.schema import tier_spellings
from pipeline.supply.links import supply_links
from pipeline.supply.registry import load_linkage_config, load_registry, registry_chains
from pipeline.supply.tiers import supplier_tiers
from tests.conftest import SHIPPED_CONFIG

GOLDEN = Path(__file__).parent / "golden"
RULES = load_name_rules(SHIPPED_CONFIG / "company_aliases.yaml")
REGISTRY = SHIPPED_CONFIG / "oem_registry.yaml"
TIERS = set(tier_spellings(SHIPPED_CONFIG / "canonical_columns.yaml").values())
SUPPLY = load_linkage_config(SHIPPED_CONFIG / "linkage.yaml")["supply"]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False).replace("", None)


@pytest.fixture(scope="module")
def network():
    firm_year = pd.read_csv(GOLDEN / "network_input.csv", dtype={"record_id": str})
    links = supply_links(firm_year, load_registry(REGISTRY, RULES), SUPPLY, RULES)
    tiers = supplier_tiers(firm_year, links, registry_chains(REGISTRY), TIERS)
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
    links = supply_links(firm_year, load_registry(REGISTRY, RULES), SUPPLY, RULES)
    tiers = supplier_tiers(firm_year, links, registry_chains(REGISTRY), TIERS)
    assert links.empty
    assert list(tiers["tier_source"]) == ["none", "none"]


def test_two_spellings_of_one_registry_entry_are_not_rivals():
    # "현대모비쓰" is close to the registry keys of one entry only; a census firm "현대모비" (a
    # different target) would be a rival, and the name must then stay unresolved.
    firm_year = pd.DataFrame({
        "record_id": ["2024-000001"], "census_year": [2024], "firm_name": ["대성정밀"],
        "customer_1_name": ["현대모비쓰"], "customer_1_share_pct": [50.0],
    })
    registry = pd.concat([load_registry(REGISTRY, RULES), pd.DataFrame([
        {"key": "현대모비쓰스", "name": "현대모비스", "chain": "automotive", "role": "supplier", "tier": 1}])])
    cfg = SUPPLY
    link = supply_links(firm_year, registry, cfg, RULES).iloc[0]
    assert (link["target_name"], link["match_method"]) == ("현대모비스", "fuzzy")
    rival = pd.concat([firm_year, pd.DataFrame({"record_id": ["2024-000002"], "census_year": [2024],
                                                "firm_name": ["현대모비쓰스"]})], ignore_index=True)
    rival_registry = load_registry(REGISTRY, RULES)
    link = supply_links(rival, rival_registry, cfg, RULES).iloc[0]
    assert (link["target_kind"], link["unresolved_reason"]) == ("unresolved", "ambiguous_fuzzy")
