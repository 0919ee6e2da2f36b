"""config/disclosure.yaml: statistical disclosure control of published tables."""

from __future__ import annotations

from pydantic import Field

from pipeline.config.base import Strict


class Primary(Strict):
    min_firms: int = Field(ge=1)
    dominance_n: int = Field(ge=1)
    dominance_k_pct: float = Field(gt=0, le=100)


class Secondary(Strict):
    prefer_nonempty: bool = True
    max_rounds: int = Field(default=1000, ge=1)


class Marking(Strict):
    symbol: str
    note_ko: str
    note_en: str
    empty_symbol: str = "-"


class DisclosureFile(Strict):
    primary: Primary
    secondary: Secondary = Field(default_factory=Secondary)
    marking: Marking
