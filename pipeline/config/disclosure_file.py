"""config/disclosure.yaml: primary and complementary suppression, marking, and the category
collapsing applied before suppression."""

from __future__ import annotations

from pydantic import Field

from pipeline.config.base import Strict


class _Primary(Strict):
    min_firms: int = Field(ge=1)
    dominance_n: int = Field(ge=1)
    dominance_k_pct: float = Field(gt=0, le=100)


class _Secondary(Strict):
    prefer_nonempty: bool = True
    max_rounds: int = Field(1000, ge=1)


class _Marking(Strict):
    symbol: str
    empty_symbol: str = "-"
    note_ko: str
    note_en: str


class CollapseGroup(Strict):
    label: str
    members: list[str] = Field(min_length=2)


class Collapse(Strict):
    """How one breakdown's categories may be merged before primary suppression."""

    groups: list[CollapseGroup] = Field(default_factory=list)
    pool_small_as: str | None = None


class DisclosureFile(Strict):
    primary: _Primary
    secondary: _Secondary = _Secondary()
    marking: _Marking
    collapse: dict[str, Collapse] = Field(default_factory=dict)
