"""Disclosure rules from config/disclosure.yaml, validated (a misspelt key fails with one line
naming the file and key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.config.disclosure_file import Collapse, CollapseGroup, DisclosureFile  # noqa: F401
from pipeline.settings import Settings


class DisclosureConfigError(ValueError):
    """config/disclosure.yaml cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class DisclosureRules:
    min_firms: int
    dominance_n: int
    dominance_k_pct: float
    prefer_nonempty: bool
    max_rounds: int
    symbol: str
    empty_symbol: str
    note_ko: str
    note_en: str
    collapse: dict[str, Collapse] = field(default_factory=dict)  # by dimension key of config/reports.yaml


def load_rules(settings: Settings | None = None, path: Path | None = None) -> DisclosureRules:
    """Rules from `path`, else the agency's config/disclosure.yaml through the settings root."""
    if path is not None:
        try:
            with open(path, encoding="utf-8") as f:
                raw = DisclosureFile.model_validate(yaml.safe_load(f))
        except (OSError, yaml.YAMLError) as e:
            raise DisclosureConfigError(f"{Path(path).name}: 읽을 수 없습니다 / cannot read: {str(e).splitlines()[0]}") from None
        except ValidationError as e:
            err = e.errors()[0]
            key = ".".join(str(p) for p in err["loc"]) or "(top)"
            raise DisclosureConfigError(f"{Path(path).name}: {key}: 설정 오류 / invalid setting: {err['msg']}") from None
    elif settings is not None:
        raw = settings.disclosure
    else:
        raise TypeError("load_rules needs the settings or the path of disclosure.yaml")
    p, s, m = raw.primary, raw.secondary, raw.marking
    return DisclosureRules(
        min_firms=p.min_firms, dominance_n=p.dominance_n, dominance_k_pct=p.dominance_k_pct,
        prefer_nonempty=s.prefer_nonempty, max_rounds=s.max_rounds,
        symbol=m.symbol, empty_symbol=m.empty_symbol, note_ko=m.note_ko, note_en=m.note_en,
        collapse=dict(raw.collapse),
    )
