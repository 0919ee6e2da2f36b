"""config/classification/autocode.yaml: which reference files the autocoder learns from, the model's
settings, and the confidence below which it abstains. Validated on load so that a typo fails with
one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.config.autocode_file import AutocodeConfig, ConcordanceSheet, ReferenceFiles, TextModel

__all__ = ["AutocodeConfig", "AutocodeConfigError", "ConcordanceSheet", "ReferenceFiles", "TextModel", "load_autocode_config"]


class AutocodeConfigError(ValueError):
    """The autocode config file is missing or has a wrong key or value."""


def load_autocode_config(path: Path) -> AutocodeConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AutocodeConfigError(f"{path}: 파일이 없습니다 / file not found") from exc
    except yaml.YAMLError as exc:
        raise AutocodeConfigError(f"{path}: YAML 형식 오류 / not valid YAML: {exc}".replace("\n", " ")) from exc
    try:
        return AutocodeConfig.model_validate(raw or {})
    except ValidationError as exc:
        # An unknown key is the typo; the "missing" error for the key it was meant to be follows from it.
        first = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise AutocodeConfigError(f"{path}: 키 {key}: {first['msg']} / key {key}: {first['msg']}") from None
