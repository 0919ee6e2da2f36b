"""config/classification/autocode.yaml as a typed model: which reference files the autocoder
learns from, the model's settings, the confidence below which it abstains, and the agency's own
examples. Here, beside the other config models, so the settings check reads it with them."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConcordanceSheet(_Strict):
    file: str
    sheet: str
    header_rows: int = Field(ge=0)
    from_code: int = Field(ge=0)
    to_code: int = Field(ge=0)


class ReferenceFiles(_Strict):
    index: str
    descriptions: str
    tree: str
    links_10_11: str
    names_9: str
    links_9_10: ConcordanceSheet


class TextModel(_Strict):
    ngram_min: int = Field(ge=1, le=6)
    ngram_max: int = Field(ge=1, le=8)
    # n-grams in fewer texts than min_df or in a larger share than max_df carry no signal.
    min_df: int = Field(ge=1)
    max_df: float = Field(gt=0, le=1)
    # Nearest training texts whose codes vote for a row.
    neighbours: int = Field(ge=1, le=200)
    # A text's vote is divided by (texts of its subclass) ** this, so a subclass with hundreds of
    # index terms does not win a short query by their number alone.
    class_size_exponent: float = Field(ge=0, le=1)
    # Weight of a training text by where it comes from (index term, [예시] line, agency's own year …).
    origin_weights: dict[str, float]
    calibration_share: float = Field(gt=0, lt=1)
    # Which training texts may be held out for calibration: those most like a respondent's words.
    calibration_origins: list[str] = Field(min_length=1)
    # With at least this many held-out agency examples, calibrate on them alone: confidence fitted
    # on reference texts does not carry over to respondents' words (see the benchmark).
    agency_calibration_min: int = Field(ge=1)
    # Rank the subclasses of the division with the most summed votes first (see
    # model.division_first_order) instead of the single best-voted subclass anywhere.
    division_first: bool = False
    seed: int


class AutocodeConfig(_Strict):
    files: ReferenceFiles
    model: TextModel
    # Confidence of an exact normalised name match that names one subclass.
    name_match_confidence: float = Field(gt=0, le=1)
    # Below this confidence the row is not coded: it goes to the review list.
    abstain_below: float = Field(ge=0, le=1)
    # A reported code is flagged when the text gives another class with at least this confidence.
    contradiction_confidence: float = Field(ge=0, le=1)
    alternatives: int = Field(ge=1, le=10)
    # The agency's own coded firms as training examples: CSV or XLSX files with columns text and
    # code (KSIC-11 subclass), paths relative to this file's folder, written by
    # `census autocode examples YEAR ...` from years already loaded. Declared here rather than
    # read from whatever years are loaded, so a year's codes never depend on load order; the files
    # sit in the config folder, so changing them marks every year for reload like any setting.
    agency_examples: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """Hash of every setting that changes the trained model (the cache key's config part)."""
        payload = json.dumps({"files": self.files.model_dump(), "model": self.model.model_dump()}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
