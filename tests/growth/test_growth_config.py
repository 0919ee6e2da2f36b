"""A typo in a stage or programme file fails with one line naming the file and the key."""

import shutil

import pytest

from pipeline.growth import GrowthConfigError, load_programmes, load_stage_rules
from pipeline.settings import PACKAGE_ROOT

CONFIG = PACKAGE_ROOT / "config" / "growth"


def test_every_shipped_programme_names_its_source_and_year():
    presets = load_programmes(CONFIG / "programmes.yaml")
    assert set(presets.programmes) == {"지역스타기업", "지역혁신 선도기업", "지역강소기업"}
    for p in presets.programmes.values():
        assert len(p.source) > 20 and 2010 < p.year < 2030


@pytest.mark.parametrize("old, new, expected", [
    ("at_least: 2", "at_lest: 2", "at_lest"),
    ("indicator: revenue_cagr_5y", "indicator: revenue_cagr_7y", "revenue_cagr_7y"),
    ('op: ">="', 'op: "=>"', "op"),
])
def test_typos_name_the_file_and_key(tmp_path, old, new, expected):
    path = tmp_path / "programmes.yaml"
    shutil.copy(CONFIG / "programmes.yaml", path)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(GrowthConfigError) as e:
        load_programmes(path)
    message = str(e.value)
    assert message.startswith("programmes.yaml") and expected in message and "\n" not in message


def test_missing_stage_file_is_reported_not_raised_as_oserror(tmp_path):
    with pytest.raises(GrowthConfigError, match="stages.yaml"):
        load_stage_rules(tmp_path / "stages.yaml")
