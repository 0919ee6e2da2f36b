"""The trained model is cached by the reference files' bytes and the settings: reused when nothing
changed, trained again when the config, a reference file or the agency's examples change. A small
reference folder (three divisions, cut from the real files at test time) keeps training short."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.ksic.autocode import AutocodeModel, autocode
from pipeline.ksic.autocode import model as model_module


@pytest.fixture
def count_trainings(monkeypatch):
    calls = []
    real = model_module.train

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(model_module, "train", counting)
    return calls


def test_cache_is_reused_then_invalidated_when_the_config_changes(small_reference, tmp_path, autocode_config, count_trainings):
    cache = tmp_path / "cache"
    first = AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    assert len(count_trainings) == 1 and len(list(cache.glob("ksic-autocode-*.pkl"))) == 1
    again = AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    assert len(count_trainings) == 1 and again.key == first.key
    out = autocode(again, pd.Series(["구두류 제조업"]), pd.Series([None]), autocode_config)
    assert out.code.iloc[0] == "15211"

    changed = autocode_config.model_copy(update={"model": autocode_config.model.model_copy(update={"neighbours": 5})})
    retrained = AutocodeModel.load_or_train(small_reference, cache, changed)
    assert len(count_trainings) == 2 and retrained.key != first.key and retrained.neighbours == 5
    # The folder is shared by the machine's projects: both models stay, the first one is still used.
    assert {p.name for p in cache.glob("ksic-autocode-*.pkl")} == {f"ksic-autocode-{m.key}.pkl" for m in (first, retrained)}
    AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    assert len(count_trainings) == 2

    # The abstention threshold is applied at prediction time: changing it needs no retraining.
    AutocodeModel.load_or_train(small_reference, cache, changed.model_copy(update={"abstain_below": 0.9}))
    assert len(count_trainings) == 2


def test_a_changed_reference_file_or_agency_examples_train_again(small_reference, tmp_path, autocode_config, count_trainings):
    cache = tmp_path / "cache"
    base = AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    index = small_reference / "ksic_text" / "ksic-index.json"
    rows = json.loads(index.read_text(encoding="utf-8"))
    rows.append({"code": "14300", "term": "쉐타", "itemName": "편조의복 제조업"})
    index.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    newer = AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    assert len(count_trainings) == 2 and newer.key != base.key
    examples = pd.DataFrame({"text": ["쉐타", "골프아셈브리"], "code": ["14300", "99999"]})
    with_examples = AutocodeModel.load_or_train(small_reference, cache, autocode_config, examples)
    assert len(count_trainings) == 3
    assert with_examples.training_summary["agency_examples"] == 1
    assert with_examples.training_summary["agency_examples_unknown_code"] == 1


def test_an_unreadable_cache_file_is_trained_again_not_a_crash(small_reference, tmp_path, autocode_config, count_trainings):
    cache = tmp_path / "cache"
    model = AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    (cache / f"ksic-autocode-{model.key}.pkl").write_bytes(b"not a pickle")
    again = AutocodeModel.load_or_train(small_reference, cache, autocode_config)
    assert len(count_trainings) == 2 and again.key == model.key


def test_a_missing_reference_file_is_one_clear_error(small_reference, tmp_path, autocode_config):
    from pipeline.ksic.autocode import AutocodeTrainingError

    (small_reference / "ksic_text" / "ksic-desc.json").unlink()
    with pytest.raises(AutocodeTrainingError, match="ksic-desc.json"):
        AutocodeModel.load_or_train(small_reference, tmp_path / "cache", autocode_config)


def test_confidence_is_calibrated_on_agency_examples_when_there_are_enough(small_reference, tmp_path, autocode_config, register):
    # Confidence fitted on reference texts is overconfident on respondents' words; an agency's own
    # coded years fix that once enough of them can be held out.
    rows = register[register["업종코드"].str[:2].isin(["14", "15", "27"])]
    examples = pd.DataFrame({"text": rows["생산품정보"], "code": rows["업종코드"].str[:5]})
    few = autocode_config.model_copy(update={"model": autocode_config.model.model_copy(update={"agency_calibration_min": 10_000})})
    enough = autocode_config.model_copy(update={"model": autocode_config.model.model_copy(update={"agency_calibration_min": 5})})
    assert AutocodeModel.load_or_train(small_reference, tmp_path / "a", few, examples).training_summary["calibrated_on"] == "reference texts"
    model = AutocodeModel.load_or_train(small_reference, tmp_path / "b", enough, examples)
    assert model.training_summary["calibrated_on"] == "agency examples"
    assert model.training_summary["calibration_texts"] >= 5


def test_the_shared_cache_keeps_the_models_used_last(small_reference, tmp_path, autocode_config, count_trainings):
    """A cache folder does not grow with every settings change: the KEEP_MODELS used last stay."""
    cache = tmp_path / "cache"
    keys = []
    for neighbours in (3, 4, 5, 6):
        config = autocode_config.model_copy(update={"model": autocode_config.model.model_copy(update={"neighbours": neighbours})})
        keys.append(AutocodeModel.load_or_train(small_reference, cache, config).key)
        if neighbours == 4:
            # The first model is used again after the second: it is the newer of the two.
            AutocodeModel.load_or_train(small_reference, cache, autocode_config.model_copy(
                update={"model": autocode_config.model.model_copy(update={"neighbours": 3})}))
    assert len(count_trainings) == 4
    kept = {p.name for p in cache.glob("ksic-autocode-*.pkl")}
    assert len(kept) == model_module.KEEP_MODELS == 3
    assert f"ksic-autocode-{keys[1]}.pkl" not in kept  # used least recently
    assert not list(cache.glob("*.tmp"))
