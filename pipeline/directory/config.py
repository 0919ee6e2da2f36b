"""The directory's config files (config/directory/), each checked by a pydantic model so a typo
fails with one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.directory import LANGUAGES, SOURCES


class DirectoryConfigError(ValueError):
    """A config file under config/directory/ is missing or malformed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConsentValues(_Strict):
    publish: list[str]
    withhold: list[str]


class ConsentFile(_Strict):
    consent: ConsentValues


class Rendering(_Strict):
    text: str
    position: Literal["before", "after"]


class LegalForm(_Strict):
    marks: list[str]
    en: Rendering
    zh: Rendering
    vi: Rendering


class LegalFormsFile(_Strict):
    forms: dict[str, LegalForm]


class BrandFile(_Strict):
    spellings: dict[str, str]


class Language(_Strict):
    code: Literal["ko", "en", "zh", "vi"]
    name: str
    html_lang: str


class UiLabels(_Strict):
    site_title: str
    search_label: str
    search_placeholder: str
    sector: str
    activity: str
    products: str
    complex: str
    address: str
    contact: str
    all_sectors: str
    all_complexes: str
    results: str
    no_results: str
    back_to_search: str
    exports: str
    untranslated_note: str
    source_legend: str
    sources: dict[str, str]


class LabelFile(_Strict):
    language: Language
    ui: UiLabels
    complex_types: dict[str, str]
    # KSIC section letter / division code -> label; only for languages without an official title.
    sections: dict[str, str] = {}
    divisions: dict[str, str] = {}


class DirectoryConfig(_Strict):
    consent: ConsentValues
    legal_forms: dict[str, LegalForm]
    brands: dict[str, str]
    labels: dict[str, LabelFile]
    memory_dir: Path


def _read(path: Path, model: type[BaseModel]):
    if not path.is_file():
        raise DirectoryConfigError(f"설정 파일이 없습니다 / config file missing: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(data or {})
    except yaml.YAMLError as exc:
        raise DirectoryConfigError(f"{path.name}: YAML 오류 / YAML error: {exc}") from None
    except ValidationError as exc:
        # One line naming every wrong key: a misspelt key shows as "extra" beside the "missing" one.
        problems = "; ".join(f"'{'.'.join(str(p) for p in e['loc'])}' — {e['msg']}" for e in exc.errors()[:4])
        raise DirectoryConfigError(f"{path.name}: {problems} (설정 확인 / check the file)") from None


def load_directory_config(config_dir: Path) -> DirectoryConfig:
    """Config of the directory from `config_dir` (the project's config/directory/)."""
    config_dir = Path(config_dir)
    labels = {}
    for lang in LANGUAGES:
        label_file = _read(config_dir / "labels" / f"{lang}.yaml", LabelFile)
        if label_file.language.code != lang:
            raise DirectoryConfigError(f"labels/{lang}.yaml: language.code is '{label_file.language.code}', expected '{lang}'")
        missing = [s for s in SOURCES if s not in label_file.ui.sources]
        if missing:
            raise DirectoryConfigError(f"labels/{lang}.yaml: 'ui.sources' lacks {', '.join(missing)}")
        labels[lang] = label_file
    return DirectoryConfig(
        consent=_read(config_dir / "consent_values.yaml", ConsentFile).consent,
        legal_forms=_read(config_dir / "legal_forms.yaml", LegalFormsFile).forms,
        brands=_read(config_dir / "brand_spellings.yaml", BrandFile).spellings,
        labels=labels,
        memory_dir=config_dir / "memory",
    )
