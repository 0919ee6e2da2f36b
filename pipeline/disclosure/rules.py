"""Disclosure rules from config/disclosure.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

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
    """Rules from `path`, else the project's config/disclosure.yaml."""
    if path is None:
        from pipeline.settings import PACKAGE_ROOT

        path = (settings.config_dir if settings else PACKAGE_ROOT / "config") / "disclosure.yaml"
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    p, s, m = raw["primary"], raw["secondary"], raw["marking"]
    return DisclosureRules(
        min_firms=int(p["min_firms"]),
        dominance_n=int(p["dominance_n"]),
        dominance_k_pct=float(p["dominance_k_pct"]),
        prefer_nonempty=bool(s.get("prefer_nonempty", True)),
        max_rounds=int(s.get("max_rounds", 1000)),
        symbol=str(m["symbol"]),
        empty_symbol=str(m.get("empty_symbol", "-")),
        note_ko=str(m["note_ko"]),
        note_en=str(m["note_en"]),
    )
