"""Customer spellings in config/samplegen/customers.yaml resolve, through the pipeline's own
alias table, to the firm the truth says they are (else the truth would be unrecoverable)."""

import yaml

from census_sample import config
from pipeline.names import canonical_key, load_name_rules
from pipeline.settings import PACKAGE_ROOT

CUSTOMERS = config.load("customers")
RULES = load_name_rules(PACKAGE_ROOT / "config" / "company_aliases.yaml")  # the shipped alias table


def test_every_oem_and_registry_spelling_resolves_to_its_canonical_name():
    for group in ("oems", "registry_suppliers"):
        for chain, table in CUSTOMERS[group].items():
            for canonical, spec in table.items():
                for year_table in spec["spellings"].values():
                    for spelling in year_table:
                        assert canonical_key(spelling, RULES) == canonical_key(canonical, RULES), (group, chain, spelling)


def test_generator_oems_are_the_pipelines_oems():
    with open(PACKAGE_ROOT / "config" / "oem_registry.yaml", encoding="utf-8") as f:
        registry = yaml.safe_load(f)["chains"]
    for chain, table in CUSTOMERS["oems"].items():
        assert set(table) <= {o["name"] for o in registry[chain]["oems"]}
    for chain, table in CUSTOMERS["registry_suppliers"].items():
        known = {s["name"]: s["tier"] for s in registry[chain]["suppliers"]}
        assert {k: v["tier"] for k, v in table.items()}.items() <= known.items()


def test_outside_customers_resolve_to_no_oem_or_registry_supplier():
    chain_keys = {canonical_key(n, RULES) for g in ("oems", "registry_suppliers") for t in CUSTOMERS[g].values() for n in t}
    for name in config.load("vocabulary")["outside_customers"]:
        assert canonical_key(name, RULES) not in chain_keys, name
