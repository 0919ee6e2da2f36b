"""config/canonical_columns.yaml: the columns a census row has after loading."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.config.base import Strict

ColumnType = Literal["text", "id", "code", "integer", "number", "date", "tier"]
Disclosure = Literal["public", "identifying", "personal", "key", "registry"]


class ColumnSpec(Strict):
    type: ColumnType
    disclosure: Disclosure
    label_ko: str
    label_en: str


class ColumnsFile(Strict):
    columns: dict[str, ColumnSpec]
    provenance: dict[str, ColumnSpec]
    # canonical tier value -> the spellings contractors use
    tier_values: dict[str, list[str]] = Field(default_factory=dict)
