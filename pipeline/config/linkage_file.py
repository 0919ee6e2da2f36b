"""config/linkage.yaml: customer-name resolution and cross-year firm linkage thresholds."""

from __future__ import annotations

from typing import Literal

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


# The record features a blocking key may combine (pipeline/identity/features.py).
BlockingFeature = Literal["name_key", "brn_valid", "brn_shown", "founded", "rep", "address_key", "road", "dong", "ksic"]


class Identity(Strict):
    weights: Weights
    # Candidate pairs share all features of one key; None: pipeline.identity.scoring.BLOCKS.
    blocking: list[list[BlockingFeature]] | None = Field(default=None, min_length=1)
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
