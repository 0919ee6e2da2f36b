"""The blocking check behind firm_identity: no firm_id may carry two valid business numbers."""

import pandas as pd

from pipeline.identity.checks import firms_with_two_brns


def test_a_firm_with_two_valid_brns_is_found_and_masked_or_invalid_numbers_do_not_count():
    firm_year = pd.DataFrame({
        "record_id": ["2023-1", "2024-1", "2023-2", "2024-2", "2024-3"],
        "brn": ["134-86-72683", "1208200052", "2208869974", "608127****", "1168200278"],  # last: bad check digit
    })
    identity = pd.DataFrame({"record_id": ["2023-1", "2024-1", "2023-2", "2024-2", "2024-3"],
                             "firm_id": ["F1", "F1", "F2", "F2", "F2"]})
    assert firms_with_two_brns(identity, firm_year) == ["F1"]
    assert firms_with_two_brns(identity.assign(firm_id=["F1", "F3", "F2", "F2", "F2"]), firm_year) == []


def test_blocking_keys_come_from_the_linkage_config(project):
    """identity.blocking in config/linkage.yaml decides which records are compared: two records
    of one firm that share only their founding date are linked under the shipped keys and kept
    apart when the founding-date key is narrowed to [founded, dong] and their 동 differ."""
    import pandas as pd

    from pipeline.identity.firms import firm_identity
    from pipeline.identity.reviews import load_reviews
    from pipeline.supply.setup import supply_setup

    firm_year = pd.DataFrame({
        "record_id": ["2022-0000001", "2023-0000001"], "census_year": [2022, 2023],
        "firm_name": ["대한정밀", "대한정밀테크"], "brn": [None, None], "founded_date": [pd.Timestamp("2001-03-05")] * 2,
        "representative_name": ["김철수", "김철수"], "address": ["경기도 시흥시 정왕동 1", "경기도 시흥시 거모동 7"],
        "ksic_code": ["29141", "29141"]})
    setup = supply_setup(project)
    config = dict(setup.linkage["identity"])
    linked = firm_identity(firm_year, config, load_reviews(setup.reviews_path), setup.rules, setup.sido_of)
    assert linked["firm_year_identity"].firm_id.nunique() == 1
    config["blocking"] = [["name_key"], ["brn_valid"], ["founded", "dong"], ["rep", "road"]]
    apart = firm_identity(firm_year, config, load_reviews(setup.reviews_path), setup.rules, setup.sido_of)
    assert apart["firm_year_identity"].firm_id.nunique() == 2


def test_a_blocking_key_naming_no_feature_fails_at_load(project):
    import typing

    from pipeline.config import ConfigError
    from pipeline.config.linkage_file import BlockingFeature
    from pipeline.identity.scoring import BLOCKING_FEATURES
    from pipeline.settings import load_settings

    assert set(typing.get_args(BlockingFeature)) == set(BLOCKING_FEATURES)
    path = project.config_dir / "linkage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- [rep, dong]", "- [rep, dongg]"), encoding="utf-8")
    try:
        load_settings(project.config_dir / "settings.yaml")
    except ConfigError as e:
        assert "linkage.yaml" in str(e) and "identity.blocking" in str(e)
    else:
        raise AssertionError("a typo in a blocking key must fail at load")
