"""The 애로사항 taxonomy (config/difficulties.yaml), validated."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class TaxonomyError(ValueError):
    """The taxonomy file is malformed: names the file and the key."""


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[str] = []
    keywords: list[str] = Field(min_length=1)


class TaxonomyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: dict[str, Category] = Field(min_length=1)
    none_answers: list[str] = []


def fold(text: object) -> str:
    """The matching form of a text: NFKC, lower case, no white space ("" for a missing value)."""
    if not isinstance(text, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[str, ...]
    items: tuple[tuple[str, str], ...]        # (folded label, category), longest label first
    keywords: tuple[tuple[str, str], ...]     # (folded keyword, category)
    none_answers: frozenset[str]


def load_taxonomy(path: Path) -> Taxonomy:
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            parsed = TaxonomyFile.model_validate(yaml.safe_load(f))
    except OSError as e:
        raise TaxonomyError(f"{path.name}: 읽을 수 없습니다 / cannot read: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise TaxonomyError(f"{path.name}: YAML 형식 오류 / not valid YAML: {e}") from None
    except ValidationError as e:
        err = e.errors()[0]
        raise TaxonomyError(f"{path.name}: '{'.'.join(map(str, err['loc']))}' — {err['msg']} / 설정 오류") from None
    items = sorted(((fold(i), c) for c, cat in parsed.categories.items() for i in cat.items), key=lambda x: -len(x[0]))
    keywords = tuple((fold(k), c) for c, cat in parsed.categories.items() for k in cat.keywords)
    return Taxonomy(tuple(parsed.categories), tuple(items), keywords, frozenset(fold(a) for a in parsed.none_answers))
