"""config/linkage.yaml: customer-name resolution and cross-year firm linkage thresholds."""

from __future__ import annotations

from pydantic import Field

from pipeline.config.base import Strict


class SupplyMatching(Strict):
    fuzzy_threshold: float = Field(ge=0, le=100)
    ambiguity_margin: float = Field(ge=0)
    fuzzy_min_length: int = Field(ge=1)


class Weights(Strict):
    """log2(m/u) per comparison level of each field (pipeline/identity/scoring.py)."""

    name: dict[str, float]
    founded: dict[str, float]
    rep: dict[str, float]
    address: dict[str, float]
    brn_mask: dict[str, float]
    ksic: dict[str, float]


class Identity(Strict):
    weights: Weights
    name_close: float
    name_similar: float
    rep_close: float
    match_threshold: float
    review_threshold: float
    link_review_band: bool = True


class Checks(Strict):
    min_resolved_share: float = Field(default=0.5, ge=0, le=1)
    min_tier_coverage: float = Field(default=0.5, ge=0, le=1)


class LinkageFile(Strict):
    supply: SupplyMatching
    identity: Identity
    checks: Checks = Field(default_factory=Checks)
