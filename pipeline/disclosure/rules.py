"""Disclosure rules from config/disclosure.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.config import read_config
from pipeline.config.disclosure_file import DisclosureFile
from pipeline.settings import Settings


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


def load_rules(settings: Settings | None = None, path: Path | None = None) -> DisclosureRules:
    """Rules from `path`, else the agency's config/disclosure.yaml (one of the two is required)."""
    if path is not None:
        raw = read_config(Path(path), DisclosureFile)
    elif settings is not None:
        raw = settings.disclosure
    else:
        raise TypeError("load_rules needs the settings or the path of disclosure.yaml")
    p, s, m = raw.primary, raw.secondary, raw.marking
    return DisclosureRules(
        min_firms=p.min_firms,
        dominance_n=p.dominance_n,
        dominance_k_pct=p.dominance_k_pct,
        prefer_nonempty=s.prefer_nonempty,
        max_rounds=s.max_rounds,
        symbol=m.symbol,
        empty_symbol=m.empty_symbol,
        note_ko=m.note_ko,
        note_en=m.note_en,
    )
