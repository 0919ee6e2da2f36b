"""config/classification/autocode.yaml: a typo fails with one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ksic.autocode import AutocodeConfigError, load_autocode_config

CONFIG = Path(__file__).resolve().parents[2] / "config" / "classification" / "autocode.yaml"


def test_shipped_config_loads():
    config = load_autocode_config(CONFIG)
    assert 0 < config.abstain_below < config.contradiction_confidence <= 1


@pytest.mark.parametrize(("old", "new", "key"), [
    ("abstain_below: 0.8", "abstain_belov: 0.8", "abstain_belov"),
    ("  neighbours: 10", "  neighbours: ten", "model.neighbours"),
    ("abstain_below: 0.8", "abstain_below: 1.5", "abstain_below"),
])
def test_a_typo_names_file_and_key_in_one_line(tmp_path, old, new, key):
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "autocode.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(AutocodeConfigError) as caught:
        load_autocode_config(path)
    message = str(caught.value)
    assert "\n" not in message and "autocode.yaml" in message and key in message


def test_missing_file_and_broken_yaml(tmp_path):
    with pytest.raises(AutocodeConfigError, match="file not found"):
        load_autocode_config(tmp_path / "none.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("model: [\n", encoding="utf-8")
    with pytest.raises(AutocodeConfigError, match="not valid YAML"):
        load_autocode_config(broken)
